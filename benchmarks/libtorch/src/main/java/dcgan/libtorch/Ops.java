package dcgan.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The few libtorch operators the DCGAN needs, called through DJL's PyTorch engine (each is one libtorch op
 * and takes part in libtorch's autograd). DJL 0.36's engine has no transposed convolution: by default the
 * nets call libtorch's own conv_transpose2d through {@link NativeConvT}; with {@code --convt phase}
 * {@link #convTransposeK4S2P1} builds nn.ConvTranspose2d(k=4, s=2, p=1, bias=False) from four stride-1
 * convolutions, one per output phase, and {@link #convTransposeFrom1x1} builds the generator's first layer
 * nn.ConvTranspose2d(nz, c, 4, 1, 0) on a 1×1 input as one matrix product. Both do exactly the multiply-adds
 * of the transposed convolution (no zeros inserted, no padding wasted) and are checked against plain-Java
 * loops by {@link SelfCheck}.
 */
final class Ops {
    private Ops() {}

    private static final Shape ONE = new Shape(1, 1);
    private static final Shape ZERO = new Shape(0, 0);

    /** When set, the nets use libtorch's own conv_transpose2d (TorchScript) instead of the forms below. */
    static NativeConvT nativeConvT;

    static NDArray convT4s2(NDArray x, NDArray w) {
        return nativeConvT != null ? nativeConvT.k4s2p1(x, w) : convTransposeK4S2P1(x, w);
    }

    static NDArray convT1x1(NDArray x, NDArray w) {
        return nativeConvT != null ? nativeConvT.k4s1p0(x, w) : convTransposeFrom1x1(x, w);
    }

    static PtNDArray pt(NDArray a) {
        return (PtNDArray) a;
    }

    /** F.conv2d(x, w, stride, padding, bias=None): w is [cout, cin, k, k]. */
    static NDArray conv2d(NDArray x, NDArray w, int stride, int pad) {
        return JniUtils.convolution(pt(x), pt(w), null, new Shape(stride, stride), new Shape(pad, pad), ONE, 1);
    }

    /**
     * ConvTranspose2d(cin → cout, k=4, s=2, p=1, bias=False) of x [N, cin, H, W] with PyTorch's weight layout
     * w [cin, cout, 4, 4]; returns [N, cout, 2H, 2W].
     *
     * <p>Output row oy = 2a + ry receives input rows iy with ky = oy + 1 - 2·iy in [0, 4): for ry = 0 the
     * taps are (iy = a-1, ky = 3) and (iy = a, ky = 1), for ry = 1 (iy = a, ky = 2) and (iy = a+1, ky = 0); the
     * same for columns. So phase (ry, rx) is a stride-1 2×2 cross-correlation of x, padded by one row/column
     * before (phase 0) or after (phase 1), with the sub-kernel K[co, ci, ty, tx] = w[ci, co, 3-ry-2ty,
     * 3-rx-2tx], i.e. flip(w^T)[..., ry::2, rx::2]. The four phase outputs [N, cout, H, W] are interleaved
     * into y[n, c, 2a+ry, 2b+rx] by two stacks and a reshape.
     */
    static NDArray convTransposeK4S2P1(NDArray x, NDArray w) {
        Shape s = x.getShape();
        long n = s.get(0), h = s.get(2), wd = s.get(3);
        long cout = w.getShape().get(1);
        PtNDArray wf = JniUtils.flip(JniUtils.transpose(pt(w), 0, 1), new long[] {2, 3});  // [cout, cin, 4, 4]
        PtNDArray[] rows = new PtNDArray[2];
        for (int ry = 0; ry < 2; ry++) {
            PtNDArray wRow = JniUtils.slice(wf, 2, ry, 4, 2);
            PtNDArray[] cols = new PtNDArray[2];
            for (int rx = 0; rx < 2; rx++) {
                PtNDArray k = JniUtils.slice(wRow, 3, rx, 4, 2);                       // [cout, cin, 2, 2]
                // torch pad order: (left, right, top, bottom)
                PtNDArray xp = JniUtils.pad(pt(x), new long[] {1 - rx, rx, 1 - ry, ry}, 0);
                cols[rx] = JniUtils.convolution(xp, k, null, ONE, ZERO, ONE, 1);        // [N, cout, H, W]
            }
            rows[ry] = JniUtils.stack(cols, 4);                                        // [N, cout, H, W, 2]
        }
        PtNDArray y = JniUtils.stack(rows, 3);                                         // [N, cout, H, 2, W, 2]
        return y.reshape(n, cout, 2 * h, 2 * wd);
    }

    /**
     * ConvTranspose2d(nz → cout, k=4, s=1, p=0, bias=False) of a [N, nz, 1, 1] input, weight [nz, cout, 4, 4]:
     * y[n, co, ky, kx] = Σ_ci x[n, ci] · w[ci, co, ky, kx], one [N, nz] × [nz, cout·16] matrix product.
     */
    static NDArray convTransposeFrom1x1(NDArray x, NDArray w) {
        Shape ws = w.getShape();
        long n = x.getShape().get(0), nz = ws.get(0), cout = ws.get(1), k = ws.get(2);
        NDArray y = x.reshape(n, nz).matMul(w.reshape(nz, cout * k * k));
        return y.reshape(n, cout, k, k);
    }

    /**
     * F.batch_norm in training mode with PyTorch's momentum 0.1 and eps 1e-5 (updates the running stats in
     * place). Note the native argument order: input, running_mean, running_var, weight, bias.
     */
    static NDArray batchNormTrain(NDArray x, NDArray runMean, NDArray runVar, NDArray gamma, NDArray beta) {
        return JniUtils.batchNorm(pt(x), pt(runMean), pt(runVar), pt(gamma), pt(beta), true, 0.1, 1e-5);
    }

    /** nn.BCELoss() (mean): -mean(y·max(log p, -100) + (1-y)·max(log(1-p), -100)), for a constant label y. */
    static NDArray bce(NDArray p, float label) {
        NDArray logP = p.log().maximum(-100f);
        NDArray log1mP = p.neg().add(1f).log().maximum(-100f);
        NDArray sum = label == 1f ? logP : label == 0f ? log1mP : logP.mul(label).add(log1mP.mul(1f - label));
        return sum.mean().neg();
    }
}
