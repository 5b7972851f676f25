package dcgan.cli;

import dcgan.eval.inception.InceptionTestWeights;
import dcgan.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `dcgan evaluate --features inception`: bad input in one line with exit code 2; a run with random weights (slow, opt-in). */
class EvaluateInceptionTest {
    @TempDir Path tmp;

    @Test
    void badInputGetsOneLineAndExitCode2() throws IOException {
        assertEquals(2, CliRun.of("evaluate", "--features", "inception", "--baseline", "noise")
                .fails("--features inception needs --inception-weights FILE").code());
        assertEquals(2, CliRun.of("evaluate", "--features", "inception", "--inception-weights", tmp.resolve("none.safetensors").toString(),
                "--baseline", "noise", "--dataset", "fake").fails("does not exist").code());
        Path junk = tmp.resolve("junk.safetensors");
        Files.writeString(junk, "junk");
        assertEquals(2, CliRun.of("evaluate", "--features", "inception", "--inception-weights", junk.toString(),
                "--baseline", "noise", "--dataset", "fake").fails("convert_inception_weights.py").code());
        Path other = tmp.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("x", SafeTensors.Tensor.of(new float[1], 1)));
        assertEquals(2, CliRun.of("evaluate", "--features", "inception", "--inception-weights", other.toString(),
                "--baseline", "noise", "--dataset", "fake").fails("not pytorch-fid's Inception weights").code());
        assertEquals(2, CliRun.of("evaluate", "--features", "vgg", "--baseline", "noise").fails("--features must be classifier or inception").code());
        assertEquals(2, CliRun.of("evaluate", "--features", "inception", "--inception-weights", other.toString(), "--train-classifier",
                "--dataset", "mnist").fails("not with --features inception").code());
    }

    /** Noise against the fake dataset through the random-weight network: a few minutes here (-Ddcgan.slowTests=true). */
    @Test
    @EnabledIfSystemProperty(named = "dcgan.slowTests", matches = "true")
    void runsWithRandomWeights() throws IOException {
        Path w = tmp.resolve("inception.safetensors");
        SafeTensors.write(w, InceptionTestWeights.stateDict(), Map.of("format", "pytorch-fid inception"));
        CliRun r = CliRun.of("evaluate", "--features", "inception", "--inception-weights", w.toString(), "--baseline", "noise",
                "--dataset", "fake", "--num", "6", "--real-num", "6", "--kid-subset-size", "3", "--kid-subsets", "4", "--is-splits", "2",
                "--inception-image-size", "16", "--out", tmp.resolve("out").toString(), "--no-progress", "--backend", "jvm").ok();
        System.out.print(r.out());
        assertTrue(r.out().contains("Feature network: inception: pytorch-fid's FID Inception-v3, pool3 (2048 features) and 1008 classes"), r.out());
        assertTrue(r.out().contains("Inception runs as im2col + the jvm backend's GEMM"), r.out());
        assertTrue(r.out().contains("fid="), r.out());
    }
}
