package dcgan.model;

import dcgan.backend.jvm.JvmBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SamplerTest {
    static Dcgan model() {
        Dcgan m = new Dcgan(new Dcgan.Config(16, 8, 8, 3, 32));
        Rng rng = new Rng(5);
        Dcgan.weightsInit(m.generator, rng);
        for (Dcgan.Buffer b : m.generator.buffers()) {
            for (int i = 0; i < b.data().length; i++) b.data()[i] = b.name().endsWith("var") ? 1.5f : 0.1f * i;
        }
        for (Dcgan.BatchNorm bn : m.generator.batchNorms()) bn.batchesTracked = 42;
        return m;
    }

    @Test
    void batchesAreEvenAndAtMostTheLimit() {
        assertArrayEquals(new int[] {64}, Sampler.batchSizes(64, 64));
        assertArrayEquals(new int[] {50, 50}, Sampler.batchSizes(100, 64));
        assertArrayEquals(new int[] {33, 32}, Sampler.batchSizes(65, 64));
        assertArrayEquals(new int[] {1}, Sampler.batchSizes(1, 64));
        assertArrayEquals(new int[] {44, 43, 43}, Sampler.batchSizes(130, 64));
    }

    @Test
    void noiseIsTheRngStreamInSampleOrder() {
        float[] z = Sampler.noise(9, 3, 4);
        float[] want = new float[12];
        new Rng(9).fillGaussian(want, 0, 1);
        assertArrayEquals(want, z);
        float[] first = Sampler.noise(9, 1, 4);
        for (int i = 0; i < 4; i++) assertEquals(z[i], first[i]);
    }

    @Test
    void batchStatisticsLeaveRunningStatisticsAndCountsUnchanged() {
        Dcgan m = model(), ref = model();
        float[] z = Sampler.noise(1, 70, 16);
        float[] images;
        try (JvmBackend be = new JvmBackend(1)) {
            images = new Sampler(be, m.generator, true).runAll(z, 70);
            // the reference: a plain train-mode forward of the first batch (70 = 35 + 35) on a model of its own
            float[] first = new float[35 * 16];
            System.arraycopy(z, 0, first, 0, first.length);
            float[] y = ref.generator.pass(35).forward(be, first, true);
            for (int i = 0; i < y.length; i++) assertEquals(y[i], images[i], "i=" + i);
        }
        Dcgan fresh = model();
        for (int i = 0; i < m.generator.buffers().size(); i++) {
            assertArrayEquals(fresh.generator.buffers().get(i).data(), m.generator.buffers().get(i).data());
        }
        for (Dcgan.BatchNorm bn : m.generator.batchNorms()) assertEquals(42, bn.batchesTracked);
    }

    @Test
    void evalImagesDoNotDependOnTheBatch() {
        Dcgan m = model();
        float[] z = Sampler.noise(2, 70, 16);
        try (JvmBackend be = new JvmBackend(2)) {
            Sampler s = new Sampler(be, m.generator, false);
            float[] all = s.runAll(z, 70);
            float[] one = s.run(z, 69, 1);
            int img = m.generator.outputSize();
            for (int i = 0; i < img; i++) assertEquals(all[69 * img + i], one[i]);
        }
    }

    @Test
    void interpolationEndsAreExactAndSlerpKeepsTheNorm() {
        float[] a = {1, 0, 0}, b = {0, 1, 0};
        float[] lerp = Sampler.interpolate(a, b, 3, false);
        assertArrayEquals(new float[] {1, 0, 0, 0.5f, 0.5f, 0, 0, 1, 0}, lerp);
        float[] slerp = Sampler.interpolate(a, b, 3, true);
        float h = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {1, 0, 0, h, h, 0, 0, 1, 0}, slerp, 1e-7f);
        float[] za = Sampler.noise(1, 1, 100), zb = Sampler.noise(2, 1, 100);
        float[] walk = Sampler.interpolate(za, zb, 10, true);
        for (int i = 0; i < 100; i++) {
            assertEquals(za[i], walk[i]);
            assertEquals(zb[i], walk[9 * 100 + i]);
        }
        // parallel vectors: slerp falls back to linear
        assertArrayEquals(new float[] {1, 1.5f, 2}, Sampler.interpolate(new float[] {1}, new float[] {2}, 3, true));
        assertThrows(IllegalArgumentException.class, () -> Sampler.interpolate(a, b, 1, false));
    }
}
