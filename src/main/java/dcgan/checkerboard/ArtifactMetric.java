package dcgan.checkerboard;

import dcgan.figures.Heatmap;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A spectral checkerboard measure for image batches (NCHW floats, h and w powers of two, at least 4).
 *
 * <p>For each image and channel: the 2-D DFT's power |F(fy, fx)|², then the share of the power, excluding the
 * DC bin (0, 0), that lies
 * <ul>
 *   <li><b>period 2</b>: in the Nyquist row or column, fx = w/2 or fy = h/2 — the stride-2 checkerboard
 *       and its 1-D stripes;</li>
 *   <li><b>period 4</b>: in the rows or columns fx ∈ {w/4, 3w/4} or fy ∈ {h/4, 3h/4}, excluding bins already
 *       counted as period 2 (so the two shares are disjoint) — the pattern of two stacked stride-2 layers.</li>
 * </ul>
 * Shares are averaged over images and channels; a constant plane (no non-DC power) is skipped. No window is
 * applied: the DFT treats images as periodic, so a real image's edge discontinuity leaks a little power into
 * every bin of the fx = 0 and fy = 0 axes, Nyquist included; that is why the score compares against a batch of
 * real images instead of zero. {@link #score}: generated share / real share (1 = as real images, &gt; 1 = more
 * energy at these periods).
 */
public final class ArtifactMetric {
    private ArtifactMetric() {}

    /** Mean shares over the planes used (planes = image·channel pairs with non-DC power). */
    public record Shares(double period2, double period4, int planes) {}

    /** Shares of both batches and their ratios (generated / real). */
    public record Score(Shares generated, Shares real, double period2Ratio, double period4Ratio) {}

    public static Shares shares(float[] images, int n, int c, int h, int w) {
        checkSize(h, w);
        if (images.length < n * c * h * w) throw new IllegalArgumentException("images hold fewer than n*c*h*w floats");
        double s2 = 0, s4 = 0;
        int used = 0;
        double[] re = new double[h * w], im = new double[h * w];
        for (int plane = 0; plane < n * c; plane++) {
            double[] power = powerSpectrum(images, plane * h * w, h, w, re, im);
            double total = 0, p2 = 0, p4 = 0;
            for (int fy = 0; fy < h; fy++) {
                for (int fx = 0; fx < w; fx++) {
                    if (fy == 0 && fx == 0) continue;
                    double e = power[fy * w + fx];
                    total += e;
                    if (fx == w / 2 || fy == h / 2) p2 += e;
                    else if (fx == w / 4 || fx == 3 * w / 4 || fy == h / 4 || fy == 3 * h / 4) p4 += e;
                }
            }
            if (total > 0) {
                s2 += p2 / total;
                s4 += p4 / total;
                used++;
            }
        }
        return used == 0 ? new Shares(0, 0, 0) : new Shares(s2 / used, s4 / used, used);
    }

    /** Both shares of both batches (same c, h, w) and the ratios generated / real. */
    public static Score score(float[] generated, int nGenerated, float[] real, int nReal, int c, int h, int w) {
        Shares g = shares(generated, nGenerated, c, h, w);
        Shares r = shares(real, nReal, c, h, w);
        return new Score(g, r, ratio(g.period2(), r.period2()), ratio(g.period4(), r.period4()));
    }

    /** The artifact score: the generated batch's period-2 share over the real batch's. */
    public static double artifactScore(float[] generated, int nGenerated, float[] real, int nReal, int c, int h, int w) {
        return score(generated, nGenerated, real, nReal, c, h, w).period2Ratio();
    }

    private static double ratio(double a, double b) {
        if (b > 0) return a / b;
        return a > 0 ? Double.POSITIVE_INFINITY : Double.NaN;
    }

    /** |DFT|² of the plane images[offset … offset + h·w), row-major [fy][fx], not shifted. */
    public static double[] powerSpectrum(float[] images, int offset, int h, int w) {
        checkSize(h, w);
        return powerSpectrum(images, offset, h, w, new double[h * w], new double[h * w]);
    }

    private static double[] powerSpectrum(float[] images, int offset, int h, int w, double[] re, double[] im) {
        for (int j = 0; j < h * w; j++) {
            re[j] = images[offset + j];
            im[j] = 0;
        }
        fft2(re, im, h, w);
        double[] power = new double[h * w];
        for (int j = 0; j < h * w; j++) power[j] = re[j] * re[j] + im[j] * im[j];
        return power;
    }

