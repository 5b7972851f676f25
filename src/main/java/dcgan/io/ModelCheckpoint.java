package dcgan.io;

import dcgan.model.Dcgan;
import dcgan.model.Upsampling;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Saves and restores a DCGAN in a {@link Checkpoint}: the model's configuration, G's and D's state_dicts
 * (tensors named "G.main.0.weight", "D.main.3.running_mean", ... and longs "G.main.1.num_batches_tracked"),
 * and, for training, both optimisers' moments ("G.adam.m.main.0.weight", ...). Training counters and
 * random states go in as plain longs by the caller.
 */
public final class ModelCheckpoint {
    private ModelCheckpoint() {}

    /** Puts the configuration and both nets' state (and Adam moments when withOptimizer). */
    public static void put(Checkpoint ckpt, Dcgan model, boolean withOptimizer) {
        Dcgan.Config c = model.config;
        ckpt.putLong("config.nz", c.nz()).putLong("config.ngf", c.ngf()).putLong("config.ndf", c.ndf())
                .putLong("config.nc", c.nc()).putLong("config.image_size", c.imageSize())
                .putString("config.upsampling", c.upsampling().id);
        putNet(ckpt, "G.", model.generator, withOptimizer);
        putNet(ckpt, "D.", model.discriminator, withOptimizer);
    }

    private static void putNet(Checkpoint ckpt, String prefix, Dcgan.Net net, boolean withOptimizer) {
        for (Dcgan.Buffer b : net.state()) ckpt.putTensor(prefix + b.name(), b.data(), b.shape());
        for (Dcgan.Layer l : net.layers) {
            if (l instanceof Dcgan.BatchNorm bn) ckpt.putLong(prefix + bn.weightName().replace(".weight", ".num_batches_tracked"), bn.batchesTracked);
        }
        if (withOptimizer) {
            for (Dcgan.Param p : net.params()) {
                ckpt.putTensor(prefix + "adam.m." + p.name, p.m, p.shape);
                ckpt.putTensor(prefix + "adam.v." + p.name, p.v, p.shape);
            }
        }
    }

    /** The model configuration stored in a checkpoint. */
    public static Dcgan.Config config(Checkpoint ckpt) throws IOException {
        try {
            return new Dcgan.Config(intOf(ckpt, "config.nz"), intOf(ckpt, "config.ngf"), intOf(ckpt, "config.ndf"),
                    intOf(ckpt, "config.nc"), intOf(ckpt, "config.image_size"),
                    ckpt.has("config.upsampling") ? Upsampling.parse(ckpt.getString("config.upsampling")) : Upsampling.CONVT_K4S2);
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint has an invalid model configuration: " + e.getMessage());
        }
    }

    private static int intOf(Checkpoint ckpt, String name) throws IOException {
        long v = ckpt.getLong(name);
        if (v < 1 || v > 1 << 20) throw new IOException("checkpoint value " + name + " = " + v + " is out of range");
        return (int) v;
    }

    /** A model built from the checkpoint's configuration, with its weights and running statistics. */
    public static Dcgan readModel(Checkpoint ckpt, boolean withOptimizer) throws IOException {
        Dcgan model = new Dcgan(config(ckpt));
        load(ckpt, model, withOptimizer);
        return model;
    }

    public static Dcgan readModel(Path path) throws IOException {
        return readModel(Checkpoint.read(path), false);
    }

    /** Copies the checkpoint's state into an existing model; every shape must fit. */
    public static void load(Checkpoint ckpt, Dcgan model, boolean withOptimizer) throws IOException {
        Dcgan.Config want = model.config, have = config(ckpt);
        if (!want.equals(have)) {
            throw new IOException("checkpoint is for a model with " + describe(have) + ", but the options ask for " + describe(want));
        }
        loadNet(ckpt, "G.", model.generator, withOptimizer);
        loadNet(ckpt, "D.", model.discriminator, withOptimizer);
    }

    private static void loadNet(Checkpoint ckpt, String prefix, Dcgan.Net net, boolean withOptimizer) throws IOException {
        for (Dcgan.Buffer b : net.state()) ckpt.copyTensor(prefix + b.name(), b.data(), b.shape());
        for (Dcgan.Layer l : net.layers) {
            if (l instanceof Dcgan.BatchNorm bn) {
                String name = prefix + bn.weightName().replace(".weight", ".num_batches_tracked");
                if (ckpt.has(name)) bn.batchesTracked = ckpt.getLong(name);
            }
        }
        if (withOptimizer) {
            for (Dcgan.Param p : net.params()) {
                ckpt.copyTensor(prefix + "adam.m." + p.name, p.m, p.shape);
                ckpt.copyTensor(prefix + "adam.v." + p.name, p.v, p.shape);
            }
        }
    }

    public static String describe(Dcgan.Config c) {
        return "nz=" + c.nz() + " ngf=" + c.ngf() + " ndf=" + c.ndf() + " nc=" + c.nc() + " image-size=" + c.imageSize()
                + " upsample=" + c.upsampling().id;
    }

}
