package dcgan.parity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.io.SafeTensors.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fixture (c), the three DCGAN tutorial iterations, is complete and self-consistent, and its layouts are
 * the ones the kernels expect: the forward passes of iteration 1 (G on the noise, D on the real batch),
 * rebuilt here from the kernels and the initial state_dicts, reproduce the saved fake images, D outputs,
 * errD_real and G's BatchNorm running statistics. (The training loop itself is the model's test.)
 */
class DcganFixtureTest {
    static final int NZ = 16, NGF = 8, NDF = 8, NC = 3, B = 4;

    static final String[] G_PARAMS = {"main.0.weight", "main.1.weight", "main.1.bias", "main.3.weight", "main.4.weight",
            "main.4.bias", "main.6.weight", "main.7.weight", "main.7.bias", "main.9.weight"};
    static final String[] D_PARAMS = {"main.0.weight", "main.2.weight", "main.3.weight", "main.3.bias", "main.5.weight",
            "main.6.weight", "main.6.bias", "main.8.weight"};
    static final int[] G_BN = {1, 4, 7};
    static final int[] D_BN = {3, 6};

    private static List<String> stateNames(String[] params, int[] bn) {
        List<String> names = new ArrayList<>(List.of(params));
        for (int i : bn) {
            for (String s : new String[] {"running_mean", "running_var", "num_batches_tracked"}) names.add("main." + i + "." + s);
        }
        return names;
    }

