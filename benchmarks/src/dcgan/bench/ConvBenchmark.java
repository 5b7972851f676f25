package dcgan.bench;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One convolution product of one tutorial layer (G1..G5 ConvTranspose2d, D1..D5 Conv2d): forward,
 * input gradient or weight gradient, on FastBackend ("fast", at the tutorial's batch 128) or on the
 * reference JvmBackend ("jvm", at refBatch, it is slow). The "gflop" secondary result is GFLOP/s.
 * Select with -p, e.g. {@code -p layer=D2,D3 -p backend=fast}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class ConvBenchmark {
    @Param({"G1", "G2", "G3", "G4", "G5", "D1", "D2", "D3", "D4", "D5"})
    public String layer;

    @Param({"fwd", "bwdIn", "bwdW"})
    public String op;

    @Param({"fast", "jvm"})
    public String backend;

    @Param({"2"})
    public int threads;

    @Param({"128"})
    public int batch;

    /** Batch for the reference backend. */
    @Param({"8"})
    public int refBatch;

    private Backend be;
    private LayerTimings.Layer l;
    private float[] x, w, y, dy, dx, dw;
    private int n;
    private double gflop;

    @Setup(Level.Trial)
    public void setUp() {
        l = LayerTimings.layers().stream().filter(e -> e.name().equals(layer)).findFirst().orElseThrow();
        be = backend.equals("fast") ? new FastBackend(threads) : new JvmBackend(threads);
        n = backend.equals("fast") ? batch : refBatch;
        SplittableRandom r = new SplittableRandom(7);
        int in = l.in(), out = l.out();
        x = LayerTimings.rnd(r, n * l.cin() * in * in, 1f);
        y = new float[n * l.cout() * out * out];
        w = LayerTimings.rnd(r, l.cin() * l.cout() * l.k() * l.k(), 0.02f);
        dw = new float[w.length];
        dy = LayerTimings.rnd(r, y.length, 1e-3f);
        dx = new float[x.length];
        gflop = l.flops(n) / 1e9;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Object conv(Gflops f) {
        int in = l.in();
        Object out;
        if (l.transposed()) {
            switch (op) {
                case "fwd" -> { be.convTranspose2dForward(x, w, y, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p(), 0); out = y; }
                case "bwdIn" -> { be.convTranspose2dBackwardInput(dy, w, dx, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p(), 0); out = dx; }
                default -> { be.convTranspose2dBackwardWeight(x, dy, dw, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p(), 0); out = dw; }
            }
        } else {
            switch (op) {
                case "fwd" -> { be.conv2dForward(x, w, y, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p()); out = y; }
                case "bwdIn" -> { be.conv2dBackwardInput(dy, w, dx, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p()); out = dx; }
                default -> { be.conv2dBackwardWeight(x, dy, dw, n, l.cin(), in, in, l.cout(), l.k(), l.s(), l.p()); out = dw; }
            }
        }
        f.gflop += gflop;
        return out;
    }
}
