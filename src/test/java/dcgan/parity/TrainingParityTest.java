package dcgan.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Dcgan;
import dcgan.train.Trainer;
import dcgan.train.TrainerPhases;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Three full iterations of the tutorial's training loop, from weights, real batches and noise exported by
 * PyTorch (fixture c of scripts/make_fixtures.py): losses, D outputs, every gradient and every updated
 * weight and running statistic match PyTorch within 1e-4 norm-wise relative error.
 */
class TrainingParityTest {
    static final double TOL = 1e-4;
    final Map<String, Double> worst = new TreeMap<>();

    void check(String what, float[] java, float[] torch) {
        double e = Fixture.relErr(java, torch);
        worst.merge(what, e, Math::max);
        assertTrue(e <= TOL, what + ": relative error " + e);
    }

    static void load(Dcgan.Net net, Fixture f, String prefix) {
        for (Dcgan.Buffer b : net.state()) System.arraycopy(f.get(prefix + b.name()), 0, b.data(), 0, b.data().length);
    }

    @Test
    void threeIterationsMatchPyTorch() {
        Dcgan model = new Dcgan(new Dcgan.Config(16, 8, 8, 3, 32));
        load(model.generator, Fixture.load("dcgan_init_G.safetensors"), "");
        load(model.discriminator, Fixture.load("dcgan_init_D.safetensors"), "");
        try (JvmBackend be = new JvmBackend(2)) {
            Trainer trainer = new Trainer(model, be, 4, 2e-4, 0.5);
            for (int it = 1; it <= 3; it++) {
                Fixture f = Fixture.load("dcgan_iter" + it + ".safetensors");
                TrainerPhases.discriminatorGradients(trainer, f.get("real"), f.get("noise"));
                for (Dcgan.Param p : model.discriminator.params()) check("iter" + it + " grad.D", p.grad, f.get("grad.D." + p.name));
                check("iter" + it + " fake", trainer.fake(), f.get("fake"));
                TrainerPhases.stepDiscriminator(trainer);
                TrainerPhases.generatorGradients(trainer);
                for (Dcgan.Param p : model.generator.params()) check("iter" + it + " grad.G", p.grad, f.get("grad.G." + p.name));
                TrainerPhases.stepGenerator(trainer);
                Trainer.Stats s = TrainerPhases.stats(trainer);
                check("iter" + it + " errD", new float[] {s.lossD()}, f.get("errD"));
                check("iter" + it + " errG", new float[] {s.lossG()}, f.get("errG"));
                check("iter" + it + " D_x", new float[] {s.dX()}, f.get("D_x"));
                check("iter" + it + " D_G_z1", new float[] {s.dGz1()}, f.get("D_G_z1"));
                check("iter" + it + " D_G_z2", new float[] {s.dGz2()}, f.get("D_G_z2"));
                for (Dcgan.Buffer b : model.generator.state()) check("iter" + it + " G state", b.data(), f.get("G." + b.name()));
                for (Dcgan.Buffer b : model.discriminator.state()) check("iter" + it + " D state", b.data(), f.get("D." + b.name()));
                for (Dcgan.BatchNorm bn : model.discriminator.batchNorms()) {
                    assertTrue(bn.batchesTracked == 3L * it, "D num_batches_tracked " + bn.batchesTracked);
                }
            }
        }
        worst.forEach((k, v) -> System.out.printf("PARITY training=%s worst_rel_err=%.2e%n", k.replace(' ', '.'), v));
    }

}
