package dcgan.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Finite-difference checks of every backward kernel, run through the JVM backend. For an output y = f(θ)
 * and a fixed random r, the scalar L(θ) = Σ r·y (summed in double) has gradient g = backward(dy = r).
 * Checked two ways, each with central differences of the float kernels:
 * <ul>
 *   <li>projected: for random directions v, L(θ + εv) − L(θ − εv) against g·(θ₊ − θ₋), using the perturbation
 *       that float rounding actually applied; relative tolerance 1e-2;</li>
 *   <li>entry-wise: the same for several single entries, within 1e-2·|g_j| + 2e-3·max|g|.</li>
 * </ul>
 * ε = 1e-2 on O(1) inputs: float rounding of L stays far below the difference, and the truncation error
 * of the non-linear layers (O(ε²)) far below the tolerance. BCE, whose third derivative grows like
 * 1/(1−p)³, uses ε = 1e-3 on p in [0.1, 0.9].
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GradientCheckTest {
    private static final double EPS = 1e-2;
    private static final double TOL = 1e-2;

    private final Backend be = new JvmBackend(2);
    private final Random rnd = new Random(7);

    @AfterAll
    void close() {
        be.close();
    }

    private float[] gaussian(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    /** Values with |v| ≥ 0.1: no entry near the kink of ReLU/LeakyReLU within ε. */
    private float[] awayFromZero(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) ((rnd.nextBoolean() ? 1 : -1) * (0.1 + Math.abs(rnd.nextGaussian())));
        return a;
    }

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < r.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /**
     * lossAt(θ) evaluates L at a copy of the parameter; grad is the analytic gradient at theta.
     */
    private void check(String what, float[] theta, float[] grad, Function<float[], Double> lossAt) {
        check(what, theta, grad, lossAt, EPS);
    }

    private void check(String what, float[] theta, float[] grad, Function<float[], Double> lossAt, double eps) {
        double gmax = 0;
        for (float g : grad) gmax = Math.max(gmax, Math.abs(g));
        assertTrue(gmax > 0, what + ": analytic gradient is all zero");
        // Projected along random directions.
        for (int trial = 0; trial < 3; trial++) {
            float[] plus = theta.clone(), minus = theta.clone();
            for (int i = 0; i < theta.length; i++) {
                double v = rnd.nextGaussian();
                plus[i] = (float) (theta[i] + eps * v);
                minus[i] = (float) (theta[i] - eps * v);
            }
            double fd = lossAt.apply(plus) - lossAt.apply(minus);
            double an = 0, scale = 0;
            for (int i = 0; i < theta.length; i++) {
                double d = (double) plus[i] - minus[i];
                an += grad[i] * d;
                scale += Math.abs(grad[i] * d);
            }
            assertTrue(Math.abs(fd - an) <= TOL * Math.max(Math.abs(an), 1e-2 * scale),
                    what + ": projected finite difference " + fd + " vs analytic " + an);
        }
        // Single entries.
        for (int trial = 0; trial < 6; trial++) {
            int j = rnd.nextInt(theta.length);
            float[] plus = theta.clone(), minus = theta.clone();
            plus[j] = (float) (theta[j] + eps);
            minus[j] = (float) (theta[j] - eps);
            double d = (double) plus[j] - minus[j];
            double fd = (lossAt.apply(plus) - lossAt.apply(minus)) / d;
            assertTrue(Math.abs(fd - grad[j]) <= TOL * Math.abs(grad[j]) + 2e-3 * gmax,
                    what + ": d/dθ[" + j + "] finite difference " + fd + " vs analytic " + grad[j]);
        }
    }

    @Test
    void conv2d() {
        int[][] cases = {{2, 3, 7, 6, 4, 3, 1, 1}, {2, 2, 9, 9, 3, 4, 2, 1}, {1, 2, 8, 7, 2, 5, 2, 2}, {2, 3, 6, 6, 2, 3, 2, 0}};
        for (int[] c : cases) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7];
            int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
            float[] x = gaussian(n * cin * h * w, 1), wt = gaussian(cout * cin * k * k, 0.3), r = gaussian(n * cout * oh * ow, 1);
            float[] dx = new float[x.length], dw = new float[wt.length];
            be.conv2dBackwardInput(r, wt, dx, n, cin, h, w, cout, k, s, p);
            be.conv2dBackwardWeight(x, r, dw, n, cin, h, w, cout, k, s, p);
            float[] y = new float[r.length];
            String tag = "Conv2d " + java.util.Arrays.toString(c);
            check(tag + " dx", x, dx, xx -> { be.conv2dForward(xx, wt, y, n, cin, h, w, cout, k, s, p); return dot(r, y); });
            check(tag + " dweight", wt, dw, ww -> { be.conv2dForward(x, ww, y, n, cin, h, w, cout, k, s, p); return dot(r, y); });
        }
    }

    @Test
    void convTranspose2d() {
        int[][] cases = {{2, 3, 4, 5, 2, 4, 2, 1}, {2, 2, 5, 5, 3, 3, 1, 1}, {1, 3, 3, 4, 2, 5, 2, 2}, {2, 4, 1, 1, 3, 4, 1, 0}};
        for (int[] c : cases) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7];
            int oh = ConvTranspose2d.outSize(h, k, s, p), ow = ConvTranspose2d.outSize(w, k, s, p);
            float[] x = gaussian(n * cin * h * w, 1), wt = gaussian(cin * cout * k * k, 0.3), r = gaussian(n * cout * oh * ow, 1);
            float[] dx = new float[x.length], dw = new float[wt.length];
            be.convTranspose2dBackwardInput(r, wt, dx, n, cin, h, w, cout, k, s, p, 0);
            be.convTranspose2dBackwardWeight(x, r, dw, n, cin, h, w, cout, k, s, p, 0);
            float[] y = new float[r.length];
            String tag = "ConvTranspose2d " + java.util.Arrays.toString(c);
            check(tag + " dx", x, dx, xx -> { be.convTranspose2dForward(xx, wt, y, n, cin, h, w, cout, k, s, p, 0); return dot(r, y); });
            check(tag + " dweight", wt, dw, ww -> { be.convTranspose2dForward(x, ww, y, n, cin, h, w, cout, k, s, p, 0); return dot(r, y); });
        }
    }

    @Test
    void convTranspose2dWithOutputPadding() {
        // (n, cin, h, w, cout, k, s, p, op): the generator's k3 s2 p1 op1, k5 s2 p2 op1, and op > p (zero rows)
        int[][] cases = {{2, 3, 4, 4, 2, 3, 2, 1, 1}, {1, 2, 3, 4, 3, 5, 2, 2, 1}, {2, 2, 3, 3, 2, 2, 3, 0, 2}};
        for (int[] c : cases) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7], op = c[8];
            int oh = ConvTranspose2d.outSize(h, k, s, p, op), ow = ConvTranspose2d.outSize(w, k, s, p, op);
            float[] x = gaussian(n * cin * h * w, 1), wt = gaussian(cin * cout * k * k, 0.3), r = gaussian(n * cout * oh * ow, 1);
            float[] dx = new float[x.length], dw = new float[wt.length];
            be.convTranspose2dBackwardInput(r, wt, dx, n, cin, h, w, cout, k, s, p, op);
            be.convTranspose2dBackwardWeight(x, r, dw, n, cin, h, w, cout, k, s, p, op);
            float[] y = new float[r.length];
            String tag = "ConvTranspose2d output_padding " + java.util.Arrays.toString(c);
            check(tag + " dx", x, dx, xx -> { be.convTranspose2dForward(xx, wt, y, n, cin, h, w, cout, k, s, p, op); return dot(r, y); });
            check(tag + " dweight", wt, dw, ww -> { be.convTranspose2dForward(x, ww, y, n, cin, h, w, cout, k, s, p, op); return dot(r, y); });
        }
    }

    @Test
    void batchNorm2dTrainMode() {
        int[][] cases = {{4, 3, 5 * 5}, {2, 4, 3 * 3}, {4, 8, 1}};
        for (int[] c : cases) {
            int n = c[0], ch = c[1], hw = c[2];
            float[] x = gaussian(n * ch * hw, 1.5), gamma = gaussian(ch, 0.3), beta = gaussian(ch, 0.5), r = gaussian(x.length, 1);
            for (int i = 0; i < ch; i++) gamma[i] += 1f;
            for (int i = 0; i < x.length; i++) x[i] += (i / hw) % ch; // channel offsets
            float[] mean = new float[ch], invstd = new float[ch], y = new float[x.length];
            float[] sumDy = new float[ch], sumDyXhat = new float[ch], dg = new float[ch], db = new float[ch], dx = new float[x.length];
            be.batchNormStats(x, mean, invstd, new float[ch], new float[ch], n, ch, hw);
            be.batchNormBackwardReduce(x, r, mean, invstd, sumDy, sumDyXhat, dg, db, n, ch, hw);
            be.batchNormBackwardInput(x, r, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, ch, hw);
            String tag = "BatchNorm2d " + java.util.Arrays.toString(c);
            check(tag + " dx", x, dx, xx -> bnLoss(xx, gamma, beta, r, n, ch, hw));
            check(tag + " dgamma", gamma, dg, gg -> bnLoss(x, gg, beta, r, n, ch, hw));
            check(tag + " dbeta", beta, db, bb -> bnLoss(x, gamma, bb, r, n, ch, hw));
        }
    }

    private double bnLoss(float[] x, float[] gamma, float[] beta, float[] r, int n, int ch, int hw) {
        float[] mean = new float[ch], invstd = new float[ch], y = new float[x.length];
        be.batchNormStats(x, mean, invstd, new float[ch], new float[ch], n, ch, hw);
        be.batchNormNormalize(x, y, mean, invstd, gamma, beta, n, ch, hw);
        return dot(r, y);
    }

    @FunctionalInterface
    interface Elementwise {
        void apply(float[] in, float[] out, int len);
    }

    @FunctionalInterface
    interface ElementwiseBackward {
        void apply(float[] y, float[] dy, float[] dx, int len);
    }

    private void checkActivation(String name, Elementwise f, ElementwiseBackward b) {
        int len = 2 * 3 * 4 * 4;
        float[] x = awayFromZero(len), r = gaussian(len, 1), y = new float[len], dx = new float[len];
        f.apply(x, y, len);
        b.apply(y, r, dx, len);
        float[] out = new float[len];
        check(name + " dx", x, dx, xx -> { f.apply(xx, out, len); return dot(r, out); });
    }

    @Test
    void activations() {
        checkActivation("ReLU", be::relu, be::reluBackward);
        checkActivation("LeakyReLU", be::leakyRelu, be::leakyReluBackward);
        checkActivation("Tanh", be::tanh, be::tanhBackward);
        checkActivation("Sigmoid", be::sigmoid, be::sigmoidBackward);
    }

    @Test
    void bceLoss() {
        for (float label : new float[] {0f, 1f}) {
            int n = 8;
            float[] p = new float[n];
            for (int i = 0; i < n; i++) p[i] = 0.1f + 0.8f * rnd.nextFloat();
            float[] dp = new float[n], out = new float[2];
            be.bceBackward(p, dp, label, n);
            check("BCELoss label=" + label + " dp", p, dp, pp -> { be.bceForward(pp, out, label, n); return (double) out[0]; }, 1e-3);
        }
    }

    @Test
    void linear() {
        int[][] cases = {{3, 7, 4}, {2, 16, 10}, {1, 5, 1}};   // n, in, out
        for (int[] c : cases) {
            int n = c[0], in = c[1], out = c[2];
            float[] x = gaussian(n * in, 1), wt = gaussian(out * in, 0.3), b = gaussian(out, 0.5), r = gaussian(n * out, 1);
            float[] dx = new float[x.length], dw = new float[wt.length], db = new float[out], y = new float[r.length];
            be.linearBackwardInput(r, wt, dx, n, in, out);
            be.linearBackwardWeight(x, r, dw, n, in, out);
            be.linearBackwardBias(r, db, n, out);
            String tag = "Linear " + java.util.Arrays.toString(c);
            check(tag + " dx", x, dx, xx -> { be.linearForward(xx, wt, b, y, n, in, out); return dot(r, y); });
            check(tag + " dweight", wt, dw, ww -> { be.linearForward(x, ww, b, y, n, in, out); return dot(r, y); });
            check(tag + " dbias", b, db, bb -> { be.linearForward(x, wt, bb, y, n, in, out); return dot(r, y); });
        }
    }

    @Test
    void softmaxCrossEntropy() {
        int[][] cases = {{4, 5}, {8, 10}, {1, 3}};   // n, k
        for (int[] c : cases) {
            int n = c[0], k = c[1];
            float[] logits = gaussian(n * k, 1.5), labels = new float[n];
            for (int i = 0; i < n; i++) labels[i] = rnd.nextInt(k);
            float[] probs = new float[logits.length], dlogits = new float[logits.length], out = new float[2];
            be.softmax(logits, probs, n, k);
            be.crossEntropyBackward(probs, labels, dlogits, n, k);
            check("SoftmaxCrossEntropy " + java.util.Arrays.toString(c) + " dlogits", logits, dlogits,
                    ll -> { be.crossEntropyLoss(ll, labels, out, n, k); return (double) out[0]; });
        }
    }
}
