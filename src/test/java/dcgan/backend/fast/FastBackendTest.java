package dcgan.backend.fast;

import dcgan.backend.jvm.JvmBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * FastBackend against the reference JvmBackend: every method with a path of its own within a norm-wise relative
 * error of 1e-5 on many shapes (odd sizes, k 1-5, s 1-2, p 0-2, batch 1-3, channel counts that are not
 * multiples of the vector width), accumulation of the gradients that accumulate, and bit-identical results
 * across runs and thread counts.
 */
class FastBackendTest {
    static final double TOL = 1e-5;

    static JvmBackend ref;
    static FastBackend fast, fast1, fast3, scalar;
    /** The backend on every tile shape of the table (this JVM's species), whatever the machine would pick. */
    static List<FastBackend> tiles = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        ref = new JvmBackend(2);
        fast = new FastBackend(2);
        fast1 = new FastBackend(1);
        fast3 = new FastBackend(3);
        scalar = new FastBackend(2, new Tile(0, 6, 2));
        for (int rows : Tile.ROWS) tiles.add(new FastBackend(2, new Tile(VectorKernels.VL, rows, 2)));
    }

    @AfterAll
    static void tearDown() {
        for (var b : List.of(ref, fast, fast1, fast3, scalar)) b.close();
        for (var b : tiles) b.close();
    }

    /** n, cin, h, w, cout, k, s, p */
    record Shape(int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int oh() { return (h + 2 * p - k) / s + 1; }
        int ow() { return (w + 2 * p - k) / s + 1; }
        int th() { return s * (h - 1) - 2 * p + k; }
        int tw() { return s * (w - 1) - 2 * p + k; }
        boolean convOk() { return h + 2 * p >= k && w + 2 * p >= k; }
        boolean transposeOk() { return p <= k - 1 && th() >= 1 && tw() >= 1; }
    }

    static final List<Shape> SHAPES = shapes();

    static List<Shape> shapes() {
        List<Shape> l = new ArrayList<>(List.of(
                new Shape(2, 3, 9, 7, 5, 3, 1, 1),
                new Shape(1, 4, 8, 8, 13, 4, 2, 1),
                new Shape(3, 7, 11, 10, 17, 5, 2, 2),
                new Shape(2, 16, 16, 16, 32, 4, 2, 1),
                new Shape(1, 5, 6, 6, 3, 1, 1, 0),
                new Shape(2, 6, 5, 7, 9, 2, 2, 0),
                new Shape(3, 33, 12, 12, 40, 4, 2, 1),
                new Shape(2, 20, 4, 4, 7, 4, 1, 0),       // 1x1 output: the plain-GEMM path
                new Shape(1, 2, 5, 5, 3, 1, 2, 2),        // k=1 with padding 2
                new Shape(2, 3, 33, 31, 14, 3, 2, 0),
                new Shape(3, 9, 16, 16, 70, 4, 2, 1),
                new Shape(2, 100, 1, 1, 37, 4, 1, 0),     // like the generator's first layer (transposed)
                new Shape(3, 37, 4, 4, 1, 4, 1, 0),       // like the discriminator's last layer
                new Shape(1, 17, 3, 5, 19, 5, 1, 2),
                new Shape(2, 1, 13, 13, 1, 3, 2, 1),
                new Shape(3, 12, 7, 9, 24, 2, 1, 1)));
        SplittableRandom r = new SplittableRandom(2024);
        while (l.size() < 40) {
            int k = 1 + r.nextInt(5), s = 1 + r.nextInt(2), p = r.nextInt(3);
            int h = 1 + r.nextInt(14), w = 1 + r.nextInt(14);
            Shape sh = new Shape(1 + r.nextInt(3), 1 + r.nextInt(40), h, w, 1 + r.nextInt(40), k, s, p);
            if (sh.convOk() || sh.transposeOk()) l.add(sh);
        }
        return l;
    }

    static float[] rnd(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        double e = 0, nn = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            e += d * d;
            nn += (double) expected[i] * expected[i];
        }
        double rel = Math.sqrt(e / Math.max(nn, 1e-30));
        if (!(rel <= TOL)) fail(what + ": relative error " + rel);
    }

    /** The three Conv2d products of both backends on shape sh; dW starts non-zero to check accumulation. */
    static void checkConv(FastBackend be, Shape sh, SplittableRandom r) {
        int n = sh.n, cin = sh.cin, h = sh.h, w = sh.w, cout = sh.cout, k = sh.k, s = sh.s, p = sh.p;
        float[] x = rnd(r, n * cin * h * w), wt = rnd(r, cout * cin * k * k), dy = rnd(r, n * cout * sh.oh() * sh.ow());
        float[] y1 = rnd(r, dy.length), y2 = rnd(r, dy.length);
        ref.conv2dForward(x, wt, y1, n, cin, h, w, cout, k, s, p);
        be.conv2dForward(x, wt, y2, n, cin, h, w, cout, k, s, p);
        assertClose(y1, y2, "conv2dForward " + sh);
        float[] dx1 = rnd(r, x.length), dx2 = rnd(r, x.length);
        ref.conv2dBackwardInput(dy, wt, dx1, n, cin, h, w, cout, k, s, p);
        be.conv2dBackwardInput(dy, wt, dx2, n, cin, h, w, cout, k, s, p);
        assertClose(dx1, dx2, "conv2dBackwardInput " + sh);
        float[] dw1 = rnd(r, wt.length), dw2 = dw1.clone();
        ref.conv2dBackwardWeight(x, dy, dw1, n, cin, h, w, cout, k, s, p);
        be.conv2dBackwardWeight(x, dy, dw2, n, cin, h, w, cout, k, s, p);
        assertClose(dw1, dw2, "conv2dBackwardWeight (accumulating) " + sh);
    }

    static void checkConvTranspose(FastBackend be, Shape sh, SplittableRandom r) {
        int n = sh.n, cin = sh.cin, h = sh.h, w = sh.w, cout = sh.cout, k = sh.k, s = sh.s, p = sh.p;
        float[] x = rnd(r, n * cin * h * w), wt = rnd(r, cin * cout * k * k), dy = rnd(r, n * cout * sh.th() * sh.tw());
        float[] y1 = rnd(r, dy.length), y2 = rnd(r, dy.length);
        ref.convTranspose2dForward(x, wt, y1, n, cin, h, w, cout, k, s, p, 0);
        be.convTranspose2dForward(x, wt, y2, n, cin, h, w, cout, k, s, p, 0);
        assertClose(y1, y2, "convTranspose2dForward " + sh);
        float[] dx1 = rnd(r, x.length), dx2 = rnd(r, x.length);
        ref.convTranspose2dBackwardInput(dy, wt, dx1, n, cin, h, w, cout, k, s, p, 0);
        be.convTranspose2dBackwardInput(dy, wt, dx2, n, cin, h, w, cout, k, s, p, 0);
        assertClose(dx1, dx2, "convTranspose2dBackwardInput " + sh);
        float[] dw1 = rnd(r, wt.length), dw2 = dw1.clone();
        ref.convTranspose2dBackwardWeight(x, dy, dw1, n, cin, h, w, cout, k, s, p, 0);
        be.convTranspose2dBackwardWeight(x, dy, dw2, n, cin, h, w, cout, k, s, p, 0);
        assertClose(dw1, dw2, "convTranspose2dBackwardWeight (accumulating) " + sh);
    }

    @Test
    void vectorApiIsAvailableUnderTheBuild() {
        // surefire passes --add-modules jdk.incubator.vector (pom's jvm.flags)
        assertTrue(FastBackend.vectorApiAvailable());
        assertTrue(fast.kernelInfo().startsWith("Vector API"), fast.kernelInfo());
        assertTrue(scalar.kernelInfo().startsWith("scalar"), scalar.kernelInfo());
    }

    @Test
    void conv2dMatchesReference() {
        SplittableRandom r = new SplittableRandom(1);
        for (FastBackend be : tiles) for (Shape sh : SHAPES) if (sh.convOk()) checkConv(be, sh, r);
    }

    @Test
    void convTranspose2dMatchesReference() {
        SplittableRandom r = new SplittableRandom(2);
        for (FastBackend be : tiles) for (Shape sh : SHAPES) if (sh.transposeOk()) checkConvTranspose(be, sh, r);
    }

    @Test
    void bothWeightGradientStrategiesMatchReference() {
        SplittableRandom r = new SplittableRandom(3);
        FastBackend be = new FastBackend(2);
        try {
            for (int max : new int[]{0, Integer.MAX_VALUE}) {   // 0: N split for all; MAX: K split for all
                be.splitKMax(max);
                for (Shape sh : SHAPES) {
                    if (sh.convOk()) checkConv(be, sh, r);
                    if (sh.transposeOk()) checkConvTranspose(be, sh, r);
                }
            }
        } finally {
            be.close();
        }
    }

    @Test
    void scalarFallbackMatchesReference() {
        SplittableRandom r = new SplittableRandom(4);
        for (Shape sh : SHAPES.subList(0, 16)) {
            if (sh.convOk()) checkConv(scalar, sh, r);
            if (sh.transposeOk()) checkConvTranspose(scalar, sh, r);
        }
    }

    @Test
    void tutorialShapesAtSmallBatchMatchReference() {
        SplittableRandom r = new SplittableRandom(5);
        // generator (transposed) and discriminator layers of the tutorial, batch 2
        int[][] g = {{100, 512, 1, 1, 0}, {512, 256, 4, 2, 1}, {256, 128, 8, 2, 1}, {128, 64, 16, 2, 1}, {64, 3, 32, 2, 1}};
        int[][] d = {{3, 64, 64, 2, 1}, {64, 128, 32, 2, 1}, {128, 256, 16, 2, 1}, {256, 512, 8, 2, 1}, {512, 1, 4, 1, 0}};
        for (FastBackend be : tiles) {
            for (int[] l : g) checkConvTranspose(be, new Shape(2, l[0], l[2], l[2], l[1], 4, l[3], l[4]), r);
            for (int[] l : d) checkConv(be, new Shape(2, l[0], l[2], l[2], l[1], 4, l[3], l[4]), r);
        }
    }

    @Test
    void linearMatchesReference() {
        SplittableRandom r = new SplittableRandom(6);
        int[][] shapes = {{1, 1, 1}, {3, 7, 5}, {64, 2048, 128}, {17, 128, 10}, {2, 33, 70}};   // n, in, out
        for (FastBackend be : tiles) {
            for (int[] sh : shapes) {
                int n = sh[0], in = sh[1], out = sh[2];
                String what = "linear n=" + n + " in=" + in + " out=" + out;
                float[] x = rnd(r, n * in), wt = rnd(r, out * in), b = rnd(r, out), dy = rnd(r, n * out);
                float[] y1 = rnd(r, n * out), y2 = rnd(r, n * out);
                ref.linearForward(x, wt, b, y1, n, in, out);
                be.linearForward(x, wt, b, y2, n, in, out);
                assertClose(y1, y2, what + " forward");
                float[] dx1 = rnd(r, x.length), dx2 = rnd(r, x.length);
                ref.linearBackwardInput(dy, wt, dx1, n, in, out);
                be.linearBackwardInput(dy, wt, dx2, n, in, out);
                assertClose(dx1, dx2, what + " backward input");
                float[] dw1 = rnd(r, wt.length), dw2 = dw1.clone(), db1 = rnd(r, out), db2 = db1.clone();
                ref.linearBackwardWeight(x, dy, dw1, n, in, out);
                be.linearBackwardWeight(x, dy, dw2, n, in, out);
                assertClose(dw1, dw2, what + " backward weight (accumulating)");
                ref.linearBackwardBias(dy, db1, n, out);
                be.linearBackwardBias(dy, db2, n, out);
                assertClose(db1, db2, what + " backward bias (accumulating)");
            }
        }
    }

    @Test
    void sgemmMatchesNaive() {
        SplittableRandom r = new SplittableRandom(6);
        int[][] dims = {{1, 1, 1}, {13, 7, 5}, {37, 65, 129}, {12, 32, 300}, {100, 3, 700}, {5, 200, 17}};
        for (int[] d : dims) {
            int m = d[0], n = d[1], k = d[2];
            for (int variant = 0; variant < 8; variant++) {
                boolean ta = (variant & 1) != 0, tb = (variant & 2) != 0, acc = (variant & 4) != 0;
                float[] a = rnd(r, m * k), b = rnd(r, k * n), c = rnd(r, m * n), expect = c.clone();
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double sum = 0;
                        for (int kk = 0; kk < k; kk++) {
                            sum += (double) (ta ? a[kk * m + i] : a[i * k + kk]) * (tb ? b[j * k + kk] : b[kk * n + j]);
                        }
                        expect[i * n + j] = (float) ((acc ? expect[i * n + j] : 0) + sum);
                    }
                }
                for (FastBackend be : tiles) {
                    float[] cc = c.clone();
                    be.sgemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, cc, 0, n, acc);
                    assertClose(expect, cc, "sgemm " + be.tile() + " " + Arrays.toString(d) + " transA=" + ta + " transB=" + tb + " acc=" + acc);
                }
            }
        }
    }

    @Test
    void batchNormMatchesReference() {
        SplittableRandom r = new SplittableRandom(8);
        int[][] dims = {{1, 1, 5}, {2, 3, 5}, {3, 17, 16}, {2, 5, 33}, {4, 70, 7}, {128, 3, 16}, {2, 2, 1000}};
        for (FastBackend be : List.of(fast, scalar)) {
            for (int[] d : dims) {
                int n = d[0], c = d[1], hw = d[2], len = n * c * hw;
                String what = be.kernelInfo() + " n=" + n + " c=" + c + " hw=" + hw;
                float[] x = rnd(r, len), dy = rnd(r, len);
                for (int i = 0; i < len; i++) x[i] = x[i] * 3 + 0.5f;
                float[] mean1 = new float[c], is1 = new float[c], rm1 = rnd(r, c), rv1 = rnd(r, c);
                for (int i = 0; i < c; i++) rv1[i] = Math.abs(rv1[i]) + 0.1f;
                float[] mean2 = new float[c], is2 = new float[c], rm2 = rm1.clone(), rv2 = rv1.clone();
                ref.batchNormStats(x, mean1, is1, rm1, rv1, n, c, hw);
                be.batchNormStats(x, mean2, is2, rm2, rv2, n, c, hw);
                assertClose(mean1, mean2, "mean " + what);
                assertClose(is1, is2, "invstd " + what);
                assertClose(rm1, rm2, "running mean " + what);
                assertClose(rv1, rv2, "running var " + what);
                float[] gamma = rnd(r, c), beta = rnd(r, c), y1 = new float[len], y2 = new float[len];
                ref.batchNormNormalize(x, y1, mean1, is1, gamma, beta, n, c, hw);
                be.batchNormNormalize(x, y2, mean1, is1, gamma, beta, n, c, hw);
                assertClose(y1, y2, "normalize " + what);
                for (float slope : new float[]{0f, 0.2f, 0.1f, 0.01f}) {   // fused with any LeakyReLU slope
                    ref.batchNormNormalizeActivation(x, y1, mean1, is1, gamma, beta, slope, n, c, hw);
                    be.batchNormNormalizeActivation(x, y2, mean1, is1, gamma, beta, slope, n, c, hw);
                    assertClose(y1, y2, "normalize + activation, slope " + slope + " " + what);
                }
                ref.batchNormForwardEval(x, y1, rm1, rv1, gamma, beta, n, c, hw);
                be.batchNormForwardEval(x, y2, rm1, rv1, gamma, beta, n, c, hw);
                assertClose(y1, y2, "forwardEval " + what);
                float[] sdy1 = new float[c], sdyx1 = new float[c], dg1 = rnd(r, c), db1 = rnd(r, c);
                float[] sdy2 = new float[c], sdyx2 = new float[c], dg2 = dg1.clone(), db2 = db1.clone();
                ref.batchNormBackwardReduce(x, dy, mean1, is1, sdy1, sdyx1, dg1, db1, n, c, hw);
                be.batchNormBackwardReduce(x, dy, mean1, is1, sdy2, sdyx2, dg2, db2, n, c, hw);
                assertClose(sdy1, sdy2, "sumDy " + what);
                assertClose(sdyx1, sdyx2, "sumDyXhat " + what);
                assertClose(dg1, dg2, "dgamma (accumulating) " + what);
                assertClose(db1, db2, "dbeta (accumulating) " + what);
                float[] dx1 = new float[len], dx2 = new float[len];
                ref.batchNormBackwardInput(x, dy, dx1, mean1, is1, gamma, sdy1, sdyx1, n, c, hw);
                be.batchNormBackwardInput(x, dy, dx2, mean1, is1, gamma, sdy1, sdyx1, n, c, hw);
                assertClose(dx1, dx2, "backwardInput " + what);
                float[] inPlace = dy.clone();   // dx may be dy
                be.batchNormBackwardInput(x, inPlace, inPlace, mean1, is1, gamma, sdy1, sdyx1, n, c, hw);
                assertClose(dx1, inPlace, "backwardInput in place " + what);
            }
        }
    }

    @Test
    void activationsAdamAndFillMatchReference() {
        SplittableRandom r = new SplittableRandom(9);
        for (int len : new int[]{1, 15, 16, 17, 1000, 100_003}) {
            float[] x = rnd(r, len), dy = rnd(r, len);
            for (int i = 0; i < len; i++) x[i] *= 4;
            for (int op = 0; op < 4; op++) {
                float[] y1 = new float[len], y2 = new float[len], dx1 = new float[len], dx2 = new float[len];
                switch (op) {
                    case 0 -> { ref.relu(x, y1, len); fast.relu(x, y2, len); ref.reluBackward(y1, dy, dx1, len); fast.reluBackward(y1, dy, dx2, len); }
                    case 1 -> { ref.leakyRelu(x, y1, len); fast.leakyRelu(x, y2, len); ref.leakyReluBackward(y1, dy, dx1, len); fast.leakyReluBackward(y1, dy, dx2, len); }
                    case 2 -> { ref.tanh(x, y1, len); fast.tanh(x, y2, len); ref.tanhBackward(y1, dy, dx1, len); fast.tanhBackward(y1, dy, dx2, len); }
                    default -> { ref.sigmoid(x, y1, len); fast.sigmoid(x, y2, len); ref.sigmoidBackward(y1, dy, dx1, len); fast.sigmoidBackward(y1, dy, dx2, len); }
                }
                assertClose(y1, y2, "activation " + op + " len " + len);
                assertClose(dx1, dx2, "activation backward " + op + " len " + len);
            }
            float[] hp = new float[dcgan.kernels.Adam.HP_LEN];
            dcgan.kernels.Adam.hyper(hp, 2e-4, 0.5, 0.999, 1e-8, 3);
            float[] p1 = rnd(r, len), m1 = rnd(r, len), v1 = rnd(r, len);
            for (int i = 0; i < len; i++) v1[i] = Math.abs(v1[i]);
            float[] p2 = p1.clone(), m2 = m1.clone(), v2 = v1.clone();
            ref.adamStep(p1, dy, m1, v1, hp, len);
            fast.adamStep(p2, dy, m2, v2, hp, len);
            assertArrayEquals(p1, p2, "adam param (bit-identical) len " + len);
            assertArrayEquals(m1, m2, "adam m len " + len);
            assertArrayEquals(v1, v2, "adam v len " + len);
            float[] f = rnd(r, len + 3);
            fast.fill(f, 0.25f, len);
            for (int i = 0; i < len; i++) assertEquals(0.25f, f[i]);
            assertTrue(f[len] != 0.25f || f[len + 1] != 0.25f, "fill stays in range");
        }
    }

    /** All outputs of one pass over every shape, to compare bit for bit. */
    static List<float[]> runAll(FastBackend be) {
        List<float[]> out = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(7);
        for (Shape sh : SHAPES) {
            int n = sh.n, cin = sh.cin, h = sh.h, w = sh.w, cout = sh.cout, k = sh.k, s = sh.s, p = sh.p;
            float[] x = rnd(r, n * cin * h * w);
            if (sh.convOk()) {
                float[] wt = rnd(r, cout * cin * k * k), dy = rnd(r, n * cout * sh.oh() * sh.ow());
                float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
                be.conv2dForward(x, wt, y, n, cin, h, w, cout, k, s, p);
                be.conv2dBackwardInput(dy, wt, dx, n, cin, h, w, cout, k, s, p);
                be.conv2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p);
                out.addAll(List.of(y, dx, dw));
            }
            if (sh.transposeOk()) {
                float[] wt = rnd(r, cin * cout * k * k), dy = rnd(r, n * cout * sh.th() * sh.tw());
                float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wt.length];
                be.convTranspose2dForward(x, wt, y, n, cin, h, w, cout, k, s, p, 0);
                be.convTranspose2dBackwardInput(dy, wt, dx, n, cin, h, w, cout, k, s, p, 0);
                be.convTranspose2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p, 0);
                out.addAll(List.of(y, dx, dw));
            }
        }
        return out;
    }

    @Test
    void tutorialLayersBitIdenticalAcrossThreadCounts() {
        // batch 12: several work items per op, both weight-gradient strategies, channel-innermost planes
        int n = 12;
        int[][] layers = {{64, 128, 32, 0}, {256, 512, 8, 0}, {256, 128, 8, 1}, {3, 64, 64, 0}};   // cin, cout, in, transposed
        for (int[] l : layers) {
            List<float[]> outs = new ArrayList<>();
            for (FastBackend be : List.of(fast1, fast, fast3)) {
                SplittableRandom r = new SplittableRandom(12);
                int cin = l[0], cout = l[1], in = l[2];
                boolean t = l[3] == 1;
                int out = t ? 2 * in : in / 2;
                float[] x = rnd(r, n * cin * in * in), w = rnd(r, cin * cout * 16), dy = rnd(r, n * cout * out * out);
                float[] y = new float[dy.length], dx = new float[x.length], dw = rnd(r, w.length);
                if (t) {
                    be.convTranspose2dForward(x, w, y, n, cin, in, in, cout, 4, 2, 1, 0);
                    be.convTranspose2dBackwardInput(dy, w, dx, n, cin, in, in, cout, 4, 2, 1, 0);
                    be.convTranspose2dBackwardWeight(x, dy, dw, n, cin, in, in, cout, 4, 2, 1, 0);
                } else {
                    be.conv2dForward(x, w, y, n, cin, in, in, cout, 4, 2, 1);
                    be.conv2dBackwardInput(dy, w, dx, n, cin, in, in, cout, 4, 2, 1);
                    be.conv2dBackwardWeight(x, dy, dw, n, cin, in, in, cout, 4, 2, 1);
                }
                outs.addAll(List.of(y, dx, dw));
            }
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(outs.get(i), outs.get(3 + i), Arrays.toString(l) + " output " + i + ": 1 vs 2 threads");
                assertArrayEquals(outs.get(i), outs.get(6 + i), Arrays.toString(l) + " output " + i + ": 1 vs 3 threads");
            }
        }
    }

    @Test
    void deterministicAcrossRunsAndThreadCounts() {
        List<float[]> a = runAll(fast), b = runAll(fast), one = runAll(fast1), three = runAll(fast3);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "run to run, output " + i);
            assertArrayEquals(a.get(i), one.get(i), "2 threads vs 1, output " + i);
            assertArrayEquals(a.get(i), three.get(i), "2 threads vs 3, output " + i);
        }
    }

    @Test
    void everyTileShapeIsDeterministicAcrossThreadCounts() {
        for (int rows : Tile.ROWS) {
            Tile t = new Tile(VectorKernels.VL, rows, 2);
            try (FastBackend one = new FastBackend(1, t); FastBackend three = new FastBackend(3, t)) {
                List<float[]> a = runAll(one), b = runAll(three);
                for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), t + ": 1 vs 3 threads, output " + i);
            }
        }
    }

    @Test
    void selectedTileFitsThisJvm() {
        Tile t = Tile.selected();
        assertEquals(VectorKernels.VL, t.lanes(), "the selected tile uses the Vector API species here: " + t);
        assertEquals(VectorUnit.registers() >= 32 || Integer.getInteger("dcgan.tile.rows", 0) == 12 ? 12 : 6, t.rows(), t.describe());
        assertTrue(fast.kernelInfo().contains(t.rows() + "x" + t.cols()), fast.kernelInfo());
    }
}
