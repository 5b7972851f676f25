package dcgan.checkerboard;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.figures.Heatmap;
import dcgan.kernels.ConvTranspose2d;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Overlap maps of generator upsampling layers (Odena, Dumoulin &amp; Olah 2016, "Deconvolution and
 * Checkerboard Artifacts"): how much of the input reaches each output pixel.
 *
 * <p><b>Definition.</b> The map of a stack of layers is the stack applied, with all-ones weights and a single
 * channel, to an all-ones input of inputSize × inputSize. For a transposed convolution that is the number of
 * (input pixel, kernel tap) paths reaching each output pixel; through L layers, the number of paths from
 * the input. It is computed with the project's own kernels through {@link JvmBackend}: ConvTranspose2d,
 * Conv2d, Upsample and PixelShuffle. An even map (equal values) means a constant input gives a constant
 * output when the weights are uniform; a map that alternates with the stride is the checkerboard's cause.
 * Bilinear resize gives weighted path sums (its taps weigh 1/4 and 3/4), still the layer's response to ones.
 *
 * <p><b>Choices.</b> {@link Choice#transposed}: ConvTranspose2d(k, s, p, output_padding). By default
 * output_padding = s + 2p − k, so every layer multiplies the size exactly by s, like DCGAN's generator
 * (4 → 8 → 16 → 32 → 64); k3s2p1 and k5s2p2 then need output_padding 1, as in PyTorch. Resize-convolution:
 * nearest or bilinear ×2 upsampling, then Conv2d(k, stride 1, padding (k−1)/2). Pixel shuffle
 * (sub-pixel convolution): Conv2d(k, stride 1, padding (k−1)/2) to r² channels, then PixelShuffle(r).
 *
 * <p><b>Edges and the interior.</b> Zero padding starves pixels near the border of paths in every layer, and
 * through a stack that deficit spreads: after 4 layers from 4×4 the layer-1 border alone covers about 8 of
 * the 64 output pixels on each side, so a fixed border of width k would leave edge effects in the numbers
 * (and make the even choices look uneven). Three sets of numbers are reported:
 * <ul>
 *   <li><b>edge-free</b> (the headline): the same stack run on an input enlarged by a margin on every side
 *       (so that no padding reaches the window, {@link #marginFor}) and cropped back to the output window —
 *       the map on an unbounded input, i.e. the layers' intrinsic unevenness;
 *   <li><b>interior</b>: the actual map without its border of width b, where b is the smallest border
 *       outside which the actual map equals the edge-free one (found exactly, not guessed: b is reported);
 *       for a single layer b is at most k, but for stacks it grows with depth;
 *   <li><b>whole</b>: the actual map, edges included.
 * </ul>
 * Unevenness is max/min (∞ if some pixel gets nothing) and the coefficient of variation std/mean (population
 * std). Even maps give 1 and 0.
 */
public final class Overlap {
    private Overlap() {}

    public enum Kind { TRANSPOSED, RESIZE_NEAREST, RESIZE_BILINEAR, PIXEL_SHUFFLE }

    /**
     * One upsampling layer. TRANSPOSED: ConvTranspose2d(k, s, p, outputPadding). RESIZE_*: ×s upsampling
     * (s = 2) then Conv2d(k, 1, p). PIXEL_SHUFFLE: Conv2d(k, 1, p) to s² channels then PixelShuffle(s).
     */
    public record Choice(Kind kind, int k, int s, int p, int outputPadding) {
        public Choice {
            if (k < 1 || s < 1 || p < 0) throw new IllegalArgumentException("bad layer: k=" + k + " s=" + s + " p=" + p);
            switch (kind) {
                case TRANSPOSED -> {
                    if (outputPadding < 0 || outputPadding >= Math.max(1, s)) {
                        throw new IllegalArgumentException("output_padding must be in [0, stride): " + outputPadding);
                    }
                }
                case RESIZE_NEAREST, RESIZE_BILINEAR -> {
                    if (s != 2) throw new IllegalArgumentException("resize-convolution upsamples by 2 only");
                    if (k % 2 == 0 || p != (k - 1) / 2 || outputPadding != 0) {
                        throw new IllegalArgumentException("resize-convolution needs odd k and padding (k-1)/2");
                    }
                }
                case PIXEL_SHUFFLE -> {
                    if (k % 2 == 0 || p != (k - 1) / 2 || outputPadding != 0) {
                        throw new IllegalArgumentException("pixel shuffle's conv needs odd k and padding (k-1)/2");
                    }
                }
            }
        }

        /** ConvTranspose2d(k, s, p) with output_padding = s + 2p − k, so that out = s·in. */
        public static Choice transposed(int k, int s, int p) {
            int op = s + 2 * p - k;
            if (op < 0 || op >= s) {
                throw new IllegalArgumentException("k" + k + "s" + s + "p" + p + " cannot give out = " + s
                        + "·in (output_padding would be " + op + "); pass output_padding explicitly");
            }
            return new Choice(Kind.TRANSPOSED, k, s, p, op);
        }

        public static Choice transposed(int k, int s, int p, int outputPadding) {
            return new Choice(Kind.TRANSPOSED, k, s, p, outputPadding);
        }

        /** Nearest ×2, then Conv2d(k, stride 1, padding (k−1)/2). */
        public static Choice resizeNearest(int k) {
            return new Choice(Kind.RESIZE_NEAREST, k, 2, (k - 1) / 2, 0);
        }

        /** Bilinear ×2 (align_corners=False), then Conv2d(k, stride 1, padding (k−1)/2). */
        public static Choice resizeBilinear(int k) {
            return new Choice(Kind.RESIZE_BILINEAR, k, 2, (k - 1) / 2, 0);
        }

        /** Conv2d(k, stride 1, padding (k−1)/2) to r² channels, then PixelShuffle(r). */
        public static Choice pixelShuffle(int k, int r) {
            return new Choice(Kind.PIXEL_SHUFFLE, k, r, (k - 1) / 2, 0);
        }

        /**
         * Parses a label: "k4s2p1" (output_padding = s + 2p − k), "k3s2p1op0" (explicit output_padding),
         * "resize-nearest" / "resize-bilinear" (3×3 conv) or "resize-nearest-k5", "pixel-shuffle"
         * (3×3 conv, r = 2) or "pixel-shuffle-k3r2".
         */
        public static Choice parse(String label) {
            String t = label.trim().toLowerCase(Locale.ROOT);
            var m = java.util.regex.Pattern.compile("k(\\d+)s(\\d+)p(\\d+)(?:op(\\d+))?").matcher(t);
            if (m.matches()) {
                int k = Integer.parseInt(m.group(1)), s = Integer.parseInt(m.group(2)), p = Integer.parseInt(m.group(3));
                return m.group(4) == null ? transposed(k, s, p) : transposed(k, s, p, Integer.parseInt(m.group(4)));
            }
            m = java.util.regex.Pattern.compile("resize-(nearest|bilinear)(?:-k(\\d+))?").matcher(t);
            if (m.matches()) {
                int k = m.group(2) == null ? 3 : Integer.parseInt(m.group(2));
                return m.group(1).equals("nearest") ? resizeNearest(k) : resizeBilinear(k);
            }
            m = java.util.regex.Pattern.compile("pixel-shuffle(?:-k(\\d+)r(\\d+))?").matcher(t);
            if (m.matches()) {
                return m.group(1) == null ? pixelShuffle(3, 2)
                        : pixelShuffle(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
            throw new IllegalArgumentException("unknown upsampling choice '" + label
                    + "' (try k4s2p1, k3s2p1op1, resize-nearest, resize-bilinear-k3, pixel-shuffle, pixel-shuffle-k3r2)");
        }

        /** The label {@link #parse} reads back. */
        public String label() {
            return switch (kind) {
                case TRANSPOSED -> "k" + k + "s" + s + "p" + p + (outputPadding == s + 2 * p - k ? "" : "op" + outputPadding);
                case RESIZE_NEAREST -> k == 3 ? "resize-nearest" : "resize-nearest-k" + k;
                case RESIZE_BILINEAR -> k == 3 ? "resize-bilinear" : "resize-bilinear-k" + k;
                case PIXEL_SHUFFLE -> k == 3 && s == 2 ? "pixel-shuffle" : "pixel-shuffle-k" + k + "r" + s;
            };
        }

        /** A human description, e.g. "ConvTranspose2d(k=3, s=2, p=1, output_padding=1)". */
        public String describe() {
            return switch (kind) {
                case TRANSPOSED -> "ConvTranspose2d(k=" + k + ", s=" + s + ", p=" + p
                        + (outputPadding == 0 ? "" : ", output_padding=" + outputPadding) + ")";
                case RESIZE_NEAREST -> "nearest x2 + Conv2d(k=" + k + ", p=" + p + ")";
                case RESIZE_BILINEAR -> "bilinear x2 + Conv2d(k=" + k + ", p=" + p + ")";
                case PIXEL_SHUFFLE -> "Conv2d(k=" + k + ", p=" + p + ", x" + s * s + " channels) + PixelShuffle(" + s + ")";
            };
        }

        /** Upsampling factor per layer. */
        public int factor() {
            return s;
        }

        /** Output side for input side in. */
        public int outSize(int in) {
            return kind == Kind.TRANSPOSED ? ConvTranspose2d.outSize(in, k, s, p) + outputPadding : s * in;
        }
    }

    /** The table's choices: k4s2p1 (DCGAN), k3s2p1, k2s2p0, k5s2p2, resize-nearest, resize-bilinear, pixel-shuffle. */
    public static List<Choice> standardChoices() {
        return List.of(Choice.transposed(4, 2, 1), Choice.transposed(3, 2, 1), Choice.transposed(2, 2, 0),
                Choice.transposed(5, 2, 2), Choice.resizeNearest(3), Choice.resizeBilinear(3), Choice.pixelShuffle(3, 2));
    }

    /** Summary of a set of map values. ratio = max/min (∞ when min is 0), cv = std/mean. NaN when empty. */
    public record Stats(int count, double min, double max, double mean, double std) {
        public double ratio() {
            if (count == 0) return Double.NaN;
            return min > 0 ? max / min : (max > 0 ? Double.POSITIVE_INFINITY : Double.NaN);
        }

        public double cv() {
            return count == 0 ? Double.NaN : (mean != 0 ? std / mean : Double.NaN);
        }

        /** Stats of map [size, size] over rows and columns [border, size − border). */
        public static Stats of(float[] map, int size, int border) {
            int n = 0;
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int y = border; y < size - border; y++) {
                for (int x = border; x < size - border; x++) {
                    double v = map[y * size + x];
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                    n++;
                }
            }
            if (n == 0) return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
            double mean = sum / n, sq = 0;
            for (int y = border; y < size - border; y++) {
                for (int x = border; x < size - border; x++) {
                    double d = map[y * size + x] - mean;
                    sq += d * d;
                }
            }
            return new Stats(n, min, max, mean, Math.sqrt(sq / n));
        }
    }

    /**
     * An analysed stack. map: the actual overlap map [size, size] (edges included); edgeFreeMap: the same
     * window without edge effects; border: width excluded for {@code interior} (see the class comment).
     */
    public record Result(Choice choice, int layers, int inputSize, int size, float[] map, float[] edgeFreeMap,
                         int border, Stats edgeFree, Stats interior, Stats whole) {}

    /** Analyses {@code layers} stacked layers of {@code choice} from an all-ones inputSize×inputSize input. */
    public static Result analyse(Choice choice, int layers, int inputSize) {
        try (JvmBackend backend = new JvmBackend(1)) {
            return analyse(backend, choice, layers, inputSize);
        }
    }

    public static Result analyse(Backend backend, Choice choice, int layers, int inputSize) {
        if (layers < 1 || inputSize < 1) throw new IllegalArgumentException("need layers >= 1 and inputSize >= 1");
        if (!backend.onHost()) throw new IllegalArgumentException("overlap maps are computed on a host backend, not " + backend.name());
        int size = inputSize;
        for (int l = 0; l < layers; l++) size = choice.outSize(size);
        float[] map = map(backend, choice, layers, inputSize);

        // The same stack on an input enlarged by `margin` on each side. Every choice is shift-equivariant
        // with factor s per layer, so the original window sits at offset margin·s^layers of the big map.
        int margin = marginFor(choice, layers);
        int bigIn = inputSize + 2 * margin;
        int bigSize = bigIn;
        for (int l = 0; l < layers; l++) bigSize = choice.outSize(bigSize);
        float[] big = map(backend, choice, layers, bigIn);
        long offset = margin;
        for (int l = 0; l < layers; l++) offset *= choice.factor();
        float[] edgeFree = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                edgeFree[y * size + x] = big[(int) ((y + offset) * bigSize + x + offset)];
            }
        }

        int border = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float a = map[y * size + x], e = edgeFree[y * size + x];
                if (Math.abs(a - e) > 1e-6f * Math.abs(e)) {
                    int d = Math.min(Math.min(y, x), Math.min(size - 1 - y, size - 1 - x));
                    border = Math.max(border, d + 1);
                }
            }
        }
        return new Result(choice, layers, inputSize, size, map, edgeFree, border,
                Stats.of(edgeFree, size, 0), Stats.of(map, size, border), Stats.of(map, size, 0));
    }

    /**
     * Input-pixel margin that keeps the enlarged run's own edges away from the window: a layer's border
     * deficit spans less than k + s of its input pixels, so in layer-0 pixels the whole stack's spans less
     * than (k + s)(1 + 1/s + 1/s² + …) ≤ 2(k + s).
     */
    public static int marginFor(Choice choice, int layers) {
        return 2 * (choice.k() + choice.factor()) + 2;
    }

    /** The overlap map [size, size] of the stack: all-ones weights applied to an all-ones input. */
    public static float[] map(Backend backend, Choice choice, int layers, int inputSize) {
        int n = inputSize;
        float[] cur = new float[n * n];
        java.util.Arrays.fill(cur, 1f);
        for (int l = 0; l < layers; l++) {
            int out = choice.outSize(n);
            cur = layer(backend, choice, cur, n, out);
            n = out;
        }
        return cur;
    }

    /** One layer with all-ones weights on a single-channel map x [n, n]; returns y [out, out]. */
    static float[] layer(Backend backend, Choice c, float[] x, int n, int out) {
        int k = c.k(), s = c.s();
        float[] ones = new float[s * s * k * k];
        java.util.Arrays.fill(ones, 1f);
        float[] y = new float[out * out];
        switch (c.kind()) {
            case TRANSPOSED -> {
                // Unpadded ConvTranspose2d (every tap lands), then crop: padding p removes p rows on each side
                // and output_padding adds rows at the end, which are zero where no tap landed.
                int full = ConvTranspose2d.outSize(n, k, s, 0);
                float[] f = new float[full * full];
                backend.convTranspose2dForward(x, ones, f, 1, 1, n, n, 1, k, s, 0, 0);
                for (int yy = 0; yy < out; yy++) {
                    int fy = yy + c.p();
                    if (fy >= full) continue;
                    for (int xx = 0; xx < out; xx++) {
                        int fx = xx + c.p();
                        if (fx < full) y[yy * out + xx] = f[fy * full + fx];
                    }
                }
            }
            case RESIZE_NEAREST, RESIZE_BILINEAR -> {
                float[] up = new float[4 * n * n];
                if (c.kind() == Kind.RESIZE_NEAREST) backend.upsampleNearest2x(x, up, 1, 1, n, n);
                else backend.upsampleBilinear2x(x, up, 1, 1, n, n);
                backend.conv2dForward(up, ones, y, 1, 1, 2 * n, 2 * n, 1, k, 1, c.p());
            }
            case PIXEL_SHUFFLE -> {
                float[] t = new float[s * s * n * n];
                backend.conv2dForward(x, ones, t, 1, 1, n, n, s * s, k, 1, c.p());
                backend.pixelShuffle(t, y, 1, 1, n, n, s);
            }
        }
        return y;
    }

    /** Heatmap PNG of a map [h, w]: viridis from its min to its max, with colour bar. */
    public static void writeHeatmap(Path png, float[] map, int h, int w) throws IOException {
        Heatmap.write(png, map, h, w);
    }

    /** Heatmap PNG on a fixed range [lo, hi] (e.g. shared by several maps). */
    public static void writeHeatmap(Path png, float[] map, int h, int w, double lo, double hi) throws IOException {
        Heatmap.write(png, map, h, w, lo, hi, Heatmap.Colormap.VIRIDIS);
    }

    /** A markdown table of results, one row each. */
    public static String table(List<Result> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"choice", "layers", "size", "edge-free max/min", "edge-free CV",
                "border", "interior max/min", "interior CV", "whole max/min", "whole CV"});
        for (Result r : results) {
            rows.add(new String[] {r.choice().label(), Integer.toString(r.layers()),
                    r.inputSize() + "→" + r.size(),
                    num(r.edgeFree().ratio()), num(r.edgeFree().cv()),
                    Integer.toString(r.border()), num(r.interior().ratio()), num(r.interior().cv()),
                    num(r.whole().ratio()), num(r.whole().cv())});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) width[i] = Math.max(width[i], row[i].length());
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < rows.size(); j++) {
            String[] row = rows.get(j);
            sb.append('|');
            for (int i = 0; i < row.length; i++) {
                sb.append(' ').append(i == 0 ? padRight(row[i], width[i]) : padLeft(row[i], width[i])).append(" |");
            }
            sb.append('\n');
            if (j == 0) {
                sb.append('|');
                for (int i = 0; i < row.length; i++) {
                    sb.append(i == 0 ? ":" : "-").append("-".repeat(width[i])).append(i == 0 ? "-|" : ":|");
                }
                sb.append('\n');
            }
        }
        sb.append("edge-free: the stack on an unbounded input (no zero-padding effects); interior: the actual map\n")
          .append("without the border whose pixels zero padding affects; whole: the actual map. CV = std/mean.\n");
        return sb.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) return "-";
        if (Double.isInfinite(v)) return "inf";
        if (Math.abs(v) < 5e-7) return "0";
        return String.format(Locale.ROOT, "%.4g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static String padRight(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }
}
