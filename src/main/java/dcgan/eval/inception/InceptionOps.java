package dcgan.eval.inception;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.backend.jvm.ParallelFor;
import dcgan.eval.inception.InceptionArchitecture.ConvSpec;
import dcgan.eval.inception.InceptionWeights.Folded;
import dcgan.kernels.Conv2d;
import dcgan.kernels.Conv2dRect;
import dcgan.kernels.Linear;
import dcgan.kernels.Pool2d;
import dcgan.kernels.Resize;
import dcgan.kernels.SoftmaxCrossEntropy;

/**
 * Runs the Inception network's ops on the host, over the plain kernels of kernels/ ({@link Conv2dRect},
 * {@link Pool2d}, {@link Resize}, {@link Linear}, {@link SoftmaxCrossEntropy}) split over threads by index, as
 * the jvm-plain backend runs its kernels. With the fast CPU backend ({@link FastBackend}) the convolutions are
 * instead its packed, vectorised GEMM: per image, Y[cout, oh·ow] = W[cout, cin·kh·kw] × im2col(x) (a 1×1
 * stride-1 convolution reads x as it is), written at its channel offset, then bias and ReLU. Device backends
 * (TornadoVM) get the same on the host, with a fast backend of their own for the GEMM: the network's ~100 layer
 * shapes are not recorded as device tasks (yet).
 */
final class InceptionOps implements AutoCloseable {
    private static final int CHUNK = 256;

    private final ParallelFor par;
    private final FastBackend fast;
    private final boolean ownsFast;
    private final String describe;
    private float[] col = new float[0];

    /** gemm: use the fast backend's GEMM when be is one. */
    InceptionOps(Backend be, boolean gemm) {
        int threads = be instanceof FastBackend f ? f.threads()
                : be instanceof JvmBackend j ? j.threads() : Runtime.getRuntime().availableProcessors();
        this.par = new ParallelFor(threads);
        // jvm-plain is the reference: its plain kernels; a device backend (TornadoVM) gets a host GEMM of its own.
        this.ownsFast = gemm && !(be instanceof FastBackend) && !(be instanceof JvmBackend);
        this.fast = !gemm ? null : be instanceof FastBackend f ? f : ownsFast ? new FastBackend(threads) : null;
        this.describe = (fast != null ? "im2col + the jvm backend's GEMM" : "plain kernels") + " on the host, "
                + threads + " thread" + (threads == 1 ? "" : "s");
    }

    String describe() {
        return describe;
    }

    /** y[:, coff:coff+cout] = relu(conv(x) + bias) for x [n, cin, h, w] and y [n, ctot, oh, ow]. */
    void conv(Folded l, float[] x, int n, int h, int w, float[] y, int ctot, int coff) {
        ConvSpec s = l.spec();
        int oh = s.outH(h), ow = s.outW(w);
        if (fast == null) {
            par.run(n * s.cout() * oh * ow, CHUNK, (from, to) -> {
                for (int i = from; i < to; i++) {
                    Conv2dRect.forwardAt(i, x, l.weight(), l.bias(), y, s.cin(), h, w, s.cout(), s.kh(), s.kw(),
                            s.sh(), s.sw(), s.ph(), s.pw(), ctot, coff, 1);
                }
            });
            return;
        }
        int k = s.cin() * s.kh() * s.kw(), m = oh * ow;
        boolean direct = s.kh() == 1 && s.kw() == 1 && s.sh() == 1 && s.sw() == 1 && s.ph() == 0 && s.pw() == 0;
        for (int b = 0; b < n; b++) {
            float[] src = x;
            int srcOff = b * s.cin() * h * w;
            if (!direct) {
                im2col(s, x, b, h, w, oh, ow);
                src = col;
                srcOff = 0;
            }
            int yOff = (b * ctot + coff) * m;
            fast.sgemm(false, false, s.cout(), m, k, l.weight(), 0, k, src, srcOff, m, y, yOff, m, false);
            float[] bias = l.bias();
            par.run(s.cout(), 1, (from, to) -> {
                for (int co = from; co < to; co++) {
                    float bv = bias[co];
                    for (int j = yOff + co * m, end = j + m; j < end; j++) {
                        float v = y[j] + bv;
                        y[j] = v < 0f ? 0f : v;
                    }
                }
            });
        }
    }

