package dcgan.data;

/**
 * torchvision's {@code Resize(size)} (shorter side to {@code size}, bilinear, antialiased as PIL does it) followed
 * by {@code CenterCrop(size)}, {@code ToTensor()} and {@code Normalize(0.5, 0.5)}, on planar float images whose
 * values are 0..255.
 *
 * <p>The filter is PIL's: a triangle of support 1 stretched by the scale factor when shrinking (so it averages
 * all covered pixels), the plain bilinear triangle when enlarging, sampled at pixel centres; horizontal pass
 * first, then vertical. Results are rounded to whole 0..255 levels as PIL's 8-bit output is, then mapped to
 * [-1, 1].
 */
final class Resample {
    private Resample() {}

    /** PIL's coefficients for resampling {@code in} pixels to {@code out}: per output pixel, start and weights. */
    record Coeffs(int[] start, int[] count, float[] weights, int ksize) {}

    static Coeffs coeffs(int in, int out) {
        double scale = (double) in / out;
        double filterscale = Math.max(scale, 1.0);
        double support = filterscale;          // bilinear support 1.0 x filterscale
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] start = new int[out], count = new int[out];
        float[] w = new float[out * ksize];
        double ss = 1.0 / filterscale;
        for (int xx = 0; xx < out; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) xmin = 0;
            int xmax = (int) (center + support + 0.5);
            if (xmax > in) xmax = in;
            xmax -= xmin;
            double ww = 0;
            double[] k = new double[xmax];
            for (int x = 0; x < xmax; x++) {
                double t = Math.abs((x + xmin - center + 0.5) * ss);
                k[x] = t < 1.0 ? 1.0 - t : 0.0;
                ww += k[x];
            }
            for (int x = 0; x < xmax; x++) w[xx * ksize + x] = (float) (ww != 0 ? k[x] / ww : k[x]);
            start[xx] = xmin;
            count[xx] = xmax;
        }
        return new Coeffs(start, count, w, ksize);
    }

    /** Output size of torchvision's Resize(size) for an image of w x h: {width, height}. */
    static int[] resizedSize(int w, int h, int size) {
        if (w <= h) return new int[] {size, (int) ((long) size * h / w)};
        return new int[] {(int) ((long) size * w / h), size};
    }

    /**
     * Resizes {@code c} planes of {@code w x h} (values 0..255) so the shorter side is {@code size}, centre-crops
     * {@code size x size} and writes {@code v / 255 * 2 - 1} (v rounded to a whole level) to {@code dst} at
     * {@code off} as CHW.
     */
    static void resizeCropNormalize(float[] src, int c, int w, int h, int size, float[] dst, int off) {
        int[] rs = resizedSize(w, h, size);
        int rw = rs[0], rh = rs[1];
        int top = (int) Math.rint((rh - size) / 2.0), left = (int) Math.rint((rw - size) / 2.0);
        float[] horiz;   // c planes of rw x h
        if (rw == w) {
            horiz = src;
        } else {
            Coeffs cx = coeffs(w, rw);
            horiz = new float[c * h * rw];
            for (int ch = 0; ch < c; ch++) {
                int sp = ch * h * w, dp = ch * h * rw;
                for (int y = 0; y < h; y++) {
                    int srow = sp + y * w, drow = dp + y * rw;
                    for (int x = left; x < left + size; x++) {   // only the columns the crop keeps
                        int s = cx.start[x], n = cx.count[x], kb = x * cx.ksize;
                        float acc = 0f;
                        for (int k = 0; k < n; k++) acc += src[srow + s + k] * cx.weights[kb + k];
                        horiz[drow + x] = round8(acc);
                    }
                }
            }
        }
        Coeffs cy = rh == h ? null : coeffs(h, rh);
        int plane = size * size;
        for (int ch = 0; ch < c; ch++) {
            int hp = ch * h * rw;
            for (int y = 0; y < size; y++) {
                int yy = y + top;
                for (int x = 0; x < size; x++) {
                    int xx = x + left;
                    float v;
                    if (cy == null) {
                        v = horiz[hp + yy * rw + xx];
                    } else {
                        int s = cy.start[yy], n = cy.count[yy], kb = yy * cy.ksize;
                        float acc = 0f;
                        for (int k = 0; k < n; k++) acc += horiz[hp + (s + k) * rw + xx] * cy.weights[kb + k];
                        v = acc;
                    }
                    dst[off + ch * plane + y * size + x] = round8(v) * (2f / 255f) - 1f;
                }
            }
        }
    }

    private static float round8(float v) {
        if (!(v > 0f)) return 0f;
        if (v >= 255f) return 255f;
        return (float) Math.floor(v + 0.5f);
    }

    /** PIL's convert('L') weights (ITU-R 601-2 luma). */
    static float luma(float r, float g, float b) {
        return r * 0.299f + g * 0.587f + b * 0.114f;
    }
}
