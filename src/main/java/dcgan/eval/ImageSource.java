package dcgan.eval;

import dcgan.backend.Backend;
import dcgan.data.BatchLoader;
import dcgan.data.Dataset;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.model.Sampler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.IntStream;

/**
 * Images for a feature network, read in order: {@link #next} hands out the next n of {@link #count} images as
 * CHW floats in [-1, 1]. Made from a generator ({@link #generator}), a dataset ({@link #dataset}) or noise
 * ({@link #noise}).
 */
public interface ImageSource {
    /** One line, e.g. "10000 samples of G (seed 0, eval mode)". */
    String describe();

    int count();

    int channels();

    int imageSize();

    /** Writes the next n images (n x channels x size x size floats) to dst. */
    void next(int n, float[] dst) throws IOException;

    default int imageElements() {
        return channels() * imageSize() * imageSize();
    }

    /**
     * count samples of generator g from N(0, 1) noise drawn from seed in sample order, in G's batches of at most
     * {@link Sampler#MAX_BATCH} split evenly: the very images of {@code dcgan generate --seed seed --num count}.
     * batchStats: BatchNorm with each batch's statistics (train mode) instead of the running ones (eval mode).
     */
    static ImageSource generator(Backend be, Dcgan.Net g, boolean batchStats, long seed, int count, String what) {
        if (count < 1) throw new IllegalArgumentException("the number of generated images must be >= 1, got " + count);
        Sampler sampler = new Sampler(be, g, batchStats);
        int nz = g.inputSize(), img = g.outputSize();
        int channels = g.layers.getLast().cout, size = g.layers.getLast().hout;
        int[] plan = Sampler.batchSizes(count, Sampler.MAX_BATCH);
        Rng rng = new Rng(seed);
        String text = count + " samples of " + what + " (noise seed " + seed + ", BatchNorm " + (batchStats ? "with batch statistics, train mode)" : "with running statistics, eval mode)");
        return new ImageSource() {
            int batch;
            float[] pending = new float[0];
            int used;

            @Override public String describe() { return text; }
            @Override public int count() { return count; }
            @Override public int channels() { return channels; }
            @Override public int imageSize() { return size; }

            @Override public void next(int n, float[] dst) {
                int done = 0;
                while (done < n) {
                    if (used * img == pending.length) {
                        if (batch == plan.length) throw new IllegalStateException("asked for more than " + count + " samples");
                        float[] z = new float[plan[batch++] * nz];
                        rng.fillGaussian(z, 0, 1);   // continues the stream: sample order, as generate does
                        pending = sampler.run(z, 0, z.length / nz);
                        used = 0;
                    }
                    int take = Math.min(n - done, pending.length / img - used);
                    System.arraycopy(pending, used * img, dst, done * img, take * img);
                    used += take;
                    done += take;
                }
            }
        };
    }

    /** count images of ds (all of it when count is 0): the first count of a permutation drawn from seed, decoded in parallel. */
    static ImageSource dataset(Dataset ds, int count, long seed, String what) {
        return dataset(ds, 0, count, seed, what);
    }

    /**
     * count images of ds from position skip on of a permutation drawn from seed (so that two calls with the same seed
     * and disjoint ranges give disjoint images), decoded in parallel.
     */
    static ImageSource dataset(Dataset ds, int skip, int count, long seed, String what) {
        int n = count == 0 ? ds.size() - skip : count;
        if (n < 1) throw new IllegalArgumentException(what + " holds no images" + (skip > 0 ? " after the first " + skip : ""));
        if (skip < 0 || (long) skip + n > ds.size())
            throw new IllegalArgumentException("asked for " + n + " images of " + what + (skip > 0 ? " after the first " + skip : "") + ", which holds " + ds.size());
        int[] perm = BatchLoader.permutation(seed, 0, ds.size());
        int[] order = java.util.Arrays.copyOfRange(perm, skip, skip + n);
        int img = ds.imageFloats();
        String text = (n == ds.size() ? "all " + n : n + " of " + ds.size()) + " images of " + what;
        return new ImageSource() {
            int from;

            @Override public String describe() { return text; }
            @Override public int count() { return n; }
            @Override public int channels() { return ds.channels(); }
            @Override public int imageSize() { return ds.imageSize(); }

            @Override public void next(int b, float[] dst) throws IOException {
                if (from + b > n) throw new IllegalStateException("asked for more than " + n + " images");
                int start = from;
                try {
                    IntStream.range(0, b).parallel().forEach(i -> {
                        try {
                            ds.load(order[start + i], dst, i * img);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                } catch (UncheckedIOException e) {
                    throw e.getCause();
                }
                from += b;
            }
        };
    }

    /** count images of uniform noise in [-1, 1) from seed: a baseline far from any real data. */
    static ImageSource noise(int count, int channels, int size, long seed) {
        if (count < 1) throw new IllegalArgumentException("the number of noise images must be >= 1, got " + count);
        Rng rng = new Rng(seed);
        return new ImageSource() {
            @Override public String describe() { return count + " images of uniform noise in [-1, 1) (seed " + seed + ")"; }
            @Override public int count() { return count; }
            @Override public int channels() { return channels; }
            @Override public int imageSize() { return size; }

            @Override public void next(int n, float[] dst) {
                for (int i = 0; i < n * imageElements(); i++) dst[i] = (float) (2 * rng.nextDouble() - 1);
            }
        };
    }
}
