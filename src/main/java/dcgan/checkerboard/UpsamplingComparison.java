package dcgan.checkerboard;

import dcgan.backend.Backend;
import dcgan.data.BatchLoader;
import dcgan.data.Dataset;
import dcgan.data.Datasets;
import dcgan.figures.Heatmap;
import dcgan.figures.ImageGrid;
import dcgan.figures.Png;
import dcgan.figures.RowFigure;
import dcgan.io.AtomicFiles;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.model.Upsampling;
import dcgan.train.Trainer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The checkerboard experiment: the same DCGAN trained with each generator {@link Upsampling}, from the same
 * seed and on the same batches, then the spectral artifact score ({@link ArtifactMetric}) of its samples.
 *
 * <p>Per variant: G is initialised from {@code new Rng(seed)} and D from {@code new Rng(seed + 1)} (so D starts
 * identical for every variant); the fixed noise (64 samples) comes from {@code Rng(seed + 2)}, the training
 * noise from {@code Rng(seed + 3)}, and the batches from a {@link BatchLoader} shuffled with {@code seed} — the
 * same data order for every variant. Before training, the samples of the freshly initialised G give the
 * "init" score: the pattern built into the architecture. Then {@code iters} tutorial iterations
 * ({@link Trainer}, Adam 2e-4, β1 0.5), timed per step; the final losses are the means over the last 10% of
 * iterations; the samples of the trained G on the fixed noise give the final score. Samples are made as the
 * tutorial makes them: G in training mode (BatchNorm on the statistics of the 64 samples).
 *
 * <p>Scores are ratios to a batch of real images (the first 64 of the dataset): the share of non-DC spectral
 * power at period 2 (and, separately, 4) in the generated samples over that share in the real images.
 */
public final class UpsamplingComparison {
    private UpsamplingComparison() {}

    /** Number of samples from the fixed noise, and of real images for the reference shares. */
    public static final int SAMPLES = 64;

    public record Settings(List<Upsampling> variants, int iters, String dataset, Path dataroot, int imageSize, int nc,
                           int batchSize, int nz, int ngf, int ndf, long seed) {
        public Settings {
            variants = List.copyOf(variants);
            if (variants.isEmpty()) throw new IllegalArgumentException("no variants to compare");
            if (variants.stream().distinct().count() != variants.size()) {
                throw new IllegalArgumentException("a variant is listed twice: " + variants);
            }
            if (iters < 1) throw new IllegalArgumentException("--iters must be >= 1, got " + iters);
            if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
            // Validates nz, ngf, ndf, nc and the image size with the model's own messages.
            new Dcgan.Config(nz, ngf, ndf, nc, imageSize, Upsampling.CONVT_K4S2);
        }

        Dcgan.Config config(Upsampling u) {
            return new Dcgan.Config(nz, ngf, ndf, nc, imageSize, u);
        }
    }

    /** One variant's outcome. Scores: generated share / real share (see {@link ArtifactMetric#score}). */
    public record VariantResult(Upsampling variant, long generatorParams, ArtifactMetric.Score init,
                                ArtifactMetric.Score trained, double lossD, double lossG, double secondsPerIter,
                                double secondsTotal, float[] initSamples, float[] samples, Quality quality) {}

    /** Sample quality of one trained generator (see {@link QualityScorer}): FID and KID (mean, std over subsets). */
    public record Quality(double fid, double kid, double kidStd) {}

    /** Scores a trained generator's sample quality; called once per variant, after training. */
    @FunctionalInterface
    public interface Scorer {
        Quality score(Upsampling variant, long seed, Dcgan.Net generator) throws IOException;
    }

    /** All outcomes, in the order of {@link Settings#variants}. */
    public record Result(Settings settings, String backend, ArtifactMetric.Shares real, float[] realImages,
                         List<VariantResult> variants) {
        /** Variants by period-2 score after training, lowest (fewest stride-2 artifacts) first. */
        public List<VariantResult> ranked() {
            List<VariantResult> r = new ArrayList<>(variants);
            r.sort(Comparator.comparingDouble((VariantResult v) -> v.trained().period2Ratio()));
            return r;
        }
    }

