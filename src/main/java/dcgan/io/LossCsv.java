package dcgan.io;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * losses.csv: one row per log line, header {@value #HEADER}. Each {@link #append} is flushed to the file at once
 * (a crash loses at most the row being written). {@link #resume} keeps only the rows of iterations up to the
 * resumed one, so a resumed run continues the file without duplicates.
 */
public final class LossCsv implements Closeable {
    public static final String HEADER = "iteration,epoch,loss_d,loss_g,d_x,d_g_z1,d_g_z2,elapsed_s";

    /** One parsed row. */
    public record Row(long iteration, int epoch, double lossD, double lossG, double dX, double dGz1, double dGz2,
                      double elapsedS) {
        String format() {
            return String.format(Locale.ROOT, "%d,%d,%s,%s,%s,%s,%s,%.3f", iteration, epoch, num(lossD), num(lossG),
                    num(dX), num(dGz1), num(dGz2), elapsedS);
        }
    }

    private final Path path;
    private final Writer out;

    private LossCsv(Path path, Writer out) {
        this.path = path;
        this.out = out;
    }

    /** Starts a new file (replacing any old one) holding just the header. */
    public static LossCsv create(Path path) throws IOException {
        AtomicFiles.write(path, o -> o.write((HEADER + "\n").getBytes(StandardCharsets.US_ASCII)));
        return open(path);
    }

    /**
     * Continues {@code path} after a resume at {@code iteration}: rows with a larger iteration (logged after the
     * checkpoint) are dropped, as is a torn last line; a missing file is created. The rewrite is atomic.
     *
     * @throws IOException if the file exists but is not a losses.csv (wrong header)
     */
    public static LossCsv resume(Path path, long iteration) throws IOException {
        List<Row> kept;
        try {
            kept = read(path);
        } catch (NoSuchFileException e) {
            return create(path);
        }
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Row r : kept) if (r.iteration() <= iteration) sb.append(r.format()).append('\n');
        AtomicFiles.write(path, o -> o.write(sb.toString().getBytes(StandardCharsets.US_ASCII)));
        return open(path);
    }

    private static LossCsv open(Path path) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND), StandardCharsets.US_ASCII));
        return new LossCsv(path, w);
    }

    /** Appends one row and flushes it to the file. */
    public void append(long iteration, int epoch, double lossD, double lossG, double dX, double dGz1, double dGz2,
                       double elapsedS) throws IOException {
        append(new Row(iteration, epoch, lossD, lossG, dX, dGz1, dGz2, elapsedS));
    }

    /** Appends one row and flushes it to the file. */
    public void append(Row row) throws IOException {
        out.write(row.format());
        out.write('\n');
        out.flush();
    }

    public Path path() { return path; }

    @Override public void close() throws IOException { out.close(); }

    /**
     * Reads the rows of a losses.csv. A last line without its newline (torn by a crash) and lines that do not parse
     * are skipped.
     *
     * @throws IOException if the file is missing ({@link NoSuchFileException}) or its header is not {@value #HEADER}
     */
    public static List<Row> read(Path path) throws IOException {
        long size = Files.size(path);
        if (size > (1L << 30)) throw new IOException(path + " is too large for a losses.csv (" + size + " bytes)");
        String text = Files.readString(path, StandardCharsets.ISO_8859_1);
        int end = text.lastIndexOf('\n') + 1;          // drop a torn last line
        String[] lines = text.substring(0, end).split("\r?\n");
        if (lines.length == 0 || !lines[0].trim().equals(HEADER))
            throw new IOException(path + " is not a losses.csv: its first line is not '" + HEADER + "'");
        List<Row> rows = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            Row r = parse(lines[i]);
            if (r != null) rows.add(r);
        }
        return rows;
    }

    private static Row parse(String line) {
        String[] f = line.trim().split(",", -1);
        if (f.length != 8) return null;
        try {
            return new Row(Long.parseLong(f[0]), Integer.parseInt(f[1]), dbl(f[2]), dbl(f[3]), dbl(f[4]), dbl(f[5]),
                    dbl(f[6]), dbl(f[7]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double dbl(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "nan" -> Double.NaN;
            case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    private static String num(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.6f", v);
    }
}
