package dcgan.bench;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Quick per-layer timings of the tutorial DCGAN (64x64, nz 100, ngf = ndf = 64), or with --small of the small model, at a given batch size:
 * each conv product (forward, backward input, backward weight) and the BatchNorm + activation work of
 * the layer, median of several runs, then an estimate of one training iteration as the sum over the
 * calls the tutorial's iteration makes (D: 3 forward passes, 2 weight gradients, 3 input gradients, the input gradient of its
 * first layer only in the generator's pass; G: 1 forward, 1 backward, no input gradient of its first
 * layer; Adam and the loss are left out, they are tiny).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp target/benchmarks.jar dcgan.bench.LayerTimings [--backend fast|jvm]
 *      [--threads 2] [--batch 128] [--reps 5] [--warmup 3] [--only D2,G3] [--small]</pre>
 */
public final class LayerTimings {
    private LayerTimings() {}

    /**
     * A layer of the tutorial model: conv (D) or conv-transpose (G), followed by BN?, activation; and how
     * often one training iteration runs its forward, backward (weight) and input-gradient products.
     */
    public record Layer(String name, boolean transposed, int cin, int cout, int in, int k, int s, int p, boolean bn, String act,
                 int fwdCalls, int bwdCalls, int bwdInCalls) {
        public int out() {
            return transposed ? s * (in - 1) - 2 * p + k : (in + 2 * p - k) / s + 1;
        }

        /** 2 * MACs of one conv product at batch n (all three products have the same count). */
        public double flops(int n) {
            int spatial = transposed ? in * in : out() * out();
            return 2.0 * n * cin * cout * k * k * spatial;
        }
    }

    /** The tutorial's layers, generator first. */
    public static java.util.List<Layer> layers() {
        return java.util.List.of(LAYERS);
    }

    // D's weight gradients run twice per iteration (D on real, D on fake), not in G's step; see Trainer.
    static final Layer[] LAYERS = {
            new Layer("G1", true, 100, 512, 1, 4, 1, 0, true, "relu", 1, 1, 0),
            new Layer("G2", true, 512, 256, 4, 4, 2, 1, true, "relu", 1, 1, 1),
            new Layer("G3", true, 256, 128, 8, 4, 2, 1, true, "relu", 1, 1, 1),
            new Layer("G4", true, 128, 64, 16, 4, 2, 1, true, "relu", 1, 1, 1),
            new Layer("G5", true, 64, 3, 32, 4, 2, 1, false, "tanh", 1, 1, 1),
            new Layer("D1", false, 3, 64, 64, 4, 2, 1, false, "lrelu", 3, 2, 1),
            new Layer("D2", false, 64, 128, 32, 4, 2, 1, true, "lrelu", 3, 2, 3),
            new Layer("D3", false, 128, 256, 16, 4, 2, 1, true, "lrelu", 3, 2, 3),
            new Layer("D4", false, 256, 512, 8, 4, 2, 1, true, "lrelu", 3, 2, 3),
            new Layer("D5", false, 512, 1, 4, 4, 1, 0, false, "sigmoid", 3, 2, 3),
    };

    /** The small model of benchmarks/libtorch/compare.sh: 32x32, nz 100, ngf = ndf = 32, nc 1 (use --batch 64). */
    static final Layer[] SMALL = {
            new Layer("G1", true, 100, 128, 1, 4, 1, 0, true, "relu", 1, 1, 0),
            new Layer("G2", true, 128, 64, 4, 4, 2, 1, true, "relu", 1, 1, 1),
            new Layer("G3", true, 64, 32, 8, 4, 2, 1, true, "relu", 1, 1, 1),
            new Layer("G4", true, 32, 1, 16, 4, 2, 1, false, "tanh", 1, 1, 1),
            new Layer("D1", false, 1, 32, 32, 4, 2, 1, false, "lrelu", 3, 2, 1),
            new Layer("D2", false, 32, 64, 16, 4, 2, 1, true, "lrelu", 3, 2, 3),
            new Layer("D3", false, 64, 128, 8, 4, 2, 1, true, "lrelu", 3, 2, 3),
            new Layer("D4", false, 128, 1, 4, 4, 1, 0, false, "sigmoid", 3, 2, 3),
    };

