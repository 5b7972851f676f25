package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Inference-only Conv2d for Inception-v3's BasicConv2d with BatchNorm (eval mode) folded in: a rectangular
 * kernel (kh × kw, e.g. 1×7, 7×1, 1×3, 3×1), separate strides (sh, sw) and zero padding (ph, pw), a per-channel
 * bias and an optional ReLU. NCHW. x: [n, cin, h, w]; weight: [cout, cin, kh, kw]; bias: [cout];
 * output oh = (h + 2ph − kh) / sh + 1 (ow likewise), written into channels [coff, coff + cout) of y:
 * [n, ctot, oh, ow], so the branches of an Inception block concatenate along channels (torch.cat(…, 1)) by
 * writing into one buffer. relu: 1 applies max(0, ·), 0 does not.
 *
 * <p>One {@code @Parallel} loop over the outputs it writes, with the per-element body in {@link #forwardAt}
 * (as {@link Conv2d}); each index owns its output and its sum.
 */
public final class Conv2dRect {
    private Conv2dRect() {}

    /** y[:, coff:coff+cout] = act(conv2d(x, weight) + bias). */
    public static void forward(float[] x, float[] weight, float[] bias, float[] y, int n, int cin, int h, int w,
                               int cout, int kh, int kw, int sh, int sw, int ph, int pw, int ctot, int coff, int relu) {
        int total = n * cout * Conv2d.outSize(h, kh, sh, ph) * Conv2d.outSize(w, kw, sw, pw);
        for (@Parallel int i = 0; i < total; i++) {
            forwardAt(i, x, weight, bias, y, cin, h, w, cout, kh, kw, sh, sw, ph, pw, ctot, coff, relu);
        }
    }

    /** Output i counts (b, co, oy, ox) over [n, cout, oh, ow]; it lands at channel coff + co of y. */
    public static void forwardAt(int i, float[] x, float[] weight, float[] bias, float[] y, int cin, int h, int w,
                                 int cout, int kh, int kw, int sh, int sw, int ph, int pw, int ctot, int coff, int relu) {
        int oh = Conv2d.outSize(h, kh, sh, ph), ow = Conv2d.outSize(w, kw, sw, pw);
        int ox = i % ow, oy = (i / ow) % oh, co = (i / (ow * oh)) % cout, b = i / (ow * oh * cout);
        float sum = 0f;
        for (int ci = 0; ci < cin; ci++) {
            int xBase = (b * cin + ci) * h * w;
            int wBase = (co * cin + ci) * kh * kw;
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sh - ph + ky;
                if (iy >= 0 && iy < h) {
                    for (int kx = 0; kx < kw; kx++) {
                        int ix = ox * sw - pw + kx;
                        if (ix >= 0 && ix < w) {
                            sum += x[xBase + iy * w + ix] * weight[wBase + ky * kw + kx];
                        }
                    }
                }
            }
        }
        float v = sum + bias[co];
        if (relu != 0 && v < 0f) v = 0f;
        y[((b * ctot + coff + co) * oh + oy) * ow + ox] = v;
    }
}