    @Test
    void fixtureIsCompleteAndConsistent() {
        Fixture g0 = Fixture.load("dcgan_init_G.safetensors"), d0 = Fixture.load("dcgan_init_D.safetensors");
        assertTrue(g0.tensors.keySet().containsAll(stateNames(G_PARAMS, G_BN)));
        assertTrue(d0.tensors.keySet().containsAll(stateNames(D_PARAMS, D_BN)));
        assertEquals(stateNames(G_PARAMS, G_BN).size(), g0.tensors.size());
        assertEquals(stateNames(D_PARAMS, D_BN).size(), d0.tensors.size());
        assertArrayEquals(new int[] {NZ, NGF * 4, 4, 4}, g0.tensors.get("main.0.weight").shape());
        assertArrayEquals(new int[] {NGF, NC, 4, 4}, g0.tensors.get("main.9.weight").shape());
        assertArrayEquals(new int[] {NDF, NC, 4, 4}, d0.tensors.get("main.0.weight").shape());
        assertArrayEquals(new int[] {1, NDF * 4, 4, 4}, d0.tensors.get("main.8.weight").shape());
        for (int t = 1; t <= 3; t++) {
            Fixture it = Fixture.load("dcgan_iter" + t + ".safetensors");
            Map<String, Tensor> m = it.tensors;
            assertArrayEquals(new int[] {B, NC, 32, 32}, m.get("real").shape());
            assertArrayEquals(new int[] {B, NZ, 1, 1}, m.get("noise").shape());
            assertArrayEquals(new int[] {B, NC, 32, 32}, m.get("fake").shape());
            for (String s : new String[] {"D_out_real", "D_out_fake_detached", "D_out_fake"}) assertArrayEquals(new int[] {B}, m.get(s).shape());
            for (String s : new String[] {"errD_real", "errD_fake", "errD", "errG", "D_x", "D_G_z1", "D_G_z2"}) {
                assertArrayEquals(new int[0], m.get(s).shape(), s);
            }
            for (String s : G_PARAMS) assertArrayEquals(g0.tensors.get(s).shape(), m.get("grad.G." + s).shape(), s);
            for (String s : D_PARAMS) assertArrayEquals(d0.tensors.get(s).shape(), m.get("grad.D." + s).shape(), s);
            for (String s : stateNames(G_PARAMS, G_BN)) assertArrayEquals(g0.tensors.get(s).shape(), m.get("G." + s).shape(), s);
            for (String s : stateNames(D_PARAMS, D_BN)) assertArrayEquals(d0.tensors.get(s).shape(), m.get("D." + s).shape(), s);
            assertEquals(7 + 3 + 3 + G_PARAMS.length + D_PARAMS.length + stateNames(G_PARAMS, G_BN).size()
                    + stateNames(D_PARAMS, D_BN).size(), m.size());
            float errD = it.get("errD")[0], sum = it.get("errD_real")[0] + it.get("errD_fake")[0];
            assertEquals(sum, errD, 1e-6f * Math.abs(sum));
            assertEquals(mean(it.get("D_out_real")), it.get("D_x")[0], 1e-6);
            assertEquals(mean(it.get("D_out_fake_detached")), it.get("D_G_z1")[0], 1e-6);
            assertEquals(mean(it.get("D_out_fake")), it.get("D_G_z2")[0], 1e-6);
            // G's BatchNorms see one batch per iteration, D's three (real, fake.detach(), fake).
            for (int i : G_BN) assertEquals(t, it.get("G.main." + i + ".num_batches_tracked")[0]);
            for (int i : D_BN) assertEquals(3 * t, it.get("D.main." + i + ".num_batches_tracked")[0]);
        }
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) s += v;
        return s / a.length;
    }

    @Test
    void firstIterationForwardPassesMatchTheKernels() {
        Fixture g0 = Fixture.load("dcgan_init_G.safetensors"), d0 = Fixture.load("dcgan_init_D.safetensors");
        Fixture it = Fixture.load("dcgan_iter1.safetensors");
        Fixture.Report report = new Fixture.Report();
        try (Backend be = new JvmBackend(2)) {
            // G: noise [4,16,1,1] -> [4,32,4,4] -> [4,16,8,8] -> [4,8,16,16] -> [4,3,32,32]
            float[] h = it.get("noise");
            int[][] g = {{NZ, 1, NGF * 4, 1, 0}, {NGF * 4, 4, NGF * 2, 2, 1}, {NGF * 2, 8, NGF, 2, 1}, {NGF, 16, NC, 2, 1}};
            for (int l = 0; l < 4; l++) {
                int cin = g[l][0], size = g[l][1], cout = g[l][2], s = g[l][3], p = g[l][4];
                int out = dcgan.kernels.ConvTranspose2d.outSize(size, 4, s, p);
                float[] y = new float[B * cout * out * out];
                be.convTranspose2dForward(h, g0.get("main." + (3 * l) + ".weight"), y, B, cin, size, size, cout, 4, s, p, 0);
                if (l < 3) {
                    String bn = "main." + (3 * l + 1) + ".";
                    float[] rm = g0.copy(bn + "running_mean"), rv = g0.copy(bn + "running_var");
                    y = batchNormTrain(be, y, g0.get(bn + "weight"), g0.get(bn + "bias"), rm, rv, cout, out * out);
                    // G runs once per iteration, so these are its running stats after iteration 1.
                    check(report, "G." + bn + "running_mean", rm, it.get("G." + bn + "running_mean"));
                    check(report, "G." + bn + "running_var", rv, it.get("G." + bn + "running_var"));
                    be.relu(y, y, y.length);
                } else {
                    be.tanh(y, y, y.length);
                }
                h = y;
            }
            check(report, "fake", h, it.get("fake"));
            // D on the real batch: [4,3,32,32] -> [4,8,16,16] -> [4,16,8,8] -> [4,32,4,4] -> [4,1,1,1]
            float[] x = it.get("real");
            int[][] d = {{NC, 32, NDF, 2, 1}, {NDF, 16, NDF * 2, 2, 1}, {NDF * 2, 8, NDF * 4, 2, 1}, {NDF * 4, 4, 1, 1, 0}};
            int[] convIndex = {0, 2, 5, 8};
            for (int l = 0; l < 4; l++) {
                int cin = d[l][0], size = d[l][1], cout = d[l][2], s = d[l][3], p = d[l][4];
                int out = dcgan.kernels.Conv2d.outSize(size, 4, s, p);
                float[] y = new float[B * cout * out * out];
                be.conv2dForward(x, d0.get("main." + convIndex[l] + ".weight"), y, B, cin, size, size, cout, 4, s, p);
                if (l == 1 || l == 2) {
                    String bn = "main." + (convIndex[l] + 1) + ".";
                    y = batchNormTrain(be, y, d0.get(bn + "weight"), d0.get(bn + "bias"), d0.copy(bn + "running_mean"),
                            d0.copy(bn + "running_var"), cout, out * out);
                }
                if (l < 3) be.leakyRelu(y, y, y.length);
                else be.sigmoid(y, y, y.length);
                x = y;
            }
            check(report, "D_out_real", x, it.get("D_out_real"));
            float[] loss = new float[2];
            be.bceForward(x, loss, 1f, B);
            check(report, "errD_real", new float[] {loss[0]}, it.get("errD_real"));
            check(report, "D_x", new float[] {loss[1]}, it.get("D_x"));
        }
        report.print();
    }

    private static float[] batchNormTrain(Backend be, float[] x, float[] gamma, float[] beta, float[] rm, float[] rv, int c, int hw) {
        float[] mean = new float[c], invstd = new float[c], y = new float[x.length];
        be.batchNormStats(x, mean, invstd, rm, rv, B, c, hw);
        be.batchNormNormalize(x, y, mean, invstd, gamma, beta, B, c, hw);
        return y;
    }

    private static void check(Fixture.Report report, String name, float[] actual, float[] ref) {
        double e = report.record("DCGAN-iter1-forward", name, actual, ref);
        assertTrue(e <= LayerParityTest.TOL, name + ": relative error " + e);
    }
}
