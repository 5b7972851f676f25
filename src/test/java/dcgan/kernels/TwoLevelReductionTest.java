package dcgan.kernels;

import dcgan.backend.jvm.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-level reductions (partials, then an ordered sum): BatchNorm's statistics and backward sums agree with
 * double-precision sums on planes of one segment, several, and a short last one, and do not depend on the thread
 * count; the per-image weight gradient is the one-level kernel's, bit for bit; BCE is the sequential sum, bit for bit.
 */
class TwoLevelReductionTest {
    static float[] gaussian(Random r, int n, double mean, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (mean + r.nextGaussian() * scale);
        return a;
    }

    static void close(double expected, float actual, double tol, String what) {
        double e = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-30);
        assertTrue(e <= tol, what + ": " + actual + " vs " + expected + " (relative error " + e + ")");
    }

    @Test
    void batchNormSumsMatchDoublePrecision() {
        Random r = new Random(11);
        int n = 5, c = 3;
        try (JvmBackend be = new JvmBackend(2)) {
            for (int hw : new int[] {1, 16, 256, 300, 1024}) {
                // an offset mean, so that E[x²] − E[x]² would cancel
                float[] x = gaussian(r, n * c * hw, 3, 0.5), dy = gaussian(r, n * c * hw, 0.1, 1);
                float[] mean = new float[c], invstd = new float[c], rm = new float[c], rv = new float[c];
                java.util.Arrays.fill(rv, 1f);
                be.batchNormStats(x, mean, invstd, rm, rv, n, c, hw);
                float[] sdy = new float[c], sdyx = new float[c], dg = new float[c], db = new float[c];
                be.batchNormBackwardReduce(x, dy, mean, invstd, sdy, sdyx, dg, db, n, c, hw);
                for (int ch = 0; ch < c; ch++) {
                    double s = 0, sq = 0, g = 0, gx = 0;
                    for (int b = 0; b < n; b++) for (int j = 0; j < hw; j++) s += x[(b * c + ch) * hw + j];
                    double mu = s / (n * hw);
                    for (int b = 0; b < n; b++) for (int j = 0; j < hw; j++) {
                        double d = x[(b * c + ch) * hw + j] - mu;
                        sq += d * d;
                    }
                    for (int b = 0; b < n; b++) for (int j = 0; j < hw; j++) {
                        int i = (b * c + ch) * hw + j;
                        g += dy[i];
                        gx += dy[i] * (x[i] - mean[ch]) * (double) invstd[ch];
                    }
                    String at = "hw " + hw + " channel " + ch;
                    close(mu, mean[ch], 1e-6, "mean " + at);
                    close(1 / Math.sqrt(sq / (n * hw) + BatchNorm2d.EPS), invstd[ch], 1e-5, "invstd " + at);
                    close(0.1 * mu, rm[ch], 1e-6, "running mean " + at);
                    double unbiased = n * hw > 1 ? sq / (n * hw - 1) : sq;
                    close(0.9 + 0.1 * unbiased, rv[ch], 1e-5, "running var " + at);
                    close(g, sdy[ch], 1e-5, "sum dy " + at);
                    close(gx, sdyx[ch], 1e-5, "sum dy xhat " + at);
                    assertTrue(dg[ch] == sdyx[ch] && db[ch] == sdy[ch], "affine gradients accumulate " + at);
                }
            }
        }
    }

    @Test
    void batchNormWithSeveralSegmentsIsTheSameOnAnyThreadCount() {
        Random r = new Random(12);
        int n = 6, c = 5, hw = 1024;
        float[] x = gaussian(r, n * c * hw, 1, 2), dy = gaussian(r, n * c * hw, 0, 1);
        float[][] runs = new float[3][];
        for (int threads = 1; threads <= 3; threads++) {
            try (JvmBackend be = new JvmBackend(threads)) {
                float[] mean = new float[c], invstd = new float[c], rm = new float[c], rv = new float[c];
                float[] sdy = new float[c], sdyx = new float[c], dg = new float[c], db = new float[c];
                be.batchNormStats(x, mean, invstd, rm, rv, n, c, hw);
                be.batchNormBackwardReduce(x, dy, mean, invstd, sdy, sdyx, dg, db, n, c, hw);
                float[] all = new float[8 * c];
                float[][] parts = {mean, invstd, rm, rv, sdy, sdyx, dg, db};
                for (int i = 0; i < parts.length; i++) System.arraycopy(parts[i], 0, all, i * c, c);
                runs[threads - 1] = all;
            }
        }
        assertArrayEquals(runs[0], runs[1], "1 vs 2 threads");
        assertArrayEquals(runs[0], runs[2], "1 vs 3 threads");
    }

    @Test
    void perImageWeightGradientIsTheOneLevelKernelBitForBit() {
        Random r = new Random(13);
        // D's first layer at a small batch (3 -> 8 channels, 32x32, k4 s2 p1) and a k4 s1 p0 head on 4x4
        int[][] shapes = {{3, 3, 32, 8, 4, 2, 1}, {4, 16, 4, 1, 4, 1, 0}};
        for (int[] sh : shapes) {
            int n = sh[0], cin = sh[1], h = sh[2], cout = sh[3], k = sh[4], s = sh[5], p = sh[6];
            assertTrue(Conv2d.twoLevelWeightGradient(cout, cin, k));
            int oh = Conv2d.outSize(h, k, s, p);
            float[] x = gaussian(r, n * cin * h * h, 0, 1), dy = gaussian(r, n * cout * oh * oh, 0, 1);
            float[] start = gaussian(r, cout * cin * k * k, 0, 1);
            float[] one = start.clone(), two = start.clone();
            Conv2d.backwardWeight(x, dy, one, 0, n, cin, h, h, cout, k, s, p);
            try (JvmBackend be = new JvmBackend(3)) {
                be.conv2dBackwardWeight(x, dy, two, n, cin, h, h, cout, k, s, p);
            }
            assertArrayEquals(one, two, "shape " + java.util.Arrays.toString(sh));
        }
    }

    @Test
    void bceIsTheSequentialSumBitForBit() {
        Random r = new Random(14);
        int n = 128;
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = (float) (1 / (1 + Math.exp(-r.nextGaussian() * 3)));
        p[0] = 0f;                                                // log clamped at -100
        for (float label : new float[] {0f, 1f}) {
            float loss = 0f, mean = 0f;
            for (int i = 0; i < n; i++) {
                float logP = Math.max((float) Math.log(p[i]), BCELoss.LOG_CLAMP);
                float log1mP = Math.max((float) Math.log(1f - p[i]), BCELoss.LOG_CLAMP);
                loss += -(label * logP + (1f - label) * log1mP);
                mean += p[i];
            }
            float[] out = new float[2];
            try (JvmBackend be = new JvmBackend(2)) {
                be.bceForward(p, out, label, n);
            }
            assertArrayEquals(new float[] {loss / n, mean / n}, out, "label " + label);
        }
    }
}
