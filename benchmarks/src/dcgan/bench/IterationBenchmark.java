package dcgan.bench;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.train.Trainer;
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

import java.util.concurrent.TimeUnit;

/**
 * One whole training iteration of the tutorial's model (the loop of {@link Trainer#step}) on a backend, in
 * seconds; the setup prints the iteration's GFLOP, so GFLOP/s = that / score. Select with -p, e.g.
 * {@code -p backend=jvm -p batch=128}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class IterationBenchmark {
    @Param({"jvm"})
    public String backend;

    @Param({"128"})
    public int batch;

    @Param({"64"})
    public int imageSize;

    @Param({"2"})
    public int threads;

    private Backend be;
    private Trainer trainer;
    private float[] real, noise;

    @Setup(Level.Trial)
    public void setUp() {
        Dcgan.Config cfg = new Dcgan.Config(100, 64, 64, 3, imageSize);
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(1);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        be = Backends.create(backend, threads, null);
        trainer = new Trainer(model, be, batch, 2e-4, 0.5);
        real = new float[batch * cfg.imageElements()];
        noise = new float[batch * cfg.nz()];
        rng.fillGaussian(real, 0, 0.5);
        rng.fillGaussian(noise, 0, 1);
        System.out.printf("%n%.1f GFLOP per iteration%n", Trainer.iterationFlops(cfg, batch) / 1e9);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    @Benchmark
    public Trainer.Stats iteration() {
        return trainer.step(real, noise);
    }
}
