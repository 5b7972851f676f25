package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Sub-pixel convolution's rearrangement, as PyTorch's {@code nn.PixelShuffle(r)}, NCHW.
 * x: [n, c·r², h, w]; y: [n, c, h·r, w·r] with
 * y[b, ch, oy, ox] = x[b, ch·r² + (oy mod r)·r + (ox mod r), oy / r, ox / r].
 * Here c is the number of output channels (PyTorch's C).
 *
 * <p>It is a permutation, so backward is the inverse permutation (PyTorch's PixelUnshuffle) and overwrites dx.
 * {@link #icnr} builds the ICNR initial weight of the convolution in front of it (Aitken et al. 2017).
 */
public final class PixelShuffle {
    private PixelShuffle() {}

    public static void forward(float[] x, float[] y, int n, int c, int h, int w, int r) {
        int total = n * c * h * r * w * r;
        for (@Parallel int i = 0; i < total; i++) {
            forwardAt(i, x, y, c, h, w, r);
        }
    }

    public static void forwardAt(int i, float[] x, float[] y, int c, int h, int w, int r) {
        int ow = w * r, oh = h * r;
        int ox = i % ow, oy = (i / ow) % oh, ch = (i / (ow * oh)) % c, b = i / (ow * oh * c);
        int cx = (ch * r + oy % r) * r + ox % r;
        y[i] = x[((b * c * r * r + cx) * h + oy / r) * w + ox / r];
    }

    /** dx[b, ch·r² + dy·r + dx, iy, ix] = dy[b, ch, iy·r + dy, ix·r + dx] (overwrites dx). */
    public static void backward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {
        int total = n * c * r * r * h * w;
        for (@Parallel int i = 0; i < total; i++) {
            backwardAt(i, dy, dx, c, h, w, r);
        }
    }

    public static void backwardAt(int i, float[] dy, float[] dx, int c, int h, int w, int r) {
        int cr = c * r * r;
        int ix = i % w, iy = (i / w) % h, cx = (i / (w * h)) % cr, b = i / (w * h * cr);
        int ch = cx / (r * r), sy = (cx / r) % r, sx = cx % r;
        int ow = w * r, oh = h * r;
        dx[i] = dy[((b * c + ch) * oh + iy * r + sy) * ow + ix * r + sx];
    }

    /**
     * ICNR (Aitken et al. 2017, "Checkerboard artifact free sub-pixel convolution"): fills the Conv2d weight
     * [c·r², cin, k, k] in front of a PixelShuffle(r) from a sub-kernel base [c, cin, k, k] so that the r²
     * convolution outputs that PixelShuffle spreads over one r×r block of output channel ch — conv channels
     * ch·r² … ch·r² + r² − 1 — all carry base[ch]: weight[oc] = base[oc / r²]. Then conv + PixelShuffle(r)
     * initially equals nearest-neighbour ×r upsampling of conv(x, base), free of checkerboard.
     * (Repeating base with stride c instead, weight[oc] = base[oc mod c], is the classic mistake: it does
     * not match PixelShuffle's channel order.)
     */
    public static void icnr(float[] base, float[] weight, int c, int cin, int k, int r) {
        int total = c * r * r * cin * k * k;
        for (@Parallel int i = 0; i < total; i++) {
            icnrAt(i, base, weight, cin, k, r);
        }
    }

    public static void icnrAt(int i, float[] base, float[] weight, int cin, int k, int r) {
        int perOut = cin * k * k;
        int oc = i / perOut, rest = i % perOut;
        weight[i] = base[(oc / (r * r)) * perOut + rest];
    }
}
