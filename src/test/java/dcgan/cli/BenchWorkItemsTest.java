package dcgan.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** `dcgan bench --work-items` prints every task of one iteration with its work-items, running nothing. */
class BenchWorkItemsTest {
    @Test
    void printsTheTasksOfOneIteration() {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
            CliRun.of("bench", "--work-items", "--batch-size", "4", "--image-size", "32", "--ngf", "8", "--ndf", "8").ok();
        } finally {
            System.setOut(old);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        for (String want : new String[] {"tasks per iteration", "| kernel | shape | launches | work-items | serial loop | heavy |",
                "| bnStatsPartials | n4 c16 hw64 |", "| conv2dBackwardWeightPartials | n4 3->8 32x32 k4 s2 p1 |",
                "| bceForwardSum | n4 | 3 | 1 | 4 |", "fewest work-items of a heavy task"}) {
            assertTrue(out.contains(want), () -> "lacks '" + want + "': " + out);
        }
        assertTrue(!out.contains("median_s_per_iter"), "--work-items runs no iteration");
    }
}