    public static void main(String[] args) {
        String backendName = "fast", only = null;
        int threads = 2, batch = 128, reps = 5, warmup = 3;
        Layer[] model = LAYERS;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--backend" -> backendName = args[++i];
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--reps" -> reps = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--small" -> model = SMALL;
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--backend fast|jvm, --threads N, --batch N, --reps N, --warmup PASSES, --only D2,G3, --small)");
            }
        }
        Backend be = switch (backendName) {
            case "fast" -> new FastBackend(threads);
            case "jvm" -> new JvmBackend(threads);
            default -> throw new IllegalArgumentException("--backend fast|jvm");
        };
        System.out.printf(Locale.ROOT, "backend %s%s, threads %d, batch %d, median of %d runs (after %d warm-up pass(es) over all layers and 2 warm-up runs per op)%n",
                be.name(), be instanceof FastBackend f ? " [" + f.kernelInfo() + "]" : "", threads, batch, reps, warmup);
        // JIT warm-up over every code path first: later layers otherwise deoptimise and recompile shared kernels
        // mid-measurement, and until C2 has compiled the kernels (normal, not OSR, compiles) Vector API values
        // get boxed: slow, and visible as allocation. On a busy 2-core machine that takes a few passes.
        for (int w = 0; w < warmup; w++) {
            for (Layer l : model) {
                if (only == null || Arrays.asList(only.split(",")).contains(l.name)) time(be, l, batch, 1);
            }
        }
        maxAllocPerCall = 0;
        warm = true;
        System.out.printf(Locale.ROOT, "%-4s %-27s | %8s %8s %8s | %8s %8s %8s | %7s %7s | %8s | %8s%n", "", "layer (wall-clock ms)",
                "fwd", "bwdIn", "bwdW", "fwd GF/s", "bIn GF/s", "bW GF/s", "bn+act", "bn+actB", "iter ms", "cpu/thr");
        double total = 0, convTotal = 0, flopTotal = 0, cpuTotal = 0, cpuConv = 0;
        for (Layer l : model) {
            if (only != null && !Arrays.asList(only.split(",")).contains(l.name)) continue;
            double[] t = time(be, l, batch, reps);
            double f = l.flops(batch) / 1e9;
            double iter = weighted(l, t, 0), conv = weightedConv(l, t, 0);
            double cpu = weighted(l, t, 5) / threads, cpuC = weightedConv(l, t, 5) / threads;
            total += iter;
            convTotal += conv;
            cpuTotal += cpu;
            cpuConv += cpuC;
            flopTotal += f * (l.fwdCalls + l.bwdCalls + l.bwdInCalls);
            System.out.printf(Locale.ROOT, "%-4s %-27s | %8.2f %8.2f %8.2f | %8.1f %8.1f %8.1f | %7.2f %7.2f | %8.1f | %8.1f%n",
                    l.name, (l.transposed ? "ConvT " : "Conv  ") + l.cin + "->" + l.cout + " " + l.in + "->" + l.out() + " k" + l.k + "s" + l.s + "p" + l.p,
                    t[0], t[1], t[2], f / t[0] * 1e3, f / t[1] * 1e3, f / t[2] * 1e3, t[3], t[4], iter, cpu);
            System.out.printf(Locale.ROOT, "%-4s %-27s | %8.2f %8.2f %8.2f | %8.1f %8.1f %8.1f | %7.2f %7.2f |%n",
                    "", "  CPU ms / threads", t[5] / threads, t[6] / threads, t[7] / threads,
                    f / t[5] * threads * 1e3, f / t[6] * threads * 1e3, f / t[7] * threads * 1e3, t[8] / threads, t[9] / threads);
        }
        System.out.printf(Locale.ROOT, "estimated iteration (sum of the calls above): %.0f ms wall-clock, of which convolutions %.0f ms (%.0f GFLOP, %.1f GFLOP/s)%n",
                total, convTotal, flopTotal, flopTotal / convTotal * 1e3);
        System.out.printf(Locale.ROOT, "  by process CPU time / threads (what perfectly balanced threads on an otherwise idle machine would take): %.0f ms, convolutions %.0f ms (%.1f GFLOP/s)%n",
                cpuTotal, cpuConv, flopTotal / cpuConv * 1e3);
        if (be instanceof FastBackend f) {
            System.out.printf(Locale.ROOT, "FastBackend workspaces after all layers: %.1f MiB; JVM heap in use: %.0f MiB%n",
                    f.workspaceBytes() / 1048576.0, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
        }
        System.out.printf(Locale.ROOT, "most allocated per measured call (all threads): %.1f KiB%n", maxAllocPerCall / 1024.0);
        be.close();
    }

    /** Medians in ms: conv fwd, conv bwd input, conv bwd weight, bn+act fwd, bn+act bwd (wall), then the same as process CPU. */
    static double[] time(Backend be, Layer l, int n, int reps) {
        SplittableRandom r = new SplittableRandom(7);
        int in = l.in, out = l.out();
        float[] x = rnd(r, n * l.cin * in * in, 1f), y = new float[n * l.cout * out * out];
        float[] w = rnd(r, l.cin * l.cout * l.k * l.k, 0.02f), dw = new float[w.length];
        float[] dy = rnd(r, y.length, 1e-3f), dx = new float[x.length];
        float[] a = new float[y.length], da = new float[y.length];
        int c = l.cout, hw = out * out;
        float[] mean = new float[c], invstd = new float[c], rm = new float[c], rv = new float[c], gamma = rnd(r, c, 1f),
                beta = new float[c], sumDy = new float[c], sumDyXhat = new float[c], dg = new float[c], db = new float[c];
        Runnable fwd = l.transposed
                ? () -> be.convTranspose2dForward(x, w, y, n, l.cin, in, in, l.cout, l.k, l.s, l.p, 0)
                : () -> be.conv2dForward(x, w, y, n, l.cin, in, in, l.cout, l.k, l.s, l.p);
        Runnable bwdIn = l.transposed
                ? () -> be.convTranspose2dBackwardInput(dy, w, dx, n, l.cin, in, in, l.cout, l.k, l.s, l.p, 0)
                : () -> be.conv2dBackwardInput(dy, w, dx, n, l.cin, in, in, l.cout, l.k, l.s, l.p);
        Runnable bwdW = l.transposed
                ? () -> be.convTranspose2dBackwardWeight(x, dy, dw, n, l.cin, in, in, l.cout, l.k, l.s, l.p, 0)
                : () -> be.conv2dBackwardWeight(x, dy, dw, n, l.cin, in, in, l.cout, l.k, l.s, l.p);
        Runnable actFwd = () -> {
            float[] src = y;
            if (l.bn) {
                be.batchNormStats(y, mean, invstd, rm, rv, n, c, hw);
                be.batchNormNormalize(y, da, mean, invstd, gamma, beta, n, c, hw);
                src = da;
            }
            switch (l.act) {
                case "relu" -> be.relu(src, a, y.length);
                case "lrelu" -> be.leakyRelu(src, a, y.length);
                case "tanh" -> be.tanh(src, a, y.length);
                default -> be.sigmoid(src, a, y.length);
            }
        };
        Runnable actBwd = () -> {
            switch (l.act) {
                case "relu" -> be.reluBackward(a, dy, da, y.length);
                case "lrelu" -> be.leakyReluBackward(a, dy, da, y.length);
                case "tanh" -> be.tanhBackward(a, dy, da, y.length);
                default -> be.sigmoidBackward(a, dy, da, y.length);
            }
            if (l.bn) {
                be.batchNormBackwardReduce(y, da, mean, invstd, sumDy, sumDyXhat, dg, db, n, c, hw);
                be.batchNormBackwardInput(y, da, da, mean, invstd, gamma, sumDy, sumDyXhat, n, c, hw);
            }
        };
        fwd.run();
        double[] res = new double[10];
        Runnable[] ops = {fwd, bwdIn, bwdW, actFwd, actBwd};
        current = l.name;
        for (int i = 0; i < ops.length; i++) {
            opIndex = i;
            res[i] = median(ops[i], reps);
            res[5 + i] = lastCpu;
        }
        return res;
    }

    /** The layer's share of one training iteration from timings t (wall at off 0, CPU at off 5). */
    static double weighted(Layer l, double[] t, int off) {
        return weightedConv(l, t, off) + l.fwdCalls * t[off + 3] + l.bwdCalls * t[off + 4];
    }

    static double weightedConv(Layer l, double[] t, int off) {
        return l.fwdCalls * t[off] + l.bwdCalls * t[off + 2] + l.bwdInCalls * t[off + 1];
    }

    /** Median wall ms of reps runs after two warm-up runs; also records the median process CPU ms in lastCpu. */
    static double median(Runnable op, int reps) {
        op.run();
        op.run();
        double[] t = new double[reps], c = new double[reps];
        long a0 = allocatedBytes();
        for (int i = 0; i < reps; i++) {
            long c0 = processCpuNanos(), t0 = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - t0) / 1e6;
            c[i] = (processCpuNanos() - c0) / 1e6;
        }
        long perCall = (allocatedBytes() - a0) / reps;
        maxAllocPerCall = Math.max(maxAllocPerCall, perCall);
        if (warm && perCall > (1 << 20)) {
            System.out.printf(Locale.ROOT, "  [%s %s allocated %.1f MiB per call: JIT not warm yet?]%n", current,
                    new String[]{"fwd", "bwdIn", "bwdW", "bn+act", "bn+actB"}[opIndex], perCall / 1048576.0);
        }
        Arrays.sort(t);
        Arrays.sort(c);
        lastCpu = c[reps / 2];
        return t[reps / 2];
    }

    static double lastCpu;
    static String current = "";
    static boolean warm;
    static int opIndex;
    /** Most bytes allocated per call by any measured op (all threads): 0 expected, more means the JIT left Vector API code un-intrinsified. */
    static long maxAllocPerCall;

    static long allocatedBytes() {
        return THREADS instanceof com.sun.management.ThreadMXBean t ? t.getTotalThreadAllocatedBytes() : 0;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of all live Java threads of this process (ns resolution, unlike the process CPU clock). */
    static long processCpuNanos() {
        long sum = 0;
        for (long id : THREADS.getAllThreadIds()) {
            long t = THREADS.getThreadCpuTime(id);
            if (t > 0) sum += t;
        }
        return sum;
    }

    /** n uniform floats in [-scale, scale). */
    public static float[] rnd(SplittableRandom r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1) * scale;
        return a;
    }
}
