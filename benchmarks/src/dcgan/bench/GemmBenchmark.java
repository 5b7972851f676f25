package dcgan.bench;

import dcgan.backend.fast.FastBackend;
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
 * FastBackend's row-major SGEMM, C = A B (m x k times k x n). The "gflop" secondary result is GFLOP/s.
 * Shapes: square ones, and the GEMMs behind the tutorial's big convolutions at batch 128
 * (D2 forward: 128 x 32768 x 1024; G2 forward: 4096 x 2048 x 512; D4 weight gradient: 512 x 4096 x 2048).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class GemmBenchmark {
    @Param({"2"})
    public int threads;

    @Param({"512x512x512", "1024x1024x1024", "2048x2048x2048", "128x32768x1024", "4096x2048x512", "512x4096x2048"})
    public String mnk;

    private FastBackend be;
    private float[] a, b, c;
    private int m, n, k;

    @Setup(Level.Trial)
    public void setUp() {
        String[] d = mnk.split("x");
        m = Integer.parseInt(d[0]);
        n = Integer.parseInt(d[1]);
        k = Integer.parseInt(d[2]);
        SplittableRandom r = new SplittableRandom(1);
        a = rnd(r, m * k);
        b = rnd(r, k * n);
        c = new float[m * n];
        be = new FastBackend(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public float[] sgemm(Gflops f) {
        be.sgemm(m, n, k, a, k, b, n, c, n, false);
        f.gflop += 2.0 * m * n * k / 1e9;
        return c;
    }

    static float[] rnd(SplittableRandom r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (r.nextDouble() - 0.5);
        return x;
    }
}
