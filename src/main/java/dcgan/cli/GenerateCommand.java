package dcgan.cli;

import dcgan.backend.Backend;
import dcgan.figures.ImageGrid;
import dcgan.figures.Png;
import dcgan.io.ModelCheckpoint;
import dcgan.io.PyTorchWeights;
import dcgan.io.SafeTensors;
import dcgan.model.Dcgan;
import dcgan.model.Sampler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** Samples images from a trained generator: a grid, single images, latent interpolations. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Sample images from a trained generator (a dcgan checkpoint or PyTorch weights).", "",
                "Noise is N(0, 1), nz values per sample in sample order from the seed: sample i of --seed S is the "
                        + "same vector whatever --num is, and --interpolate A:B starts at sample 0 of --seed A. "
                        + "G runs in eval mode (running statistics, as after netG.eval()) unless --batch-stats. "
                        + "--nz, --ngf, --nc and --image-size go with --generator.", ""})
public final class GenerateCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin GeneratorOptions source = new GeneratorOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the images (created if missing).")
    Path out;
    @Option(names = "--num", defaultValue = "64", description = "Samples (default: ${DEFAULT-VALUE}).")
    int num;
    @Option(names = "--seed", defaultValue = "0", description = "Noise seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--grid", description = "Write samples.png, a grid as the tutorial draws it (normalized, padding 2). "
            + "The default unless --singles or --interpolate is given.")
    boolean grid;
    @Option(names = "--singles", description = "Write sample_0000.png, ... one per sample, [-1, 1] mapped to [0, 255].")
    boolean singles;
    @Option(names = "--tensors", description = "Also write samples.safetensors: noise [num, nz, 1, 1] and images "
            + "[num, nc, size, size] as F32 (G's raw output in [-1, 1]), e.g. to compare with PyTorch.")
    boolean tensors;
    @Option(names = "--nrow", defaultValue = "8", description = "Images per grid row (default: ${DEFAULT-VALUE}).")
    int nrow;

    @Option(names = "--interpolate", paramLabel = "SEED_A:SEED_B",
            description = "Write interpolation.png: a row of --steps images walking from seed A's noise to seed B's. Repeatable, one row each.")
    List<String> interpolate = new ArrayList<>();
    @Option(names = "--steps", defaultValue = "10", description = "Images per interpolation, both ends included (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--slerp", description = "Spherical instead of linear interpolation.")
    boolean slerp;

    @Mixin BackendOptions compute = new BackendOptions();

    record Walk(long a, long b) {}

    @Override
    public Integer call() throws IOException {
        if (num < 1) throw new IllegalArgumentException("--num must be >= 1, got " + num);
        if (nrow < 1) throw new IllegalArgumentException("--nrow must be >= 1, got " + nrow);
        if (steps < 2) throw new IllegalArgumentException("--steps must be >= 2, got " + steps);
        List<Walk> walks = new ArrayList<>();
        for (String s : interpolate) walks.add(parseWalk(s));
        boolean writeGrid = grid || (!singles && !tensors && walks.isEmpty());
        boolean writeSamples = writeGrid || singles || tensors;
        Dcgan model = source.load();
        Dcgan.Net g = model.generator;
        Dcgan.Config cfg = model.config;
        long gridFloats = (long) num * g.outputSize();
        if ((writeGrid || tensors) && gridFloats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("--num " + num + " is too many samples for one grid or tensor file; use --singles alone");
        }
        OutputFolder.create(out, "--out");

        PrintWriter pw = spec.commandLine().getOut();
        String mode = source.batchStats ? "batch statistics (train mode)" : "running statistics (eval mode)";
        int s = cfg.imageSize();
        try (Backend be = compute.create()) {
            Sampler sampler = new Sampler(be, g, source.batchStats);
            if (writeSamples) {
                float[] all = writeGrid || tensors ? new float[(int) gridFloats] : null;
                float[] noise = tensors ? new float[Math.multiplyExact(num, cfg.nz())] : null;
                dcgan.model.Rng rng = new dcgan.model.Rng(seed);
                int done = 0;
                for (int b : Sampler.batchSizes(num, Sampler.MAX_BATCH)) {
                    float[] z = new float[b * cfg.nz()];
                    rng.fillGaussian(z, 0, 1);   // continues the stream: sample order, as Sampler.noise(seed, num, nz)
                    float[] images = sampler.run(z, 0, b);
                    if (noise != null) System.arraycopy(z, 0, noise, done * cfg.nz(), z.length);
                    if (singles) {
                        for (int i = 0; i < b; i++) {
                            Png.writeImage(out.resolve(String.format("sample_%04d.png", done + i)), images, i * g.outputSize(), cfg.nc(), s, s);
                        }
                    }
                    if (all != null) System.arraycopy(images, 0, all, done * g.outputSize(), images.length);
                    done += b;
                }
                if (singles) pw.printf("wrote %d images sample_%04d.png .. sample_%04d.png to %s%n", num, 0, num - 1, out);
                if (tensors) {
                    Path file = out.resolve("samples.safetensors");
                    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
                    t.put("noise", SafeTensors.Tensor.of(noise, num, cfg.nz(), 1, 1));
                    t.put("images", SafeTensors.Tensor.of(all, num, cfg.nc(), s, s));
                    Map<String, String> meta = new LinkedHashMap<>(PyTorchWeights.metadata(cfg));
                    meta.remove("format");
                    meta.put("seed", Long.toString(seed));
                    meta.put("batchnorm", source.batchStats ? "batch statistics" : "running statistics");
                    SafeTensors.write(file, t, meta);
                    pw.printf("wrote %s: noise [%d, %d, 1, 1] and images [%d, %d, %d, %d]%n", file, num, cfg.nz(), num, cfg.nc(), s, s);
                }
                if (writeGrid) {
                    Path file = out.resolve("samples.png");
                    Png.write(file, ImageGrid.make(all, num, cfg.nc(), s, s, nrow, 2, true));
                    pw.printf("wrote %s: %d samples, %d per row%n", file, num, Math.min(nrow, num));
                }
            }
            if (!walks.isEmpty()) {
                int n = walks.size() * steps;
                float[] z = new float[Math.multiplyExact(n, cfg.nz())];
                for (int r = 0; r < walks.size(); r++) {
                    Walk w = walks.get(r);
                    float[] row = Sampler.interpolate(Sampler.noise(w.a(), 1, cfg.nz()), Sampler.noise(w.b(), 1, cfg.nz()), steps, slerp);
                    System.arraycopy(row, 0, z, r * row.length, row.length);
                }
                float[] images = sampler.runAll(z, n);
                Path file = out.resolve("interpolation.png");
                Png.write(file, ImageGrid.make(images, n, cfg.nc(), s, s, steps, 2, true));
                pw.printf("wrote %s: %d %s interpolation%s of %d steps%n", file, walks.size(), slerp ? "spherical" : "linear",
                        walks.size() == 1 ? "" : "s", steps);
            }
        }
        pw.printf("generator: %s; BatchNorm with %s; seed %d; backend %s%n", ModelCheckpoint.describe(cfg), mode, seed, compute.backend);
        pw.flush();
        return 0;
    }

    static Walk parseWalk(String s) {
        String[] parts = s.split(":", -1);
        if (parts.length == 2) {
            try {
                return new Walk(Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        throw new IllegalArgumentException("--interpolate takes SEED_A:SEED_B, two integers, e.g. 1:2; got '" + s + "'");
    }
}
