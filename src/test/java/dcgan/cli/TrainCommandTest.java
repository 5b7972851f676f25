package dcgan.cli;

import dcgan.io.Checkpoint;
import dcgan.io.LossCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** `dcgan train` end to end on a tiny configuration: every output, exact resume, and bad input. */
class TrainCommandTest {
    static final String[] TINY = {"--image-size", "32", "--nz", "8", "--ngf", "4", "--ndf", "4", "--batch-size", "4",
            "--workers", "1", "--threads", "2", "--no-progress"};

    record Run(int code, String out, String err) {}

    static Run run(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("train"));
        all.addAll(List.of(TINY));
        all.addAll(List.of("--out", out.toString()));
        all.addAll(List.of(args));
        StringWriter err = new StringWriter();
        var cmd = Main.commandLine();
        cmd.setErr(new PrintWriter(err, true));
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.out;
        System.setOut(new java.io.PrintStream(buf, true));
        int code;
        try {
            code = cmd.execute(all.toArray(String[]::new));
        } finally {
            System.setOut(old);
        }
        return new Run(code, buf.toString(), err.toString());
    }

    static BufferedImage png(Path p) throws Exception {
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not a readable image");
        return img;
    }

    @Test
    void writesEveryOutputOfTheTutorial(@TempDir Path dir) throws Exception {
        Run r = run(dir, "--max-iters", "6", "--sample-every", "3", "--log-every", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("[0/5][0/15000]\tLoss_D: "), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.matches("\\[0/5]\\[4/15000]\\tLoss_D: \\d\\.\\d{4}\\tLoss_G: \\d+\\.\\d{4}\\tD\\(x\\): \\d\\.\\d{4}\\tD\\(G\\(z\\)\\): \\d\\.\\d{4} / \\d\\.\\d{4}")), r.out());
        // 64 images of 32 px, 8 a row, padding 2: 8·34 + 2 = 274.
        assertEquals(274, png(dir.resolve("real_samples.png")).getWidth());
        assertEquals(274, png(dir.resolve("fake_samples.png")).getHeight());
        try (Stream<Path> s = Files.list(dir.resolve("samples"))) {
            assertEquals(List.of("iter_0000000.png", "iter_0000003.png", "iter_0000005.png"),
                    s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<LossCsv.Row> rows = LossCsv.read(dir.resolve("losses.csv"));
        assertEquals(6, rows.size());
        assertEquals(6, rows.getLast().iteration());
        for (LossCsv.Row row : rows) assertTrue(row.lossD() > 0 && row.lossG() > 0 && row.dX() > 0 && row.dX() < 1);
        png(dir.resolve("loss_plot.png"));
        png(dir.resolve("real_vs_fake.png"));
        try (ImageInputStream in = ImageIO.createImageInputStream(dir.resolve("progress.gif").toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals("gif", reader.getFormatName().toLowerCase());
            assertEquals(3, reader.getNumImages(true));
        }
        Checkpoint ckpt = Checkpoint.read(dir.resolve("checkpoint.ckpt"));
        assertEquals(6, ckpt.getLong("train.iteration"));
        assertTrue(ckpt.has("G.main.0.weight") && ckpt.has("D.adam.v.main.0.weight"));
    }

    @Test
    void resumingGivesBitIdenticalWeights(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight"), split = dir.resolve("split");
        assertEquals(0, run(straight, "--max-iters", "8", "--sample-every", "100").code());
        assertEquals(0, run(split, "--max-iters", "4", "--sample-every", "100").code());
        Run resumed = run(split, "--max-iters", "8", "--sample-every", "100", "--resume", split.toString());
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.out().contains("Resuming at iteration 4"), resumed.out());
        Checkpoint a = Checkpoint.read(straight.resolve("checkpoint.ckpt")), b = Checkpoint.read(split.resolve("checkpoint.ckpt"));
        int tensors = 0;
        for (String name : a.names()) {
            if (name.startsWith("G.") || name.startsWith("D.")) {
                if (a.shape(name) != null && b.has(name) && isTensor(a, name)) {
                    assertArrayEquals(a.tensor(name), b.tensor(name), name);
                    tensors++;
                }
            }
        }
        assertTrue(tensors > 20, "compared " + tensors + " tensors");
        List<LossCsv.Row> ra = LossCsv.read(straight.resolve("losses.csv")), rb = LossCsv.read(split.resolve("losses.csv"));
        assertEquals(8, rb.size());
        for (int i = 0; i < 8; i++) {
            assertEquals(ra.get(i).lossD(), rb.get(i).lossD(), "row " + i);
            assertEquals(ra.get(i).lossG(), rb.get(i).lossG(), "row " + i);
        }
    }

    private static boolean isTensor(Checkpoint c, String name) {
        try {
            c.tensor(name);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    static void assertOneLineError(Run r, String expected) {
        assertNotEquals(0, r.code(), "should fail: " + r.out());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line, got: " + err);
        assertFalse(err.contains("Exception"), "no stack trace: " + err);
        assertTrue(err.contains(expected), "expected '" + expected + "' in: " + err);
    }

    @Test
    void badInputGetsOneClearLine(@TempDir Path dir) throws Exception {
        assertOneLineError(run(dir.resolve("a"), "--dataset", "folder"), "dataroot");
        assertOneLineError(run(dir.resolve("b"), "--dataset", "folder", "--dataroot", dir.resolve("nope").toString()), "nope");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertOneLineError(run(dir.resolve("c"), "--dataset", "folder", "--dataroot", empty.toString()), "empty");
        assertOneLineError(run(dir.resolve("d"), "--dataset", "imagenet"), "unknown dataset");
        assertOneLineError(run(dir.resolve("e"), "--image-size", "48"), "image size must be 32, 64 or 128");
        assertOneLineError(run(dir.resolve("f"), "--batch-size", "0"), "--batch-size");
        assertOneLineError(run(dir.resolve("g"), "--upsample", "magic"), "unknown upsampling");
        assertOneLineError(run(dir.resolve("h"), "--lr", "-1"), "--lr");
        Path file = Files.writeString(dir.resolve("afile"), "x");
        assertOneLineError(run(file, "--max-iters", "1"), "cannot write to output folder");
        // A checkpoint whose shapes do not fit the options: refused, and left as it was.
        Path ok = dir.resolve("ok");
        assertEquals(0, run(ok, "--max-iters", "1").code());
        byte[] before = Files.readAllBytes(ok.resolve("checkpoint.ckpt"));
        Run mismatch = run(ok, "--max-iters", "2", "--resume", ok.toString(), "--ngf", "8");
        assertOneLineError(mismatch, "checkpoint is for a model with");
        assertArrayEquals(before, Files.readAllBytes(ok.resolve("checkpoint.ckpt")));
    }

    @Test
    void divergenceStopsAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws Exception {
        assertEquals(0, run(dir, "--max-iters", "2").code());
        byte[] good = Files.readAllBytes(dir.resolve("checkpoint.ckpt"));
        // An absurd learning rate blows the weights up: the losses turn NaN within an iteration or two.
        Run r = run(dir, "--max-iters", "50", "--sample-every", "1", "--lr", "1e30", "--resume", dir.toString());
        assertOneLineError(r, "training diverged at iteration 3");
        assertArrayEquals(good, Files.readAllBytes(dir.resolve("checkpoint.ckpt")));
        assertEquals(2, Checkpoint.read(dir.resolve("checkpoint.ckpt")).getLong("train.iteration"));
    }
}
