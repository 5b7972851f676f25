package dcgan.train;

import dcgan.io.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStateTest {
    @Test
    void writesAndReadsTheTrainKeys(@TempDir Path dir) throws Exception {
        RunState s = new RunState(1234, 3, 17, 0x9E3779B97F4A7C15L, 1234, 1233, 98.765432109876);
        Checkpoint c = new Checkpoint();
        s.write(c);
        for (String key : new String[] {"train.iteration", "train.next_epoch", "train.next_batch", "train.rng",
                "train.adam_steps_d", "train.adam_steps_g", "train.elapsed_bits"}) {
            assertTrue(c.has(key), key);
        }
        c.write(dir.resolve("c.ckpt"));
        Checkpoint back = Checkpoint.read(dir.resolve("c.ckpt"));
        assertTrue(RunState.isIn(back));
        assertEquals(s, RunState.read(back));
    }

    @Test
    void aFreshRunStartsAtZeroWithTheGivenGenerator() {
        RunState s = RunState.fresh(42);
        assertTrue(s.isFresh());
        assertEquals(new RunState(0, 0, 0, 42, 0, 0, 0), s);
        assertFalse(RunState.isIn(new Checkpoint()));
    }
}