    /**
     * Runs the experiment on {@code be}. {@code backendName} goes into the report (e.g. "jvm, 2 threads").
     *
     * @throws IOException              when the dataset cannot be read
     * @throws IllegalArgumentException for bad settings (one-line message)
     */
    public static Result run(Settings s, Backend be, String backendName, Consumer<String> log) throws IOException {
        return run(s, be, backendName, log, null);
    }

    /** As {@link #run(Settings, Backend, String, Consumer)}, and each trained generator scored by scorer (if not null). */
    public static Result run(Settings s, Backend be, String backendName, Consumer<String> log, Scorer scorer) throws IOException {
        int img = s.nc() * s.imageSize() * s.imageSize();
        try (Dataset data = Datasets.open(s.dataset(), s.dataroot(), s.imageSize(), s.nc(), s.seed())) {
            if (data.size() < s.batchSize()) {
                throw new IllegalArgumentException("dataset has " + data.size() + " images, fewer than one batch of " + s.batchSize());
            }
            int nReal = Math.min(SAMPLES, data.size());
            float[] real = new float[nReal * img];
            for (int i = 0; i < nReal; i++) data.load(i, real, i * img);
            ArtifactMetric.Shares realShares = ArtifactMetric.shares(real, nReal, s.nc(), s.imageSize(), s.imageSize());
            log.accept(String.format(Locale.ROOT, "%s: %d images %dx%d, real period-2 share %.5f, period-4 share %.5f",
                    data.name(), data.size(), s.imageSize(), s.imageSize(), realShares.period2(), realShares.period4()));

            float[] fixedNoise = new float[SAMPLES * s.nz()];
            new Rng(s.seed() + 2).fillGaussian(fixedNoise, 0, 1);
            List<VariantResult> out = new ArrayList<>();
            for (Upsampling u : s.variants()) {
                out.add(runVariant(s, u, be, data, real, nReal, fixedNoise, log, scorer));
            }
            return new Result(s, backendName, realShares, real, out);
        }
    }