    /**
     * log10 of the mean power spectrum over the batch and channels, fftshifted (DC at (h/2, w/2)),
     * as [h, w]; 1e-12 is added before the log.
     */
    public static float[] meanLogSpectrum(float[] images, int n, int c, int h, int w) {
        checkSize(h, w);
        double[] mean = new double[h * w];
        double[] re = new double[h * w], im = new double[h * w];
        for (int plane = 0; plane < n * c; plane++) {
            double[] p = powerSpectrum(images, plane * h * w, h, w, re, im);
            for (int j = 0; j < h * w; j++) mean[j] += p[j];
        }
        float[] out = new float[h * w];
        int planes = Math.max(1, n * c);
        for (int fy = 0; fy < h; fy++) {
            for (int fx = 0; fx < w; fx++) {
                int sy = (fy + h / 2) % h, sx = (fx + w / 2) % w;
                out[sy * w + sx] = (float) Math.log10(mean[fy * w + fx] / planes + 1e-12);
            }
        }
        return out;
    }

    /**
     * Writes {@link #meanLogSpectrum} as a magma PNG. The colour range is the min–max over all bins but DC
     * (which would otherwise flatten the rest); DC is shown at the top colour. Period-2 energy appears on the
     * image's outer rows and columns, period-4 energy halfway between them and the centre.
     */
    public static void writeSpectrum(Path png, float[] images, int n, int c, int h, int w) throws IOException {
        float[] spec = meanLogSpectrum(images, n, c, h, w);
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < h * w; j++) {
            if (j == (h / 2) * w + w / 2) continue;
            lo = Math.min(lo, spec[j]);
            hi = Math.max(hi, spec[j]);
        }
        Heatmap.write(png, spec, h, w, lo, hi, Heatmap.Colormap.MAGMA);
    }

    private static void checkSize(int h, int w) {
        if (h < 4 || w < 4 || Integer.bitCount(h) != 1 || Integer.bitCount(w) != 1) {
            throw new IllegalArgumentException("ArtifactMetric needs h and w powers of two >= 4, got " + h + "x" + w);
        }
    }

    /** In-place 2-D DFT of [h, w] (rows, then columns), unnormalised: F = Σ x e^{−2πi(fy·y/h + fx·x/w)}. */
    static void fft2(double[] re, double[] im, int h, int w) {
        double[] r = new double[Math.max(h, w)], i = new double[Math.max(h, w)];
        for (int y = 0; y < h; y++) {
            System.arraycopy(re, y * w, r, 0, w);
            System.arraycopy(im, y * w, i, 0, w);
            fft(r, i, w);
            System.arraycopy(r, 0, re, y * w, w);
            System.arraycopy(i, 0, im, y * w, w);
        }
        for (int x = 0; x < w; x++) {
            for (int y = 0; y < h; y++) {
                r[y] = re[y * w + x];
                i[y] = im[y * w + x];
            }
            fft(r, i, h);
            for (int y = 0; y < h; y++) {
                re[y * w + x] = r[y];
                im[y * w + x] = i[y];
            }
        }
    }

    /** Iterative radix-2 Cooley–Tukey on the first len entries (len a power of two), forward sign. */
    static void fft(double[] re, double[] im, int len) {
        for (int a = 1, b = 0; a < len; a++) {
            int bit = len >> 1;
            for (; (b & bit) != 0; bit >>= 1) b ^= bit;
            b ^= bit;
            if (a < b) {
                double t = re[a]; re[a] = re[b]; re[b] = t;
                t = im[a]; im[a] = im[b]; im[b] = t;
            }
        }
        for (int size = 2; size <= len; size <<= 1) {
            double ang = -2 * Math.PI / size;
            for (int start = 0; start < len; start += size) {
                for (int j = 0; j < size / 2; j++) {
                    double cr = Math.cos(ang * j), ci = Math.sin(ang * j);
                    int u = start + j, v = u + size / 2;
                    double vr = re[v] * cr - im[v] * ci, vi = re[v] * ci + im[v] * cr;
                    re[v] = re[u] - vr;
                    im[v] = im[u] - vi;
                    re[u] += vr;
                    im[u] += vi;
                }
            }
        }
    }
}
