package dcgan.data;

import java.io.IOException;

/**
 * A fixed-size, random-access set of square images, each produced as CHW floats in [-1, 1]
 * (torchvision's {@code ToTensor()} then {@code Normalize(0.5, 0.5)}: {@code x / 255 * 2 - 1}).
 *
 * <p>{@link #load} is called concurrently from {@link BatchLoader}'s worker threads and must be thread-safe and
 * deterministic: the same index always gives the same image.
 */
public interface Dataset extends AutoCloseable {
    /** Short name, e.g. "synthetic", "folder". */
    String name();

    /** Number of images; indices are 0 .. size()-1. */
    int size();

    /** Channels per image: 1 (grey) or 3 (RGB). */
    int channels();

    /** Height = width of every image. */
    int imageSize();

    /** Floats per image: channels x imageSize x imageSize. */
    default int imageFloats() {
        return channels() * imageSize() * imageSize();
    }

    /**
     * Writes image {@code index} as CHW floats in [-1, 1] to {@code dst[offset .. offset + imageFloats())}.
     *
     * @throws IOException if it cannot be produced (for a folder: only when no readable image is left)
     */
    void load(int index, float[] dst, int offset) throws IOException;

    /** Files skipped so far because they could not be decoded (0 for datasets that have no files to skip). */
    default long skipped() {
        return 0;
    }

    /** Releases files the dataset holds open (only cifar10 holds any); a no-op for the others. */
    @Override default void close() {}

    /** One line describing the dataset, for logs. */
    default String describe() {
        return name() + ": " + size() + " images, " + channels() + "x" + imageSize() + "x" + imageSize();
    }
}
