package dcgan.eval;

import dcgan.backend.Backend;

import java.io.IOException;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Sample quality of generated images against real ones, through one feature network: FID and KID on the
 * network's features, and the Inception Score of both sets where the network has class outputs.
 */
public final class Evaluation {
    private Evaluation() {}

    /** A set's features (n x d) and, when the network has classes, its class probabilities (n x classes), else null. */
    public record Extracted(Features features, float[] probs) {}

    /** KID subsets and their size (0: min(1000, the smaller set)), IS splits, the seed of KID's subsets. */
    public record Settings(int kidSubsets, int kidSubsetSize, int isSplits, long seed) {
        public static final Settings DEFAULT = new Settings(KernelInceptionDistance.DEFAULT_SUBSETS, 0, InceptionScore.DEFAULT_SPLITS, 0);

        public Settings {
            if (kidSubsets < 1) throw new IllegalArgumentException("KID needs at least 1 subset, got " + kidSubsets);
            if (kidSubsetSize < 0) throw new IllegalArgumentException("the KID subset size must be >= 2 (or 0: the default), got " + kidSubsetSize);
            if (isSplits < 1) throw new IllegalArgumentException("the Inception Score needs at least 1 split, got " + isSplits);
        }
    }

    /**
     * Runs every image of source through the network in batches; progress is told the images done after each batch.
     *
     * @throws IllegalArgumentException when the images' shape is not the network's
     */
    public static Extracted extract(Backend be, FeatureNetwork net, ImageSource source, LongConsumer progress) throws IOException {
        if (source.channels() != net.channels() || source.imageSize() != net.imageSize()) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "wrong image shape: %s are %dx%dx%d, the feature network takes %dx%dx%d (%s)", source.describe(), source.channels(),
                    source.imageSize(), source.imageSize(), net.channels(), net.imageSize(), net.imageSize(),
                    net.imageSize() != source.imageSize() ? "train a classifier at --classifier-image-size " + source.imageSize() : "another dataset"));
        }
        int n = source.count(), d = net.dimension(), k = net.classes(), img = net.imageElements();
        float[] features = new float[Math.multiplyExact(n, d)];
        float[] probs = k > 0 ? new float[Math.multiplyExact(n, k)] : null;
        int max = net.maxBatch();
        float[] x = new float[max * img], f = new float[max * d], p = k > 0 ? new float[max * k] : null;
        for (int from = 0; from < n; from += max) {
            int b = Math.min(max, n - from);
            float[] in = b == max ? x : new float[b * img];
            source.next(b, in);
            net.run(be, in, b, f, p);
            System.arraycopy(f, 0, features, from * d, b * d);
            if (p != null) System.arraycopy(p, 0, probs, from * k, b * k);
            progress.accept(from + b);
        }
        return new Extracted(new Features(features, n, d), probs);
    }

    /** The numbers, for {@link EvaluationReport}. isGenerated and isReal are null without class outputs. */
    public record Metrics(double fid, KernelInceptionDistance.Result kid, InceptionScore.Result isGenerated, InceptionScore.Result isReal) {}

    /**
     * FID, KID and (with class probabilities) IS of generated against real.
     *
     * @throws IllegalArgumentException with one line when a set is too small for a covariance, for KID's subsets or
     *                                  for IS's splits
     */
    public static Metrics compare(Extracted generated, Extracted real, Settings s) {
        int subsetSize = check(generated.features().n(), real.features().n(), generated.probs() != null, s);
        double fid = FrechetDistance.of(generated.features(), real.features());
        KernelInceptionDistance.Result kid = KernelInceptionDistance.of(generated.features(), real.features(), s.kidSubsets(), subsetSize, s.seed());
        InceptionScore.Result isG = null, isR = null;
        if (generated.probs() != null) {
            int k = generated.probs().length / generated.features().n();
            isG = InceptionScore.of(generated.probs(), generated.features().n(), k, s.isSplits());
            isR = InceptionScore.of(real.probs(), real.features().n(), k, s.isSplits());
        }
        return new Metrics(fid, kid, isG, isR);
    }

    /**
     * Checks, before any image is computed, that sets of these sizes are enough for the metrics: at least 2 images
     * each (a covariance), the KID subset size at most the smaller set, and with class outputs at least as many images
     * as IS splits. Returns KID's subset size.
     */
    public static int check(int generated, int real, boolean classes, Settings s) {
        checkEnough(generated, "generated");
        checkEnough(real, "real");
        int smaller = Math.min(generated, real);
        int subsetSize = s.kidSubsetSize() == 0 ? Math.min(KernelInceptionDistance.DEFAULT_MAX_SUBSET_SIZE, smaller) : s.kidSubsetSize();
        if (subsetSize < 2) throw new IllegalArgumentException("KID needs subsets of at least 2 images, got " + subsetSize);
        if (subsetSize > smaller)
            throw new IllegalArgumentException("the KID subset size " + subsetSize + " is larger than the " + smaller + " images of the smaller set");
        if (classes) {
            checkSplits(generated, s.isSplits(), "generated");
            checkSplits(real, s.isSplits(), "real");
        }
        return subsetSize;
    }

    private static void checkEnough(int n, String which) {
        if (n < 2) throw new IllegalArgumentException("too few " + which + " images for a covariance: FID and KID need at least 2, got " + n);
    }

    private static void checkSplits(int n, int splits, String which) {
        if (n < splits)
            throw new IllegalArgumentException("too few " + which + " images for the Inception Score over " + splits + " splits: got " + n + " (lower --is-splits)");
    }
}
