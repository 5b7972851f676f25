package dcgan.libtorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times the PyTorch DCGAN tutorial's training iteration with official libtorch (DJL's PyTorch engine, CPU),
 * the same work as scripts/pytorch_iteration.py and {@code dcgan bench}:
 * D on a real batch (label 1) backward; z ~ N(0, 1); fake = G(z); D on fake.detach() (label 0) backward; Adam
 * step of D; D on fake (label 1) backward into G (and D); Adam step of G. BCE loss, Adam lr 2e-4, betas
 * (0.5, 0.999), no biases, BatchNorm in training mode. With {@code --no-d-grads-in-g}, D's parameters do not
 * require gradients during G's step ({@code requires_grad_(False)}, a common PyTorch GAN idiom), so that step
 * computes only D's input gradient, as dcgan does: the same training, fewer FLOPs.
 *
 * <p>Usage: {@code java -Dai.djl.offline=true -jar target/libtorch-bench.jar [--batch-size 128] [--image-size 64]
 * [--nz 100] [--ngf 64] [--ndf 64] [--nc 3] [--threads 2] [--iters 5] [--warmup 2] [--no-check] [--check-only]
 * [--breakdown] [--no-d-grads-in-g]}; --breakdown prints the wall time of each part of every iteration.
 * The last line is machine-readable: {@code libtorch size=64 batch=128 threads=2 median_s=… min_s=… max_s=…
 * cpu_per_thread_median_s=… images_per_s=…}.
 */
public final class LibtorchBench {
    private LibtorchBench() {}

