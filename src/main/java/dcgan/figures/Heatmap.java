package dcgan.figures;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Renders a float map as a false-colour PNG through {@code javax.imageio}: a perceptually uniform colormap
 * (viridis or magma, hand-coded as 11 stops of matplotlib's tables, linearly interpolated), pixels enlarged
 * by an integer factor so small maps stay readable, and an unlabelled colour bar on the right (bottom = lo,
 * top = hi; the numbers belong in the caption or the table).
 */
public final class Heatmap {
    private Heatmap() {}

    /** Colormaps as their values at t = 0, 0.1, …, 1 (matplotlib's viridis and magma). */
    public enum Colormap {
        VIRIDIS(0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c,
                0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725),
        MAGMA(0x000004, 0x140e36, 0x3b0f70, 0x641a80, 0x8c2981, 0xb73779,
              0xde4968, 0xf7705c, 0xfe9f6d, 0xfecf92, 0xfcfdbf);

        private final int[] stops;

        Colormap(int... stops) {
            this.stops = stops;
        }

        /** Packed RGB at t in [0, 1] (clamped; NaN gives the lowest colour). */
        public int rgb(double t) {
            if (!(t > 0)) t = 0;
            if (t > 1) t = 1;
            double pos = t * (stops.length - 1);
            int a = Math.min((int) pos, stops.length - 2);
            double f = pos - a;
            int ca = stops[a], cb = stops[a + 1];
            int r = mix(ca >> 16 & 0xff, cb >> 16 & 0xff, f);
            int g = mix(ca >> 8 & 0xff, cb >> 8 & 0xff, f);
            int b = mix(ca & 0xff, cb & 0xff, f);
            return r << 16 | g << 8 | b;
        }

        private static int mix(int a, int b, double f) {
            return (int) Math.round(a + (b - a) * f);
        }
    }

    /** Enlargement so the longer side is at least 256 pixels (at most 64×). */
    public static int defaultScale(int h, int w) {
        return Math.max(1, Math.min(64, 256 / Math.max(1, Math.max(h, w))));
    }

    /** min and max of the finite values of a map, as {lo, hi}. */
    public static float[] range(float[] values, int len) {
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) {
            float v = values[i];
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) return new float[] {0f, 1f};
        return new float[] {lo, hi};
    }

    /**
     * values [h, w] row-major, mapped linearly from [lo, hi] to the colormap (a constant map, lo == hi,
     * takes the middle colour); each value becomes a scale×scale block.
     */
    public static BufferedImage render(float[] values, int h, int w, double lo, double hi,
                                       Colormap cmap, int scale, boolean colourBar) {
        int mapW = w * scale, mapH = h * scale;
        int gap = colourBar ? Math.max(4, mapW / 32) : 0;
        int barW = colourBar ? Math.max(8, mapW / 16) : 0;
        BufferedImage img = new BufferedImage(mapW + gap + barW, mapH, BufferedImage.TYPE_INT_RGB);
        double span = hi - lo;
        for (int y = 0; y < mapH; y++) {
            for (int x = 0; x < mapW; x++) {
                double v = values[(y / scale) * w + x / scale];
                double t = span > 0 ? (v - lo) / span : 0.5;
                img.setRGB(x, y, cmap.rgb(t));
            }
            for (int x = mapW; x < mapW + gap; x++) img.setRGB(x, y, 0xffffff);
            double t = mapH > 1 ? 1.0 - (double) y / (mapH - 1) : 0.5;
            for (int x = mapW + gap; x < mapW + gap + barW; x++) img.setRGB(x, y, cmap.rgb(t));
        }
        return img;
    }

    /** Writes values [h, w] as a PNG, auto-ranged from min to max, viridis, with colour bar. */
    public static void write(Path png, float[] values, int h, int w) throws IOException {
        float[] r = range(values, h * w);
        write(png, values, h, w, r[0], r[1], Colormap.VIRIDIS);
    }

    public static void write(Path png, float[] values, int h, int w, double lo, double hi, Colormap cmap)
            throws IOException {
        Png.write(png, render(values, h, w, lo, hi, cmap, defaultScale(h, w), true));
    }
}
