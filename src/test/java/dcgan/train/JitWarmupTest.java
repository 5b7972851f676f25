package dcgan.train;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class JitWarmupTest {

    /** Losses and every parameter after a few steps of a small model, optionally after a warm-up on the same backend. */
    private static List<float[]> run(boolean warm) {
        Dcgan.Config cfg = new Dcgan.Config(16, 16, 16, 3, 32);
        Dcgan model = new Dcgan(cfg);
        Rng rng = new Rng(7);
        Dcgan.weightsInit(model.generator, rng);
        Dcgan.weightsInit(model.discriminator, rng);
        int batch = 4;
        float[] real = new float[batch * cfg.imageElements()], noise = new float[batch * cfg.nz()];
        List<float[]> out = new ArrayList<>();
        try (Backend be = Backends.create(Backends.JVM, 2, null)) {
            if (warm) {
                JitWarmup.Result r = JitWarmup.run(be, cfg, 1500);
                if (FastBackend.vectorApiAvailable()) assertTrue(r != null && r.steps() > 0, "warm-up ran: " + r);
            }
            Trainer t = new Trainer(model, be, batch, 2e-4, 0.5);
            float[] losses = new float[6];
            for (int i = 0; i < 3; i++) {
                rng.fillGaussian(real, 0, 0.5);
                rng.fillGaussian(noise, 0, 1);
                Trainer.Stats s = t.step(real, noise);
                losses[2 * i] = s.lossD();
                losses[2 * i + 1] = s.lossG();
            }
            out.add(losses);
        }
        for (Dcgan.Param p : model.generator.params()) out.add(p.data.clone());
        for (Dcgan.Param p : model.discriminator.params()) out.add(p.data.clone());
        return out;
    }

    @Test
    void warmUpLeavesTrainingResultsBitIdentical() {
        List<float[]> cold = run(false), warm = run(true);
        assertEquals(cold.size(), warm.size());
        for (int i = 0; i < cold.size(); i++) assertArrayEquals(cold.get(i), warm.get(i), "tensor " + i);
    }

    @Test
    void onlyTheVectorBackendIsWarmed() {
        try (JvmBackend plain = new JvmBackend(1)) {
            assertNull(JitWarmup.run(plain, new Dcgan.Config(16, 8, 8, 3, 32), 1000));
        }
    }
}
