package dcgan.cli;

import dcgan.eval.TinyMnist;
import dcgan.model.Dcgan;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `dcgan evaluate` end to end on a tiny labelled set the test writes in MNIST's format: a classifier trained with a
 * tiny budget, the real-vs-real and noise baselines, a generator from a checkpoint, and bad input.
 */
class EvaluateCommandTest {
    @TempDir static Path tmp;
    static Path data, clf;
    static CliRun training;

    static final String[] TINY = {"--classifier-epochs", "3", "--classifier-batch-size", "32", "--classifier-lr", "0.003",
            "--classifier-width", "8", "--classifier-features", "16"};

    @BeforeAll
    static void trainClassifier() throws IOException {
        data = TinyMnist.write(tmp.resolve("tiny"), 640, 320, 1);
        clf = tmp.resolve("clf.safetensors");
        String[] args = concat(new String[] {"evaluate", "--train-classifier", "--dataset", "mnist", "--dataroot", data.toString(),
                "--classifier", clf.toString(), "--out", tmp.resolve("train").toString(), "--backend", "jvm-plain", "--no-progress"}, TINY);
        training = CliRun.of(args).ok();
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** The last line of key=value pairs on stdout. */
    static Map<String, String> values(CliRun r) {
        String[] lines = r.out().strip().split("\\R");
        Map<String, String> m = new HashMap<>();
        for (String kv : lines[lines.length - 1].split(" ")) {
            int eq = kv.indexOf('=');
            assertTrue(eq > 0, () -> "not key=value: " + kv + " in " + r.out());
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    static CliRun evaluate(String... args) {
        return CliRun.of(concat(new String[] {"evaluate", "--classifier", clf.toString(), "--no-progress", "--backend", "jvm-plain"}, args));
    }

    @Test
    void trainingReportsTestAccuracyAndSavesTheClassifier() {
        assertTrue(Files.isRegularFile(clf));
        assertTrue(training.out().contains("Classifier: test accuracy"), training.out());
        assertTrue(training.out().contains("Feature network: classifier 1x32x32, width 8, 16 features, 10 classes"), training.out());
        String acc = training.out().lines().filter(l -> l.startsWith("classifier_test_accuracy=")).findFirst().orElseThrow();
        double accuracy = Double.parseDouble(acc.split(" ")[0].split("=")[1]);
        assertTrue(accuracy >= 0.9, "the tiny set's four classes are easy: " + accuracy);
        assertEquals(3, training.out().lines().filter(l -> l.startsWith("[classifier ")).count(), "a line per epoch");
    }

    @Test
    void realVersusRealIsSmallAndNoiseIsLarge() throws IOException {
        Path realOut = tmp.resolve("real"), noiseOut = tmp.resolve("noise");
        CliRun real = evaluate("--baseline", "real", "--out", realOut.toString()).ok();
        CliRun noise = evaluate("--baseline", "noise", "--num", "320", "--out", noiseOut.toString()).ok();
        Map<String, String> r = values(real), n = values(noise);
        double fidReal = Double.parseDouble(r.get("fid")), fidNoise = Double.parseDouble(n.get("fid"));
        assertEquals("320", r.get("generated"), "the whole test split");
        assertEquals("320", r.get("real"), "as many training images");
        assertTrue(fidReal >= 0 && fidNoise > 20 * fidReal, "real-vs-real FID " + fidReal + ", noise FID " + fidNoise);
        assertTrue(Double.parseDouble(n.get("kid")) > 100 * Math.abs(Double.parseDouble(r.get("kid"))), r + " " + n);
        assertTrue(Double.parseDouble(n.get("is")) < Double.parseDouble(r.get("is")), r + " " + n);
        assertEquals("classifier", r.get("network"));
        // The dataset is the classifier's: its metadata names it.
        assertTrue(real.out().contains("Real: 320 of 640 images of mnist " + data.toAbsolutePath() + " (train split)"), real.out());
        String json = Files.readString(realOut.resolve("evaluation.json"));
        assertTrue(json.contains("\"fid\": ") && json.contains("\"kid\": {\"mean\": ") && json.contains("\"is\": {\"mean\": "), json);
        assertTrue(json.contains("\"id\": \"classifier\""), json);
    }

    @Test
    void evaluatesAGeneratorFromACheckpointAndAFolderOfImages() throws IOException {
        Dcgan model = CliRun.randomModel(new Dcgan.Config(16, 8, 8, 1, 32), 3);
        Path ckpt = CliRun.writeCheckpoint(model, tmp.resolve("g.ckpt"));
        CliRun r = evaluate("--checkpoint", ckpt.toString(), "--num", "150", "--real-num", "200", "--kid-subset-size", "100",
                "--out", tmp.resolve("gen").toString()).ok();
        Map<String, String> v = values(r);
        assertEquals("150", v.get("generated"));
        assertEquals("200", v.get("real"));
        assertTrue(Double.parseDouble(v.get("fid")) > 0, r.out());
        assertTrue(r.out().contains("150 samples of G from " + ckpt + " (noise seed 0, BatchNorm with running statistics, eval mode)"), r.out());
        CliRun b = evaluate("--checkpoint", ckpt.toString(), "--num", "150", "--batch-stats", "--out", tmp.resolve("gen2").toString()).ok();
        assertTrue(b.out().contains("batch statistics, train mode"), b.out());

        // generate writes the same samples as PNGs; evaluate reads them back as a folder
        Path pngs = tmp.resolve("pngs");
        CliRun.of("generate", "--checkpoint", ckpt.toString(), "--out", pngs.toString(), "--num", "40", "--singles").ok();
        CliRun f = evaluate("--images", pngs.toString(), "--is-splits", "4", "--out", tmp.resolve("folder").toString()).ok();
        assertEquals("40", values(f).get("generated"));
    }

    @Test
    void badInputGetsOneLineAndExitCode2() throws IOException {
        CliRun r = CliRun.of("evaluate", "--classifier", tmp.resolve("missing.safetensors").toString(), "--baseline", "noise");
        r.fails("--classifier " + tmp.resolve("missing.safetensors") + " does not exist");
        assertEquals(2, r.code());

        Path notClf = tmp.resolve("netG.safetensors");
        CliRun.of("export", "--checkpoint", CliRun.writeCheckpoint(CliRun.randomModel(CliRun.SMALL, 1), tmp.resolve("m.ckpt")).toString(),
                "--out-dir", tmp.toString()).ok();
        assertEquals(2, CliRun.of("evaluate", "--classifier", notClf.toString(), "--baseline", "noise").fails("is not a dcgan classifier").code());

        // a generator of 3-channel images against a 1-channel classifier
        Path rgb = CliRun.writeCheckpoint(CliRun.randomModel(CliRun.SMALL, 2), tmp.resolve("rgb.ckpt"));
        assertEquals(2, evaluate("--checkpoint", rgb.toString(), "--num", "20", "--is-splits", "2").fails("wrong image shape").code());

        assertEquals(2, evaluate("--baseline", "noise", "--num", "1").fails("too few generated images for a covariance").code());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(2, evaluate("--images", empty.toString()).fails("no image").code());
        assertEquals(2, evaluate().fails("nothing to evaluate").code());
        assertEquals(2, evaluate("--baseline", "fake").fails("--baseline must be real or noise").code());
        assertEquals(2, CliRun.of("evaluate", "--baseline", "noise").fails("give --classifier FILE").code());
        assertEquals(2, CliRun.of("evaluate", "--train-classifier", "--dataset", "fake").fails("needs a labelled dataset").code());
    }
}
