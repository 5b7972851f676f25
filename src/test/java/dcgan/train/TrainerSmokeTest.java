package dcgan.train;

import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class TrainerSmokeTest {

    private static float[][] run(int threads, int iters) {
        Dcgan.Config cfg = new Dcgan.Config(16, 8, 8, 3, 32);
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(42);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        int batch = 4;
        float[] real = new float[batch * cfg.imageElements()];
        float[] noise = new float[batch * cfg.nz()];
        float[] losses = new float[iters * 2];
        try (JvmBackend be = new JvmBackend(threads)) {
            Trainer t = new Trainer(model, be, batch, 2e-4, 0.5);
            for (int i = 0; i < iters; i++) {
                // Real images: a fixed smooth pattern, so D can learn to tell them from G's output.
                for (int j = 0; j < real.length; j++) real[j] = (float) Math.sin(j * 0.01);
                rng.fillGaussian(noise, 0, 1);
                Trainer.Stats s = t.step(real, noise);
                losses[2 * i] = s.lossD();
                losses[2 * i + 1] = s.lossG();
            }
        }
        return new float[][] {losses, model.generator.params().getFirst().data.clone()};
    }

    @Test
    void lossesStartNearChanceAndDiscriminatorLearns() {
        float[][] r = run(1, 20);
        float[] losses = r[0];
        // An untrained D outputs ~0.5 for everything: Loss_D ≈ 2·ln 2, Loss_G ≈ ln 2.
        assertEquals(2 * Math.log(2), losses[0], 0.3);
        assertEquals(Math.log(2), losses[1], 0.3);
        for (float l : losses) assertTrue(Float.isFinite(l));
        assertTrue(losses[38] < losses[0], "D loss should fall on an easy task: " + Arrays.toString(losses));
    }

    @Test
    void sameSeedAndThreadsGiveBitIdenticalWeights() {
        float[][] a = run(2, 3), b = run(2, 3), c = run(1, 3);
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertArrayEquals(a[1], c[1], "per-index kernels do not depend on the thread count");
    }
}
