package dcgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.model.Upsampling;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckerboardCommandTest {
    @TempDir Path tmp;

    /** Runs `dcgan args...`; returns {exit code, stderr}. */
    static Object[] run(String... args) {
        CommandLine cmd = Main.commandLine();
        StringWriter err = new StringWriter();
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Object[] {code, err.toString()};
    }

    static BufferedImage png(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " exists");
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " decodes as an image");
        assertTrue(img.getWidth() > 0 && img.getHeight() > 0);
        return img;
    }

    static List<String> lines(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " exists");
        return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList();
    }

    /** CSV fields, with quoted fields (which may hold commas) replaced by "q". */
    static String[] fields(String line) {
        return line.replaceAll("\"[^\"]*\"", "q").split(",", -1);
    }

    static void noTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
    }

    @Test
    void overlapWritesHeatmapsTableAndCsv() throws IOException {
        Path out = tmp.resolve("ov");
        Object[] r = run("checkerboard", "overlap", "--choices", "k4s2p1,k3s2p1,pixel-shuffle", "--layers", "3", "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        for (String c : List.of("k4s2p1", "k3s2p1", "pixel-shuffle")) {
            png(out.resolve("overlap-" + c + "-1layer.png"));
            png(out.resolve("overlap-" + c + "-3layers.png"));
        }
        png(out.resolve("overlap.png"));
        List<String> csv = lines(out.resolve("overlap.csv"));
        assertEquals(1 + 3 * 2, csv.size(), "header + 3 choices x (1 layer, stack)");
        assertTrue(csv.get(0).startsWith("choice,description,layers,"));
        int cols = fields(csv.get(0)).length;
        for (String line : csv.subList(1, csv.size())) assertEquals(cols, fields(line).length, line);
        // k4s2p1 is even (edge-free max/min 1, CV 0); one k3s2p1 layer alternates 1, 2, 4 paths (max/min 4).
        String[] k4 = fields(csv.get(1)), k3 = fields(csv.get(3));
        assertEquals("k4s2p1", k4[0]);
        assertEquals("1", k4[7]);
        assertEquals("0", k4[8]);
        assertEquals("k3s2p1", k3[0]);
        assertEquals("1", k3[2]);
        assertEquals("4", k3[7]);
        String md = Files.readString(out.resolve("overlap.md"));
        assertTrue(md.contains("| k3s2p1 ") && md.contains("edge-free max/min"), md);
        noTemporaryFiles(out);
    }

    @Test
    void compareTrainsTwoVariantsAndWritesEveryFile() throws IOException {
        Path out = tmp.resolve("cmp");
        List<String> variants = List.of(Upsampling.CONVT_K3S2.id, Upsampling.PIXEL_SHUFFLE_ICNR.id);
        Object[] r = run("checkerboard", "compare", "--variants", String.join(",", variants), "--iters", "3",
                "--image-size", "32", "--ngf", "8", "--ndf", "8", "--nz", "16", "--batch-size", "8", "--threads", "2",
                "--out", out.toString());
        assertEquals(0, r[0], (String) r[1]);
        BufferedImage fig = png(out.resolve("compare.png"));
        assertTrue(fig.getHeight() > 3 * 250, "a row per variant plus the real images: " + fig.getHeight());
        png(out.resolve("real.png"));
        for (String v : variants) {
            BufferedImage grid = png(out.resolve("samples-" + v + ".png"));
            assertEquals(8 * (32 + 2) + 2, grid.getWidth(), "8x8 grid of 32x32 samples, padding 2");
            png(out.resolve("init-" + v + ".png"));
        }
        List<String> csv = lines(out.resolve("report.csv"));
        assertEquals(1 + variants.size(), csv.size(), "header + one row per variant");
        String[] head = csv.get(0).split(",");
        for (int i = 1; i < csv.size(); i++) {
            String[] f = fields(csv.get(i));
            assertEquals(head.length, f.length, csv.get(i));
            assertEquals(variants.get(i - 1), f[0]);
            for (int j = 2; j < f.length; j++) {
                assertTrue(Double.isFinite(Double.parseDouble(f[j])), head[j] + " = " + f[j]);
            }
        }
        String md = Files.readString(out.resolve("report.md"));
        for (String v : variants) assertTrue(md.contains("| " + v + " |"), md);
        assertTrue(md.contains("## The metric") && md.contains("| rank | variant |"), md);
        noTemporaryFiles(out);
    }

    @Test
    void badOptionsEndWithOneLine() {
        String out = tmp.resolve("bad").toString();
        String[][] cases = {
            {"checkerboard", "compare", "--variants", "convt-k4s2,deconv", "--out", out},
            {"checkerboard", "compare", "--variants", "convt-k4s2,convt-k4s2", "--out", out},
            {"checkerboard", "compare", "--variants", " , ", "--out", out},
            {"checkerboard", "compare", "--iters", "0", "--out", out},
            {"checkerboard", "compare", "--image-size", "48", "--out", out},
            {"checkerboard", "compare", "--ngf", "0", "--out", out},
            {"checkerboard", "compare", "--dataset", "imagenet", "--iters", "1", "--out", out},
            {"checkerboard", "compare", "--dataset", "folder", "--iters", "1", "--out", out},
            {"checkerboard", "compare", "--backend", "cuda", "--iters", "1", "--out", out},
            {"checkerboard", "overlap", "--choices", "k4s2p1,bogus", "--out", out},
            {"checkerboard", "overlap", "--layers", "0", "--out", out},
            {"checkerboard", "overlap", "--choices", "k2s2p1op0", "--input-size", "1", "--out", out},
        };
        for (String[] args : cases) {
            Object[] r = run(args);
            String err = ((String) r[1]).strip();
            assertEquals(2, r[0], String.join(" ", args) + ": " + err);
            assertTrue(err.startsWith("dcgan: ") && !err.contains("\n"), String.join(" ", args) + " -> " + err);
        }
    }
}
