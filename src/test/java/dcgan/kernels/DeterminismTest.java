package dcgan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every kernel is per-index: the same inputs give bit-identical outputs run after run, and for any thread
 * count (1, 2 and 3 threads on DCGAN-sized shapes, so that the backend really splits the work).
 */
class DeterminismTest {

    private static float[] gaussian(Random r, int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    /** Runs every kernel once on fixed inputs and returns all outputs (including in-place updated state). */
    private static List<float[]> runAll(Backend be) {
        Random r = new Random(123);
        List<float[]> outs = new ArrayList<>();
        // Conv2d: a discriminator layer, 4x16x16x16 -> 4x32x8x8, k4 s2 p1.
        int n = 4, cin = 16, h = 16, w = 16, cout = 32, k = 4, s = 2, p = 1;
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
        float[] x = gaussian(r, n * cin * h * w, 1), wt = gaussian(r, cout * cin * k * k, 0.1), dy = gaussian(r, n * cout * oh * ow, 1);
        float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
        be.conv2dForward(x, wt, y, n, cin, h, w, cout, k, s, p);
        be.conv2dBackwardInput(dy, wt, dx, n, cin, h, w, cout, k, s, p);
        be.conv2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p);
        outs.addAll(List.of(y, dx, dw));
        // ConvTranspose2d: a generator layer, 4x32x8x8 -> 4x16x16x16, k4 s2 p1, and the first layer 1x1 -> 4x4.
        for (int[] c : new int[][] {{32, 8, 16, 4, 2, 1}, {16, 1, 32, 4, 1, 0}}) {
            int ci = c[0], hh = c[1], co = c[2], kk = c[3], ss = c[4], pp = c[5];
            int o = ConvTranspose2d.outSize(hh, kk, ss, pp);
            float[] tx = gaussian(r, n * ci * hh * hh, 1), tw = gaussian(r, ci * co * kk * kk, 0.1), tdy = gaussian(r, n * co * o * o, 1);
            float[] ty = new float[tdy.length], tdx = new float[tx.length], tdw = new float[tw.length], sc = new float[tdy.length];
            be.convTranspose2dForward(tx, tw, ty, n, ci, hh, hh, co, kk, ss, pp, 0);
            be.convTranspose2dBackwardInput(tdy, tw, tdx, n, ci, hh, hh, co, kk, ss, pp, 0);
            be.convTranspose2dBackwardWeight(tx, tdy, tdw, n, ci, hh, hh, co, kk, ss, pp, 0);
            ConvTranspose2d.forwardScatter(tx, tw, sc, n, ci, hh, hh, co, kk, ss, pp);
            outs.addAll(List.of(ty, tdx, tdw, sc));
        }
        // BatchNorm2d on 4x32x8x8.
        int c = 32, hw = 64;
        float[] bx = gaussian(r, n * c * hw, 2), gamma = gaussian(r, c, 1), beta = gaussian(r, c, 1), bdy = gaussian(r, bx.length, 1);
        float[] mean = new float[c], invstd = new float[c], rm = gaussian(r, c, 1), rv = new float[c];
        Arrays.fill(rv, 1f);
        float[] by = new float[bx.length], bye = new float[bx.length], bdx = new float[bx.length];
        float[] sdy = new float[c], sdyx = new float[c], dg = new float[c], db = new float[c];
        be.batchNormStats(bx, mean, invstd, rm, rv, n, c, hw);
        be.batchNormNormalize(bx, by, mean, invstd, gamma, beta, n, c, hw);
        be.batchNormForwardEval(bx, bye, rm, rv, gamma, beta, n, c, hw);
        be.batchNormBackwardReduce(bx, bdy, mean, invstd, sdy, sdyx, dg, db, n, c, hw);
        be.batchNormBackwardInput(bx, bdy, bdx, mean, invstd, gamma, sdy, sdyx, n, c, hw);
        outs.addAll(List.of(mean, invstd, rm, rv, by, bye, sdy, sdyx, dg, db, bdx));
        // Activations.
        int len = bx.length;
        float[][] a = new float[8][len];
        be.relu(bx, a[0], len);
        be.reluBackward(a[0], bdy, a[1], len);
        be.leakyRelu(bx, a[2], len);
        be.leakyReluBackward(a[2], bdy, a[3], len);
        be.tanh(bx, a[4], len);
        be.tanhBackward(a[4], bdy, a[5], len);
        be.sigmoid(bx, a[6], len);
        be.sigmoidBackward(a[6], bdy, a[7], len);
        outs.addAll(Arrays.asList(a));
        // BCE and Adam.
        float[] prob = a[6].clone(), out = new float[2], dp = new float[len];
        be.bceForward(prob, out, 1f, len);
        be.bceBackward(prob, dp, 0f, len);
        outs.addAll(List.of(out, dp));
        float[] param = gaussian(r, 10_000, 1), m = new float[param.length], v = new float[param.length], hp = new float[Adam.HP_LEN];
        for (int t = 1; t <= 3; t++) {
            Adam.hyper(hp, 2e-4, 0.5, 0.999, 1e-8, t);
            be.adamStep(param, gaussian(r, param.length, 1), m, v, hp, param.length);
        }
        outs.addAll(List.of(param, m, v));
        float[] filled = new float[1000];
        be.fill(filled, 0.5f, filled.length);
        outs.add(filled);
        return outs;
    }

    private static void assertBitIdentical(List<float[]> a, List<float[]> b, String what) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            int[] ba = bits(a.get(i)), bb = bits(b.get(i));
            assertTrue(Arrays.equals(ba, bb), what + ": output #" + i + " differs");
        }
    }

    private static int[] bits(float[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Float.floatToRawIntBits(a[i]);
        return r;
    }

    @Test
    void sameThreadsSameBits() {
        try (JvmBackend be = new JvmBackend(2)) {
            assertBitIdentical(runAll(be), runAll(be), "two runs on 2 threads");
        }
    }

    @Test
    void threadCountDoesNotChangeBits() {
        List<float[]> one, two, three;
        try (JvmBackend be = new JvmBackend(1)) {
            one = runAll(be);
        }
        try (JvmBackend be = new JvmBackend(2)) {
            two = runAll(be);
        }
        try (JvmBackend be = new JvmBackend(3)) {
            three = runAll(be);
        }
        assertBitIdentical(one, two, "1 vs 2 threads");
        assertBitIdentical(one, three, "1 vs 3 threads");
    }
}
