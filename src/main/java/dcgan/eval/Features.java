package dcgan.eval;

/**
 * A feature set: n samples of d features each, row-major in one flat array (sample i is
 * {@code data[i*d .. i*d+d)}), as a feature network writes them. Checked on construction: the shape matches the
 * data and every value is finite, so the metrics never see a NaN.
 */
public record Features(float[] data, int n, int d) {
    public Features {
        if (n < 1 || d < 1) throw new IllegalArgumentException("a feature set needs at least one sample and one dimension, got " + n + " x " + d);
        if ((long) n * d != data.length)
            throw new IllegalArgumentException("feature data has " + data.length + " values, not " + n + " x " + d);
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i]))
                throw new IllegalArgumentException("features are not finite: " + data[i] + " at sample " + i / d + ", dimension " + i % d);
        }
    }

    /** Feature j of sample i. */
    public float get(int i, int j) {
        return data[i * d + j];
    }

    /** Throws unless both sets have the same number of features. */
    static void checkSameDimension(int d1, int d2) {
        if (d1 != d2) throw new IllegalArgumentException("feature dimensions differ: " + d1 + " vs " + d2);
    }
}
