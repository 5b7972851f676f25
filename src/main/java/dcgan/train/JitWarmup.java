package dcgan.train;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.model.Dcgan;
import dcgan.model.Rng;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Gets the fast backend's Vector API kernels compiled by C2 before the first real iteration.
 *
 * <p>Why: until C2 has compiled them, Vector API kernels box every vector they touch (interpreted and C1 code
 * allocate a heap object per vector value). Run on the tutorial's shapes, the first iterations then allocate
 * gigabytes of garbage within seconds, and the JVM's GC ergonomics answer that allocation rate by growing
 * the young generation to gigabytes, which it keeps for the rest of the run: that was most of the ~2.6 GB
 * resident of a 64x64 run. Here the same training step (every backend op the real run uses, with the same
 * upsampling and channel count) runs on a tiny model, on separate arrays, until a step allocates almost
 * nothing (the kernels are compiled) or a time budget is spent. The garbage is then small, so the heap
 * stays small.
 *
 * <p>It touches no state of the real run: its own model, Trainer and arrays; the backend's workspaces only
 * grow and are overwritten before being read, so training results are bit-identical with and without it.
 */
public final class JitWarmup {
    /** What a warm-up did: steps run, wall time, bytes allocated by the last step, whether it converged. */
    public record Result(int steps, long millis, long lastStepBytes, boolean converged) {
        @Override public String toString() {
            return String.format(Locale.ROOT, "JIT warm-up: %d steps in %.1f s, last step allocated %d KB%s",
                    steps, millis / 1e3, lastStepBytes >> 10, converged ? "" : " (budget spent before the kernels were compiled)");
        }
    }

    /** A step allocating less than this is compiled code (the tiny model's own arrays are allocated once, before). */
    static final long QUIET_BYTES = 2 << 20;
    static final int QUIET_STEPS = 3;
    /** At most this long; on a slow or busy machine the rest of the compilation happens in the real run. */
    public static final long BUDGET_MILLIS = 20_000;

    private static final boolean TRACE = Boolean.getBoolean("dcgan.warmup.trace");

    private JitWarmup() {}

    /**
     * While the kernels still box, leaves the cores to the JIT compiler threads for as long as the step took:
     * the compilation finishes about as soon, with half the garbage made meanwhile.
     */
    private static void pause(long nanos) {
        try {
            Thread.sleep(Math.min(nanos, 1_000_000_000L) / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a warm-up helps this backend: only the Vector API path boxes while not compiled. */
    public static boolean useful(Backend be) {
        return be instanceof FastBackend && FastBackend.vectorApiAvailable()
                && !"false".equalsIgnoreCase(System.getProperty("dcgan.warmup"));
    }

    /**
     * Warms up ({@link #run} with {@link #BUDGET_MILLIS}) when the run is big enough for the boxing garbage to
     * matter: batch x ngf x ndf x size^2 of at least 2^24 (the small 32x32 run and up; not the tiny models of tests).
     */
    public static Result ifWorthIt(Backend be, Dcgan.Config cfg, int batch) {
        double work = (double) batch * cfg.ngf() * cfg.ndf() * cfg.imageSize() * cfg.imageSize();
        return work >= (1 << 24) ? run(be, cfg, BUDGET_MILLIS) : null;
    }

    /**
     * Warms the kernels for a model like {@code like} (same upsampling, nc and depth) on {@code be}.
     * Returns null when not {@link #useful}.
     */
    public static Result run(Backend be, Dcgan.Config like, long budgetMillis) {
        if (!useful(be)) return null;
        // Channel counts that are multiples of 32 keep the kernels on their full-tile paths, as at real sizes;
        // 32x32 images run the same layer kinds as 64 or 128 at a quarter or less of the work (and garbage) per step.
        Dcgan.Config cfg = new Dcgan.Config(8, 32, 32, like.nc(), Math.min(like.imageSize(), 32), like.upsampling());
        int batch = 1;
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(12345);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        Trainer trainer = new Trainer(model, be, batch, 2e-4, 0.5);
        float[] real = new float[batch * cfg.imageElements()], noise = new float[batch * cfg.nz()];
        rng.fillGaussian(real, 0, 0.5);
        rng.fillGaussian(noise, 0, 1);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long start = System.nanoTime(), deadline = start + budgetMillis * 1_000_000L;
        int steps = 0, quiet = 0;
        long bytes = -1;
        while (System.nanoTime() < deadline) {
            long before = threads.getTotalThreadAllocatedBytes(), t0 = System.nanoTime();
            trainer.step(real, noise);
            long stepNanos = System.nanoTime() - t0;
            steps++;
            bytes = threads.getTotalThreadAllocatedBytes() - before;
            if (TRACE) System.err.printf(Locale.ROOT, "warm-up step %d: %.2f s, %d KB%n", steps, (System.nanoTime() - start) / 1e9, bytes >> 10);
            quiet = bytes >= 0 && bytes < QUIET_BYTES ? quiet + 1 : 0;
            if (quiet == 0) pause(stepNanos);
            if (quiet >= QUIET_STEPS) break;
        }
        return new Result(steps, (System.nanoTime() - start) / 1_000_000, bytes, quiet >= QUIET_STEPS);
    }
}
