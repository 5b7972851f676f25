package dcgan.train;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import dcgan.backend.jvm.JvmBackend;
import dcgan.data.BatchLoader;
import dcgan.data.Dataset;
import dcgan.data.Datasets;
import dcgan.io.Checkpoint;
import dcgan.io.GifAnimation;
import dcgan.io.ImageGrid;
import dcgan.io.LossCsv;
import dcgan.io.LossPlot;
import dcgan.io.ModelCheckpoint;
import dcgan.io.Png;
import dcgan.io.RealVsFake;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.model.Sampler;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The tutorial's training run: data, the D-then-G loop, the stats line, fixed-noise sample grids, loss
 * curves and the progress animation, with atomic checkpoints and exact resume.
 */
public final class Training {
    public static final String CHECKPOINT = "checkpoint.ckpt";
    static final int GRID_SAMPLES = 64;

    /** How a run ended. */
    public record Result(long iterations, Trainer.Stats last, Path checkpoint) {}

    private final TrainOptions o;
    private final PrintStream out, err;

    public Training(TrainOptions options, PrintStream out, PrintStream err) {
        this.o = options;
        this.out = out;
        this.err = err;
    }

    public Result run() throws IOException {
        Path dir = prepareOutput(o.out());
        Path ckptPath = dir.resolve(CHECKPOINT);
        Checkpoint resumed = null;
        if (o.resume() != null) {
            Path from = Files.isDirectory(o.resume()) ? o.resume().resolve(CHECKPOINT) : o.resume();
            if (!Files.isRegularFile(from)) throw new IOException("--resume: no checkpoint at " + from);
            resumed = Checkpoint.read(from);
        }
        int nc = o.nc() > 0 ? o.nc() : ("mnist".equals(o.dataset()) ? 1 : 3);
        Dcgan.Config cfg = new Dcgan.Config(o.nz(), o.ngf(), o.ndf(), nc, o.imageSize(), o.upsampling());

        try (Dataset data = Datasets.open(o.dataset(), o.dataroot(), o.imageSize(), nc, o.seed(), 0, err::println)) {
            if (data.size() < o.batchSize()) {
                throw new IllegalArgumentException("dataset has " + data.size() + " images, fewer than --batch-size " + o.batchSize());
            }
            // The tutorial's weights_init, then its fixed noise, all from the seed; noise per iteration after that.
            Dcgan model = new Dcgan(cfg);
            Rng rng = new Rng(o.seed());
            Dcgan.weightsInit(model.generator, rng);
            Dcgan.weightsInit(model.discriminator, rng);
            float[] fixedNoise = new float[GRID_SAMPLES * cfg.nz()];
            rng.fillGaussian(fixedNoise, 0, 1);
            long iteration = 0;
            int startEpoch = 0, startBatch = 0;
            double elapsedBefore = 0;
            long stepsD = 0, stepsG = 0;
            if (resumed != null && !resumed.has("train.iteration")) {
                // Weights only (e.g. from `dcgan import`): start from them with a fresh optimiser at iteration 0.
                ModelCheckpoint.load(resumed, model, false);
                out.println("Starting from the checkpoint's weights (it holds no training state: fresh Adam, iteration 0)");
                resumed = null;
            }
            if (resumed != null) {
                ModelCheckpoint.load(resumed, model, true);
                resumed.copyTensor("fixed_noise", fixedNoise, GRID_SAMPLES, cfg.nz());
                iteration = resumed.getLong("train.iteration");
                startEpoch = (int) resumed.getLong("train.next_epoch");
                startBatch = (int) resumed.getLong("train.next_batch");
                rng.setState(resumed.getLong("train.rng"));
                stepsD = resumed.getLong("train.adam_steps_d");
                stepsG = resumed.getLong("train.adam_steps_g");
                elapsedBefore = Double.longBitsToDouble(resumed.getLong("train.elapsed_bits"));
                out.printf("Resuming at iteration %d (epoch %d, batch %d)%n", iteration, startEpoch, startBatch);
            }

            try (Backend be = Backends.create(o.backend(), o.threads(), o.device());
                 JvmBackend host = be.onHost() ? null : new JvmBackend(o.threads());
                 BatchLoader loader = BatchLoader.builder(data, o.batchSize()).seed(o.seed()).workers(o.workers())
                         .startAt(startEpoch, startBatch).epochs(o.epochs()).build();
                 LossCsv csv = resumed == null ? LossCsv.create(dir.resolve("losses.csv")) : LossCsv.resume(dir.resolve("losses.csv"), iteration)) {
                // Before the run's big buffers exist, so that warm-up garbage is cheap to collect (see JitWarmup).
                JitWarmup.Result warm = JitWarmup.ifWorthIt(be, cfg, o.batchSize());
                if (warm != null && Boolean.getBoolean("dcgan.debug")) err.println(warm);
                Trainer trainer = new Trainer(model, be, o.batchSize(), o.lr(), o.beta1());
                trainer.setSteps(stepsD, stepsG);
                Sampler sampler = new Sampler(host != null ? host : be, model.generator, true);
                BufferedImage lastGrid = null;
                int perEpoch = loader.batchesPerEpoch();
                long total = (long) o.epochs() * perEpoch;
                if (o.maxIters() > 0) total = Math.min(total, o.maxIters());
                out.printf(Locale.ROOT, "Training %s on %s (%d batches of %d per epoch) for %d iterations with backend %s%n",
                        ModelCheckpoint.describe(cfg), data.describe(), perEpoch, o.batchSize(), total, be.name());

                float[] real = new float[o.batchSize() * cfg.imageElements()];
                float[] noise = new float[o.batchSize() * cfg.nz()];
                if (resumed == null) writeRealSamples(dir, loader, cfg);
                Trainer.Stats stats = null;
                long t0 = System.nanoTime();
                try (ProgressBar bar = progressBar(total, iteration)) {
                    while (iteration < total && loader.hasNext()) {
                        loader.next(real);
                        int epoch = loader.epoch(), i = loader.batchIndex();
                        rng.fillGaussian(noise, 0, 1);
                        stats = trainer.step(real, noise);
                        double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                        if (!finite(stats)) {
                            throw new IllegalStateException(String.format(Locale.ROOT,
                                    "training diverged at iteration %d (Loss_D %s, Loss_G %s); stopped, the last good checkpoint is %s",
                                    iteration + 1, stats.lossD(), stats.lossG(), Files.exists(ckptPath) ? ckptPath : "not written yet"));
                        }
                        csv.append(iteration + 1, epoch, stats.lossD(), stats.lossG(), stats.dX(), stats.dGz1(), stats.dGz2(), elapsed);
                        if (i % o.logEvery() == 0 || iteration + 1 == total) {
                            String line = String.format(Locale.ROOT, "[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f",
                                    epoch, o.epochs(), i, perEpoch, stats.lossD(), stats.lossG(), stats.dX(), stats.dGz1(), stats.dGz2());
                            if (bar != null) bar.pause();
                            out.println(line);
                            if (bar != null) bar.resume();
                        }
                        boolean last = iteration + 1 == total || !loader.hasNext();
                        if (iteration % o.sampleEvery() == 0 || last) {
                            lastGrid = writeGrid(dir, iteration, model, sampler, be, fixedNoise);
                            writeFigures(dir);
                            saveCheckpoint(ckptPath, model, fixedNoise, iteration + 1, loader, rng, trainer, elapsed, be);
                        }
                        iteration++;
                        if (bar != null) bar.stepBy(o.batchSize());
                    }
                }
                if (loader.skipped() > 0) err.printf("warning: %d unreadable images were skipped%n", loader.skipped());
                if (stats != null) {
                    BufferedImage realGrid = ImageIO.read(dir.resolve("real_samples.png").toFile());
                    RealVsFake.write(dir.resolve("real_vs_fake.png"), realGrid, lastGrid);
                    out.printf(Locale.ROOT, "Done: %d iterations; outputs in %s%n", iteration, dir);
                }
                return new Result(iteration, stats, ckptPath);
            }
        }
    }

