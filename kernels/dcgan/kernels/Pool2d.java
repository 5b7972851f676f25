package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Inference-only pooling, NCHW, with PyTorch's rules (ceil_mode=False): output oh = (h + 2p − k) / s + 1.
 * <ul>
 *   <li>{@link #maxPool}: F.max_pool2d; padding never wins (it is −∞). Writes channels [coff, coff + c) of an
 *       output with ctot channels, so a pooling branch concatenates with the convolution branches.</li>
 *   <li>{@link #avgPool}: F.avg_pool2d with count_include_pad=False (pytorch-fid's FID Inception blocks,
 *       as TensorFlow): the sum over the window's taps inside the image divided by their count.</li>
 *   <li>{@link #globalAvgPool}: nn.AdaptiveAvgPool2d((1, 1)): the mean of each plane.</li>
 * </ul>
 * One {@code @Parallel} loop over the outputs each writes; bodies in the {@code ...At} methods.
 */
public final class Pool2d {
    private Pool2d() {}

    /** y[:, coff:coff+c] = max_pool2d(x, k, s, p). x: [n, c, h, w]; y: [n, ctot, oh, ow]. */
    public static void maxPool(float[] x, float[] y, int n, int c, int h, int w, int k, int s, int p, int ctot, int coff) {
        int total = n * c * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        for (@Parallel int i = 0; i < total; i++) {
            maxPoolAt(i, x, y, c, h, w, k, s, p, ctot, coff);
        }
    }

    public static void maxPoolAt(int i, float[] x, float[] y, int c, int h, int w, int k, int s, int p, int ctot, int coff) {
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
        int ox = i % ow, oy = (i / ow) % oh, ch = (i / (ow * oh)) % c, b = i / (ow * oh * c);
        int base = (b * c + ch) * h * w;
        float m = Float.NEGATIVE_INFINITY;
        for (int ky = 0; ky < k; ky++) {
            int iy = oy * s - p + ky;
            if (iy >= 0 && iy < h) {
                for (int kx = 0; kx < k; kx++) {
                    int ix = ox * s - p + kx;
                    if (ix >= 0 && ix < w) {
                        float v = x[base + iy * w + ix];
                        if (v > m) m = v;
                    }
                }
            }
        }
        y[((b * ctot + coff + ch) * oh + oy) * ow + ox] = m;
    }

    /** y = avg_pool2d(x, k, s, p, count_include_pad=False). x: [n, c, h, w]; y: [n, c, oh, ow]. */
    public static void avgPool(float[] x, float[] y, int n, int c, int h, int w, int k, int s, int p) {
        int total = n * c * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        for (@Parallel int i = 0; i < total; i++) {
            avgPoolAt(i, x, y, h, w, k, s, p);
        }
    }

    public static void avgPoolAt(int i, float[] x, float[] y, int h, int w, int k, int s, int p) {
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
        int ox = i % ow, oy = (i / ow) % oh, plane = i / (ow * oh);
        int base = plane * h * w;
        float sum = 0f;
        int count = 0;
        for (int ky = 0; ky < k; ky++) {
            int iy = oy * s - p + ky;
            if (iy >= 0 && iy < h) {
                for (int kx = 0; kx < k; kx++) {
                    int ix = ox * s - p + kx;
                    if (ix >= 0 && ix < w) {
                        sum += x[base + iy * w + ix];
                        count++;
                    }
                }
            }
        }
        y[i] = sum / count;
    }

    /** y[plane] = mean of x's plane (adaptive average pooling to 1×1). x: [planes, hw]; y: [planes]. */
    public static void globalAvgPool(float[] x, float[] y, int planes, int hw) {
        for (@Parallel int i = 0; i < planes; i++) {
            globalAvgPoolAt(i, x, y, hw);
        }
    }

    public static void globalAvgPoolAt(int i, float[] x, float[] y, int hw) {
        float sum = 0f;
        for (int j = 0; j < hw; j++) {
            sum += x[i * hw + j];
        }
        y[i] = sum / hw;
    }
}
