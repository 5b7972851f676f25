package dcgan.data;

import java.util.SplittableRandom;

/**
 * Random-noise images like torchvision's FakeData: each pixel an independent uniform 8-bit level, seeded by
 * (seed, index) so the same index always gives the same image. Useful for smoke tests and timing.
 */
public final class FakeDataset implements Dataset {
    public static final int DEFAULT_SIZE = 1000;

    private final long seed;
    private final int count, imageSize, nc;

    public FakeDataset(long seed, int count, int imageSize, int nc) {
        if (count < 1) throw new IllegalArgumentException("fake dataset needs at least 1 image, got " + count);
        if (nc != 1 && nc != 3) throw new IllegalArgumentException("fake dataset: nc must be 1 or 3, got " + nc);
        this.seed = seed;
        this.count = count;
        this.imageSize = imageSize;
        this.nc = nc;
    }

    @Override public String name() { return "fake"; }
    @Override public int size() { return count; }
    @Override public int channels() { return nc; }
    @Override public int imageSize() { return imageSize; }

    @Override public void load(int index, float[] dst, int offset) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException("image index " + index + " out of 0.." + (count - 1));
        SplittableRandom r = new SplittableRandom(SyntheticFaces.mix(seed ^ 0x5DEECE66DL) + SyntheticFaces.mix(index));
        int n = imageFloats();
        for (int i = 0; i < n; i++) dst[offset + i] = r.nextInt(256) * (2f / 255f) - 1f;
    }
}