    private static boolean finite(Trainer.Stats s) {
        return Float.isFinite(s.lossD()) && Float.isFinite(s.lossG());
    }

    static Path prepareOutput(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.resolve("samples"));
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (java.nio.file.AccessDeniedException | SecurityException e) {
            throw new IOException("cannot write to output folder " + dir + ": permission denied");
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IOException("cannot write to output folder " + dir + ": " + e.getFile() + " exists and is not a folder");
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException("cannot write to output folder " + dir + ": " + (e.getReason() != null ? e.getReason() : e.getFile()));
        }
        return dir;
    }

    private ProgressBar progressBar(long total, long start) {
        if (!o.progress()) return null;
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(total * o.batchSize())
                .setStyle(ProgressBarStyle.ASCII).setUnit(" img", 1).showSpeed().startsFrom(start * o.batchSize(), java.time.Duration.ZERO)
                .setUpdateIntervalMillis(500).build();
    }

    /** The tutorial's "Training Images" figure: 64 images of the first batch (padding 2, normalised). */
    private void writeRealSamples(Path dir, BatchLoader loader, Dcgan.Config cfg) throws IOException {
        Dataset ds = loader.dataset();
        int n = Math.min(GRID_SAMPLES, ds.size());
        float[] imgs = new float[n * cfg.imageElements()];
        int[] order = BatchLoader.permutation(o.seed(), 0, ds.size());
        for (int j = 0; j < n; j++) ds.load(order[j], imgs, j * cfg.imageElements());
        Png.write(dir.resolve("real_samples.png"), ImageGrid.make(imgs, n, cfg.nc(), cfg.imageSize(), cfg.imageSize()));
    }

    /** loss_plot.png and progress.gif from what is on disk, so they are complete after a resume too. */
    private static void writeFigures(Path dir) throws IOException {
        List<LossCsv.Row> rows = LossCsv.read(dir.resolve("losses.csv"));
        if (!rows.isEmpty()) LossPlot.write(dir.resolve("loss_plot.png"), rows);
        List<BufferedImage> frames = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("samples"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches("iter_\\d+\\.png")).sorted().toList()) {
                frames.add(ImageIO.read(f.toFile()));
            }
        }
        if (!frames.isEmpty()) GifAnimation.write(dir.resolve("progress.gif"), frames, 500, true);
    }

    private static void saveCheckpoint(Path path, Dcgan model, float[] fixedNoise, long iteration, BatchLoader loader,
                                       Rng rng, Trainer trainer, double elapsed, Backend be) throws IOException {
        if (!be.onHost()) {
            List<float[]> state = new ArrayList<>();
            for (Dcgan.Net net : List.of(model.generator, model.discriminator)) {
                for (Dcgan.Param p : net.params()) {
                    state.add(p.data);
                    state.add(p.m);
                    state.add(p.v);
                }
                for (Dcgan.Buffer b : net.state()) state.add(b.data());
            }
            be.toHost(state.toArray(float[][]::new));
        }
        Checkpoint ckpt = new Checkpoint();
        ModelCheckpoint.put(ckpt, model, true);
        ckpt.putTensor("fixed_noise", fixedNoise, GRID_SAMPLES, model.config.nz())
                .putLong("train.iteration", iteration)
                .putLong("train.next_epoch", loader.nextEpoch())
                .putLong("train.next_batch", loader.nextBatchIndex())
                .putLong("train.rng", rng.state())
                .putLong("train.adam_steps_d", trainer.stepsD())
                .putLong("train.adam_steps_g", trainer.stepsG())
                .putLong("train.elapsed_bits", Double.doubleToLongBits(elapsed));
        ckpt.write(path);
    }

    /**
     * The fixed-noise grid, made as the tutorial makes it (netG in training mode: batch statistics), but without
     * letting that pass move G's running statistics, so sampling never changes the training state. A device
     * backend's weights are brought home and G runs on the host.
     */
    private static BufferedImage writeGrid(Path dir, long iteration, Dcgan model, Sampler sampler, Backend trainOn,
                                           float[] fixedNoise) throws IOException {
        if (!trainOn.onHost()) trainOn.toHost(model.generator.params().stream().map(p -> p.data).toArray(float[][]::new));
        float[] fake = sampler.run(fixedNoise, 0, GRID_SAMPLES);
        Dcgan.Config c = model.config;
        BufferedImage grid = ImageGrid.make(fake, GRID_SAMPLES, c.nc(), c.imageSize(), c.imageSize());
        Png.write(dir.resolve("samples").resolve(String.format(Locale.ROOT, "iter_%07d.png", iteration)), grid);
        Png.write(dir.resolve("fake_samples.png"), grid);
        return grid;
    }
}
