package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * ConvTranspose2d without bias, NCHW. x: [n, cin, h, w]; weight: [cin, cout, k, k] (PyTorch's layout);
 * y: [n, cout, oh, ow] with oh = s(h − 1) − 2p + k + op, where op is PyTorch's output_padding
 * (0 ≤ op &lt; s, default 0): op more rows and columns at the bottom and right, which still receive the taps
 * that land there (they are not zeros) — e.g. k3 s2 p1 op1 doubles the size like k4 s2 p1.
 *
 * <p>Built as our notes explain it: insert s−1 zeros between input pixels, pad by k−1−p, then run a
 * stride-1 {@link Conv2d} with the flipped, in/out-swapped kernel ({@link #dilate}, {@link #flipKernel}).
 * Its gradients are ordinary strided convolutions, because ConvTranspose2d is the adjoint of
 * Conv2d(stride s, padding p) with the same weight read as [out = cin, in = cout]:
 * dx = Conv2d.forward(dy, weight) and dweight = Conv2d.backwardWeight(dy, x). With output padding those
 * Conv2d calls simply see an input (dy) op pixels larger, which Conv2d's floor in its output size absorbs.
 *
 * <p>{@link #forwardScatter} is the direct form (every input pixel scatters k×k weighted copies into the
 * output); its uneven overlap when k is not divisible by s is what makes checkerboard artifacts.
 */
public final class ConvTranspose2d {
    private ConvTranspose2d() {}

    public static int outSize(int in, int k, int s, int p) {
        return s * (in - 1) - 2 * p + k;
    }

    /** Output side with output_padding op: s(in − 1) − 2p + k + op. */
    public static int outSize(int in, int k, int s, int p, int op) {
        return s * (in - 1) - 2 * p + k + op;
    }

    /** Side of the zero-inserted, padded input: (in − 1)s + 1 + 2(k − 1 − p). Needs p ≤ k − 1. */
    public static int dilatedSize(int in, int k, int s, int p) {
        return (in - 1) * s + 1 + 2 * (k - 1 - p);
    }

    /** The same with output_padding op: op more zero rows/columns at the bottom/right. */
    public static int dilatedSize(int in, int k, int s, int p, int op) {
        return (in - 1) * s + 1 + 2 * (k - 1 - p) + op;
    }

    /**
     * z = x with s−1 zeros between pixels, k−1−p zeros of padding around and op more at the bottom and right
     * (output_padding); z: [n, cin, hz, wz] with hz = {@link #dilatedSize(int, int, int, int, int)}.
     */
    public static void dilate(float[] x, float[] z, int n, int cin, int h, int w, int k, int s, int p, int op) {
        int hz = dilatedSize(h, k, s, p, op), wz = dilatedSize(w, k, s, p, op);
        int total = n * cin * hz * wz;
        for (@Parallel int i = 0; i < total; i++) {
            dilateAt(i, x, z, h, w, k, s, p, op);
        }
    }

    public static void dilateAt(int i, float[] x, float[] z, int h, int w, int k, int s, int p, int op) {
        int hz = dilatedSize(h, k, s, p, op), wz = dilatedSize(w, k, s, p, op);
        int pad = k - 1 - p;
        int zx = i % wz, zy = (i / wz) % hz, plane = i / (wz * hz);
        int ty = zy - pad, tx = zx - pad;
        float v = 0f;
        if (ty >= 0 && tx >= 0 && ty % s == 0 && tx % s == 0 && ty / s < h && tx / s < w) {
            v = x[plane * h * w + (ty / s) * w + tx / s];
        }
        z[i] = v;
    }

    /** wf[co][ci][a][b] = weight[ci][co][k−1−a][k−1−b]: the Conv2d kernel [cout, cin, k, k] of the stride-1 form. */
    public static void flipKernel(float[] weight, float[] wf, int cin, int cout, int k) {
        int total = cout * cin * k * k;
        for (@Parallel int i = 0; i < total; i++) {
            int b = i % k, a = (i / k) % k, ci = (i / (k * k)) % cin, co = i / (k * k * cin);
            wf[i] = weight[((ci * cout + co) * k + (k - 1 - a)) * k + (k - 1 - b)];
        }
    }

    /** Direct form: each (image, output channel) plane is owned by one parallel index, which scatters into it. */
    public static void forwardScatter(float[] x, float[] weight, float[] y,
                                      int n, int cin, int h, int w, int cout, int k, int s, int p) {
        forwardScatter(x, weight, y, n, cin, h, w, cout, k, s, p, 0);
    }

    /** Direct form with output_padding op (the op extra rows/columns get the taps that land there). */
    public static void forwardScatter(float[] x, float[] weight, float[] y,
                                      int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        int total = n * cout;
        for (@Parallel int i = 0; i < total; i++) {
            forwardScatterAt(i, x, weight, y, cin, h, w, cout, k, s, p, op);
        }
    }

    public static void forwardScatterAt(int i, float[] x, float[] weight, float[] y,
                                        int cin, int h, int w, int cout, int k, int s, int p, int op) {
        int oh = outSize(h, k, s, p, op), ow = outSize(w, k, s, p, op);
        int co = i % cout, b = i / cout;
        int yBase = i * oh * ow;
        for (int j = 0; j < oh * ow; j++) {
            y[yBase + j] = 0f;
        }
        for (int ci = 0; ci < cin; ci++) {
            int xBase = (b * cin + ci) * h * w;
            int wBase = (ci * cout + co) * k * k;
            for (int iy = 0; iy < h; iy++) {
                for (int ix = 0; ix < w; ix++) {
                    float v = x[xBase + iy * w + ix];
                    for (int ky = 0; ky < k; ky++) {
                        int oy = iy * s - p + ky;
                        if (oy >= 0 && oy < oh) {
                            for (int kx = 0; kx < k; kx++) {
                                int ox = ix * s - p + kx;
                                if (ox >= 0 && ox < ow) {
                                    y[yBase + oy * ow + ox] += v * weight[wBase + ky * k + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
