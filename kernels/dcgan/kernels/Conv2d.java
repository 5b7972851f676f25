package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Conv2d without bias (as in DCGAN), NCHW. x: [n, cin, h, w]; weight: [cout, cin, k, k];
 * y: [n, cout, oh, ow] with oh = (h + 2p - k) / s + 1.
 *
 * <p>Each kernel is one {@code @Parallel} loop over the elements it owns; the per-element body is a
 * separate static method so the JVM backend can run index ranges on its own threads. Every parallel
 * index owns its output (and its own sum): no atomics, no @Reduce.
 *
 * <p>A weight (or weight gradient) is read at an offset, wOff (dwOff), into its array: the TornadoVM backend keeps
 * all of a net's parameters in one buffer, as llm.c keeps its parameter tensors in one block; elsewhere it is 0.
 */
public final class Conv2d {
    private Conv2d() {}

    public static int outSize(int in, int k, int s, int p) {
        return (in + 2 * p - k) / s + 1;
    }

    /** y = conv2d(x, weight). */
    public static void forward(float[] x, float[] weight, int wOff, float[] y,
                               int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = n * cout * outSize(h, k, s, p) * outSize(w, k, s, p);
        for (@Parallel int i = 0; i < total; i++) {
            forwardAt(i, x, weight, wOff, y, cin, h, w, cout, k, s, p);
        }
    }

    public static void forwardAt(int i, float[] x, float[] weight, int wOff, float[] y,
                                 int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = outSize(h, k, s, p), ow = outSize(w, k, s, p);
        int ox = i % ow, oy = (i / ow) % oh, co = (i / (ow * oh)) % cout, b = i / (ow * oh * cout);
        float sum = 0f;
        for (int ci = 0; ci < cin; ci++) {
            int xBase = (b * cin + ci) * h * w;
            int wBase = wOff + (co * cin + ci) * k * k;
            for (int ky = 0; ky < k; ky++) {
                int iy = oy * s - p + ky;
                if (iy >= 0 && iy < h) {
                    for (int kx = 0; kx < k; kx++) {
                        int ix = ox * s - p + kx;
                        if (ix >= 0 && ix < w) {
                            sum += x[xBase + iy * w + ix] * weight[wBase + ky * k + kx];
                        }
                    }
                }
            }
        }
        y[i] = sum;
    }

    /** dx = dL/dx given dy = dL/dy (overwrites dx). */
    public static void backwardInput(float[] dy, float[] weight, int wOff, float[] dx,
                                     int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = n * cin * h * w;
        for (@Parallel int i = 0; i < total; i++) {
            backwardInputAt(i, dy, weight, wOff, dx, cin, h, w, cout, k, s, p);
        }
    }

    public static void backwardInputAt(int i, float[] dy, float[] weight, int wOff, float[] dx,
                                       int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = outSize(h, k, s, p), ow = outSize(w, k, s, p);
        int ix = i % w, iy = (i / w) % h, ci = (i / (w * h)) % cin, b = i / (w * h * cin);
        float sum = 0f;
        for (int co = 0; co < cout; co++) {
            int dyBase = (b * cout + co) * oh * ow;
            int wBase = wOff + (co * cin + ci) * k * k;
            for (int ky = 0; ky < k; ky++) {
                int ty = iy + p - ky;               // = oy * s when this tap reaches iy
                if (ty >= 0 && ty % s == 0 && ty / s < oh) {
                    int oy = ty / s;
                    for (int kx = 0; kx < k; kx++) {
                        int tx = ix + p - kx;
                        if (tx >= 0 && tx % s == 0 && tx / s < ow) {
                            sum += dy[dyBase + oy * ow + tx / s] * weight[wBase + ky * k + kx];
                        }
                    }
                }
            }
        }
        dx[i] = sum;
    }

    /**
     * dx as {@link #backwardInput} computes it, bit for bit, looping only over the valid taps: for input phase
     * (iy mod s, ix mod s) a dense stride-1 correlation of dy with the matching sub-kernel, instead of testing
     * {@code % s} on every tap (3/4 of them fail for stride 2).
     */
    public static void backwardInputPhase(float[] dy, float[] weight, int wOff, float[] dx,
                                          int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = n * cin * h * w;
        for (@Parallel int i = 0; i < total; i++) {
            backwardInputPhaseAt(i, dy, weight, wOff, dx, cin, h, w, cout, k, s, p);
        }
    }

