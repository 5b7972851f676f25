package dcgan.train;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import dcgan.data.BatchLoader;
import dcgan.data.Dataset;
import dcgan.data.Datasets;
import dcgan.figures.GifAnimation;
import dcgan.figures.ImageGrid;
import dcgan.figures.LossPlot;
import dcgan.figures.Png;
import dcgan.figures.RealVsFake;
import dcgan.io.Checkpoint;
import dcgan.io.LossCsv;
import dcgan.io.ModelCheckpoint;
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
        Checkpoint resumed = readResumed();
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
            RunState start = restore(resumed, model, fixedNoise, rng);
            try (Backend be = Backends.create(o.backend(), o.threads(), o.device());
                 BatchLoader loader = BatchLoader.builder(data, o.batchSize()).seed(o.seed()).workers(o.workers())
                         .startAt(start.nextEpoch(), start.nextBatch()).epochs(o.epochs()).build();
                 LossCsv csv = start.isFresh() ? LossCsv.create(dir.resolve("losses.csv"))
                         : LossCsv.resume(dir.resolve("losses.csv"), start.iteration())) {
                // Before the run's big buffers exist, so that warm-up garbage is cheap to collect (see JitWarmup).
                JitWarmup.Result warm = JitWarmup.ifWorthIt(be, cfg, o.batchSize());
                if (warm != null && Boolean.getBoolean("dcgan.debug")) err.println(warm);
                Loop loop = new Loop(dir, model, fixedNoise, rng, be, loader, csv, start);
                out.printf(Locale.ROOT, "Training %s on %s (%d batches of %d per epoch) for %d iterations with backend %s%n",
                        ModelCheckpoint.describe(cfg), data.describe(), loader.batchesPerEpoch(), o.batchSize(), loop.total, be.describe() + Backends.choose(o.backend(), o.device()).note());
                if (start.isFresh()) writeRealSamples(dir, loader, cfg);
                Trainer.Stats last = loop.run();
                if (loader.skipped() > 0) err.printf("warning: %d unreadable images were skipped%n", loader.skipped());
                if (last != null) {
                    RealVsFake.write(dir.resolve("real_vs_fake.png"), ImageIO.read(dir.resolve("real_samples.png").toFile()), loop.lastGrid);
                    out.printf(Locale.ROOT, "Done: %d iterations; outputs in %s%n", loop.iteration, dir);
                }
                return new Result(loop.iteration, last, loop.checkpoint);
            }
        }
    }

    /** The checkpoint --resume names (a file, or a folder holding checkpoint.ckpt), or null. */
    private Checkpoint readResumed() throws IOException {
        if (o.resume() == null) return null;
        Path from = Files.isDirectory(o.resume()) ? o.resume().resolve(CHECKPOINT) : o.resume();
        if (!Files.isRegularFile(from)) throw new IOException("--resume: no checkpoint at " + from);
        return Checkpoint.read(from);
    }

    /**
     * Loads what the checkpoint holds into the fresh model, fixed noise and generator: the weights only (from
     * `dcgan import`: fresh Adam, iteration 0), or the whole run. Returns where the run starts.
     */
    private RunState restore(Checkpoint resumed, Dcgan model, float[] fixedNoise, Rng rng) throws IOException {
        if (resumed == null) return RunState.fresh(rng.state());
        if (!RunState.isIn(resumed)) {
            ModelCheckpoint.load(resumed, model, false);
            out.println("Starting from the checkpoint's weights (it holds no training state: fresh Adam, iteration 0)");
            return RunState.fresh(rng.state());
        }
        ModelCheckpoint.load(resumed, model, true);
        resumed.copyTensor("fixed_noise", fixedNoise, GRID_SAMPLES, model.config.nz());
        RunState start = RunState.read(resumed);
        rng.setState(start.rng());
        out.printf("Resuming at iteration %d (epoch %d, batch %d)%n", start.iteration(), start.nextEpoch(), start.nextBatch());
        return start;
    }

    /** The iterations of one run, from start to --epochs or --max-iters: the stats line, grids, figures, checkpoints. */
    private final class Loop {
        final Path dir, checkpoint;
        final Dcgan model;
        final float[] fixedNoise;
        final Rng rng;
        final Backend be;
        final BatchLoader loader;
        final LossCsv csv;
        final Trainer trainer;
        final Sampler sampler;
        final double elapsedBefore;
        final long total;
        long iteration;
        BufferedImage lastGrid;

        Loop(Path dir, Dcgan model, float[] fixedNoise, Rng rng, Backend be, BatchLoader loader, LossCsv csv, RunState start) {
            this.dir = dir;
            this.checkpoint = dir.resolve(CHECKPOINT);
            this.model = model;
            this.fixedNoise = fixedNoise;
            this.rng = rng;
            this.be = be;
            this.loader = loader;
            this.csv = csv;
            this.trainer = new Trainer(model, be, o.batchSize(), o.lr(), o.beta1());
            trainer.setSteps(start.adamStepsD(), start.adamStepsG());
            this.sampler = new Sampler(be, model.generator, true);
            this.elapsedBefore = start.elapsed();
            this.iteration = start.iteration();
            long all = (long) o.epochs() * loader.batchesPerEpoch();
            this.total = o.maxIters() > 0 ? Math.min(all, o.maxIters()) : all;
        }

        /** Trains to the end; returns the last iteration's stats (null if none was left to run). */
        Trainer.Stats run() throws IOException {
            float[] real = new float[o.batchSize() * model.config.imageElements()];
            float[] noise = new float[o.batchSize() * model.config.nz()];
            Trainer.Stats stats = null;
            long t0 = System.nanoTime();
            try (ProgressBar bar = progressBar(total, iteration)) {
                while (iteration < total && loader.hasNext()) {
                    loader.next(real);
                    rng.fillGaussian(noise, 0, 1);
                    stats = trainer.step(real, noise);
                    double elapsed = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                    record(stats, elapsed, bar);
                    if (iteration % o.sampleEvery() == 0 || iteration + 1 == total || !loader.hasNext()) {
                        lastGrid = writeGrid(dir, iteration, model.config, sampler, fixedNoise);
                        writeFigures(dir);
                        saveCheckpoint(elapsed);
                    }
                    iteration++;
                    if (bar != null) bar.stepBy(o.batchSize());
                }
            }
            return stats;
        }

        /** Stops on a NaN or infinite loss; appends the CSV row; prints the stats line every --log-every batches. */
        private void record(Trainer.Stats stats, double elapsed, ProgressBar bar) throws IOException {
            if (!finite(stats)) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "training diverged at iteration %d (Loss_D %s, Loss_G %s); stopped, the last good checkpoint is %s",
                        iteration + 1, stats.lossD(), stats.lossG(), Files.exists(checkpoint) ? checkpoint : "not written yet"));
            }
            int epoch = loader.epoch(), i = loader.batchIndex();
            csv.append(iteration + 1, epoch, stats.lossD(), stats.lossG(), stats.dX(), stats.dGz1(), stats.dGz2(), elapsed);
            if (i % o.logEvery() == 0 || iteration + 1 == total) {
                String line = String.format(Locale.ROOT, "[%d/%d][%d/%d]\tLoss_D: %.4f\tLoss_G: %.4f\tD(x): %.4f\tD(G(z)): %.4f / %.4f",
                        epoch, o.epochs(), i, loader.batchesPerEpoch(), stats.lossD(), stats.lossG(), stats.dX(), stats.dGz1(), stats.dGz2());
                if (bar != null) bar.pause();
                out.println(line);
                if (bar != null) bar.resume();
            }
        }

        /** Model, Adam state, fixed noise and the run's state (brought home first from a device backend). */
        private void saveCheckpoint(double elapsed) throws IOException {
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
            ckpt.putTensor("fixed_noise", fixedNoise, GRID_SAMPLES, model.config.nz());
            new RunState(iteration + 1, loader.nextEpoch(), loader.nextBatchIndex(), rng.state(), trainer.stepsD(), trainer.stepsG(),
                    elapsed).write(ckpt);
            ckpt.write(checkpoint);
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

    /**
     * The fixed-noise grid, made as the tutorial makes it (netG in training mode: batch statistics), on the training
     * backend, but without letting that pass move G's running statistics ({@link Sampler} restores them), so
     * sampling never changes the training state.
     */
    private static BufferedImage writeGrid(Path dir, long iteration, Dcgan.Config c, Sampler sampler, float[] fixedNoise)
            throws IOException {
        float[] fake = sampler.run(fixedNoise, 0, GRID_SAMPLES);
        BufferedImage grid = ImageGrid.make(fake, GRID_SAMPLES, c.nc(), c.imageSize(), c.imageSize());
        Png.write(dir.resolve("samples").resolve(String.format(Locale.ROOT, "iter_%07d.png", iteration)), grid);
        Png.write(dir.resolve("fake_samples.png"), grid);
        return grid;
    }
}
