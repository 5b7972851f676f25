package dcgan.kernels;

import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Rng;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** The fused BatchNorm + ReLU/LeakyReLU kernel gives exactly the floats of the two separate kernels. */
class FusionTest {
    @Test
    void fusedBatchNormActivationEqualsTheTwoSteps() {
        int n = 3, c = 5, hw = 17, len = n * c * hw;
        Rng r = new Rng(11);
        float[] x = new float[len], gamma = new float[c], beta = new float[c];
        r.fillGaussian(x, 0.3, 2);
        r.fillGaussian(gamma, 1, 0.5);
        r.fillGaussian(beta, 0, 0.5);
        try (JvmBackend be = new JvmBackend(2)) {
            float[] mean = new float[c], invstd = new float[c], rm = new float[c], rv = new float[c];
            be.batchNormStats(x, mean, invstd, rm, rv, n, c, hw);
            for (float slope : new float[] {0f, Activations.LEAKY_SLOPE}) {
                float[] bn = new float[len], twoSteps = new float[len], fused = new float[len];
                be.batchNormNormalize(x, bn, mean, invstd, gamma, beta, n, c, hw);
                if (slope == 0f) be.relu(bn, twoSteps, len);
                else be.leakyRelu(bn, twoSteps, len);
                be.batchNormNormalizeActivation(x, fused, mean, invstd, gamma, beta, slope, n, c, hw);
                assertArrayEquals(twoSteps, fused, "slope " + slope);
            }
        }
    }
}
