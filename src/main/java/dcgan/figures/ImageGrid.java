package dcgan.figures;

import java.awt.image.BufferedImage;

/**
 * torchvision's {@code make_grid} as the DCGAN tutorial calls it
 * ({@code vutils.make_grid(fake, padding=2, normalize=True)}), producing an RGB {@link BufferedImage}.
 *
 * <p>Semantics, as in torchvision: images are laid out row-major, {@code nrow} per row ({@code min(nrow, n)}
 * columns, {@code ceil(n / columns)} rows); each cell is the image plus {@code padding} pixels and the grid has an
 * extra {@code padding} on the top and left; the padding holds the pad value 0 (black). With
 * {@code normalize=true} the whole batch (one range for all images, {@code scale_each=False}) is clamped to its
 * [min, max] and mapped to [0, 1] as {@code (x - min) / max(max - min, 1e-5)}; otherwise values are taken as
 * [0, 1]. A batch of one image gives that image alone, without padding. One-channel images are repeated to
 * RGB. Floats become bytes as {@code save_image} does: {@code clamp(x * 255 + 0.5, 0, 255)}, truncated.
 */
public final class ImageGrid {
    private ImageGrid() {}

    /** The tutorial's grid: nrow 8, padding 2, normalize over the whole batch. */
    public static BufferedImage make(float[] batch, int n, int c, int h, int w) {
        return make(batch, n, c, h, w, 8, 2, true);
    }

    /**
     * A grid of the first {@code n} NCHW images in {@code batch} ({@code c} = 1 or 3).
     *
     * @throws IllegalArgumentException if the sizes are not positive or {@code batch} is too short
     */
    public static BufferedImage make(float[] batch, int n, int c, int h, int w, int nrow, int padding, boolean normalize) {
        checkDims(batch, 0, n, c, h, w);
        if (nrow < 1) throw new IllegalArgumentException("nrow must be >= 1, got " + nrow);
        if (padding < 0) throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        float lo = 0f, hi = 1f;
        if (normalize) {
            int len = n * c * h * w;
            float min = Float.POSITIVE_INFINITY, max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < len; i++) {
                float v = batch[i];
                if (v < min) min = v;
                if (v > max) max = v;
            }
            lo = min;
            hi = lo + Math.max(max - min, 1e-5f);
        }
        if (n == 1) return toImage(batch, 0, c, h, w, lo, hi);
        int cols = Math.min(nrow, n);
        int rows = (n + cols - 1) / cols;
        long gw = (long) cols * (w + padding) + padding, gh = (long) rows * (h + padding) + padding;
        if (gw * gh > Integer.MAX_VALUE / 4) throw new IllegalArgumentException("grid of " + gw + "x" + gh + " is too large");
        BufferedImage img = new BufferedImage((int) gw, (int) gh, BufferedImage.TYPE_INT_RGB); // zero = black padding
        int[] row = new int[w];
        for (int k = 0; k < n; k++) {
            int x0 = padding + (k % cols) * (w + padding), y0 = padding + (k / cols) * (h + padding);
            int base = k * c * h * w;
            for (int y = 0; y < h; y++) {
                fillRow(batch, base, c, h, w, y, lo, hi, row);
                img.setRGB(x0, y0 + y, w, 1, row, 0, w);
            }
        }
        return img;
    }

    /**
     * One CHW image at {@code offset} as RGB, values mapped from [lo, hi] to [0, 255] (clamped, rounded half up as
     * {@code save_image} does).
     */
    public static BufferedImage toImage(float[] chw, int offset, int c, int h, int w, float lo, float hi) {
        checkDims(chw, offset, 1, c, h, w);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            fillRow(chw, offset, c, h, w, y, lo, hi, row);
            img.setRGB(0, y, w, 1, row, 0, w);
        }
        return img;
    }

    private static void fillRow(float[] src, int base, int c, int h, int w, int y, float lo, float hi, int[] row) {
        float scale = 1f / (hi - lo);
        int plane = h * w;
        for (int x = 0; x < w; x++) {
            int i = base + y * w + x;
            int r = toByte(src[i], lo, scale);
            int g = c == 3 ? toByte(src[i + plane], lo, scale) : r;
            int b = c == 3 ? toByte(src[i + 2 * plane], lo, scale) : r;
            row[x] = (r << 16) | (g << 8) | b;
        }
    }

    private static int toByte(float v, float lo, float scale) {
        float u = (v - lo) * scale;           // [0, 1] after normalize's clamp
        float s = u * 255f + 0.5f;
        if (!(s > 0f)) return 0;              // also NaN
        if (s >= 255f) return 255;
        return (int) s;
    }

    private static void checkDims(float[] a, int offset, int n, int c, int h, int w) {
        if (n < 1 || h < 1 || w < 1) throw new IllegalArgumentException("image batch needs n, h, w >= 1, got n=" + n + " h=" + h + " w=" + w);
        if (c != 1 && c != 3) throw new IllegalArgumentException("images must have 1 or 3 channels, got " + c);
        long need = (long) n * c * h * w;
        if (offset < 0 || offset + need > a.length)
            throw new IllegalArgumentException("array of " + a.length + " floats is too short for " + n + "x" + c + "x" + h + "x" + w + " at offset " + offset);
    }
}
