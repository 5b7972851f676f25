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
 * <p>{@link #forwardPhase} computes the very same sums as the zero-insertion form, in the same order, but only
 * over the taps that land on real input pixels: for output phase (oy mod s, ox mod s) that is a dense stride-1
 * convolution with the matching sub-kernel (every s-th row and column of the flipped kernel). It is bit-identical
 * to dilate + flip + stride-1 {@link Conv2d#forward} (see {@link #forwardPhaseAt} for why) and multiplies no
 * inserted zeros: about 1/s² of the taps when s divides k.
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
    public static void flipKernel(float[] weight, int wOff, float[] wf, int cin, int cout, int k) {
        int total = cout * cin * k * k;
        for (@Parallel int i = 0; i < total; i++) {
            int b = i % k, a = (i / k) % k, ci = (i / (k * k)) % cin, co = i / (k * k * cin);
            wf[i] = weight[wOff + ((ci * cout + co) * k + (k - 1 - a)) * k + (k - 1 - b)];
        }
    }

    /**
     * The zero-insertion forward without its zeros: y as dilate + {@link #flipKernel} + stride-1
     * {@link Conv2d#forward} computes it, bit for bit, reading x and weight directly (no dilated buffer, no flipped
     * kernel). Needs p ≤ k − 1 and 0 ≤ op &lt; s, as the zero-insertion form does. The weight starts at wOff in its
     * array (see {@link Conv2d}).
     */
    public static void forwardPhase(float[] x, float[] weight, int wOff, float[] y,
                                    int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        int total = n * cout * outSize(h, k, s, p, op) * outSize(w, k, s, p, op);
        for (@Parallel int i = 0; i < total; i++) {
            forwardPhaseAt(i, x, weight, wOff, y, cin, h, w, cout, k, s, p, op);
        }
    }

    /**
     * One output of {@link #forwardPhase}. The stride-1 convolution over the dilated input z reads, for output
     * (oy, ox) and flipped tap (a, b), z at row oy + a, i.e. dilated-grid row ty = oy + a − (k − 1 − p), which is
     * a real input row iy = ty / s exactly when 0 ≤ ty, ty ≡ 0 (mod s) and ty / s &lt; h; the flipped tap a is the
     * weight's row ky = k − 1 − a. The valid a form one arithmetic run a0, a0 + s, … below aEnd (likewise b), so
     * this loops over ci, then a, then b ascending — the explicit form's order — skipping only the taps that read
     * an inserted zero.
     *
     * <p>Why the skipped taps change no bit: an inserted zero is +0.0f, so for a finite weight its product is
     * +0.0f or −0.0f. The running sum starts at +0.0f and can never become −0.0f under IEEE 754 round-to-nearest
     * (a sum is −0 only when both addends are −0; exact cancellation gives +0; gradual underflow keeps a nonzero
     * exact sum nonzero), and adding ±0 to a sum that is +0 or nonzero returns it unchanged. So every partial sum,
     * and the result, is the same float. The one exception is a non-finite weight (0 · ±∞ = NaN in the explicit
     * form only); on a device that flushes subnormals to zero a flushed negative partial sum could be −0, and the
     * two forms could then differ in the sign of a zero result.
     */
    public static void forwardPhaseAt(int i, float[] x, float[] weight, int wOff, float[] y,
                                      int cin, int h, int w, int cout, int k, int s, int p, int op) {
        int oh = outSize(h, k, s, p, op), ow = outSize(w, k, s, p, op);
        int ox = i % ow, oy = (i / ow) % oh, co = (i / (ow * oh)) % cout, b = i / (ow * oh * cout);
        int pad = k - 1 - p;
        int ty0 = oy - pad, tx0 = ox - pad;        // dilated-grid position of flipped tap 0
        int a0 = ty0 >= 0 ? (s - ty0 % s) % s : -ty0;
        int b0 = tx0 >= 0 ? (s - tx0 % s) % s : -tx0;
        int aEnd = (h - 1) * s - ty0 + 1;          // ty0 + a ≤ (h − 1)s
        int bEnd = (w - 1) * s - tx0 + 1;
        if (aEnd > k) aEnd = k;
        if (bEnd > k) bEnd = k;
        float sum = 0f;
        for (int ci = 0; ci < cin; ci++) {
            int xBase = (b * cin + ci) * h * w;
            int wBase = wOff + (ci * cout + co) * k * k;
            for (int a = a0; a < aEnd; a += s) {
                int xRow = xBase + ((ty0 + a) / s) * w;
                int wRow = wBase + (k - 1 - a) * k + (k - 1);
                for (int bb = b0; bb < bEnd; bb += s) {
                    sum += x[xRow + (tx0 + bb) / s] * weight[wRow - bb];
                }
            }
        }
        y[i] = sum;
    }

    /** Multiply-adds the zero-insertion forward executes: every tap of the stride-1 convolution over the dilated input. */
    public static long explicitMacs(int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        return (long) n * cout * outSize(h, k, s, p, op) * outSize(w, k, s, p, op) * cin * k * k;
    }

    /** Multiply-adds {@link #forwardPhase} executes: per output pixel, the taps that land on real input pixels. */
    public static long phaseMacs(int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        return (long) n * cout * cin * validTaps(h, k, s, p, op) * validTaps(w, k, s, p, op);
    }

    /** Σ over output rows of the number of kernel rows that land on one of the in input rows. */
    private static long validTaps(int in, int k, int s, int p, int op) {
        int out = outSize(in, k, s, p, op);
        long count = 0;
        for (int o = 0; o < out; o++) {
            for (int ky = 0; ky < k; ky++) {
                int t = o + p - ky;
                if (t >= 0 && t % s == 0 && t / s < in) count++;
            }
        }
        return count;
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
