package dcgan.checkerboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.checkerboard.ArtifactMetric.Score;
import dcgan.checkerboard.ArtifactMetric.Shares;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactMetricTest {

    interface Pattern {
        double at(int image, int channel, int y, int x);
    }

    static float[] batch(int n, int c, int h, int w, Pattern p) {
        float[] a = new float[n * c * h * w];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) a[((b * c + ch) * h + y) * w + x] = (float) p.at(b, ch, y, x);
        return a;
    }

    /** Smooth random images: a few random low-frequency cosines (periods ≥ 8 pixels), plus a ramp. */
    static float[] smooth(int n, int c, int h, int w, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] params = new double[n * c][12];
        for (double[] q : params) for (int j = 0; j < q.length; j++) q[j] = rng.nextDouble();
        return batch(n, c, h, w, (b, ch, y, x) -> {
            double[] q = params[b * c + ch];
            double v = 0.3 * x / w - 0.2 * y / h;
            for (int j = 0; j < 12; j += 4) {
                double fy = Math.floor(q[j] * h / 8), fx = Math.floor(q[j + 1] * w / 8);
                v += q[j + 2] * Math.cos(2 * Math.PI * (fy * y / h + fx * x / w) + 6.28 * q[j + 3]);
            }
            return v;
        });
    }

    @Test
    void fftMatchesANaiveDft() {
        int h = 8, w = 16;
        float[] img = smooth(1, 1, h, w, 3);
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < img.length; i++) img[i] += (float) rng.nextDouble();
        double[] fast = ArtifactMetric.powerSpectrum(img, 0, h, w);
        for (int fy = 0; fy < h; fy++) {
            for (int fx = 0; fx < w; fx++) {
                double re = 0, im = 0;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double a = -2 * Math.PI * ((double) fy * y / h + (double) fx * x / w);
                        re += img[y * w + x] * Math.cos(a);
                        im += img[y * w + x] * Math.sin(a);
                    }
                }
                assertEquals(re * re + im * im, fast[fy * w + fx], 1e-9 * (1 + re * re + im * im));
            }
        }
    }

    @Test
    void pureCheckerboardIsAllPeriod2() {
        for (int size : new int[] {64, 128}) {
            Shares s = ArtifactMetric.shares(batch(2, 3, size, size, (b, c, y, x) -> ((x + y) % 2 == 0 ? 1 : -1) + 0.5),
                    2, 3, size, size);
            assertEquals(1.0, s.period2(), 1e-12);
            assertEquals(0.0, s.period4(), 1e-12);
            assertEquals(6, s.planes());
        }
        // 1-D stripes of period 2 (rows or columns) also count.
        Shares stripes = ArtifactMetric.shares(batch(1, 2, 64, 64, (b, c, y, x) -> c == 0 ? x % 2 : y % 2), 1, 2, 64, 64);
        assertEquals(1.0, stripes.period2(), 1e-12);
    }

    @Test
    void smoothGradientIsNearlyZero() {
        // A ramp's periodic wrap is a jump: its DFT power is ∝ 1/sin²(πf/N), summing to (N²−1)/3 over f ≠ 0,
        // so the Nyquist bin gets 3/(N²−1) and the two N/4 bins 2·2·3/(N²−1) — tiny, and exactly predicted.
        int n = 64;
        Shares ramp = ArtifactMetric.shares(batch(1, 1, n, n, (b, c, y, x) -> (x + y) / 128.0), 1, 1, n, n);
        assertEquals(3.0 / (n * n - 1), ramp.period2(), 1e-12);
        assertEquals(12.0 / (n * n - 1), ramp.period4(), 1e-12);
        assertTrue(ramp.period2() < 1e-3, "ramp period-2 share " + ramp.period2());
        // A smooth periodic image (a Gaussian-ish bump) has none at all.
        Shares bump = ArtifactMetric.shares(batch(1, 1, 128, 128, (b, c, y, x) ->
                Math.exp(-(Math.pow(x - 64, 2) + Math.pow(y - 64, 2)) / 200.0)), 1, 1, 128, 128);
        assertTrue(bump.period2() < 1e-12 && bump.period4() < 1e-12, bump.toString());
    }

    @Test
    void period4StripesLandInThePeriod4Share() {
        int[] square = {1, 1, -1, -1};
        Shares s = ArtifactMetric.shares(batch(1, 2, 64, 64, (b, c, y, x) -> c == 0 ? square[x % 4] : Math.cos(Math.PI * y / 2)),
                1, 2, 64, 64);
        assertEquals(0.0, s.period2(), 1e-12);
        assertEquals(1.0, s.period4(), 1e-12);
        // A period-4 checkerboard too (two stacked stride-2 layers' pattern).
        Shares s2 = ArtifactMetric.shares(batch(1, 1, 64, 64, (b, c, y, x) -> square[x % 4] * square[y % 4]), 1, 1, 64, 64);
        assertEquals(1.0, s2.period4(), 1e-12);
        assertEquals(0.0, s2.period2(), 1e-12);
    }

    @Test
    void scoreIsOneForTheSameStatisticsAndGrowsWithCheckerboard() {
        int n = 8, c = 3, h = 64, w = 64;
        float[] real = smooth(n, c, h, w, 1);
        SplittableRandom noise = new SplittableRandom(7);
        for (int i = 0; i < real.length; i++) real[i] += (float) (0.05 * (noise.nextDouble() - 0.5));
        assertEquals(1.0, ArtifactMetric.artifactScore(real, n, real, n, c, h, w), 1e-12);

        float[] fake = real.clone();
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++) fake[((b * c + ch) * h + y) * w + x] += (x + y) % 2 == 0 ? 0.05f : -0.05f;
        Score s = ArtifactMetric.score(fake, n, real, n, c, h, w);
        assertTrue(s.period2Ratio() > 10, s.toString());
        assertEquals(1.0, s.period4Ratio(), 0.2, s.toString());
    }

    @Test
    void constantPlanesAreSkipped() {
        Shares s = ArtifactMetric.shares(new float[2 * 64 * 64], 2, 1, 64, 64);
        assertEquals(0, s.planes());
        assertThrows(IllegalArgumentException.class, () -> ArtifactMetric.shares(new float[48 * 48], 1, 1, 48, 48));
    }

    @Test
    void spectrumPngShowsTheCheckerboardAtTheCorners(@TempDir Path dir) throws Exception {
        int n = 4, c = 3, h = 64, w = 64;
        float[] imgs = smooth(n, c, h, w, 2);
        for (int i = 0; i < imgs.length; i++) imgs[i] += ((i % w + i / w) % 2 == 0) ? 0.2f : -0.2f;
        float[] spec = ArtifactMetric.meanLogSpectrum(imgs, n, c, h, w);
        // fftshift puts (N/2, N/2) at the corner (0, 0) and DC at the centre.
        float corner = spec[0];
        int larger = 0;
        for (int j = 0; j < spec.length; j++) if (spec[j] > corner) larger++;
        assertTrue(larger <= 8, "the checkerboard bin is among the strongest: " + larger + " above it");
        Path png = dir.resolve("spectrum.png");
        ArtifactMetric.writeSpectrum(png, imgs, n, c, h, w);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(256, img.getHeight());
    }

}
