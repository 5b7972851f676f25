package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * ×2 upsampling, NCHW, as PyTorch's {@code nn.Upsample(scale_factor=2)}. x: [n, c, h, w];
 * y: [n, c, 2h, 2w]. The generator's "resize-convolution" (Odena, Dumoulin &amp; Olah 2016) is one of these
 * followed by a stride-1 {@link Conv2d} with padding k/2.
 *
 * <p>Every kernel is one {@code @Parallel} loop over the elements it writes, with the per-element body in
 * a static {@code ...At} method (as {@link Conv2d}). The backward kernels gather: each parallel index owns
 * one element of dx and sums the dy elements that read it, so there are no atomics and no @Reduce.
 * Backward kernels overwrite dx.
 */
public final class Upsample {
    private Upsample() {}

    // ---------------------------------------------------------------- nearest, mode='nearest'

    /** y[b, ch, oy, ox] = x[b, ch, oy / 2, ox / 2]. */
    public static void nearest2x(float[] x, float[] y, int n, int c, int h, int w) {
        int total = n * c * (2 * h) * (2 * w);
        for (@Parallel int i = 0; i < total; i++) {
            nearest2xAt(i, x, y, h, w);
        }
    }

    public static void nearest2xAt(int i, float[] x, float[] y, int h, int w) {
        int ow = 2 * w, oh = 2 * h;
        int ox = i % ow, oy = (i / ow) % oh, plane = i / (ow * oh);
        y[i] = x[(plane * h + oy / 2) * w + ox / 2];
    }

    /** dx[b, ch, iy, ix] = sum of dy over the 2×2 outputs that copy x[b, ch, iy, ix]. */
    public static void nearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        int total = n * c * h * w;
        for (@Parallel int i = 0; i < total; i++) {
            nearest2xBackwardAt(i, dy, dx, h, w);
        }
    }

    public static void nearest2xBackwardAt(int i, float[] dy, float[] dx, int h, int w) {
        int ow = 2 * w, oh = 2 * h;
        int ix = i % w, iy = (i / w) % h, plane = i / (w * h);
        int top = (plane * oh + 2 * iy) * ow + 2 * ix;
        dx[i] = (dy[top] + dy[top + 1]) + (dy[top + ow] + dy[top + ow + 1]);
    }

    // ---------------------------------------------------------------- bilinear, align_corners=False

    /**
     * Source coordinate of output index o, as PyTorch's area_pixel_compute_source_index with scale 1/2 and
     * align_corners=False: (o + 0.5)/2 − 0.5, clamped below at 0.
     */
    public static float bilinearSource(int o) {
        float src = 0.5f * (o + 0.5f) - 0.5f;
        return src < 0f ? 0f : src;
    }

    /**
     * Weight with which output index o (along one axis) reads input index j, for an axis of length in:
     * the two taps are floor(src) and floor(src)+1 (the latter clamped to in−1, where both taps coincide).
     */
    public static float bilinearWeight(int o, int j, int in) {
        float src = bilinearSource(o);
        int j0 = (int) src;
        int j1 = j0 < in - 1 ? j0 + 1 : j0;
        float l1 = src - j0;
        float l0 = 1f - l1;
        float wgt = 0f;
        if (j0 == j) {
            wgt += l0;
        }
        if (j1 == j) {
            wgt += l1;
        }
        return wgt;
    }

    /** y = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False)(x). */
    public static void bilinear2x(float[] x, float[] y, int n, int c, int h, int w) {
        int total = n * c * (2 * h) * (2 * w);
        for (@Parallel int i = 0; i < total; i++) {
            bilinear2xAt(i, x, y, h, w);
        }
    }

    public static void bilinear2xAt(int i, float[] x, float[] y, int h, int w) {
        int ow = 2 * w, oh = 2 * h;
        int ox = i % ow, oy = (i / ow) % oh, plane = i / (ow * oh);
        float sy = bilinearSource(oy), sx = bilinearSource(ox);
        int y0 = (int) sy, x0 = (int) sx;
        int y1 = y0 < h - 1 ? y0 + 1 : y0;
        int x1 = x0 < w - 1 ? x0 + 1 : x0;
        float hl1 = sy - y0, hl0 = 1f - hl1;
        float wl1 = sx - x0, wl0 = 1f - wl1;
        int base = plane * h * w;
        y[i] = hl0 * (wl0 * x[base + y0 * w + x0] + wl1 * x[base + y0 * w + x1])
             + hl1 * (wl0 * x[base + y1 * w + x0] + wl1 * x[base + y1 * w + x1]);
    }

    /** dx = dL/dx of {@link #bilinear2x} given dy = dL/dy (overwrites dx). */
    public static void bilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        int total = n * c * h * w;
        for (@Parallel int i = 0; i < total; i++) {
            bilinear2xBackwardAt(i, dy, dx, h, w);
        }
    }

    /**
     * Gather form of the adjoint: output row oy reads input rows floor(src) and floor(src)+1 with
     * src ≈ oy/2 − 1/4, so only rows 2iy−1 … 2iy+2 can read row iy (columns likewise); the exact weights,
     * edge clamps included, come from {@link #bilinearWeight}.
     */
    public static void bilinear2xBackwardAt(int i, float[] dy, float[] dx, int h, int w) {
        int ow = 2 * w, oh = 2 * h;
        int ix = i % w, iy = (i / w) % h, plane = i / (w * h);
        int oyLo = 2 * iy - 1 < 0 ? 0 : 2 * iy - 1;
        int oyHi = 2 * iy + 2 > oh - 1 ? oh - 1 : 2 * iy + 2;
        int oxLo = 2 * ix - 1 < 0 ? 0 : 2 * ix - 1;
        int oxHi = 2 * ix + 2 > ow - 1 ? ow - 1 : 2 * ix + 2;
        int base = plane * oh * ow;
        float sum = 0f;
        for (int oy = oyLo; oy <= oyHi; oy++) {
            float wy = bilinearWeight(oy, iy, h);
            if (wy != 0f) {
                float row = 0f;
                for (int ox = oxLo; ox <= oxHi; ox++) {
                    row += bilinearWeight(ox, ix, w) * dy[base + oy * ow + ox];
                }
                sum += wy * row;
            }
        }
        dx[i] = sum;
    }
}
