package dcgan.eval;

import dcgan.backend.Backend;

/**
 * A network that turns images into feature vectors for FID and KID and, where it has class outputs, class
 * probabilities for the Inception Score. Numbers computed with different networks are not comparable, so every
 * report names the network ({@link #id}, {@link #describe}).
 */
public interface FeatureNetwork {
    /** Short name, e.g. "classifier". */
    String id();

    /** One line: what the network is and where it came from. */
    String describe();

    /** Image channels it takes. */
    int channels();

    /** Image height = width it takes. */
    int imageSize();

    /** Features per image. */
    int dimension();

    /** Class outputs (the softmax's width), or 0 when it has none (then no Inception Score). */
    int classes();

    /** The most images one {@link #run} takes. */
    int maxBatch();

    /**
     * Runs n images (n x channels x size x size floats in [-1, 1]) and writes n x dimension features and, when
     * probs is not null, n x classes class probabilities.
     */
    void run(Backend be, float[] images, int n, float[] features, float[] probs);

    default int imageElements() {
        return channels() * imageSize() * imageSize();
    }
}
