package dcgan.backend.jvm;

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
 * FastJvmBackend against the reference JvmBackend: every overridden method within a norm-wise relative
 * error of 1e-5 on many shapes (odd sizes, k 1-5, s 1-2, p 0-2, batch 1-3, channel counts that are not
 * multiples of the vector width), accumulation of the gradients that accumulate, and bit-identical results
 * across runs and thread counts.
 */
class FastJvmBackendTest {
    static final double TOL = 1e-5;

    static JvmBackend ref;
    static FastJvmBackend fast, fast1, fast3, scalar;

    @BeforeAll
    static void setUp() {
        ref = new JvmBackend(2);
        fast = new FastJvmBackend(2);
        fast1 = new FastJvmBackend(1);
        fast3 = new FastJvmBackend(3);
        scalar = new FastJvmBackend(2, false);
    }

    @AfterAll
    static void tearDown() {
        for (var b : List.of(ref, fast, fast1, fast3, scalar)) b.close();
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
    static void checkConv(FastJvmBackend be, Shape sh, SplittableRandom r) {
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

    static void checkConvTranspose(FastJvmBackend be, Shape sh, SplittableRandom r) {
        int n = sh.n, cin = sh.cin, h = sh.h, w = sh.w, cout = sh.cout, k = sh.k, s = sh.s, p = sh.p;
        float[] x = rnd(r, n * cin * h * w), wt = rnd(r, cin * cout * k * k), dy = rnd(r, n * cout * sh.th() * sh.tw());
        float[] y1 = rnd(r, dy.length), y2 = rnd(r, dy.length);
        ref.convTranspose2dForward(x, wt, y1, n, cin, h, w, cout, k, s, p);
        be.convTranspose2dForward(x, wt, y2, n, cin, h, w, cout, k, s, p);
        assertClose(y1, y2, "convTranspose2dForward " + sh);
        float[] dx1 = rnd(r, x.length), dx2 = rnd(r, x.length);
        ref.convTranspose2dBackwardInput(dy, wt, dx1, n, cin, h, w, cout, k, s, p);
        be.convTranspose2dBackwardInput(dy, wt, dx2, n, cin, h, w, cout, k, s, p);
        assertClose(dx1, dx2, "convTranspose2dBackwardInput " + sh);
        float[] dw1 = rnd(r, wt.length), dw2 = dw1.clone();
        ref.convTranspose2dBackwardWeight(x, dy, dw1, n, cin, h, w, cout, k, s, p);
        be.convTranspose2dBackwardWeight(x, dy, dw2, n, cin, h, w, cout, k, s, p);
        assertClose(dw1, dw2, "convTranspose2dBackwardWeight (accumulating) " + sh);
    }

    @Test
    void vectorApiIsAvailableUnderTheBuild() {
        // surefire passes --add-modules jdk.incubator.vector (pom's jvm.flags)
        assertTrue(FastJvmBackend.vectorApiAvailable());
        assertTrue(fast.kernelInfo().startsWith("Vector API"), fast.kernelInfo());
        assertTrue(scalar.kernelInfo().startsWith("scalar"), scalar.kernelInfo());
    }

    @Test
    void conv2dMatchesReference() {
        SplittableRandom r = new SplittableRandom(1);
        for (Shape sh : SHAPES) if (sh.convOk()) checkConv(fast, sh, r);
    }

    @Test
    void convTranspose2dMatchesReference() {
        SplittableRandom r = new SplittableRandom(2);
        for (Shape sh : SHAPES) if (sh.transposeOk()) checkConvTranspose(fast, sh, r);
    }

    @Test
    void bothWeightGradientStrategiesMatchReference() {
        SplittableRandom r = new SplittableRandom(3);
        FastJvmBackend be = new FastJvmBackend(2);
        try {
            for (int max : new int[]{0, Integer.MAX_VALUE}) {   // 0: N split for all; MAX: K split for all
                be.splitKMax = max;
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
        for (int[] l : g) checkConvTranspose(fast, new Shape(2, l[0], l[2], l[2], l[1], 4, l[3], l[4]), r);
        int[][] d = {{3, 64, 64, 2, 1}, {64, 128, 32, 2, 1}, {128, 256, 16, 2, 1}, {256, 512, 8, 2, 1}, {512, 1, 4, 1, 0}};
        for (int[] l : d) checkConv(fast, new Shape(2, l[0], l[2], l[2], l[1], 4, l[3], l[4]), r);
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
                fast.sgemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, c, 0, n, acc);
                assertClose(expect, c, "sgemm " + Arrays.toString(d) + " transA=" + ta + " transB=" + tb + " acc=" + acc);
            }
        }
    }

    /** All outputs of one pass over every shape, to compare bit for bit. */
    static List<float[]> runAll(FastJvmBackend be) {
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
                be.convTranspose2dForward(x, wt, y, n, cin, h, w, cout, k, s, p);
                be.convTranspose2dBackwardInput(dy, wt, dx, n, cin, h, w, cout, k, s, p);
                be.convTranspose2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p);
                out.addAll(List.of(y, dx, dw));
            }
        }
        return out;
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
}
