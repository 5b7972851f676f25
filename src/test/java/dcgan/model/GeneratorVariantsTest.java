package dcgan.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.FlopCounter;
import dcgan.backend.jvm.JvmBackend;
import dcgan.train.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The generator for every {@link Upsampling}: shapes, state names, one training step, and finite-difference
 * checks of the gradients through the whole generator (input and weights), with tiny widths at image size 32.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratorVariantsTest {
    static final int NZ = 6, NGF = 4, NDF = 4, NC = 3, SIZE = 32;
    private final JvmBackend be = new JvmBackend(2);

    @AfterAll
    void close() {
        be.close();
    }

    static Dcgan.Config config(Upsampling u) {
        return new Dcgan.Config(NZ, NGF, NDF, NC, SIZE, u);
    }

    @ParameterizedTest
    @EnumSource(Upsampling.class)
    void producesImageSizeAndSequentialStateNames(Upsampling u) {
        for (int size : new int[] {32, 64, 128}) {
            Dcgan.Net g = new Dcgan(new Dcgan.Config(NZ, NGF, NDF, NC, size, u)).generator;
            Dcgan.Layer last = g.layers.getLast();
            assertEquals(NC, last.cout);
            assertEquals(size, last.hout);
            assertEquals(size, last.wout);
            assertEquals(NZ, g.inputSize());
            for (int i = 1; i < g.layers.size(); i++) {
                Dcgan.Layer a = g.layers.get(i - 1), b = g.layers.get(i);
                assertEquals(a.outSize(), b.inSize(), u + ": layer " + i + " input");
            }
        }
        // Every parameter is named by its module's index in the Sequential.
        Dcgan.Net g = new Dcgan(config(u)).generator;
        for (int i = 0; i < g.layers.size(); i++) {
            for (Dcgan.Param p : g.layers.get(i).params()) {
                assertTrue(p.name.equals("main." + i + ".weight") || p.name.equals("main." + i + ".bias"), p.name + " at " + i);
            }
        }
    }

    @Test
    void moduleListsAreThoseOfTheEquivalentSequential() {
        assertEquals(List.of("ConvT", "BatchNorm", "Act", "ConvT", "BatchNorm", "Act", "ConvT", "BatchNorm", "Act", "ConvT", "Act"),
                kinds(Upsampling.CONVT_K4S2));
        assertEquals(kinds(Upsampling.CONVT_K4S2), kinds(Upsampling.CONVT_K3S2));
        assertEquals(kinds(Upsampling.CONVT_K4S2), kinds(Upsampling.CONVT_K2S2));
        assertEquals(List.of("ConvT", "BatchNorm", "Act", "Upsample", "Conv", "BatchNorm", "Act", "Upsample", "Conv",
                "BatchNorm", "Act", "Upsample", "Conv", "Act"), kinds(Upsampling.RESIZE_BILINEAR));
        assertEquals(List.of("ConvT", "BatchNorm", "Act", "Conv", "PixelShuffle", "BatchNorm", "Act", "Conv", "PixelShuffle",
                "BatchNorm", "Act", "Conv", "PixelShuffle", "Act"), kinds(Upsampling.PIXEL_SHUFFLE_ICNR));
        // The default's state_dict is the tutorial's: names and shapes.
        List<String> names = new ArrayList<>();
        for (Dcgan.Buffer b : new Dcgan(Dcgan.Config.tutorial()).generator.state()) {
            names.add(b.name() + java.util.Arrays.toString(b.shape()));
        }
        assertEquals(List.of("main.0.weight[100, 512, 4, 4]", "main.1.weight[512]", "main.1.bias[512]",
                "main.1.running_mean[512]", "main.1.running_var[512]", "main.3.weight[512, 256, 4, 4]",
                "main.4.weight[256]", "main.4.bias[256]", "main.4.running_mean[256]", "main.4.running_var[256]",
                "main.6.weight[256, 128, 4, 4]", "main.7.weight[128]", "main.7.bias[128]", "main.7.running_mean[128]",
                "main.7.running_var[128]", "main.9.weight[128, 64, 4, 4]", "main.10.weight[64]", "main.10.bias[64]",
                "main.10.running_mean[64]", "main.10.running_var[64]", "main.12.weight[64, 3, 4, 4]"), names);
        // pixel shuffle: conv to 4·cout channels, k3
        Dcgan.Net ps = new Dcgan(config(Upsampling.PIXEL_SHUFFLE)).generator;
        assertEquals(List.of(4 * NC, NGF, 3, 3), asList(((Dcgan.Conv) ps.layers.get(ps.layers.size() - 3)).weight.shape));
        Dcgan.Net k3 = new Dcgan(config(Upsampling.CONVT_K3S2)).generator;
        assertEquals(List.of(NGF, NC, 3, 3), asList(((Dcgan.ConvT) k3.layers.get(k3.layers.size() - 2)).weight.shape));
        assertEquals(1, ((Dcgan.ConvT) k3.layers.get(k3.layers.size() - 2)).op);
    }

    private static List<Integer> asList(int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
    }

    private static List<String> kinds(Upsampling u) {
        return new Dcgan(config(u)).generator.layers.stream().map(l -> l.getClass().getSimpleName()).toList();
    }

    @ParameterizedTest
    @EnumSource(Upsampling.class)
    void oneTrainingStepIsFiniteAndCountsFlops(Upsampling u) {
        Dcgan.Config cfg = config(u);
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(5);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        int batch = 4;
        float[] real = new float[batch * cfg.imageElements()], noise = new float[batch * NZ];
        for (int i = 0; i < real.length; i++) real[i] = (float) Math.sin(i * 0.07);
        rng.fillGaussian(noise, 0, 1);
        float[] before = model.generator.params().get(3).data.clone();
        Trainer t = new Trainer(model, be, batch, 2e-4, 0.5);
        Trainer.Stats s = t.step(real, noise);
        assertTrue(Float.isFinite(s.lossD()) && Float.isFinite(s.lossG()), u + ": " + s);
        assertEquals(2 * Math.log(2), s.lossD(), 0.5, u + ": untrained D is near chance");
        for (float v : t.fake()) assertTrue(Float.isFinite(v) && Math.abs(v) <= 1f);
        assertTrue(!java.util.Arrays.equals(before, model.generator.params().get(3).data), u + ": G's upsampling weights moved");

        // FLOPs: G's convolutions (the 3×3 ones of resize and pixel shuffle included), forward once and
        // backward twice (input and weight gradients) when the input gradient is asked for.
        FlopCounter counter = new FlopCounter();
        Dcgan.Pass p = model.generator.pass(batch);
        p.forward(counter, noise, true);
        long forward = expectedForwardFlops(model.generator, batch);
        assertEquals(forward, counter.flops(), u + ": forward FLOPs");
        p.backward(counter, new float[batch * cfg.imageElements()], true);
        assertEquals(3 * forward, counter.flops(), u + ": forward + backward FLOPs");
    }

    /** 2 × multiply-adds of G's convolutions in a forward pass. */
    private static long expectedForwardFlops(Dcgan.Net g, int batch) {
        long f = 0;
        for (Dcgan.Layer l : g.layers) {
            if (l instanceof Dcgan.Conv c) f += 2L * batch * c.cout * c.hout * c.wout * c.cin * c.k * c.k;
            if (l instanceof Dcgan.ConvT c) f += 2L * batch * c.cin * c.hin * c.win * c.cout * c.k * c.k;
        }
        return f;
    }

    // ------------------------------------------------------------------ finite differences through G

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /**
     * L = Σ r·G(z) in training mode (BatchNorm on batch statistics, as G is trained), its analytic gradients
     * (Pass.backward) against central differences, for the input z and for the weight of the second
     * upsampling module (a ConvT, or the Conv beside an Upsample/PixelShuffle).
     *
     * <p>Two nets share G's modules: (1) G with its ReLUs swapped for Tanh, which makes L smooth, so the check
     * is strict — random directions and single entries, as GradientCheckTest does for single kernels; (2) G
     * itself, where a few of the thousands of ReLU units cross their kink within any finite step, so L is
     * checked along its gradient only (the largest directional derivative) with a 5% tolerance. ReLU's own
     * backward is checked in GradientCheckTest.
     */
    @ParameterizedTest
    @EnumSource(Upsampling.class)
    void gradientsThroughTheWholeGeneratorMatchFiniteDifferences(Upsampling u) {
        Dcgan.Net g = new Dcgan(config(u)).generator;
        Dcgan.weightsInit(g, new Rng(17));
        Random rnd = new Random(u.ordinal() + 1);
        // Weights above the tutorial's 0.02, so that tanh works in its non-linear range (BatchNorm removes the
        // scale of the others).
        for (Dcgan.Layer l : g.layers) {
            if (l instanceof Dcgan.Conv || l instanceof Dcgan.ConvT) {
                Dcgan.Param w = l.params().getFirst();
                for (int i = 0; i < w.data.length; i++) w.data[i] = (float) (rnd.nextGaussian() * 0.3);
            }
        }
        List<Dcgan.Layer> smoothLayers = new ArrayList<>();
        for (Dcgan.Layer l : g.layers) {
            smoothLayers.add(l instanceof Dcgan.Act a && a.kind == Dcgan.ActKind.RELU ? new Dcgan.Act(Dcgan.ActKind.TANH, a.cin, a.hin) : l);
        }
        Dcgan.Net smooth = new Dcgan.Net("smoothG", smoothLayers);
        Dcgan.Param weight = null;
        int found = 0;
        for (int i = 3; i < g.layers.size() && weight == null; i++) {
            Dcgan.Layer l = g.layers.get(i);
            if ((l instanceof Dcgan.Conv || l instanceof Dcgan.ConvT) && ++found == 2) weight = l.params().getFirst();
        }
        int batch = 3;
        float[] z = new float[batch * NZ];
        for (int i = 0; i < z.length; i++) z[i] = (float) rnd.nextGaussian();
        float[] r = new float[batch * g.outputSize()];
        for (int i = 0; i < r.length; i++) r[i] = (float) rnd.nextGaussian();

        for (Dcgan.Net net : List.of(smooth, g)) {
            boolean strict = net == smooth;
            Dcgan.Pass pass = net.pass(batch);
            net.zeroGrad(be);
            pass.forward(be, z, true);
            float[] dz = pass.backward(be, r, true).clone();
            float[] dw = weight.grad.clone();
            Supplier<Double> loss = () -> dot(r, pass.forward(be, z, true));
            String tag = u + (strict ? " (ReLU→Tanh)" : "");
            check(tag + " dL/dz", z, dz, loss, rnd, strict);
            check(tag + " dL/d" + weight.name, weight.data, dw, loss, rnd, strict);
        }
    }

    /**
     * Central differences of loss() at theta (restored afterwards). Strict: 3 random directions (ε = 1e-2,
     * tolerance 1e-2 relative, or 1e-4 of Σ|g·d| where the projection nearly cancels) and 6 single entries
     * (1e-2·|g_j| + 2e-3·max|g|). Not strict: along g/|g| with ε = 1e-3, tolerance 5%.
     */
    private static void check(String what, float[] theta, float[] grad, Supplier<Double> loss, Random rnd, boolean strict) {
        float[] orig = theta.clone();
        double gmax = 0, gnorm = 0;
        for (float v : grad) {
            gmax = Math.max(gmax, Math.abs(v));
            gnorm += (double) v * v;
        }
        gnorm = Math.sqrt(gnorm);
        assertTrue(gmax > 0, what + ": gradient is all zero");
        int directions = strict ? 3 : 1;
        for (int trial = 0; trial < directions; trial++) {
            double eps = strict ? 1e-2 : 1e-3;
            float[] plus = new float[theta.length], minus = new float[theta.length];
            for (int i = 0; i < theta.length; i++) {
                double v = strict ? rnd.nextGaussian() : grad[i] / gnorm * Math.sqrt(theta.length);
                plus[i] = (float) (orig[i] + eps * v);
                minus[i] = (float) (orig[i] - eps * v);
            }
            double fd = diff(theta, plus, minus, orig, loss);
            double an = 0, scale = 0;
            for (int i = 0; i < theta.length; i++) {
                double d = (double) plus[i] - minus[i];
                an += grad[i] * d;
                scale += Math.abs(grad[i] * d);
            }
            double tol = strict ? 1e-2 * Math.abs(an) + 1e-4 * scale : 5e-2 * Math.abs(an);
            assertTrue(Math.abs(fd - an) <= tol, what + ": finite difference " + fd + " vs analytic " + an + " (Σ|g·d| " + scale + ")");
        }
        if (!strict) return;
        for (int trial = 0; trial < 6; trial++) {
            int j = rnd.nextInt(theta.length);
            float[] plus = orig.clone(), minus = orig.clone();
            plus[j] = (float) (orig[j] + 1e-2);
            minus[j] = (float) (orig[j] - 1e-2);
            double fd = diff(theta, plus, minus, orig, loss) / ((double) plus[j] - minus[j]);
            assertTrue(Math.abs(fd - grad[j]) <= 1e-2 * Math.abs(grad[j]) + 2e-3 * gmax,
                    what + ": d/dθ[" + j + "] finite difference " + fd + " vs analytic " + grad[j]);
        }
    }

    private static double diff(float[] theta, float[] plus, float[] minus, float[] orig, Supplier<Double> loss) {
        System.arraycopy(plus, 0, theta, 0, theta.length);
        double lp = loss.get();
        System.arraycopy(minus, 0, theta, 0, theta.length);
        double lm = loss.get();
        System.arraycopy(orig, 0, theta, 0, theta.length);
        return lp - lm;
    }

    @Test
    void icnrStartsAsNearestNeighbourUpsampling() {
        Dcgan.Net g = new Dcgan(config(Upsampling.PIXEL_SHUFFLE_ICNR)).generator;
        Dcgan.weightsInit(g, new Rng(3));
        int batch = 2;
        Dcgan.Pass pass = g.pass(batch);
        float[] z = new float[batch * NZ];
        new Rng(4).fillGaussian(z, 0, 1);
        pass.forward(be, z, true);
        int checked = 0;
        for (int i = 0; i < g.layers.size(); i++) {
            if (!(g.layers.get(i) instanceof Dcgan.PixelShuffle ps)) continue;
            float[] y = pass.out[i];
            int h = ps.hout, w = ps.wout;
            double spread = 0, mag = 0;
            for (int plane = 0; plane < batch * ps.cout; plane++) {
                for (int yy = 0; yy < h; yy++) {
                    for (int xx = 0; xx < w; xx++) {
                        float v = y[(plane * h + yy) * w + xx];
                        float corner = y[(plane * h + (yy & ~1)) * w + (xx & ~1)];
                        spread = Math.max(spread, Math.abs(v - corner));
                        mag = Math.max(mag, Math.abs(v));
                    }
                }
            }
            assertTrue(mag > 0 && spread == 0, "layer " + i + ": 2x2 blocks are constant (spread " + spread + ")");
            checked++;
        }
        assertEquals(3, checked);

        // Without ICNR the blocks are not constant.
        Dcgan.Net plain = new Dcgan(config(Upsampling.PIXEL_SHUFFLE)).generator;
        Dcgan.weightsInit(plain, new Rng(3));
        Dcgan.Pass p2 = plain.pass(batch);
        p2.forward(be, z, true);
        float[] y = p2.out[4];
        assertTrue(y[0] != y[1] || y[0] != y[((Dcgan.PixelShuffle) plain.layers.get(4)).wout]);
    }
}
