package dcgan.backend;

import dcgan.model.Dcgan;
import dcgan.train.Trainer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FlopCounterTest {
    @Test
    void tutorialIterationIsAbout291Gflop() {
        // D: 3 forwards, 2 weight gradients (none in G's step), input gradients on all but its first layer for
        // 3 passes plus its first layer once (into G); G: 1 forward, weight gradients, input gradients but its
        // first layer. Each pass of D or G is about 26.7 GFLOP: 11 of them.
        long flops = Trainer.iterationFlops(Dcgan.Config.tutorial(), 128);
        assertEquals(291e9, flops, 3e9, "flops=" + flops);
    }

    @Test
    void smallConvCountsMultiplyAddsTwice() {
        FlopCounter c = new FlopCounter();
        c.conv2dForward(null, null, null, 2, 3, 8, 8, 4, 3, 1, 1); // 2·4·8·8 outputs × 3·3·3 taps
        assertEquals(2L * 2 * 4 * 8 * 8 * 27, c.flops());
    }
}
