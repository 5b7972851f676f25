package dcgan.checkerboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.jvm.JvmBackend;
import dcgan.checkerboard.Overlap.Choice;
import dcgan.checkerboard.Overlap.Result;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlapTest {

    /** Independent reference: direct scatter of ConvTranspose2d(k, s, p, op) with ones, per axis, outer product. */
    static float[] directTransposed(int k, int s, int p, int op, int layers, int in) {
        double[] v = new double[in];
        java.util.Arrays.fill(v, 1);
        for (int l = 0; l < layers; l++) {
            int out = s * (v.length - 1) - 2 * p + k + op;
            double[] o = new double[out];
            for (int i = 0; i < v.length; i++) {
                for (int t = 0; t < k; t++) {
                    int y = i * s - p + t;
                    if (y >= 0 && y < out) o[y] += v[i];
                }
            }
            v = o;
        }
        float[] map = new float[v.length * v.length];
        for (int y = 0; y < v.length; y++) {
            for (int x = 0; x < v.length; x++) map[y * v.length + x] = (float) (v[y] * v[x]);
        }
        return map;
    }

    @Test
    void transposedMapsMatchADirectScatter() {
        try (JvmBackend b = new JvmBackend(2)) {
            int[][] kso = {{4, 2, 1, 0}, {3, 2, 1, 1}, {2, 2, 0, 0}, {5, 2, 2, 1}, {3, 2, 1, 0}, {3, 3, 0, 0}};
            for (int[] c : kso) {
                for (int layers = 1; layers <= 3; layers++) {
                    float[] got = Overlap.map(b, Choice.transposed(c[0], c[1], c[2], c[3]), layers, 4);
                    assertArrayEquals(directTransposed(c[0], c[1], c[2], c[3], layers, 4), got, 0f,
                            "k" + c[0] + "s" + c[1] + "p" + c[2] + "op" + c[3] + " x" + layers);
                }
            }
        }
    }

    static TreeSet<Float> values(Result r, boolean edgeFree) {
        TreeSet<Float> set = new TreeSet<>();
        for (float v : edgeFree ? r.edgeFreeMap() : r.map()) set.add(v);
        return set;
    }

    @Test
    void oneLayerOverlapsAreTheKnownOnes() {
        // Per axis a stride-2 layer gives ceil(k/2) and floor(k/2) taps alternately; the 2-D map is their product.
        Result k4 = Overlap.analyse(Choice.parse("k4s2p1"), 1, 8);
        assertEquals(List.of(4f), List.copyOf(values(k4, true)));
        assertEquals(1.0, k4.interior().ratio());
        assertEquals(0.0, k4.interior().cv());
        assertEquals(1, k4.border());

        Result k3 = Overlap.analyse(Choice.parse("k3s2p1"), 1, 8);
        assertEquals(List.of(1f, 2f, 4f), List.copyOf(values(k3, true)));
        assertEquals(4.0, k3.edgeFree().ratio(), 1e-12);
        assertEquals(4.0, k3.interior().ratio(), 1e-12);

        Result k2 = Overlap.analyse(Choice.parse("k2s2p0"), 1, 8);
        assertEquals(List.of(1f), List.copyOf(values(k2, false)));
        assertEquals(0, k2.border());

        Result k5 = Overlap.analyse(Choice.parse("k5s2p2"), 1, 8);
        assertEquals(List.of(4f, 6f, 9f), List.copyOf(values(k5, true)));
        assertEquals(9.0 / 4.0, k5.interior().ratio(), 1e-12);
    }

    @Test
    void resizeAndPixelShuffleAreEvenAwayFromEdges() {
        for (String label : List.of("resize-nearest", "resize-bilinear", "pixel-shuffle")) {
            for (int layers : new int[] {1, 4}) {
                Result r = Overlap.analyse(Choice.parse(label), layers, 4);
                assertEquals(1.0, r.edgeFree().ratio(), 1e-6, label + " x" + layers);
                assertEquals(0.0, r.edgeFree().cv(), 1e-6, label + " x" + layers);
                assertEquals(1.0, r.interior().ratio(), 1e-6, label + " x" + layers);
                assertTrue(r.border() > 0 && r.whole().ratio() > 1, "zero padding starves the edges");
            }
        }
    }

    @Test
    void stackedK4s2p1IsEvenButK3s2p1IsNot() {
        Result k4 = Overlap.analyse(Choice.parse("k4s2p1"), 4, 4);
        assertEquals(64, k4.size());
        assertEquals(1.0, k4.edgeFree().ratio(), 1e-6);
        assertEquals(256f, k4.edgeFreeMap()[32 * 64 + 32]);
        Result k3 = Overlap.analyse(Choice.parse("k3s2p1"), 4, 4);
        assertEquals(64, k3.size());
        assertTrue(k3.edgeFree().ratio() > 4);
    }

    /** The edge-free map does not change with a larger margin, i.e. the margin suffices. */
    @Test
    void edgeFreeMapIsIndependentOfTheMargin() {
        try (JvmBackend b = new JvmBackend(2)) {
            for (Choice c : Overlap.standardChoices()) {
                Result r = Overlap.analyse(b, c, 4, 4);
                int m = Overlap.marginFor(c, 4) + 6;
                float[] big = Overlap.map(b, c, 4, 4 + 2 * m);
                int bigSize = (int) Math.sqrt(big.length), off = m * 16;
                for (int y = 0; y < r.size(); y++) {
                    for (int x = 0; x < r.size(); x++) {
                        assertEquals(big[(y + off) * bigSize + x + off], r.edgeFreeMap()[y * r.size() + x],
                                1e-6f * big[(y + off) * bigSize + x + off], c.label());
                    }
                }
            }
        }
    }

    @Test
    void parseAndLabelRoundTrip() {
        for (Choice c : Overlap.standardChoices()) assertEquals(c, Choice.parse(c.label()));
        assertEquals(Choice.transposed(3, 2, 1, 0), Choice.parse("k3s2p1op0"));
        assertEquals(Choice.transposed(3, 2, 1, 0), Choice.parse(Choice.transposed(3, 2, 1, 0).label()));
        assertEquals(1, Choice.parse("k3s2p1").outputPadding());
        assertThrows(IllegalArgumentException.class, () -> Choice.parse("k7s2p1"));
        assertThrows(IllegalArgumentException.class, () -> Choice.parse("bicubic"));
    }

    @Test
    void heatmapIsAPng(@TempDir Path dir) throws Exception {
        Result r = Overlap.analyse(Choice.parse("k3s2p1"), 4, 4);
        Path png = dir.resolve("sub/k3s2p1.png");
        Overlap.writeHeatmap(png, r.map(), r.size(), r.size());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(256, img.getHeight());
        assertTrue(img.getWidth() > 256, "colour bar on the right");
        // The largest map value gets viridis' top colour, the smallest its bottom one; scale is 256/64 = 4.
        int hi = 0, lo = 0;
        for (int i = 0; i < r.map().length; i++) {
            if (r.map()[i] > r.map()[hi]) hi = i;
            if (r.map()[i] < r.map()[lo]) lo = i;
        }
        assertEquals(0xfde725, img.getRGB(4 * (hi % 64) + 2, 4 * (hi / 64) + 2) & 0xffffff);
        assertEquals(0x440154, img.getRGB(4 * (lo % 64) + 2, 4 * (lo / 64) + 2) & 0xffffff);
        assertEquals(0x440154, img.getRGB(img.getWidth() - 1, 255) & 0xffffff, "colour bar bottom = lo");
        assertEquals(0xfde725, img.getRGB(img.getWidth() - 1, 0) & 0xffffff, "colour bar top = hi");
    }

    /** Prints the table for the standard choices, one layer (16 → 32) and four stacked (4 → 64). */
    @Test
    void printTable() {
        List<Result> rs = new ArrayList<>();
        for (Choice c : Overlap.standardChoices()) rs.add(Overlap.analyse(c, 1, 16));
        for (Choice c : Overlap.standardChoices()) rs.add(Overlap.analyse(c, 4, 4));
        String t = Overlap.table(rs);
        System.out.print(t);
        assertTrue(t.startsWith("| choice"));
    }
}
