package dcgan.train;

import dcgan.backend.Backend;
import dcgan.model.Dcgan;
import dcgan.model.Rng;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Trains the same model on two backends, from the same weights and on the same data, and compares them: the stats
 * line of every iteration and, at the end, every weight of G and D (`dcgan bench --check`, the GPU script's
 * correctness step). Relative errors are norm-wise: |a − b| / |b| over a stats line or a whole tensor.
 */
public final class BackendCheck {
    private BackendCheck() {}

    /** The largest relative error that passes, as TornadoBackendTest allows a training iteration. */
    public static final double TOLERANCE = 1e-4;

    /** One iteration's stats line on the backend checked and on the reference, and their relative error. */
    public record Iteration(int number, Trainer.Stats checked, Trainer.Stats reference, double relErr) {}

    /** Every iteration, and the weight tensor that differs most after the last one. */
    public record Result(List<Iteration> iterations, String worstParam, double worstParamErr) {
        public double worstStatsErr() {
            double worst = 0;
            for (Iteration it : iterations) worst = Math.max(worst, it.relErr());
            return worst;
        }

        /** Both within {@link #TOLERANCE} (a NaN fails). */
        public boolean passed() {
            return worstStatsErr() <= TOLERANCE && worstParamErr <= TOLERANCE;
        }
    }

    /**
     * Runs iters training iterations of a model of cfg at batch size batch on both backends (weights and data drawn
     * from seed), reporting each iteration to progress as it ends.
     */
    public static Result run(Backend checked, Backend reference, Dcgan.Config cfg, int batch, int iters, long seed,
                             Consumer<Iteration> progress) {
        if (iters < 1) throw new IllegalArgumentException("need at least one iteration to check, got " + iters);
        Dcgan a = model(cfg, seed), b = model(cfg, seed);
        Trainer ta = new Trainer(a, checked, batch, 2e-4, 0.5), tb = new Trainer(b, reference, batch, 2e-4, 0.5);
        Rng data = new Rng(seed + 2);
        // The same arrays every iteration, refilled on the host, as Training does (a device backend keeps its plan).
        float[] realA = new float[batch * cfg.imageElements()], noiseA = new float[batch * cfg.nz()];
        float[] realB = new float[realA.length], noiseB = new float[noiseA.length];
        List<Iteration> out = new ArrayList<>();
        for (int it = 1; it <= iters; it++) {
            data.fillGaussian(realA, 0, 0.5);
            for (int i = 0; i < realA.length; i++) realA[i] = (float) Math.tanh(realA[i]);
            data.fillGaussian(noiseA, 0, 1);
            System.arraycopy(realA, 0, realB, 0, realA.length);
            System.arraycopy(noiseA, 0, noiseB, 0, noiseA.length);
            Trainer.Stats sa = ta.step(realA, noiseA), sb = tb.step(realB, noiseB);
            Iteration r = new Iteration(it, sa, sb, relErr(values(sa), values(sb)));
            out.add(r);
            progress.accept(r);
        }
        var pa = new ArrayList<>(a.generator.params());
        pa.addAll(a.discriminator.params());
        var pb = new ArrayList<>(b.generator.params());
        pb.addAll(b.discriminator.params());
        String worst = "";
        double worstErr = 0;
        for (int i = 0; i < pa.size(); i++) {
            checked.toHost(pa.get(i).data);
            reference.toHost(pb.get(i).data);
            double e = relErr(pa.get(i).data, pb.get(i).data);
            if (Double.isNaN(worstErr)) continue;             // the first NaN stays the worst
            if (!(e <= worstErr)) {
                worstErr = e;
                worst = (i < a.generator.params().size() ? "netG." : "netD.") + pa.get(i).name;
            }
        }
        return new Result(out, worst, worstErr);
    }

    private static Dcgan model(Dcgan.Config cfg, long seed) {
        Dcgan m = new Dcgan(cfg);
        Rng rng = new Rng(seed);
        Dcgan.weightsInit(m.generator, rng);
        Dcgan.weightsInit(m.discriminator, rng);
        return m;
    }

    /** A stats line as numbers: Loss_D, Loss_G, D(x), D(G(z)) before and after D's step. */
    public static float[] values(Trainer.Stats s) {
        return new float[] {s.lossD(), s.lossG(), s.dX(), s.dGz1(), s.dGz2()};
    }

    /** |a − b| / |b| (Euclidean norms); NaN when a holds a NaN. */
    public static double relErr(float[] a, float[] b) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (double) (a[i] - b[i]) * (a[i] - b[i]);
            den += (double) b[i] * b[i];
        }
        return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
    }
}
