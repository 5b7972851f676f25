package dcgan.figures;

import dcgan.io.LossCsv;

import static org.junit.jupiter.api.Assertions.*;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
    @TempDir Path tmp;

    /** Pixels in the rectangle that are neither white nor the given colours: text or lines drawn there. */
    static int inked(BufferedImage img, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) for (int x = x0; x < x1; x++) if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) n++;
        return n;
    }

    static int count(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
        return n;
    }

    /** Pixels within a few levels of a colour (lines are antialiased). */
    static int near(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) for (int x = 0; x < img.getWidth(); x++) {
            int p = img.getRGB(x, y);
            int d = Math.abs((p >> 16 & 255) - (rgb >> 16 & 255)) + Math.abs((p >> 8 & 255) - (rgb >> 8 & 255)) + Math.abs((p & 255) - (rgb & 255));
            if (d < 40) n++;
        }
        return n;
    }

    @Test
    void lossPlotHasTitleLinesAndLegend() throws Exception {
        int n = 500;
        double[] g = new double[n], d = new double[n];
        for (int i = 0; i < n; i++) { g[i] = 5 * Math.exp(-i / 100.0) + 1; d[i] = 0.5 + 0.3 * Math.sin(i / 20.0); }
        BufferedImage img = LossPlot.render(null, g, d, 1000, 500);
        assertEquals(1000, img.getWidth());
        assertTrue(inked(img, 250, 0, 750, 30) > 200, "the title's text is drawn (are fonts installed?)");
        assertTrue(near(img, 0x1f77b4) > 300, "blue G line");
        assertTrue(near(img, 0xff7f0e) > 300, "orange D line");
        Path f = tmp.resolve("loss.png");
        LossPlot.write(f, g, d);
        assertEquals(500, ImageIO.read(f.toFile()).getHeight());
        assertThrows(IllegalArgumentException.class, () -> LossPlot.render(null, new double[2], new double[3], 1000, 500));
        // empty and non-finite series still render
        LossPlot.render(null, new double[0], new double[0], 400, 300);
        LossPlot.render(new long[] {0, 50}, new double[] {Double.NaN, 1}, new double[] {Double.POSITIVE_INFINITY, 2}, 400, 300);
    }

    @Test
    void lossPlotFromCsvRows() throws Exception {
        Path csv = tmp.resolve("losses.csv");
        try (LossCsv w = LossCsv.create(csv)) {
            for (int i = 0; i < 20; i++) w.append(i * 50, 0, 1.0 + i * 0.01, 3.0 - i * 0.05, 0.7, 0.3, 0.2, i);
        }
        Path png = tmp.resolve("loss.png");
        LossPlot.write(png, LossCsv.read(csv));
        assertTrue(Files.size(png) > 1000);
    }

    @Test
    void realVsFakeShowsBothGridsUnderTitles() throws Exception {
        BufferedImage real = new BufferedImage(530, 530, BufferedImage.TYPE_INT_RGB), fake = new BufferedImage(530, 530, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 530; y++) for (int x = 0; x < 530; x++) { real.setRGB(x, y, 0x336699); fake.setRGB(x, y, 0x996633); }
        BufferedImage fig = RealVsFake.render(real, fake);
        assertTrue(fig.getWidth() >= 1060 && fig.getHeight() > 530);
        assertEquals(530 * 530, count(fig, 0x336699));
        assertEquals(530 * 530, count(fig, 0x996633));
        int titleBottom = fig.getHeight() - 530 - 20;
        assertTrue(inked(fig, 0, 0, fig.getWidth() / 2, titleBottom) > 100, "\"Real Images\" is drawn");
        assertTrue(inked(fig, fig.getWidth() / 2, 0, fig.getWidth(), titleBottom) > 100, "\"Fake Images\" is drawn");
        Path f = tmp.resolve("real_vs_fake.png");
        RealVsFake.write(f, real, fake);
        assertEquals(fig.getWidth(), ImageIO.read(f.toFile()).getWidth());
    }
}
