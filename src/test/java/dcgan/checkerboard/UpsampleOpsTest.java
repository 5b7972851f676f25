package dcgan.checkerboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.kernels.PixelShuffle;
import dcgan.kernels.Upsample;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Upsample nearest/bilinear ×2 and PixelShuffle: PyTorch parity, finite differences, adjoints; ICNR. */
class UpsampleOpsTest {
    static final double TOL = 1e-5;
    static final JvmBackend BACKEND = new JvmBackend(2);
    static final CheckerboardFixtures FIX = new CheckerboardFixtures();

    @AfterAll
    static void close() {
        BACKEND.close();
    }

    /** An op with its shapes: forward x → y and backward dy → dx. */
    interface Op {
        void forward(float[] x, float[] y);

        void backward(float[] dy, float[] dx);
    }

    static Op nearest(Backend b, int n, int c, int h, int w) {
        return new Op() {
            public void forward(float[] x, float[] y) { b.upsampleNearest2x(x, y, n, c, h, w); }
            public void backward(float[] dy, float[] dx) { b.upsampleNearest2xBackward(dy, dx, n, c, h, w); }
        };
    }

    static Op bilinear(Backend b, int n, int c, int h, int w) {
        return new Op() {
            public void forward(float[] x, float[] y) { b.upsampleBilinear2x(x, y, n, c, h, w); }
            public void backward(float[] dy, float[] dx) { b.upsampleBilinear2xBackward(dy, dx, n, c, h, w); }
        };
    }

    static Op shuffle(Backend b, int n, int c, int h, int w, int r) {
        return new Op() {
            public void forward(float[] x, float[] y) { b.pixelShuffle(x, y, n, c, h, w, r); }
            public void backward(float[] dy, float[] dx) { b.pixelShuffleBackward(dy, dx, n, c, h, w, r); }
        };
    }

    /** The kernels' own @Parallel loops run serially (what TornadoVM compiles), not the backend's split. */
    static Op kernelLoops(String kind, int n, int c, int h, int w, int r) {
        return switch (kind) {
            case "nearest" -> new Op() {
                public void forward(float[] x, float[] y) { Upsample.nearest2x(x, y, n, c, h, w); }
                public void backward(float[] dy, float[] dx) { Upsample.nearest2xBackward(dy, dx, n, c, h, w); }
            };
            case "bilinear" -> new Op() {
                public void forward(float[] x, float[] y) { Upsample.bilinear2x(x, y, n, c, h, w); }
                public void backward(float[] dy, float[] dx) { Upsample.bilinear2xBackward(dy, dx, n, c, h, w); }
            };
            default -> new Op() {
                public void forward(float[] x, float[] y) { PixelShuffle.forward(x, y, n, c, h, w, r); }
                public void backward(float[] dy, float[] dx) { PixelShuffle.backward(dy, dx, n, c, h, w, r); }
            };
        };
    }

    /** Checks every fixture case of one op family against PyTorch; returns the worst relative error. */
    static double parity(String kind) {
        List<String> cases = FIX.cases(kind);
        assertFalse(cases.isEmpty(), "no fixtures for " + kind);
        double worst = 0;
        for (String cs : cases) {
            var x = FIX.get(cs + ".x");
            var y = FIX.get(cs + ".y");
            var dy = FIX.get(cs + ".dy");
            var dx = FIX.get(cs + ".dx");
            int n = x.dim(0), h = x.dim(2), w = x.dim(3);
            int r = y.dim(2) / h;
            int c = y.dim(1);
            Op viaBackend = switch (kind) {
                case "nearest" -> nearest(BACKEND, n, c, h, w);
                case "bilinear" -> bilinear(BACKEND, n, c, h, w);
                default -> shuffle(BACKEND, n, c, h, w, r);
            };
            for (Op op : List.of(viaBackend, kernelLoops(kind, n, c, h, w, r))) {
                float[] yj = new float[y.data().length];
                float[] dxj = new float[x.data().length];
                java.util.Arrays.fill(dxj, Float.NaN); // backward must overwrite
                op.forward(x.data(), yj);
                op.backward(dy.data(), dxj);
                double ey = CheckerboardFixtures.relErr(yj, y.data());
                double edx = CheckerboardFixtures.relErr(dxj, dx.data());
                assertTrue(ey <= TOL, cs + " forward: rel err " + ey);
                assertTrue(edx <= TOL, cs + " backward: rel err " + edx);
                worst = Math.max(worst, Math.max(ey, edx));
            }
        }
        System.out.printf("parity %-12s %d cases, worst ||java-torch||/||torch|| = %.3g%n", kind, cases.size(), worst);
        return worst;
    }

    @Test
    void nearestMatchesPyTorch() {
        parity("nearest");
    }

    @Test
    void bilinearMatchesPyTorch() {
        parity("bilinear");
    }

    @Test
    void pixelShuffleMatchesPyTorch() {
        parity("pixelshuffle");
    }

