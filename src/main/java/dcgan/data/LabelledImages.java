package dcgan.data;

/**
 * Images with a class label each: a {@link Dataset} and its labels (0 .. classes-1, checked), as a classifier
 * trains on them. Opened by {@link Datasets#openLabelled}; closing it closes the images.
 */
public record LabelledImages(Dataset images, byte[] labels, int classes) implements AutoCloseable {
    public LabelledImages {
        if (labels.length != images.size())
            throw new IllegalArgumentException(images.name() + ": " + labels.length + " labels for " + images.size() + " images");
        if (classes < 2) throw new IllegalArgumentException(images.name() + ": a classifier needs at least 2 classes, got " + classes);
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i] & 0xff;
            if (l >= classes) throw new IllegalArgumentException(images.name() + ": label " + l + " of image " + i + " is not in 0.." + (classes - 1));
        }
    }

    /** The label of image i. */
    public int label(int i) {
        return labels[i] & 0xff;
    }

    public int size() {
        return labels.length;
    }

    @Override public void close() {
        images.close();
    }
}
