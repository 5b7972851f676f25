package dcgan.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Random;
import java.util.function.BinaryOperator;

/**
 * Checks, on small tensors, that the timed operators compute the right math: the transposed convolutions of
 * {@link Ops} and, when in use, of {@link NativeConvT} (forward, and libtorch-autograd gradients of the input and the weight) against a direct plain-Java
 * loop of nn.ConvTranspose2d's definition, y[n, co, iy·s - p + ky, ix·s - p + kx] += x[n, ci, iy, ix] ·
 * w[ci, co, ky, kx]; and the BatchNorm call (argument order, running-stat update) against its formula.
 */
final class SelfCheck {
    private SelfCheck() {}

    private static final double TOL = 1e-4;

    /** Runs all checks; throws AssertionError on a mismatch. Returns a one-line summary. */
    static String run(NDManager parent) {
        try (NDManager m = parent.newSubManager()) {
            JniUtils.setGradMode(true);
            double e1 = checkConvT(m, 2, 3, 5, 3, 2, 2, 1, Ops::convTransposeK4S2P1);   // k4 s2 p1, non-square
            double e2 = checkConvT(m, 3, 7, 4, 1, 1, 1, 0, Ops::convTransposeFrom1x1); // k4 s1 p0 on 1×1
            double e3 = checkConvT(m, 2, 4, 6, 4, 4, 2, 1, Ops::convTransposeK4S2P1);
            double e4 = checkBatchNorm(m);
            String out = String.format(java.util.Locale.ROOT,
                    "self-check ok: phase-form ConvT k4s2p1 max|err| %.2e / %.2e, ConvT k4s1p0 (1x1 input) as matmul %.2e,"
                            + " BatchNorm %.2e", e1, e3, e2, e4);
            if (Ops.nativeConvT != null) {
                NativeConvT n = Ops.nativeConvT;
                double n1 = checkConvT(m, 2, 3, 5, 3, 2, 2, 1, n::k4s2p1);
                double n2 = checkConvT(m, 3, 7, 4, 1, 1, 1, 0, n::k4s1p0);
                out += String.format(java.util.Locale.ROOT,
                        "; native conv_transpose2d (TorchScript) k4s2p1 %.2e, k4s1p0 %.2e", n1, n2);
            }
            return out;
        }
    }

    private static double checkConvT(NDManager m, int n, int cin, int cout, int h, int w, int s, int p,
                                     BinaryOperator<NDArray> op) {
        int k = 4, ho = (h - 1) * s - 2 * p + k, wo = (w - 1) * s - 2 * p + k;
        Random r = new Random(42 + 7L * h + cin);
        float[] x = rand(r, n * cin * h * w), wt = rand(r, cin * cout * k * k), g = rand(r, n * cout * ho * wo);
        float[] y = new float[n * cout * ho * wo], dx = new float[x.length], dw = new float[wt.length];
        for (int b = 0; b < n; b++)
            for (int ci = 0; ci < cin; ci++)
                for (int iy = 0; iy < h; iy++)
                    for (int ix = 0; ix < w; ix++)
                        for (int co = 0; co < cout; co++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++) {
                                    int oy = iy * s - p + ky, ox = ix * s - p + kx;
                                    if (oy < 0 || oy >= ho || ox < 0 || ox >= wo) continue;
                                    int xi = ((b * cin + ci) * h + iy) * w + ix;
                                    int wi = ((ci * cout + co) * k + ky) * k + kx;
                                    int yi = ((b * cout + co) * ho + oy) * wo + ox;
                                    y[yi] += x[xi] * wt[wi];
                                    dx[xi] += g[yi] * wt[wi];
                                    dw[wi] += x[xi] * g[yi];
                                }
        NDArray xa = m.create(x, new Shape(n, cin, h, w));
        NDArray wa = m.create(wt, new Shape(cin, cout, k, k));
        xa.setRequiresGradient(true);
        wa.setRequiresGradient(true);
        NDArray ya = op.apply(xa, wa);
        if (!ya.getShape().equals(new Shape(n, cout, ho, wo))) {
            throw new AssertionError("ConvT shape " + ya.getShape() + ", expected " + new Shape(n, cout, ho, wo));
        }
        NDArray loss = ya.mul(m.create(g, ya.getShape())).sum();
        JniUtils.backward((PtNDArray) loss, (PtNDArray) loss.onesLike(), false, false);
        double err = Math.max(maxErr("y", ya.toFloatArray(), y),
                Math.max(maxErr("dL/dx", xa.getGradient().toFloatArray(), dx),
                        maxErr("dL/dw", wa.getGradient().toFloatArray(), dw)));
        return err;
    }

    private static double checkBatchNorm(NDManager m) {
        int n = 3, c = 2, hw = 5;
        Random r = new Random(7);
        float[] x = rand(r, n * c * hw);
        float[] gamma = {1.5f, -0.5f}, beta = {0.25f, 2f};
        NDArray rm = m.zeros(new Shape(c)), rv = m.ones(new Shape(c));
        NDArray y = Ops.batchNormTrain(m.create(x, new Shape(n, c, 1, hw)), rm, rv, m.create(gamma), m.create(beta));
        float[] ref = new float[x.length], refMean = new float[c], refVar = new float[c];
        int cnt = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0, var = 0;
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) mean += x[(b * c + ch) * hw + i];
            mean /= cnt;
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) {
                double d = x[(b * c + ch) * hw + i] - mean;
                var += d * d;
            }
            var /= cnt;
            for (int b = 0; b < n; b++) for (int i = 0; i < hw; i++) {
                int j = (b * c + ch) * hw + i;
                ref[j] = (float) ((x[j] - mean) / Math.sqrt(var + 1e-5) * gamma[ch] + beta[ch]);
            }
            refMean[ch] = (float) (0.1 * mean);
            refVar[ch] = (float) (0.9 + 0.1 * var * cnt / (cnt - 1));  // running_var uses the unbiased variance
        }
        return Math.max(maxErr("BatchNorm y", y.toFloatArray(), ref),
                Math.max(maxErr("running_mean", rm.toFloatArray(), refMean),
                        maxErr("running_var", rv.toFloatArray(), refVar)));
    }

    private static float[] rand(Random r, int len) {
        float[] a = new float[len];
        for (int i = 0; i < len; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static double maxErr(String what, float[] got, float[] want) {
        if (got.length != want.length) throw new AssertionError(what + ": length " + got.length + " != " + want.length);
        double e = 0;
        for (int i = 0; i < got.length; i++) e = Math.max(e, Math.abs(got[i] - want[i]));
        if (!(e <= TOL * 10)) throw new AssertionError(what + ": max |err| " + e + " against the reference loop");
        return e;
    }
}
