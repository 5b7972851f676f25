package dcgan.checkerboard;

import dcgan.backend.Backend;
import dcgan.data.Dataset;
import dcgan.data.Datasets;
import dcgan.eval.Evaluation;
import dcgan.eval.FeatureNetwork;
import dcgan.eval.ImageSource;
import dcgan.model.Dcgan;
import dcgan.model.Upsampling;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Sample quality in the checkerboard study: FID and KID of {@code num} samples of a trained generator against
 * one fixed set of real images, through a feature network (the {@code evaluate} classifier). The real images'
 * features are computed once, in the constructor, and shared by every run, so runs differ only in their generator.
 *
 * <p>Generated images: noise N(0, 1) from {@code Rng(runSeed + 4)} (a stream the training does not use), G with
 * batch statistics (train-mode BatchNorm, batches of at most 64 split evenly), as the tutorial samples and as the
 * spectral score's samples are made. Real images: {@code realNum} images of the dataset's training split, drawn
 * with {@code seed}.
 */
public final class QualityScorer implements UpsamplingComparison.Scorer {
    /** Offset of the generated samples' noise stream from the run's seed (the training uses seed .. seed + 3). */
    public static final long NOISE_STREAM = 4;

    private final Backend be;
    private final FeatureNetwork net;
    private final Evaluation.Extracted real;
    private final Evaluation.Settings settings;
    private final int num;
    private final String realDescription;

    /**
     * Extracts the real images' features.
     *
     * @throws IllegalArgumentException when the dataset's images are not the network's shape, or the counts are too small
     */
    public QualityScorer(Backend be, FeatureNetwork net, String dataset, Path dataroot, int num, int realNum, long seed) throws IOException {
        if (num < 1) throw new IllegalArgumentException("--num must be >= 1, got " + num);
        if (realNum < 1) throw new IllegalArgumentException("--real-num must be >= 1, got " + realNum);
        this.be = be;
        this.net = net;
        this.num = num;
        this.settings = new Evaluation.Settings(Evaluation.Settings.DEFAULT.kidSubsets(), 0, 1, seed);
        Evaluation.check(num, realNum, false, settings);
        try (Dataset ds = Datasets.open(dataset, dataroot, net.imageSize(), net.channels(), seed)) {
            if (realNum > ds.size())
                throw new IllegalArgumentException("--real-num " + realNum + " is more than the " + ds.size() + " images of " + dataset);
            ImageSource src = ImageSource.dataset(ds, realNum, seed, dataset + (dataroot != null ? " " + dataroot : ""));
            this.realDescription = src.describe();
            this.real = Evaluation.extract(be, net, src, done -> { });
        }
    }

    /** One line: what is compared, through which network. */
    public String describe() {
        return String.format(Locale.ROOT, "%d samples per run (G with batch statistics, noise seed = run seed + %d) against %s, "
                + "through %s", num, NOISE_STREAM, realDescription, net.describe());
    }

    public FeatureNetwork network() {
        return net;
    }

    public int num() {
        return num;
    }

    public int realNum() {
        return real.features().n();
    }

    @Override
    public UpsamplingComparison.Quality score(Upsampling variant, long seed, Dcgan.Net generator) throws IOException {
        ImageSource gen = ImageSource.generator(be, generator, true, seed + NOISE_STREAM, num, variant.id);
        Evaluation.Extracted g = Evaluation.extract(be, net, gen, done -> { });
        Evaluation.Metrics m = Evaluation.compare(new Evaluation.Extracted(g.features(), null),
                new Evaluation.Extracted(real.features(), null), settings);
        return new UpsamplingComparison.Quality(m.fid(), m.kid().mean(), m.kid().std());
    }
}