    public static void main(String[] args) {
        int batch = 128, size = 64, nz = 100, ngf = 64, ndf = 64, nc = 3, iters = 5, warmup = 2;
        int threads = Runtime.getRuntime().availableProcessors();
        boolean check = true, checkOnly = false, breakdown = false, dGradsInG = true;
        String convt = "native";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--batch-size" -> batch = Integer.parseInt(args[++i]);
                case "--image-size" -> size = Integer.parseInt(args[++i]);
                case "--nz" -> nz = Integer.parseInt(args[++i]);
                case "--ngf" -> ngf = Integer.parseInt(args[++i]);
                case "--ndf" -> ndf = Integer.parseInt(args[++i]);
                case "--nc" -> nc = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--no-check" -> check = false;
                case "--check-only" -> checkOnly = true;
                case "--breakdown" -> breakdown = true;
                case "--convt" -> convt = args[++i];
                case "--no-d-grads-in-g" -> dGradsInG = false;
                case "-h", "--help" -> {
                    System.out.println("usage: LibtorchBench [--batch-size 128] [--image-size 64] [--nz 100] [--ngf 64]"
                            + " [--ndf 64] [--nc 3] [--threads N] [--iters 5] [--warmup 2] [--no-check] [--check-only]"
                            + " [--breakdown] [--convt native|phase] [--no-d-grads-in-g]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (iters < 1 || warmup < 0 || threads < 1) throw new IllegalArgumentException("need iters >= 1, warmup >= 0, threads >= 1");

        // DJL's PyTorch engine reads these when it starts and calls torch::set_num_threads /
        // set_num_interop_threads; they must be set before the first Engine call.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
        if (System.getProperty("ai.djl.offline") == null) System.setProperty("ai.djl.offline", "true");

        Engine engine = Engine.getEngine("PyTorch");
        int torchThreads = JniUtils.getNumThreads(), interop = JniUtils.getNumInteropThreads();
        System.out.printf(Locale.ROOT, "libtorch %s (DJL %s) intra-op threads=%d inter-op threads=%d"
                        + " MKLDNN=%b OMP_NUM_THREADS=%s OMP_WAIT_POLICY=%s ATEN_CPU_CAPABILITY=%s DNNL_MAX_CPU_ISA=%s MKL_ENABLE_INSTRUCTIONS=%s%n",
                engine.getVersion(), Engine.getDjlVersion(), torchThreads, interop,
                engine.hasCapability("MKLDNN"), System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_WAIT_POLICY"),
                System.getenv("ATEN_CPU_CAPABILITY"),
                System.getenv("DNNL_MAX_CPU_ISA"), System.getenv("MKL_ENABLE_INSTRUCTIONS"));
        if (torchThreads != threads) {
            throw new IllegalStateException("libtorch runs " + torchThreads + " intra-op threads, " + threads + " asked");
        }
        engine.setRandomSeed(999);

        if (!convt.equals("native") && !convt.equals("phase")) throw new IllegalArgumentException("--convt native|phase");
        try (NDManager base = NDManager.newBaseManager()) {
            if (convt.equals("native")) Ops.nativeConvT = new NativeConvT(base);
            if (check || checkOnly) System.out.println(SelfCheck.run(base));
            if (checkOnly) return;
            time(base, batch, size, nz, ngf, ndf, nc, threads, iters, warmup, breakdown, dGradsInG);
        }
    }

    private static void time(NDManager base, int b, int size, int nz, int ngf, int ndf, int nc, int threads,
                             int iters, int warmup, boolean breakdown, boolean dGradsInG) {
        Dcgan.Net netG = Dcgan.generator(base, nz, ngf, nc, size);
        Dcgan.Net netD = Dcgan.discriminator(base, ndf, nc, size);
        Dcgan.Adam optD = new Dcgan.Adam(2e-4f, 0.5f, 0.999f, 1e-8f);
        Dcgan.Adam optG = new Dcgan.Adam(2e-4f, 0.5f, 0.999f, 1e-8f);
        NDArray real = base.randomNormal(new Shape(b, nc, size, size)).tanh();
        List<NDArray> owned = new ArrayList<>(netG.arrays());
        owned.addAll(netD.arrays());
        owned.add(real);
        System.out.printf(Locale.ROOT, "batch=%d image=%d nz=%d ngf=%d ndf=%d nc=%d G params=%d D params=%d"
                        + " ConvTranspose2d: %s%n",
                b, size, nz, ngf, ndf, nc, netG.parameterCount(), netD.parameterCount(),
                Ops.nativeConvT != null ? "libtorch's conv_transpose2d (TorchScript)"
                        : "phase form (k4s2p1 as 4 stride-1 convolutions, k4s1p0 on 1x1 as a matmul)");

        double[] secs = new double[iters], cpu = new double[iters];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int it = 0; it < warmup + iters; it++) {
            try (NDManager scope = base.newSubManager()) {
                // Everything made in this iteration (activations, gradients' handles, Adam temporaries) is
                // freed when the scope closes; the nets' own arrays return to `base`.
                scope.tempAttachAll(owned.toArray(new NDArray[0]));
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                JniUtils.setGradMode(true);
                netD.zeroGrad();
                NDArray out = netD.forward(real).reshape(-1);
                NDArray errDReal = Ops.bce(out, 1f);
                backward(errDReal);
                long t1 = System.nanoTime();
                NDArray noise = scope.randomNormal(new Shape(b, nz, 1, 1));
                NDArray fake = netG.forward(noise);
                long t2 = System.nanoTime();
                out = netD.forward(fake.stopGradient()).reshape(-1);
                NDArray errDFake = Ops.bce(out, 0f);
                backward(errDFake);
                long t3 = System.nanoTime();
                JniUtils.setGradMode(false);
                optD.step(netD);
                long t4 = System.nanoTime();
                JniUtils.setGradMode(true);
                netG.zeroGrad();
                if (!dGradsInG) netD.requireGradients(false);
                out = netD.forward(fake).reshape(-1);
                NDArray errG = Ops.bce(out, 1f);
                backward(errG);
                if (!dGradsInG) netD.requireGradients(true);
                long t5 = System.nanoTime();
                JniUtils.setGradMode(false);
                optG.step(netG);
                long t6 = System.nanoTime();
                double s = (t6 - t0) / 1e9;
                // CPU time of the whole process (libtorch's OpenMP threads included) per asked thread: what the
                // iteration would take with the threads perfectly balanced on otherwise idle cores. With
                // OMP_WAIT_POLICY=PASSIVE it is close to the work done; spinning threads inflate it.
                double c = (os.getProcessCpuTime() - c0) / 1e9 / threads;
                float lossD = errDReal.getFloat() + errDFake.getFloat();
                System.out.printf(Locale.ROOT, "%s %d: %.3f s (cpu/thread %.3f s)  Loss_D %.4f Loss_G %.4f%n",
                        it >= warmup ? "iter" : "warmup", it + 1, s, c, lossD, errG.getFloat());
                if (breakdown) {
                    System.out.printf(Locale.ROOT, "    ms: D(real) fwd+bwd %.1f | G fwd %.1f | D(fake) fwd+bwd %.1f"
                                    + " | Adam D %.1f | D(fake)+G bwd %.1f | Adam G %.1f%n",
                            (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t5 - t4) / 1e6,
                            (t6 - t5) / 1e6);
                }
                if (it >= warmup) {
                    secs[it - warmup] = s;
                    cpu[it - warmup] = c;
                }
            }
        }
        double[] sorted = secs.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "libtorch size=%d batch=%d threads=%d median_s=%.4f min_s=%.4f max_s=%.4f"
                        + " cpu_per_thread_median_s=%.4f images_per_s=%.1f convt=%s d_grads_in_g=%b%n",
                size, b, threads, median(secs), sorted[0], sorted[iters - 1], median(cpu), b / median(secs),
                Ops.nativeConvT != null ? "native" : "phase", dGradsInG);
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static void backward(NDArray loss) {
        JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
    }
}
