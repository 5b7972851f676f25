package dcgan.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The tutorial's last figure: a grid of real images (left, titled "Real Images") beside a grid of fake images
 * from the generator (right, titled "Fake Images"), on white, as PNG. Needs a font (see {@link LossPlot}).
 */
public final class RealVsFake {
    static { Headless.ensure(); }

    private RealVsFake() {}

    /** Renders the two grids (e.g. from {@link ImageGrid#make}) side by side and writes the PNG atomically. */
    public static void write(Path target, BufferedImage realGrid, BufferedImage fakeGrid) throws IOException {
        Png.write(target, render(realGrid, fakeGrid));
    }

    /**
     * The figure as an image: two panels, each its grid at native size under a centred title.
     *
     * @throws IllegalStateException if the machine has no usable font (the message names the packages to install)
     */
    public static BufferedImage render(BufferedImage realGrid, BufferedImage fakeGrid) {
        Headless.checkFonts();
        int margin = 20, gap = 40;
        int titleSize = Math.max(14, Math.min(28, Math.max(realGrid.getWidth(), fakeGrid.getWidth()) / 20));
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, titleSize);
        int titleH = titleSize * 2;
        int gridH = Math.max(realGrid.getHeight(), fakeGrid.getHeight());
        int w = margin + realGrid.getWidth() + gap + fakeGrid.getWidth() + margin;
        int h = margin + titleH + gridH + margin;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(Color.BLACK);
            FontMetrics fm = g.getFontMetrics();
            int x1 = margin, x2 = margin + realGrid.getWidth() + gap, top = margin + titleH;
            drawCentered(g, fm, "Real Images", x1, realGrid.getWidth(), top - titleSize / 2);
            drawCentered(g, fm, "Fake Images", x2, fakeGrid.getWidth(), top - titleSize / 2);
            g.drawImage(realGrid, x1, top + (gridH - realGrid.getHeight()) / 2, null);
            g.drawImage(fakeGrid, x2, top + (gridH - fakeGrid.getHeight()) / 2, null);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static void drawCentered(Graphics2D g, FontMetrics fm, String s, int x, int width, int baseline) {
        g.drawString(s, x + (width - fm.stringWidth(s)) / 2, baseline);
    }
}