    static float[] randn(int len, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) (rng.nextDouble() * 2 - 1);
        return a;
    }

    /**
     * Finite differences: L(x) = Σ y(x)·g; dL/dx_i ≈ (L(x + εe_i) − L(x − εe_i)) / 2ε, with L summed in
     * double, for every input element; plus the adjoint identity ⟨op(x), g⟩ = ⟨x, opᵀ(g)⟩.
     */
    static void gradCheck(Op op, int inLen, int outLen, long seed) {
        float[] x = randn(inLen, seed), g = randn(outLen, seed + 1);
        float[] dx = new float[inLen];
        op.backward(g, dx);
        float[] y = new float[outLen];
        float eps = 1e-2f;
        double maxErr = 0;
        for (int i = 0; i < inLen; i++) {
            float keep = x[i];
            x[i] = keep + eps;
            op.forward(x, y);
            double lp = dot(y, g);
            x[i] = keep - eps;
            op.forward(x, y);
            double lm = dot(y, g);
            x[i] = keep;
            double fd = (lp - lm) / (2 * eps);
            maxErr = Math.max(maxErr, Math.abs(fd - dx[i]) / Math.max(1, Math.abs(fd)));
        }
        assertTrue(maxErr < 1e-3, "finite-difference gradient off by " + maxErr);
        op.forward(x, y);
        double lhs = dot(y, g), rhs = dot(x, dx);
        assertEquals(lhs, rhs, 1e-5 * Math.max(1, Math.abs(lhs)), "adjoint identity");
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }

    @Test
    void nearestGradientsByFiniteDifferences() {
        gradCheck(nearest(BACKEND, 2, 3, 5, 4), 2 * 3 * 5 * 4, 2 * 3 * 10 * 8, 1);
        gradCheck(nearest(BACKEND, 1, 1, 1, 1), 1, 4, 2);
    }

    @Test
    void bilinearGradientsByFiniteDifferences() {
        gradCheck(bilinear(BACKEND, 2, 3, 5, 4), 2 * 3 * 5 * 4, 2 * 3 * 10 * 8, 3);
        gradCheck(bilinear(BACKEND, 1, 2, 1, 3), 6, 2 * 2 * 6, 4);
        gradCheck(bilinear(BACKEND, 1, 1, 7, 2), 14, 4 * 14, 5);
    }

    @Test
    void pixelShuffleGradientsByFiniteDifferences() {
        gradCheck(shuffle(BACKEND, 2, 3, 3, 4, 2), 2 * 12 * 3 * 4, 2 * 3 * 6 * 8, 6);
        gradCheck(shuffle(BACKEND, 1, 2, 2, 3, 3), 18 * 6, 2 * 6 * 9, 7);
    }

    @Test
    void bilinearWeightsAreQuarterAndThreeQuarters() {
        // One row [a, b] → two rows [a, .75a + .25b, .25a + .75b, b] (edges clamp), as PyTorch.
        float[] x = {1f, 5f}, y = new float[8];
        Upsample.bilinear2x(x, y, 1, 1, 1, 2);
        assertArrayEquals(new float[] {1f, 2f, 4f, 5f, 1f, 2f, 4f, 5f}, y, 0f);
    }

    @Test
    void pixelShuffleBackwardInvertsForward() {
        int n = 2, c = 3, h = 4, w = 5, r = 2;
        float[] x = randn(n * c * r * r * h * w, 9), y = new float[x.length], back = new float[x.length];
        BACKEND.pixelShuffle(x, y, n, c, h, w, r);
        BACKEND.pixelShuffleBackward(y, back, n, c, h, w, r);
        assertArrayEquals(x, back, 0f);
    }

    /** ICNR: conv(x, icnr(base)) + PixelShuffle(r) == nearest ×r of conv(x, base), exactly. */
    @Test
    void icnrInitialOutputIsNearestUpsamplingOfAConv() {
        int n = 2, cin = 3, c = 4, h = 5, w = 6, k = 3, r = 2;
        float[] weight = Icnr.init(c, cin, k, r, 0.02f, new Random(42));
        float[] base = new float[c * cin * k * k];
        for (int co = 0; co < c; co++) {
            System.arraycopy(weight, co * r * r * cin * k * k, base, co * cin * k * k, cin * k * k);
        }
        float[] x = randn(n * cin * h * w, 11);
        float[] conv = new float[n * c * r * r * h * w], shuffled = new float[n * c * h * r * w * r];
        BACKEND.conv2dForward(x, weight, conv, n, cin, h, w, c * r * r, k, 1, 1);
        BACKEND.pixelShuffle(conv, shuffled, n, c, h, w, r);

        float[] small = new float[n * c * h * w], nearest = new float[n * c * 4 * h * w];
        BACKEND.conv2dForward(x, base, small, n, cin, h, w, c, k, 1, 1);
        BACKEND.upsampleNearest2x(small, nearest, n, c, h, w);
        assertArrayEquals(nearest, shuffled, 0f);

        // The wrong ordering (weight[oc] = base[oc mod c]) does not give that.
        float[] wrong = new float[weight.length];
        for (int oc = 0; oc < c * r * r; oc++) {
            System.arraycopy(base, (oc % c) * cin * k * k, wrong, oc * cin * k * k, cin * k * k);
        }
        BACKEND.conv2dForward(x, wrong, conv, n, cin, h, w, c * r * r, k, 1, 1);
        BACKEND.pixelShuffle(conv, shuffled, n, c, h, w, r);
        assertFalse(java.util.Arrays.equals(nearest, shuffled));
    }
}
