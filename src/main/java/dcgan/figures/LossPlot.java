package dcgan.figures;

import dcgan.io.LossCsv;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The tutorial's loss figure, "Generator and Discriminator Loss During Training": x = iterations, y = Loss, one
 * line per network labelled "G" and "D", with a legend; drawn with JFreeChart, headless, saved as PNG.
 * Needs a font on the machine (Debian: fontconfig and fonts-dejavu-core).
 */
public final class LossPlot {
    public static final String TITLE = "Generator and Discriminator Loss During Training";
    /** Matplotlib's default colours, as the tutorial's figure has them (G first: blue, D: orange). */
    private static final Color G_COLOR = new Color(0x1f77b4), D_COLOR = new Color(0xff7f0e);

    static { Headless.ensure(); }

    private LossPlot() {}

    /** One point per iteration: {@code lossG[i]} and {@code lossD[i]} at iteration {@code i}, 1000x500 px. */
    public static void write(Path target, double[] lossG, double[] lossD) throws IOException {
        Png.write(target, render(null, lossG, lossD, 1000, 500));
    }

    /** Points at the given iterations, e.g. from losses.csv, 1000x500 px. */
    public static void write(Path target, long[] iterations, double[] lossG, double[] lossD) throws IOException {
        Png.write(target, render(iterations, lossG, lossD, 1000, 500));
    }

    /** The figure from the rows of a losses.csv (see {@link LossCsv#read}), 1000x500 px. */
    public static void write(Path target, List<LossCsv.Row> rows) throws IOException {
        int n = rows.size();
        long[] it = new long[n];
        double[] g = new double[n], d = new double[n];
        for (int i = 0; i < n; i++) {
            LossCsv.Row r = rows.get(i);
            it[i] = r.iteration();
            g[i] = r.lossG();
            d[i] = r.lossD();
        }
        write(target, it, g, d);
    }

    /**
     * Renders the figure. {@code iterations} may be null (then x = index). Non-finite losses are left out.
     *
     * @throws IllegalArgumentException if the arrays differ in length or the size is out of range
     * @throws IllegalStateException    if the machine has no usable font (the message names the packages to install)
     */
    public static BufferedImage render(long[] iterations, double[] lossG, double[] lossD, int width, int height) {
        if (lossG.length != lossD.length || (iterations != null && iterations.length != lossG.length))
            throw new IllegalArgumentException("loss series differ in length: G " + lossG.length + ", D " + lossD.length
                    + (iterations == null ? "" : ", iterations " + iterations.length));
        if (width < 100 || height < 100 || (long) width * height > 64L << 20)
            throw new IllegalArgumentException("plot size " + width + "x" + height + " is out of range");
        Headless.checkFonts();
        XYSeries g = new XYSeries("G", false, true), d = new XYSeries("D", false, true);
        for (int i = 0; i < lossG.length; i++) {
            double x = iterations == null ? i : iterations[i];
            if (Double.isFinite(lossG[i])) g.add(x, lossG[i], false);
            if (Double.isFinite(lossD[i])) d.add(x, lossD[i], false);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(g);
        data.addSeries(d);
        JFreeChart chart = ChartFactory.createXYLineChart(TITLE, "iterations", "Loss", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 16));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlinePaint(Color.BLACK);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, G_COLOR);
        r.setSeriesPaint(1, D_COLOR);
        r.setSeriesStroke(0, new BasicStroke(1.2f));
        r.setSeriesStroke(1, new BasicStroke(1.2f));
        plot.setRenderer(r);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setAutoRangeIncludesZero(true);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        return Charts.draw(chart, width, height);
    }
}
