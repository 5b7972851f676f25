package dcgan.cli;

import dcgan.eval.TinyMnist;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `checkerboard compare --metric fid --seeds K` on a tiny MNIST-format set the test writes, with a tiny classifier
 * trained here through `evaluate --train-classifier`: two variants, two seeds, a few iterations.
 */
class CheckerboardQualityTest {
    @TempDir static Path tmp;
    static Path data, clf;

    static final List<String> VARIANTS = List.of("convt-k4s2", "resize-nearest");

    @BeforeAll
    static void trainClassifier() {
        try {
            data = TinyMnist.write(tmp.resolve("tiny"), 320, 64, 3);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
        clf = tmp.resolve("clf.safetensors");
        CliRun.of("evaluate", "--train-classifier", "--dataset", "mnist", "--dataroot", data.toString(), "--classifier", clf.toString(),
                "--out", tmp.resolve("train").toString(), "--backend", "jvm-plain", "--no-progress", "--classifier-epochs", "1",
                "--classifier-batch-size", "32", "--classifier-width", "8", "--classifier-features", "16").ok();
    }

    static String[] compare(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("checkerboard", "compare", "--dataset", "mnist", "--dataroot", data.toString(), "--nc", "1",
                "--variants", String.join(",", VARIANTS), "--iters", "3", "--image-size", "32", "--ngf", "8", "--ndf", "8", "--nz", "16",
                "--batch-size", "8", "--backend", "jvm-plain", "--threads", "2", "--out", out.toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    /** The cells of a markdown table row. */
    static String[] cells(String row) {
        String[] c = row.substring(1, row.length() - 1).split("\\|");
        for (int i = 0; i < c.length; i++) c[i] = c[i].strip();
        return c;
    }

    @Test
    void fidOverTwoSeedsGivesMeanAndStdPerVariantAndTheFigure() throws IOException {
        Path out = tmp.resolve("study");
        CliRun r = CliRun.of(compare(out, "--metric", "fid", "--seeds", "2", "--classifier", clf.toString(), "--num", "40")).ok();
        assertTrue(r.out().contains("== seed 999 (1 of 2)") && r.out().contains("== seed 1000 (2 of 2)"), r.out());
        assertTrue(r.out().contains("Sample quality: 40 samples per run"), r.out());
        assertTrue(r.out().contains("(mean ± sample std over 2 seeds, 999 to 1000)"), r.out());

        // report.csv: one row per variant and seed, FID and KID finite.
        List<String> csv = CheckerboardCommandTest.lines(out.resolve("report.csv"));
        assertEquals(1 + 2 * VARIANTS.size(), csv.size(), String.join("\n", csv));
        List<String> head = List.of(csv.getFirst().split(","));
        Map<String, List<Double>> fids = new HashMap<>(), p2s = new HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",", -1);
            assertEquals(head.size(), f.length, line);
            double fid = Double.parseDouble(f[head.indexOf("fid")]);
            assertTrue(Double.isFinite(fid) && fid >= 0, line);
            assertTrue(Double.isFinite(Double.parseDouble(f[head.indexOf("kid")])), line);
            fids.computeIfAbsent(f[0], k -> new ArrayList<>()).add(fid);
            p2s.computeIfAbsent(f[0], k -> new ArrayList<>()).add(Double.parseDouble(f[head.indexOf("period2_ratio")]));
        }
        assertEquals(VARIANTS, fids.keySet().stream().sorted().toList());
        for (List<Double> v : fids.values()) assertEquals(2, v.size(), "two seeds per variant");

        // summary.csv: mean and sample std of the runs above.
        List<String> sum = CheckerboardCommandTest.lines(out.resolve("summary.csv"));
        assertEquals(1 + VARIANTS.size(), sum.size());
        List<String> sh = List.of(sum.getFirst().split(","));
        for (String line : sum.subList(1, sum.size())) {
            String[] f = line.split(",", -1);
            assertEquals("2", f[sh.indexOf("seeds")]);
            List<Double> v = fids.get(f[0]);
            double mean = (v.get(0) + v.get(1)) / 2, std = Math.abs(v.get(0) - v.get(1)) / Math.sqrt(2);
            assertEquals(mean, Double.parseDouble(f[sh.indexOf("fid_mean")]), 1e-5 * (1 + mean), line);
            assertEquals(std, Double.parseDouble(f[sh.indexOf("fid_std")]), 1e-5 * (1 + std), line);
            List<Double> p = p2s.get(f[0]);
            assertEquals((p.get(0) + p.get(1)) / 2, Double.parseDouble(f[sh.indexOf("period2_mean")]), 1e-5 * (1 + p.get(0)), line);
        }

        // report.md: each variant's row has mean ± std for the period-2 score, FID and KID.
        String md = Files.readString(out.resolve("report.md"));
        List<String> header = md.lines().filter(l -> l.startsWith("| rank |")).toList();
        assertEquals(1, header.size(), md);
        List<String> cols = List.of(cells(header.getFirst()));
        for (String v : VARIANTS) {
            String row = md.lines().filter(l -> l.matches("\\| \\d+ \\| " + v + " \\|.*")).findFirst().orElseThrow(() -> new AssertionError(v + " in " + md));
            String[] c = cells(row);
            for (String col : List.of("period-2 score", "FID", "KID")) {
                assertTrue(c[cols.indexOf(col)].matches("-?\\d+\\.\\d+ ± \\d+\\.\\d+"), col + " of " + v + ": " + c[cols.indexOf(col)]);
            }
        }
        assertTrue(md.contains("Ranked by mean FID"), md);
        assertTrue(md.contains("## Every run"), md);
        String json = Files.readString(out.resolve("report.json"));
        assertTrue(json.contains("\"seeds\": 2") && json.contains("\"variant\": \"resize-nearest\"") && json.contains("\"runs\": ["), json);

        BufferedImage fig = CheckerboardCommandTest.png(out.resolve("quality.png"));
        assertEquals(1000, fig.getWidth());
        assertEquals(650, fig.getHeight());
        CheckerboardCommandTest.png(out.resolve("compare.png"));
        for (String v : VARIANTS) CheckerboardCommandTest.png(out.resolve("samples-" + v + ".png"));
        CheckerboardCommandTest.noTemporaryFiles(out);
    }

    @Test
    void seedsWithoutMetricAverageTheArtifactScoresOnly() throws IOException {
        Path out = tmp.resolve("seeds");
        CliRun.of(compare(out, "--seeds", "2")).ok();
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Ranked by the mean period-2 artifact score") && !md.contains("| FID |"), md);
        assertFalse(Files.exists(out.resolve("quality.png")), "no quality figure without --metric");
        assertEquals(1 + 2 * VARIANTS.size(), CheckerboardCommandTest.lines(out.resolve("report.csv")).size());
    }

    @Test
    void defaultsWriteTheSingleComparison() throws IOException {
        Path out = tmp.resolve("single");
        CliRun.of(compare(out, "--seeds", "1", "--metric", "none")).ok();
        assertTrue(Files.readString(out.resolve("report.md")).startsWith("# Checkerboard artifacts: generator upsampling compared\n"));
        assertFalse(Files.exists(out.resolve("summary.csv")) || Files.exists(out.resolve("report.json")) || Files.exists(out.resolve("quality.png")));
        assertEquals(1 + VARIANTS.size(), CheckerboardCommandTest.lines(out.resolve("report.csv")).size());
    }

    @Test
    void badInputIsOneLine() {
        String out = tmp.resolve("bad").toString();
        CliRun.of(compare(Path.of(out), "--metric", "fid")).fails("--metric fid needs --classifier FILE");
        CliRun.of(compare(Path.of(out), "--seeds", "0")).fails("--seeds must be >= 1, got 0");
        CliRun.of(compare(Path.of(out), "--metric", "is", "--classifier", clf.toString())).fails("--metric must be none, fid or kid");
        CliRun.of(compare(Path.of(out), "--classifier", clf.toString())).fails("--classifier is used only with --metric");
        CliRun.of(compare(Path.of(out), "--metric", "kid", "--classifier", tmp.resolve("nope.safetensors").toString())).fails("does not exist");
        CliRun.of(compare(Path.of(out), "--metric", "fid", "--classifier", clf.toString(), "--num", "1")).fails("--num must be >= 2");
        String[] rgb = compare(Path.of(out), "--metric", "fid", "--classifier", clf.toString());
        rgb[List.of(rgb).indexOf("--nc") + 1] = "3";
        CliRun.of(rgb).fails("--classifier takes 1x32x32 images");
        CliRun.of(compare(Path.of(out), "--metric", "fid", "--classifier", clf.toString(), "--real-num", "100000")).fails("is more than the 320 images");
    }
}
