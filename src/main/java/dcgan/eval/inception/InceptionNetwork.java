package dcgan.eval.inception;

import dcgan.backend.Backend;
import dcgan.eval.FeatureNetwork;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The {@code inception} feature network: pytorch-fid's pool3 features (2048-d) of its FID Inception-v3
 * ({@link InceptionV3}), with the weights the user converted (scripts/convert_inception_weights.py). It takes
 * images at their own size and channels (a grey image counts as RGB, as PIL's convert('RGB') in pytorch-fid)
 * in [-1, 1], and resizes them to 299×299 bilinearly (align_corners=False). pytorch-fid resizes [0, 1] images
 * and then maps them to 2x − 1; resizing is affine, so resizing the [-1, 1] images gives the same input up to
 * float rounding.
 *
 * <p>Class probabilities (for the Inception Score): softmax of pool3 · fc.weightᵀ over the 1008 classes,
 * without fc.bias, as the original Inception Score code (Salimans et al. 2016, on the same 2015-12-05 graph)
 * and torch-fidelity ("logits_unbiased"). None when the weights file lacks fc.
 */
public final class InceptionNetwork implements FeatureNetwork {
    public static final String ID = "inception";
    static final int MAX_BATCH = 8;

    private final InceptionWeights weights;
    private final int channels, size;
    private final boolean gemm;
    private Backend opsFor;
    private InceptionOps ops;

    /** channels (1 or 3) and size: the images {@link #run} gets. */
    public InceptionNetwork(InceptionWeights weights, int channels, int size) {
        this(weights, channels, size, true);
    }

    /** gemm false: the plain kernels even on the fast backend (tests). */
    InceptionNetwork(InceptionWeights weights, int channels, int size, boolean gemm) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("the inception network takes 1 or 3 channels, not " + channels);
        if (size < 1) throw new IllegalArgumentException("image size must be >= 1, got " + size);
        this.weights = weights;
        this.channels = channels;
        this.size = size;
        this.gemm = gemm;
    }

    /** Loads the converted weights (IOException of one line when missing or wrong). */
    public static InceptionNetwork load(Path file, int channels, int size) throws IOException {
        return new InceptionNetwork(InceptionWeights.load(file), channels, size);
    }

    @Override public String id() {
        return ID;
    }

    @Override public String describe() {
        return String.format(Locale.ROOT, "inception: pytorch-fid's FID Inception-v3, pool3 (%d features)%s, weights %s; "
                        + "%dx%dx%d images resized bilinearly to %dx%d%s", InceptionArchitecture.FEATURES,
                weights.hasClasses() ? " and " + InceptionArchitecture.CLASSES + " classes" : "", weights.source(),
                channels, size, size, InceptionArchitecture.SIZE, InceptionArchitecture.SIZE, channels == 1 ? " (grey as RGB)" : "");
    }

    @Override public int channels() {
        return channels;
    }

    @Override public int imageSize() {
        return size;
    }

    @Override public int dimension() {
        return InceptionArchitecture.FEATURES;
    }

    @Override public int classes() {
        return weights.hasClasses() ? InceptionArchitecture.CLASSES : 0;
    }

    @Override public int maxBatch() {
        return MAX_BATCH;
    }

    /** How the ops run on this backend (e.g. "im2col + the jvm backend's GEMM on the host, 2 threads"). */
    public synchronized String runsOn(Backend be) {
        return ops(be).describe();
    }

    /** The network, with its ops for be (blocks one by one, for tests). */
    synchronized InceptionV3 model(Backend be) {
        return new InceptionV3(weights, ops(be));
    }

    private InceptionOps ops(Backend be) {
        if (ops == null || opsFor != be) {
            if (ops != null) ops.close();
            ops = new InceptionOps(be, gemm);
            opsFor = be;
        }
        return ops;
    }

    @Override
    public synchronized void run(Backend be, float[] images, int n, float[] features, float[] probs) {
        if (n < 1 || n > MAX_BATCH) throw new IllegalArgumentException("batch of " + n + " images, expected 1.." + MAX_BATCH);
        if (images.length < n * imageElements()) throw new IllegalArgumentException("images: " + images.length + " floats for " + n + " images of " + imageElements());
        InceptionV3 net = new InceptionV3(weights, ops(be));
        float[] f = net.features(images, n, channels, size, size);
        System.arraycopy(f, 0, features, 0, f.length);
        if (probs != null) {
            if (!weights.hasClasses()) throw new IllegalStateException("the inception weights have no fc layer: no class probabilities");
            ops.linearSoftmax(f, weights.fcWeight(), new float[InceptionArchitecture.CLASSES], probs, n,
                    InceptionArchitecture.FEATURES, InceptionArchitecture.CLASSES);
        }
    }
}
