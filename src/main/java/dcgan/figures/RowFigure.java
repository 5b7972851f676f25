package dcgan.figures;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A figure of labelled rows: a title, column headings, then one row per item — its label (first line bold,
 * further lines smaller) at the left and its panels (images, e.g. a sample grid and a spectrum) side by side,
 * each centred in its column — on white, as PNG. Needs a font (see {@link LossPlot}).
 */
public final class RowFigure {
    static { Headless.ensure(); }

    private RowFigure() {}

    /** One row: label lines and panels; a null panel leaves its cell empty. */
    public record Row(List<String> label, List<BufferedImage> panels) {
        public Row {
            label = List.copyOf(label);
            panels = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(panels));
        }
    }

    /** Renders the figure and writes it atomically. */
    public static void write(Path target, String title, List<String> columns, List<Row> rows) throws IOException {
        Png.write(target, render(title, columns, rows));
    }

    /**
     * @param title   drawn at the top (null or empty: none)
     * @param columns headings of the panel columns (may be shorter than the widest row: missing ones are blank)
     * @throws IllegalStateException if the machine has no usable font (the message names the packages to install)
     */
    public static BufferedImage render(String title, List<String> columns, List<Row> rows) {
        Headless.checkFonts();
        if (rows.isEmpty()) throw new IllegalArgumentException("a figure needs at least one row");
        int cols = columns.size();
        for (Row r : rows) cols = Math.max(cols, r.panels().size());
        int[] colW = new int[cols];
        int[] rowH = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            List<BufferedImage> p = rows.get(i).panels();
            for (int c = 0; c < p.size(); c++) {
                if (p.get(c) == null) continue;
                colW[c] = Math.max(colW[c], p.get(c).getWidth());
                rowH[i] = Math.max(rowH[i], p.get(c).getHeight());
            }
        }
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 20);
        Font headFont = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
        Font labelFont = new Font(Font.SANS_SERIF, Font.BOLD, 15);
        Font smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        int margin = 20, gap = 16;

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics lfm = pg.getFontMetrics(labelFont), sfm = pg.getFontMetrics(smallFont), hfm = pg.getFontMetrics(headFont);
        FontMetrics tfm = pg.getFontMetrics(titleFont);
        int labelW = 0;
        for (Row r : rows) {
            for (int j = 0; j < r.label().size(); j++) {
                labelW = Math.max(labelW, (j == 0 ? lfm : sfm).stringWidth(r.label().get(j)));
            }
        }
        for (int c = 0; c < cols && c < columns.size(); c++) colW[c] = Math.max(colW[c], hfm.stringWidth(columns.get(c)));
        int titleH = title == null || title.isEmpty() ? 0 : tfm.getHeight() + gap / 2;
        int titleW = titleH == 0 ? 0 : tfm.stringWidth(title);
        pg.dispose();
        for (int i = 0; i < rows.size(); i++) {
            rowH[i] = Math.max(rowH[i], lfm.getHeight() + (rows.get(i).label().size() - 1) * sfm.getHeight());
        }
        int headH = hfm.getHeight() + gap / 2;
        int width = margin + labelW + gap;
        for (int w : colW) width += w + gap;
        width = Math.max(width - gap + margin, titleW + 2 * margin);
        int height = margin + titleH + headH;
        for (int h : rowH) height += h + gap;
        height = height - gap + margin;

        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.BLACK);
            int y = margin;
            if (titleH > 0) {
                g.setFont(titleFont);
                g.drawString(title, margin, y + tfm.getAscent());
                y += titleH;
            }
            int x0 = margin + labelW + gap;
            g.setFont(headFont);
            int x = x0;
            for (int c = 0; c < cols; c++) {
                if (c < columns.size()) g.drawString(columns.get(c), x + (colW[c] - hfm.stringWidth(columns.get(c))) / 2, y + hfm.getAscent());
                x += colW[c] + gap;
            }
            y += headH;
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                int textH = lfm.getHeight() + (r.label().size() - 1) * sfm.getHeight();
                int ty = y + (rowH[i] - textH) / 2;
                for (int j = 0; j < r.label().size(); j++) {
                    FontMetrics fm = j == 0 ? lfm : sfm;
                    g.setFont(j == 0 ? labelFont : smallFont);
                    g.drawString(r.label().get(j), margin, ty + fm.getAscent());
                    ty += fm.getHeight();
                }
                x = x0;
                for (int c = 0; c < r.panels().size(); c++) {
                    BufferedImage p = r.panels().get(c);
                    if (p != null) g.drawImage(p, x + (colW[c] - p.getWidth()) / 2, y + (rowH[i] - p.getHeight()) / 2, null);
                    x += colW[c] + gap;
                }
                y += rowH[i] + gap;
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
