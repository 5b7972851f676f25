package dcgan.figures;

import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.labels.StandardXYItemLabelGenerator;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A scatter plot with error bars in x and y, one labelled point per entry: in the checkerboard study, sample quality
 * (FID or KID, mean ± std over seeds) against the spectral artifact score (mean ± std) per upsampling variant.
 * Drawn with JFreeChart, headless, saved as PNG. The x axis is logarithmic when every bar's low end is positive.
 */
public final class QualityPlot {
    /** Matplotlib's tab10 colours. */
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    static { Headless.ensure(); }

    private QualityPlot() {}

    /** One point: its label, x and y means and standard deviations (0 or NaN: no bar). */
    public record Point(String label, double x, double xStd, double y, double yStd) {}

    /** Writes the figure, 1000x650 px. */
    public static void write(Path target, String title, String xLabel, String yLabel, List<Point> points) throws IOException {
        Png.write(target, render(title, xLabel, yLabel, points, 1000, 650));
    }

    /**
     * Renders the figure; points with a non-finite mean are left out.
     *
     * @throws IllegalArgumentException when there is no point or the size is out of range
     * @throws IllegalStateException    if the machine has no usable font
     */
    public static BufferedImage render(String title, String xLabel, String yLabel, List<Point> points, int width, int height) {
        if (points.isEmpty()) throw new IllegalArgumentException("no points to plot");
        if (width < 100 || height < 100 || (long) width * height > 64L << 20)
            throw new IllegalArgumentException("plot size " + width + "x" + height + " is out of range");
        Headless.checkFonts();
        XYIntervalSeriesCollection data = new XYIntervalSeriesCollection();
        boolean logX = true;
        for (Point p : points) {
            if (!Double.isFinite(p.x()) || !Double.isFinite(p.y())) continue;
            double sx = bar(p.xStd()), sy = bar(p.yStd());
            XYIntervalSeries s = new XYIntervalSeries(p.label());
            s.add(p.x(), p.x() - sx, p.x() + sx, p.y(), p.y() - sy, p.y() + sy);
            data.addSeries(s);
            if (!(p.x() - sx > 0)) logX = false;
        }
        if (data.getSeriesCount() == 0) throw new IllegalArgumentException("no point with finite values to plot");
        ValueAxis x;
        if (logX) {
            LogAxis log = new LogAxis(xLabel + " (log scale)");
            log.setSmallestValue(1e-6);
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.###", java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            x = log;
        } else {
            x = new NumberAxis(xLabel);
        }
        NumberAxis y = new NumberAxis(yLabel);
        y.setAutoRangeIncludesZero(true);
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(true);
        r.setDrawYError(true);
        r.setCapLength(8);
        r.setErrorStroke(new BasicStroke(1.2f));
        r.setDefaultItemLabelGenerator(new StandardXYItemLabelGenerator("{0}"));
        r.setDefaultItemLabelsVisible(true);
        r.setDefaultItemLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, COLORS[i % COLORS.length]);
            r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-5, -5, 10, 10));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.BLACK);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.PLAIN, 15), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return Charts.draw(chart, width, height);
    }

    private static double bar(double std) {
        return Double.isFinite(std) && std > 0 ? std : 0;
    }
}
