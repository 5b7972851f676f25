package dcgan.model;

import dcgan.backend.Backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a generator on latent vectors, in batches, in eval mode (running statistics, like {@code netG.eval()})
 * or with batch statistics (train-mode BatchNorm, like the tutorial's sampling without {@code .eval()}).
 * Batch statistics leave the net unchanged: running statistics and num_batches_tracked are restored after
 * every batch.
 */
public final class Sampler {
    /** Largest batch G is run on, to bound memory. */
    public static final int MAX_BATCH = 64;

    private final Backend backend;
    private final Dcgan.Net generator;
    private final boolean batchStats;
    private final Map<Integer, Dcgan.Pass> passes = new HashMap<>();
    private final Map<Integer, float[]> inputs = new HashMap<>();

    public Sampler(Backend backend, Dcgan.Net generator, boolean batchStats) {
        this.backend = backend;
        this.generator = generator;
        this.batchStats = batchStats;
    }

    /** N(0, 1) latent vectors of n samples, nz per sample, drawn in sample order from {@code new Rng(seed)}. */
    public static float[] noise(long seed, int n, int nz) {
        float[] z = new float[Math.multiplyExact(n, nz)];
        new Rng(seed).fillGaussian(z, 0, 1);
        return z;
    }

    /**
     * Batch sizes for n samples in batches of at most max, as even as possible (so that batch statistics
     * come from batches of nearly equal size): 100 → [50, 50], 65 → [33, 32].
     */
    public static int[] batchSizes(int n, int max) {
        if (n < 0 || max < 1) throw new IllegalArgumentException("n=" + n + " max=" + max);
        int batches = (n + max - 1) / max;
        int[] out = new int[batches];
        for (int i = 0; i < batches; i++) out[i] = n / batches + (i < n % batches ? 1 : 0);
        return out;
    }

    /**
     * G's images for count latent vectors taken from z at sample {@code from} (z is sample-major, nz per
     * sample); count is at most {@link #MAX_BATCH}. Returns count × nc × size × size floats in [-1, 1]
     * (a fresh array).
     */
    public float[] run(float[] z, int from, int count) {
        if (count < 1 || count > MAX_BATCH) throw new IllegalArgumentException("batch of " + count + " is not in [1, " + MAX_BATCH + "]");
        int nz = generator.inputSize(), img = generator.outputSize();
        Dcgan.Pass pass = passes.computeIfAbsent(count, generator::pass);
        float[] in = inputs.computeIfAbsent(count, c -> new float[c * nz]);
        System.arraycopy(z, from * nz, in, 0, count * nz);
        long[] counts = batchStats ? saveCounts() : null;
        backend.toDevice(in);
        // the running statistics are saved and restored where they are (on a device: by copy kernels, so they
        // never travel, nor does the training plan send them on every execution afterwards)
        if (batchStats) copyStats(true);
        float[] out = pass.forward(backend, in, batchStats);
        if (batchStats) copyStats(false);
        backend.toHost(out);
        if (batchStats) restoreCounts(counts);
        float[] images = new float[count * img];
        System.arraycopy(out, 0, images, 0, images.length);
        return images;
    }

    /** G's images for all n latent vectors of z, in batches of at most {@link #MAX_BATCH}. */
    public float[] runAll(float[] z, int n) {
        float[] images = new float[Math.multiplyExact(n, generator.outputSize())];
        int from = 0;
        for (int b : batchSizes(n, MAX_BATCH)) {
            float[] part = run(z, from, b);
            System.arraycopy(part, 0, images, from * generator.outputSize(), part.length);
            from += b;
        }
        return images;
    }

    /** Copies G's running statistics into this sampler's spare arrays (save) or back (restore). */
    private void copyStats(boolean save) {
        List<Dcgan.Buffer> bufs = generator.buffers();
        if (savedStats == null) savedStats = bufs.stream().map(b -> new float[b.data().length]).toList();
        for (int i = 0; i < bufs.size(); i++) {
            float[] live = bufs.get(i).data(), spare = savedStats.get(i);
            if (save) backend.copy(live, spare, live.length); else backend.copy(spare, live, live.length);
        }
    }

    private List<float[]> savedStats;

    private long[] saveCounts() {
        List<Dcgan.BatchNorm> bns = generator.batchNorms();
        long[] c = new long[bns.size()];
        for (int i = 0; i < c.length; i++) c[i] = bns.get(i).batchesTracked;
        return c;
    }

    private void restoreCounts(long[] counts) {
        List<Dcgan.BatchNorm> bns = generator.batchNorms();
        for (int i = 0; i < counts.length; i++) bns.get(i).batchesTracked = counts[i];
    }

    // ------------------------------------------------------------------------------------------ latent walks

    /**
     * steps latent vectors from a to b (both included), t = i / (steps - 1): linear interpolation
     * (1 - t)·a + t·b, or spherical interpolation (slerp, as in White 2016, "Sampling Generative Networks")
     * sin((1 - t)Ω)/sin Ω · a + sin(tΩ)/sin Ω · b with Ω the angle between a and b, linear where a and b are
     * (anti)parallel. Computed in double. Returns steps × nz floats.
     */
    public static float[] interpolate(float[] a, float[] b, int steps, boolean slerp) {
        if (a.length != b.length) throw new IllegalArgumentException("vectors of " + a.length + " and " + b.length);
        if (steps < 2) throw new IllegalArgumentException("--steps must be >= 2, got " + steps);
        int nz = a.length;
        double omega = 0, sinOmega = 0;
        if (slerp) {
            double dot = 0, na = 0, nb = 0;
            for (int i = 0; i < nz; i++) {
                dot += (double) a[i] * b[i];
                na += (double) a[i] * a[i];
                nb += (double) b[i] * b[i];
            }
            double cos = na == 0 || nb == 0 ? 1 : Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
            omega = Math.acos(cos);
            sinOmega = Math.sin(omega);
        }
        boolean linear = !slerp || Math.abs(sinOmega) < 1e-6;
        float[] out = new float[Math.multiplyExact(steps, nz)];
        for (int s = 0; s < steps; s++) {
            double t = (double) s / (steps - 1);
            double ca, cb;
            if (linear) {
                ca = 1 - t;
                cb = t;
            } else {
                ca = Math.sin((1 - t) * omega) / sinOmega;
                cb = Math.sin(t * omega) / sinOmega;
            }
            for (int i = 0; i < nz; i++) out[s * nz + i] = (float) (ca * a[i] + cb * b[i]);
        }
        return out;
    }
}
