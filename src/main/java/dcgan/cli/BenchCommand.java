package dcgan.cli;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import dcgan.backend.KernelTimer;
import dcgan.backend.WorkItemCounter;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.model.Upsampling;
import dcgan.train.BackendCheck;
import dcgan.train.JitWarmup;
import dcgan.train.Trainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Times training iterations of the tutorial's model on random data. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time DCGAN training iterations (the tutorial's loop) on random data.")
public final class BenchCommand implements Callable<Integer> {
    @Mixin ModelOptions sizes = ModelOptions.tutorial(new ModelOptions.Channels(3));
    @Option(names = "--iters", defaultValue = "5", description = "Timed iterations (default: ${DEFAULT-VALUE}).")
    int iters;
    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default: ${DEFAULT-VALUE}).")
    int warmup;
    @Mixin BackendOptions compute = new BackendOptions();
    @Option(names = "--per-kernel", description = "Also print the time of each kernel over the timed iterations "
            + "(JVM: wall clock per call; TornadoVM: its profiler's device kernel times).")
    boolean perKernel;
    @Option(names = "--work-items", description = "Print instead the work-items of every task of one iteration (the "
            + "@Parallel range each kernel launch runs, one GPU thread per index) and the serial loop of one work-item, "
            + "computed from the shapes; runs nothing.")
    boolean workItems;
    @Option(names = "--check", description = "Instead of timing, train --iters iterations on --backend and on "
            + "--check-against from the same weights and data, compare the stats line of every iteration and the final "
            + "weights (relative error <= 1e-4), and end with exit code 1 if they differ.")
    boolean check;
    @Option(names = "--check-against", defaultValue = Backends.JVM_PLAIN, description = "The reference of --check "
            + "(default: ${DEFAULT-VALUE}, the plain kernels, summed in the order every backend follows).")
    String checkAgainst;

    @Override
    public Integer call() {
        if (iters < 1) throw new IllegalArgumentException("--iters must be >= 1, got " + iters);
        if (warmup < 0) throw new IllegalArgumentException("--warmup must be >= 0, got " + warmup);
        int batchSize = sizes.batchSize;
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        Dcgan.Config cfg = sizes.config(Upsampling.CONVT_K4S2);
        if (workItems) {
            var tasks = Trainer.iterationTasks(cfg, batchSize);
            System.out.printf(Locale.ROOT, "batch=%d image=%d nz=%d ngf=%d ndf=%d: %d tasks per iteration; heavy: work-items x "
                            + "serial loop >= %,d%n", batchSize, cfg.imageSize(), cfg.nz(), cfg.ngf(), cfg.ndf(), tasks.size(),
                    WorkItemCounter.HEAVY);
            System.out.print(WorkItemCounter.table(tasks));
            System.out.printf(Locale.ROOT, "fewest work-items of a heavy task: %,d%n", WorkItemCounter.fewestHeavyWorkItems(tasks));
            return 0;
        }
        if (check) return check(cfg, batchSize);
        long flops = Trainer.iterationFlops(cfg, batchSize);
        int nThreads = compute.threads();
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(1);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        float[] real = new float[batchSize * cfg.imageElements()];
        float[] noise = new float[batchSize * cfg.nz()];
        double[] secs = new double[iters], cpu = new double[iters];
        KernelTimer[] timer = new KernelTimer[1];
        try (Backend created = compute.create()) {
            if (perKernel && !created.onHost()) created.enableProfiler();
            Backend be = perKernel && created.onHost() ? KernelTimer.wrap(created, timer) : created;
            JitWarmup.Result warm = JitWarmup.ifWorthIt(created, cfg, batchSize);   // before the big buffers
            Trainer trainer = new Trainer(model, be, batchSize, 2e-4, 0.5);
            if (warm != null) System.out.println(warm);
            System.out.printf(Locale.ROOT, "backend=%s threads=%d batch=%d image=%d nz=%d ngf=%d ndf=%d: %.1f GFLOP per iteration%n",
                    be.describe() + compute.autoNote(), nThreads, batchSize, cfg.imageSize(), cfg.nz(), cfg.ngf(), cfg.ndf(), flops / 1e9);
            for (int i = 0; i < warmup + iters; i++) {
                rng.fillGaussian(real, 0, 0.5);
                rng.fillGaussian(noise, 0, 1);
                long t0 = System.nanoTime(), c0 = processCpuNanos();
                trainer.step(real, noise);
                double s = (System.nanoTime() - t0) / 1e9;
                boolean timed = i >= warmup;
                if (timed) {
                    secs[i - warmup] = s;
                    cpu[i - warmup] = (processCpuNanos() - c0) / 1e9 / nThreads;
                }
                if (i + 1 == warmup) {
                    if (timer[0] != null) timer[0].reset();
                    created.kernelTimes(true);
                }
                System.out.printf(Locale.ROOT, "%s %d: %.3f s%n", timed ? "iter" : "warmup", timed ? i - warmup + 1 : i + 1, s);
            }
            if (perKernel) printKernelTimes(timer[0] != null ? timer[0].totals() : created.kernelTimes(false), iters);
            String plan = created.planSummary();
            if (plan != null) System.out.println("plan: " + plan);
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        double median = iters % 2 == 1 ? sorted[iters / 2] : (sorted[iters / 2 - 1] + sorted[iters / 2]) / 2;
        double[] cpuSorted = cpu.clone();
        Arrays.sort(cpuSorted);
        double cpuMedian = iters % 2 == 1 ? cpuSorted[iters / 2] : (cpuSorted[iters / 2 - 1] + cpuSorted[iters / 2]) / 2;
        // cpu_per_thread: process CPU time / threads per iteration, what an idle machine's wall clock would be at
        // best; other jobs' load does not inflate it (all threads of the JVM count, GC and JIT included)
        System.out.printf(Locale.ROOT, "median_s_per_iter=%.3f min=%.3f max=%.3f images_per_s=%.1f gflops=%.1f peak_heap_mb=%d "
                        + "cpu_per_thread_median_s=%.3f%n",
                median, sorted[0], sorted[iters - 1], batchSize / median, flops / median / 1e9, peakHeapMb(), cpuMedian);
        return 0;
    }

    /** --check: the backend against the reference, iteration by iteration; 1 if they differ. */
    private int check(Dcgan.Config cfg, int batchSize) {
        try (Backend checked = compute.create(); Backend reference = Backends.create(checkAgainst, compute.threads(), null)) {
            System.out.printf(Locale.ROOT, "check: backend=%s against %s, batch=%d image=%d nz=%d ngf=%d ndf=%d nc=%d, %d iterations%n",
                    checked.describe() + compute.autoNote(), reference.describe(), batchSize, cfg.imageSize(), cfg.nz(), cfg.ngf(),
                    cfg.ndf(), cfg.nc(), iters);
            long t0 = System.nanoTime();
            BackendCheck.Result r = BackendCheck.run(checked, reference, cfg, batchSize, iters, 1, it ->
                    System.out.printf(Locale.ROOT, "check iter %d: rel_err=%.2e checked=%s reference=%s%n",
                            it.number(), it.relErr(), it.checked(), it.reference()));
            System.out.printf(Locale.ROOT, "check: worst stats rel_err=%.2e, worst weight rel_err=%.2e (%s), tolerance %.0e, %.1f s: %s%n",
                    r.worstStatsErr(), r.worstParamErr(), r.worstParam(), BackendCheck.TOLERANCE, (System.nanoTime() - t0) / 1e9,
                    r.passed() ? "PASS" : "FAIL");
            if (!r.passed()) {
                throw new IllegalStateException("check failed: " + checked.name() + " differs from " + reference.name()
                        + " by more than " + BackendCheck.TOLERANCE + " (stats " + r.worstStatsErr() + ", weights "
                        + r.worstParamErr() + " in " + r.worstParam() + ")");
            }
        }
        return 0;
    }

    private static void printKernelTimes(java.util.Map<String, Backend.KernelTime> totals, int iters) {
        long all = totals.values().stream().mapToLong(Backend.KernelTime::nanos).sum();
        System.out.printf(Locale.ROOT, "%-34s %8s %12s %7s%n", "kernel", "calls/it", "ms/iter", "share");
        totals.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue().nanos(), a.getValue().nanos())).forEach(e ->
                System.out.printf(Locale.ROOT, "%-34s %8d %12.2f %6.1f%%%n", e.getKey(), e.getValue().calls() / iters,
                        e.getValue().nanos() / 1e6 / iters, 100.0 * e.getValue().nanos() / Math.max(1, all)));
        System.out.printf(Locale.ROOT, "%-34s %8s %12.2f%n", "total", "", all / 1e6 / iters);
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    static long peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
        }
        return peak >> 20;
    }
}
