package dcgan.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** `dcgan bench --check` trains on two backends and compares them, the GPU script's correctness step. */
class BenchCheckTest {
    @Test
    void theFastBackendPassesAgainstThePlainKernels() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CliRun.of("bench", "--check", "--backend", "jvm", "--threads", "2", "--iters", "2", "--batch-size", "2",
                    "--image-size", "32", "--ngf", "8", "--ndf", "8").ok();
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        for (String want : new String[] {"check: backend=jvm", "against jvm-plain", "check iter 1: rel_err=", "check iter 2: rel_err=",
                "worst weight rel_err=", ": PASS"}) {
            assertTrue(out.contains(want), () -> "lacks '" + want + "': " + out);
        }
        assertTrue(!out.contains("median_s_per_iter"), "--check times nothing");
    }
}
