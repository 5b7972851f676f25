package dcgan.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The phase-split kernels ({@link ConvTranspose2d#forwardPhase}, {@link Conv2d#backwardInputPhase}) are
 * bit-identical to the forms they skip taps of: the explicit zero-insertion forward (dilate, flip, stride-1
 * Conv2d) and Conv2d's backward input with its per-tap {@code % s} test. Inputs mix Gaussians, exact +0 and −0,
 * and values small enough that products underflow to ±0, so signed zeros are exercised.
 */
class ConvTransposePhaseTest {
    private final Random rnd = new Random(12);

    private float[] mixed(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            int r = rnd.nextInt(10);
            a[i] = switch (r) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (float) (rnd.nextGaussian() * 1e-25);   // products of two underflow to ±0
                default -> (float) rnd.nextGaussian();
            };
        }
        return a;
    }

    static float[] explicitForward(float[] x, float[] weight, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        int hz = ConvTranspose2d.dilatedSize(h, k, s, p, op), wz = ConvTranspose2d.dilatedSize(w, k, s, p, op);
        float[] z = new float[n * cin * hz * wz];
        float[] wf = new float[cin * cout * k * k];
        ConvTranspose2d.dilate(x, z, n, cin, h, w, k, s, p, op);
        ConvTranspose2d.flipKernel(weight, 0, wf, cin, cout, k);
        float[] y = new float[n * cout * Conv2d.outSize(hz, k, 1, 0) * Conv2d.outSize(wz, k, 1, 0)];
        Conv2d.forward(z, wf, 0, y, n, cin, hz, wz, cout, k, 1, 0);
        return y;
    }

    static float[] phaseForward(float[] x, float[] weight, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        float[] y = new float[n * cout * ConvTranspose2d.outSize(h, k, s, p, op) * ConvTranspose2d.outSize(w, k, s, p, op)];
        java.util.Arrays.fill(y, Float.NaN);   // every output must be written
        ConvTranspose2d.forwardPhase(x, weight, 0, y, n, cin, h, w, cout, k, s, p, op);
        return y;
    }

    /** Bit for bit, +0 and −0 told apart (assertArrayEquals on floats compares floatToIntBits; this says where). */
    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
        assertArrayEquals(expected, actual, what);
    }

    private void checkForward(int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        float[] x = mixed(n * cin * h * w), weight = mixed(cin * cout * k * k);
        String what = String.format("n%d cin%d %dx%d cout%d k%d s%d p%d op%d", n, cin, h, w, cout, k, s, p, op);
        assertBits(explicitForward(x, weight, n, cin, h, w, cout, k, s, p, op),
                phaseForward(x, weight, n, cin, h, w, cout, k, s, p, op), what);
    }

    /** The tutorial's generator (nz 100, ngf 64, 64×64), batch 2, full channel counts. */
    @Test
    void forwardIsBitIdenticalOnTheTutorialsGenerator() {
        checkForward(2, 100, 1, 1, 512, 4, 1, 0, 0);
        checkForward(2, 512, 4, 4, 256, 4, 2, 1, 0);
        checkForward(2, 256, 8, 8, 128, 4, 2, 1, 0);
        checkForward(2, 128, 16, 16, 64, 4, 2, 1, 0);
        checkForward(2, 64, 32, 32, 3, 4, 2, 1, 0);
    }

    @Test
    void forwardIsBitIdenticalOnTheStrideKernelPaddingOutputPaddingSweep() {
        int[][] sizes = {{1, 1}, {3, 5}, {5, 3}, {4, 7}};
        int cases = 0;
        for (int k = 1; k <= 5; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p <= k - 1; p++)
                    for (int op = 0; op < s; op++)
                        for (int[] hw : sizes) {
                            if (ConvTranspose2d.outSize(hw[0], k, s, p, op) < 1 || ConvTranspose2d.outSize(hw[1], k, s, p, op) < 1) continue;
                            checkForward(2, 3, hw[0], hw[1], 2, k, s, p, op);
                            cases++;
                        }
        assertEquals(true, cases > 300, "cases: " + cases);
    }

    /** All-ones input and weight, one channel: each output counts its taps on real pixels; their total is phaseMacs. */
    @Test
    void phaseMacsCountsTheTapsOnRealPixels() {
        for (int k = 1; k <= 5; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p <= k - 1; p++)
                    for (int op = 0; op < s; op++) {
                        int h = 3, w = 5;
                        if (ConvTranspose2d.outSize(h, k, s, p, op) < 1) continue;
                        float[] x = new float[h * w], weight = new float[k * k];
                        java.util.Arrays.fill(x, 1f);
                        java.util.Arrays.fill(weight, 1f);
                        float[] y = phaseForward(x, weight, 1, 1, h, w, 1, k, s, p, op);
                        long total = 0;
                        for (float v : y) total += (long) v;
                        assertEquals(ConvTranspose2d.phaseMacs(1, 1, h, w, 1, k, s, p, op), total);
                        assertEquals((long) y.length * k * k, ConvTranspose2d.explicitMacs(1, 1, h, w, 1, k, s, p, op));
                    }
    }

    /** The tutorial's G forward at batch 128: multiply-adds of both forms (printed for the README). */
    @Test
    void tutorialGeneratorMultiplyAdds() {
        int[][] layers = {{100, 1, 512, 1, 0}, {512, 4, 256, 2, 1}, {256, 8, 128, 2, 1}, {128, 16, 64, 2, 1}, {64, 32, 3, 2, 1}};
        long explicit = 0, phase = 0;
        for (int[] l : layers) {
            long e = ConvTranspose2d.explicitMacs(128, l[0], l[1], l[1], l[2], 4, l[3], l[4], 0);
            long q = ConvTranspose2d.phaseMacs(128, l[0], l[1], l[1], l[2], 4, l[3], l[4], 0);
            System.out.printf("G %d->%d %dx%d: explicit %,d MAC, phase %,d MAC (%.4f)%n", l[0], l[2], l[1], l[1], e, q, (double) q / e);
            explicit += e;
            phase += q;
        }
        System.out.printf("G forward, batch 128: explicit %,d MAC, phase %,d MAC (%.4f)%n", explicit, phase, (double) phase / explicit);
        assertEquals(128L * 512 * 16 * 100 * 16, ConvTranspose2d.explicitMacs(128, 100, 1, 1, 512, 4, 1, 0, 0));
        assertEquals(128L * 512 * 16 * 100, ConvTranspose2d.phaseMacs(128, 100, 1, 1, 512, 4, 1, 0, 0));   // 1 of 16 taps
        // k4 s2 p1: output row o has 2 taps on real rows except the first and last (1 each): (2·2h − 2)/(4·2h) per axis
        assertEquals(128L * 256 * 512 * (2 * 8 - 2) * (2 * 8 - 2), ConvTranspose2d.phaseMacs(128, 512, 4, 4, 256, 4, 2, 1, 0));
    }

    @Test
    void conv2dBackwardInputPhaseIsBitIdentical() {
        int[][] sizes = {{1, 1}, {3, 5}, {5, 3}, {4, 7}, {8, 8}};
        int cases = 0;
        for (int k = 1; k <= 5; k++)
            for (int s = 1; s <= 3; s++)
                for (int p = 0; p <= k - 1; p++)
                    for (int[] hw : sizes) {
                        int h = hw[0], w = hw[1];
                        if (h + 2 * p < k || w + 2 * p < k) continue;
                        int n = 2, cin = 3, cout = 2;
                        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
                        float[] dy = mixed(n * cout * oh * ow), weight = mixed(cout * cin * k * k);
                        float[] ref = new float[n * cin * h * w], got = new float[n * cin * h * w];
                        java.util.Arrays.fill(got, Float.NaN);
                        Conv2d.backwardInput(dy, weight, 0, ref, n, cin, h, w, cout, k, s, p);
                        Conv2d.backwardInputPhase(dy, weight, 0, got, n, cin, h, w, cout, k, s, p);
                        assertBits(ref, got, String.format("%dx%d k%d s%d p%d", h, w, k, s, p));
                        cases++;
                    }
        assertEquals(true, cases > 150, "cases: " + cases);
        // the tutorial's discriminator layers (stride 2), batch 2, fewer channels
        int[][] d = {{3, 64, 16}, {16, 32, 32}, {32, 16, 48}, {48, 8, 64}};
        for (int[] l : d) {
            int n = 2, cin = l[0], h = l[1], cout = l[2], k = 4, s = 2, p = 1;
            int oh = Conv2d.outSize(h, k, s, p);
            float[] dy = mixed(n * cout * oh * oh), weight = mixed(cout * cin * k * k);
            float[] ref = new float[n * cin * h * h], got = new float[n * cin * h * h];
            Conv2d.backwardInput(dy, weight, 0, ref, n, cin, h, h, cout, k, s, p);
            Conv2d.backwardInputPhase(dy, weight, 0, got, n, cin, h, h, cout, k, s, p);
            assertBits(ref, got, "D layer " + cin + "->" + cout);
        }
    }

    /** jvm-plain's default (phase) and explicit forms give the same bits through the backend, on its threads. */
    @Test
    void jvmBackendPhaseDefaultMatchesItsExplicitForm() {
        try (dcgan.backend.jvm.JvmBackend phase = new dcgan.backend.jvm.JvmBackend(2, false);
             dcgan.backend.jvm.JvmBackend explicit = new dcgan.backend.jvm.JvmBackend(2, true)) {
            assertEquals(false, new dcgan.backend.jvm.JvmBackend(new dcgan.backend.jvm.ParallelFor(1)).explicitZeroInsertion());
            int[][] cases = {{2, 64, 8, 8, 32, 4, 2, 1, 0}, {2, 8, 5, 3, 4, 3, 2, 1, 1}, {1, 4, 4, 6, 3, 5, 3, 2, 2}};
            for (int[] c : cases) {
                int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7], op = c[8];
                int oh = ConvTranspose2d.outSize(h, k, s, p, op), ow = ConvTranspose2d.outSize(w, k, s, p, op);
                float[] x = mixed(n * cin * h * w), weight = mixed(cin * cout * k * k);
                float[] a = new float[n * cout * oh * ow], b = new float[a.length];
                phase.convTranspose2dForward(x, weight, a, n, cin, h, w, cout, k, s, p, op);
                explicit.convTranspose2dForward(x, weight, b, n, cin, h, w, cout, k, s, p, op);
                assertBits(b, a, "backend forward");
                // Conv2d backward input of a stride-s Conv2d on an oh × ow input
                int ch = Conv2d.outSize(oh, k, s, p), cw = Conv2d.outSize(ow, k, s, p);
                float[] dy = mixed(n * cin * ch * cw), wc = mixed(cin * cout * k * k);
                float[] da = new float[n * cout * oh * ow], db = new float[da.length];
                phase.conv2dBackwardInput(dy, wc, da, n, cout, oh, ow, cin, k, s, p);
                explicit.conv2dBackwardInput(dy, wc, db, n, cout, oh, ow, cin, k, s, p);
                assertBits(db, da, "backend backward input");
            }
        }
    }
}
