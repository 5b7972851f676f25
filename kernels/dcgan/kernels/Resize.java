package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Bilinear resize to any size, NCHW, as PyTorch's {@code F.interpolate(x, size=(oh, ow), mode='bilinear',
 * align_corners=False)} (no antialiasing): output pixel o reads the source coordinate
 * max(0, (o + 0.5) · in/out − 0.5), the two neighbours around it (the upper one clamped to the last row or
 * column) with weights 1 − λ and λ. x: [n, cin, h, w]; y: [n, cout, oh, ow] with cin = cout, or cin = 1 and
 * the one channel copied to every output channel (a grey image as RGB, as PIL's convert('RGB')).
 */
public final class Resize {
    private Resize() {}

    public static void bilinear(float[] x, float[] y, int n, int cin, int h, int w, int cout, int oh, int ow) {
        int total = n * cout * oh * ow;
        for (@Parallel int i = 0; i < total; i++) {
            bilinearAt(i, x, y, cin, h, w, cout, oh, ow);
        }
    }

    public static void bilinearAt(int i, float[] x, float[] y, int cin, int h, int w, int cout, int oh, int ow) {
        int ox = i % ow, oy = (i / ow) % oh, c = (i / (ow * oh)) % cout, b = i / (ow * oh * cout);
        int ci = cin == 1 ? 0 : c;
        float sy = (oy + 0.5f) * ((float) h / oh) - 0.5f;
        float sx = (ox + 0.5f) * ((float) w / ow) - 0.5f;
        if (sy < 0f) sy = 0f;
        if (sx < 0f) sx = 0f;
        int y0 = (int) sy, x0 = (int) sx;
        int y1 = y0 < h - 1 ? y0 + 1 : y0, x1 = x0 < w - 1 ? x0 + 1 : x0;
        float ly = sy - y0, lx = sx - x0;
        int base = (b * cin + ci) * h * w;
        float top = (1f - lx) * x[base + y0 * w + x0] + lx * x[base + y0 * w + x1];
        float bottom = (1f - lx) * x[base + y1 * w + x0] + lx * x[base + y1 * w + x1];
        y[i] = (1f - ly) * top + ly * bottom;
    }
}