    /**
     * One input gradient of {@link #backwardInputPhase}. The taps ky with ty = iy + p − ky ≥ 0, ty ≡ 0 (mod s)
     * and ty / s &lt; oh are ky ≡ (iy + p) (mod s) with iy + p − (oh − 1)s ≤ ky ≤ iy + p (and 0 ≤ ky &lt; k): one
     * arithmetic run, walked upwards, so the products are added in {@link #backwardInputAt}'s order (co, ky,
     * kx ascending) and it skips no product that one adds: the same float.
     */
    public static void backwardInputPhaseAt(int i, float[] dy, float[] weight, int wOff, float[] dx,
                                            int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = outSize(h, k, s, p), ow = outSize(w, k, s, p);
        int ix = i % w, iy = (i / w) % h, ci = (i / (w * h)) % cin, b = i / (w * h * cin);
        int ty0 = iy + p, tx0 = ix + p;                 // ty = ty0 − ky
        int kyLo = ty0 % s, kxLo = tx0 % s;
        int yLo = ty0 - (oh - 1) * s, xLo = tx0 - (ow - 1) * s;   // ≡ kyLo, kxLo (mod s)
        if (yLo > kyLo) kyLo = yLo;
        if (xLo > kxLo) kxLo = xLo;
        int kyHi = ty0 < k - 1 ? ty0 : k - 1;
        int kxHi = tx0 < k - 1 ? tx0 : k - 1;
        float sum = 0f;
        for (int co = 0; co < cout; co++) {
            int dyBase = (b * cout + co) * oh * ow;
            int wBase = wOff + (co * cin + ci) * k * k;
            for (int ky = kyLo; ky <= kyHi; ky += s) {
                int dyRow = dyBase + ((ty0 - ky) / s) * ow;
                int wRow = wBase + ky * k;
                for (int kx = kxLo; kx <= kxHi; kx += s) {
                    sum += dy[dyRow + (tx0 - kx) / s] * weight[wRow + kx];
                }
            }
        }
        dx[i] = sum;
    }

    /**
     * Weight gradients of fewer weights than this run in two levels ({@link #backwardWeightPartials}, then
     * {@link #backwardWeightSum}), so that a GPU gets n times as many work-items (D's first and G's last layer of the
     * tutorial: 3,072 weights, each summing 131,072 products in one work-item otherwise); larger ones, which have
     * enough work-items already, in one ({@link #backwardWeight}). Both give the same floats.
     */
    public static final int TWO_LEVEL_BELOW = 1 << 14;

    /** True when the weight gradient of a [cout, cin, k, k] weight runs in two levels (see {@link #TWO_LEVEL_BELOW}). */
    public static boolean twoLevelWeightGradient(int cout, int cin, int k) {
        return (long) cout * cin * k * k < TWO_LEVEL_BELOW;
    }

    /** dweight += dL/dweight (accumulates, like PyTorch's .grad; zero it first). One work-item per weight. */
    public static void backwardWeight(float[] x, float[] dy, float[] dweight, int dwOff,
                                      int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = cout * cin * k * k;
        for (@Parallel int i = 0; i < total; i++) {
            backwardWeightAt(i, x, dy, dweight, dwOff, n, cin, h, w, cout, k, s, p);
        }
    }

    public static void backwardWeightAt(int i, float[] x, float[] dy, float[] dweight, int dwOff,
                                        int n, int cin, int h, int w, int cout, int k, int s, int p) {
        float sum = 0f;
        for (int b = 0; b < n; b++) {       // per-image partial sums: rounding grows with oh·ow + n, not n·oh·ow
            sum += backwardWeightImage(i, b, x, dy, cin, h, w, cout, k, s, p);
        }
        dweight[dwOff + i] += sum;
    }

    /** Image b's part of weight i's gradient: Σ over the outputs of x · dy at that tap, in row-major output order. */
    public static float backwardWeightImage(int i, int b, float[] x, float[] dy,
                                            int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = outSize(h, k, s, p), ow = outSize(w, k, s, p);
        int kx = i % k, ky = (i / k) % k, ci = (i / (k * k)) % cin, co = i / (k * k * cin);
        int xBase = (b * cin + ci) * h * w;
        int dyBase = (b * cout + co) * oh * ow;
        float part = 0f;
        for (int oy = 0; oy < oh; oy++) {
            int iy = oy * s - p + ky;
            if (iy >= 0 && iy < h) {
                for (int ox = 0; ox < ow; ox++) {
                    int ix = ox * s - p + kx;
                    if (ix >= 0 && ix < w) {
                        part += x[xBase + iy * w + ix] * dy[dyBase + oy * ow + ox];
                    }
                }
            }
        }
        return part;
    }

    /**
     * Weight gradient, level 1: part[b·W + i] = image b's part of weight i's gradient (W = cout·cin·k², n·W
     * work-items; part holds n·W floats).
     */
    public static void backwardWeightPartials(float[] x, float[] dy, float[] part,
                                              int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = n * cout * cin * k * k;
        for (@Parallel int j = 0; j < total; j++) {
            backwardWeightPartialAt(j, x, dy, part, cin, h, w, cout, k, s, p);
        }
    }

    public static void backwardWeightPartialAt(int j, float[] x, float[] dy, float[] part,
                                               int cin, int h, int w, int cout, int k, int s, int p) {
        int weights = cout * cin * k * k;
        part[j] = backwardWeightImage(j % weights, j / weights, x, dy, cin, h, w, cout, k, s, p);
    }

    /**
     * Weight gradient, level 2: dweight[i] += Σ_b part[b·W + i], images in order, so the result is
     * {@link #backwardWeight}'s, bit for bit.
     */
    public static void backwardWeightSum(float[] part, float[] dweight, int dwOff, int n, int weights) {
        for (@Parallel int i = 0; i < weights; i++) {
            backwardWeightSumAt(i, part, dweight, dwOff, n, weights);
        }
    }

    public static void backwardWeightSumAt(int i, float[] part, float[] dweight, int dwOff, int n, int weights) {
        float sum = 0f;
        for (int b = 0; b < n; b++) {
            sum += part[b * weights + i];
        }
        dweight[dwOff + i] += sum;
    }
}