    private static VariantResult runVariant(Settings s, Upsampling u, Backend be, Dataset data, float[] real, int nReal,
                                            float[] fixedNoise, Consumer<String> log, Scorer scorer) throws IOException {
        Dcgan.Config cfg = s.config(u);
        int h = s.imageSize();

        // The freshly initialised G (a separate instance, so that sampling leaves the trained one untouched).
        Dcgan fresh = new Dcgan(cfg);
        Dcgan.weightsInit(fresh.generator, new Rng(s.seed()));
        float[] initSamples = sample(be, fresh.generator, fixedNoise);
        ArtifactMetric.Score init = ArtifactMetric.score(initSamples, SAMPLES, real, nReal, s.nc(), h, h);

        Dcgan model = new Dcgan(cfg);
        Dcgan.weightsInit(model.generator, new Rng(s.seed()));
        Dcgan.weightsInit(model.discriminator, new Rng(s.seed() + 1));
        long params = 0;
        for (Dcgan.Param p : model.generator.params()) params += p.data.length;
        log.accept(String.format(Locale.ROOT, "%s (%s): %d G parameters; at init period-2 x%.3f, period-4 x%.3f",
                u.id, u.description, params, init.period2Ratio(), init.period4Ratio()));

        Trainer trainer = new Trainer(model, be, s.batchSize(), 2e-4, 0.5);
        float[] batch = new float[s.batchSize() * cfg.imageElements()];
        float[] noise = new float[s.batchSize() * s.nz()];
        Rng noiseRng = new Rng(s.seed() + 3);
        double[] lossD = new double[s.iters()], lossG = new double[s.iters()], secs = new double[s.iters()];
        int every = Math.max(1, s.iters() / 10);
        long start = System.nanoTime();
        try (BatchLoader loader = BatchLoader.builder(data, s.batchSize()).seed(s.seed()).workers(1).build()) {
            for (int i = 0; i < s.iters(); i++) {
                loader.next(batch);
                noiseRng.fillGaussian(noise, 0, 1);
                long t0 = System.nanoTime();
                Trainer.Stats st = trainer.step(batch, noise);
                secs[i] = (System.nanoTime() - t0) / 1e9;
                lossD[i] = st.lossD();
                lossG[i] = st.lossG();
                if ((i + 1) % every == 0 || i + 1 == s.iters()) {
                    log.accept(String.format(Locale.ROOT, "  [%d/%d] Loss_D %.4f Loss_G %.4f (%.3f s/iter)",
                            i + 1, s.iters(), lossD[i], lossG[i], secs[i]));
                }
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        float[] samples = sample(be, model.generator, fixedNoise);
        ArtifactMetric.Score trained = ArtifactMetric.score(samples, SAMPLES, real, nReal, s.nc(), h, h);
        int tail = Math.max(1, (int) Math.round(s.iters() * 0.1));
        log.accept(String.format(Locale.ROOT, "  trained: period-2 x%.3f, period-4 x%.3f; Loss_D %.4f Loss_G %.4f; %.3f s/iter",
                trained.period2Ratio(), trained.period4Ratio(), mean(lossD, tail), mean(lossG, tail), median(secs)));
        Quality q = null;
        if (scorer != null) {
            long t0 = System.nanoTime();
            q = scorer.score(u, s.seed(), model.generator);
            log.accept(String.format(Locale.ROOT, "  quality: FID %.4f, KID %.5f ± %.5f (%.1f s)", q.fid(), q.kid(), q.kidStd(),
                    (System.nanoTime() - t0) / 1e9));
        }
        VariantResult r = new VariantResult(u, params, init, trained, mean(lossD, tail), mean(lossG, tail), median(secs),
                total, initSamples, samples, q);
        return r;
    }

    /** G(noise) for the 64 fixed-noise vectors, in training mode, as a host array. */
    static float[] sample(Backend be, Dcgan.Net generator, float[] noise) {
        Dcgan.Pass pass = generator.pass(SAMPLES);
        be.toDevice(noise);
        float[] y = pass.forward(be, noise, true);
        be.toHost(y);
        return y.clone();
    }

    private static double mean(double[] a, int lastN) {
        double s = 0;
        for (int i = a.length - lastN; i < a.length; i++) s += a[i];
        return s / lastN;
    }

    private static double median(double[] a) {
        double[] b = a.clone();
        Arrays.sort(b);
        int n = b.length;
        return n % 2 == 1 ? b[n / 2] : (b[n / 2 - 1] + b[n / 2]) / 2;
    }

    // ------------------------------------------------------------------ output

    /**
     * Writes report.md, report.csv, compare.png, and per variant samples-ID.png (after training) and
     * init-ID.png (at initialisation), plus real.png, into {@code dir} (atomically, file by file).
     */
    public static void write(Result r, Path dir) throws IOException {
        Settings s = r.settings();
        int h = s.imageSize();
        for (VariantResult v : r.variants()) {
            Png.write(dir.resolve("samples-" + v.variant().id + ".png"), ImageGrid.make(v.samples(), SAMPLES, s.nc(), h, h));
            Png.write(dir.resolve("init-" + v.variant().id + ".png"), ImageGrid.make(v.initSamples(), SAMPLES, s.nc(), h, h));
        }
        int nReal = r.realImages().length / (s.nc() * h * h);
        Png.write(dir.resolve("real.png"), ImageGrid.make(r.realImages(), nReal, s.nc(), h, h));
        AtomicFiles.write(dir.resolve("report.csv"), csv(r).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.md"), markdown(r).getBytes(StandardCharsets.UTF_8));
        RowFigure.write(dir.resolve("compare.png"), "Generator upsampling: samples and mean log power spectra ("
                        + s.iters() + " iterations, " + s.dataset() + " " + h + "x" + h + ")",
                List.of("samples after training", "their mean log power spectrum", "mean log power spectrum at init"), figureRows(r));
    }

    /** Rows of compare.png: real images, then each variant; spectra share one colour range (DC excluded). */
    static List<RowFigure.Row> figureRows(Result r) {
        Settings s = r.settings();
        int h = s.imageSize(), nReal = r.realImages().length / (s.nc() * h * h);
        float[] realSpec = ArtifactMetric.meanLogSpectrum(r.realImages(), nReal, s.nc(), h, h);
        List<float[]> trained = new ArrayList<>(), init = new ArrayList<>();
        for (VariantResult v : r.variants()) {
            trained.add(ArtifactMetric.meanLogSpectrum(v.samples(), SAMPLES, s.nc(), h, h));
            init.add(ArtifactMetric.meanLogSpectrum(v.initSamples(), SAMPLES, s.nc(), h, h));
        }
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        List<float[]> all = new ArrayList<>(trained);
        all.addAll(init);
        all.add(realSpec);
        int dc = (h / 2) * h + h / 2;
        for (float[] sp : all) {
            for (int j = 0; j < sp.length; j++) {
                if (j == dc || !Float.isFinite(sp[j])) continue;
                lo = Math.min(lo, sp[j]);
                hi = Math.max(hi, sp[j]);
            }
        }
        BufferedImage realGrid = ImageGrid.make(r.realImages(), nReal, s.nc(), h, h);
        int scale = Math.max(1, realGrid.getHeight() / h);
        List<RowFigure.Row> rows = new ArrayList<>();
        rows.add(new RowFigure.Row(List.of("real images", String.format(Locale.ROOT, "p2 share %.4f", r.real().period2()),
                String.format(Locale.ROOT, "p4 share %.4f", r.real().period4())),
                Arrays.asList(realGrid, spectrum(realSpec, h, lo, hi, scale), null)));
        for (int i = 0; i < r.variants().size(); i++) {
            VariantResult v = r.variants().get(i);
            rows.add(new RowFigure.Row(List.of(v.variant().id,
                    String.format(Locale.ROOT, "p2 x%.2f (init x%.2f)", v.trained().period2Ratio(), v.init().period2Ratio()),
                    String.format(Locale.ROOT, "p4 x%.2f (init x%.2f)", v.trained().period4Ratio(), v.init().period4Ratio())),
                    List.of(ImageGrid.make(v.samples(), SAMPLES, s.nc(), h, h), spectrum(trained.get(i), h, lo, hi, scale),
                            spectrum(init.get(i), h, lo, hi, scale))));
        }
        return rows;
    }

    private static BufferedImage spectrum(float[] spec, int h, double lo, double hi, int scale) {
        return Heatmap.render(spec, h, h, lo, hi, Heatmap.Colormap.MAGMA, scale, true);
    }

    /** report.csv: a header and one row per variant, in the order run. */
    public static String csv(Result r) {
        StringBuilder sb = new StringBuilder("variant,description,g_params,init_period2_ratio,init_period4_ratio,"
                + "period2_ratio,period4_ratio,period2_share,period4_share,real_period2_share,real_period4_share,"
                + "loss_d,loss_g,s_per_iter,seconds_total,iters\n");
        for (VariantResult v : r.variants()) {
            sb.append(String.join(",", v.variant().id, '"' + v.variant().description.replace("\"", "\"\"") + '"',
                    Long.toString(v.generatorParams()), num(v.init().period2Ratio()), num(v.init().period4Ratio()),
                    num(v.trained().period2Ratio()), num(v.trained().period4Ratio()),
                    num(v.trained().generated().period2()), num(v.trained().generated().period4()),
                    num(r.real().period2()), num(r.real().period4()), num(v.lossD()), num(v.lossG()),
                    num(v.secondsPerIter()), num(v.secondsTotal()), Integer.toString(r.settings().iters()))).append('\n');
        }
        return sb.toString();
    }

    /** A CSV number: %.6g, empty for NaN. */
    static String num(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A table number with the given decimals, "-" for NaN. */
    static String fmt(double v, int decimals) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return "inf";
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** report.md: settings, the ranking table, what the metric means, and the pictures. */
    public static String markdown(Result r) {
        Settings s = r.settings();
        StringBuilder sb = new StringBuilder();
        sb.append("# Checkerboard artifacts: generator upsampling compared\n\n");
        sb.append(String.format(Locale.ROOT, "DCGAN (image %dx%d, nc %d, nz %d, ngf %d, ndf %d), %d iterations of batch %d on %s, "
                        + "seed %d, backend %s. Same initial D, data order and noise for every variant.%n%n",
                s.imageSize(), s.imageSize(), s.nc(), s.nz(), s.ngf(), s.ndf(), s.iters(), s.batchSize(), s.dataset(),
                s.seed(), r.backend()));
        sb.append("Ranked by the period-2 artifact score after training (lowest first).\n\n");
        sb.append("| rank | variant | upsampling | G params | period-2 score | period-4 score | period-2 at init | period-4 at init "
                + "| Loss_D | Loss_G | s/iter |\n");
        sb.append("|---:|:---|:---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int rank = 1;
        for (VariantResult v : r.ranked()) {
            sb.append("| ").append(rank++).append(" | ").append(v.variant().id).append(" | ").append(v.variant().description)
              .append(" | ").append(v.generatorParams())
              .append(" | ").append(fmt(v.trained().period2Ratio(), 3)).append(" | ").append(fmt(v.trained().period4Ratio(), 3))
              .append(" | ").append(fmt(v.init().period2Ratio(), 3)).append(" | ").append(fmt(v.init().period4Ratio(), 3))
              .append(" | ").append(fmt(v.lossD(), 4)).append(" | ").append(fmt(v.lossG(), 4))
              .append(" | ").append(fmt(v.secondsPerIter(), 3)).append(" |\n");
        }
        int tail = Math.max(1, (int) Math.round(s.iters() * 0.1));
        sb.append(String.format(Locale.ROOT, "%nLoss_D and Loss_G: means over the last %d iteration%s. s/iter: median time of "
                + "one training step (D and G updates), data loading excluded.%n%n", tail, tail == 1 ? "" : "s"));
        sb.append("## The metric\n\n");
        sb.append("For each sample and channel, the 2-D power spectrum |DFT|²; the **period-2 share** is the fraction of its "
                + "non-DC power in the Nyquist row or column (fx = w/2 or fy = h/2), where the checkerboard of a stride-2 "
                + "layer with uneven overlap puts its energy; the **period-4 share** is the fraction in the rows and columns at "
                + "w/4 and 3w/4 (h/4, 3h/4), not counting period-2 bins: the pattern of two stacked stride-2 layers. Shares are "
                + "averaged over the 64 samples from fixed noise (G in training mode, as the tutorial samples). The **score** "
                + "divides that share by the same share of 64 real images, so 1 means \"as much energy at that period as real "
                + "images\" and values above 1 mean excess periodic structure: checkerboard. Below 1 means less than real "
                + "images (smoother output). The columns \"at init\" score the freshly initialised generator: the pattern the "
                + "architecture imposes before any training.\n\n");
        sb.append(String.format(Locale.ROOT, "Real images: period-2 share %.5f, period-4 share %.5f.%n%n",
                r.real().period2(), r.real().period4()));
        sb.append("## Files\n\n");
        sb.append("- `compare.png`: per variant, its samples after training, their mean log power spectrum (DC at the centre, "
                + "period 2 on the outer border, period 4 halfway to the centre) and the spectrum at init; one colour range "
                + "for all spectra; real images first.\n");
        sb.append("- `samples-<variant>.png`, `init-<variant>.png`: sample grids after training and at init; `real.png`.\n");
        sb.append("- `report.csv`: these numbers, one row per variant.\n");
        return sb.toString();
    }
}