    /** col [cin·kh·kw, oh·ow]: row (ci, ky, kx) holds x[b, ci, oy·sh − ph + ky, ox·sw − pw + kx] (0 outside). */
    private void im2col(ConvSpec s, float[] x, int b, int h, int w, int oh, int ow) {
        int rows = s.cin() * s.kh() * s.kw(), m = oh * ow;
        if (col.length < rows * m) col = new float[rows * m];
        float[] c = col;
        par.run(rows, 4, (from, to) -> {
            for (int r = from; r < to; r++) {
                int kx = r % s.kw(), ky = (r / s.kw()) % s.kh(), ci = r / (s.kw() * s.kh());
                int xBase = (b * s.cin() + ci) * h * w, cBase = r * m;
                for (int oy = 0; oy < oh; oy++) {
                    int iy = oy * s.sh() - s.ph() + ky;
                    int row = cBase + oy * ow;
                    if (iy < 0 || iy >= h) {
                        java.util.Arrays.fill(c, row, row + ow, 0f);
                        continue;
                    }
                    for (int ox = 0; ox < ow; ox++) {
                        int ix = ox * s.sw() - s.pw() + kx;
                        c[row + ox] = ix >= 0 && ix < w ? x[xBase + iy * w + ix] : 0f;
                    }
                }
            }
        });
    }

    /** y[:, coff:coff+c] = max_pool2d(x, k, s, p); x [n, c, h, w], y [n, ctot, oh, ow]. */
    void maxPool(float[] x, float[] y, int n, int c, int h, int w, int k, int s, int p, int ctot, int coff) {
        int total = n * c * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        par.run(total, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) Pool2d.maxPoolAt(i, x, y, c, h, w, k, s, p, ctot, coff);
        });
    }

    /** avg_pool2d(x, k, s, p, count_include_pad=False). */
    void avgPool(float[] x, float[] y, int n, int c, int h, int w, int k, int s, int p) {
        int total = n * c * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        par.run(total, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) Pool2d.avgPoolAt(i, x, y, h, w, k, s, p);
        });
    }

    /** Mean of each of the planes [planes, hw]. */
    void globalAvgPool(float[] x, float[] y, int planes, int hw) {
        par.run(planes, 16, (from, to) -> {
            for (int i = from; i < to; i++) Pool2d.globalAvgPoolAt(i, x, y, hw);
        });
    }

    /** Bilinear resize of x [n, cin, h, w] to y [n, cout, oh, ow] (cin = 1: grey to every channel). */
    void resize(float[] x, float[] y, int n, int cin, int h, int w, int cout, int oh, int ow) {
        par.run(n * cout * oh * ow, CHUNK, (from, to) -> {
            for (int i = from; i < to; i++) Resize.bilinearAt(i, x, y, cin, h, w, cout, oh, ow);
        });
    }

    /** probs [n, out] = softmax(x [n, in] · weightᵀ + bias). */
    void linearSoftmax(float[] x, float[] weight, float[] bias, float[] probs, int n, int in, int out) {
        float[] logits = new float[n * out];
        par.run(n * out, 16, (from, to) -> {
            for (int i = from; i < to; i++) Linear.forwardAt(i, x, weight, 0, bias, 0, logits, in, out);
        });
        for (int r = 0; r < n; r++) SoftmaxCrossEntropy.softmaxAt(r, logits, probs, out);
    }

    @Override
    public void close() {
        par.close();
        if (ownsFast) fast.close();
    }
}
