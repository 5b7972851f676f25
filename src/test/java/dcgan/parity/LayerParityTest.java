package dcgan.parity;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.kernels.Adam;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Each layer's forward and backward, and Adam, against PyTorch 1.13 (fixtures of scripts/make_fixtures.py),
 * run through the JVM backend. Metric: ‖java − torch‖ / ‖torch‖ per tensor ≤ 1e-4; the worst per layer and
 * tensor is printed as {@code PARITY layer=.. tensor=.. worst_rel_err=..}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LayerParityTest {
    static final double TOL = 1e-4;

    private final Backend be = new JvmBackend(2);
    private final Fixture.Report report = new Fixture.Report();

    @AfterAll
    void printReport() {
        report.print();
        be.close();
    }

    private void check(String layer, String tensor, String where, float[] actual, float[] ref) {
        double e = report.record(layer, tensor, actual, ref);
        assertTrue(e <= TOL, layer + " " + where + " " + tensor + ": relative error " + e + " > " + TOL);
    }

    @Test
    void conv2d() {
        Fixture f = Fixture.load("conv2d.safetensors");
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".";
            int n = f.param(i, "n"), cin = f.param(i, "cin"), h = f.param(i, "h"), w = f.param(i, "w"),
                    cout = f.param(i, "cout"), k = f.param(i, "k"), s = f.param(i, "s"), p = f.param(i, "p");
            float[] x = f.get(c + "x"), weight = f.get(c + "weight"), dy = f.get(c + "dy");
            float[] y = new float[f.get(c + "y").length];
            be.conv2dForward(x, weight, y, n, cin, h, w, cout, k, s, p);
            check("Conv2d", "y", f.metadata.get("case" + i), y, f.get(c + "y"));
            float[] dx = new float[x.length];
            be.conv2dBackwardInput(dy, weight, dx, n, cin, h, w, cout, k, s, p);
            check("Conv2d", "dx", f.metadata.get("case" + i), dx, f.get(c + "dx"));
            float[] dw = new float[weight.length];
            be.conv2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p);
            check("Conv2d", "dweight", f.metadata.get("case" + i), dw, f.get(c + "dweight"));
            // The weight gradient accumulates: a second pass adds the same again.
            be.conv2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p);
            assertTrue(Fixture.relErr(dw, scaled(f.get(c + "dweight"), 2f)) <= TOL, "Conv2d dweight accumulates");
        }
    }

    @Test
    void convTranspose2d() {
        checkConvTranspose(Fixture.load("conv_transpose2d.safetensors"), "ConvTranspose2d", be, report);
    }

    static void checkConvTranspose(Fixture f, String layer, Backend be, Fixture.Report report) {
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".", where = f.metadata.get("case" + i);
            int n = f.param(i, "n"), cin = f.param(i, "cin"), h = f.param(i, "h"), w = f.param(i, "w"),
                    cout = f.param(i, "cout"), k = f.param(i, "k"), s = f.param(i, "s"), p = f.param(i, "p");
            float[] x = f.get(c + "x"), weight = f.get(c + "weight"), dy = f.get(c + "dy");
            float[] y = new float[f.get(c + "y").length];
            be.convTranspose2dForward(x, weight, y, n, cin, h, w, cout, k, s, p, 0);
            double e = report.record(layer, "y", y, f.get(c + "y"));
            assertTrue(e <= TOL, layer + " " + where + " y: relative error " + e);
            float[] dx = new float[x.length];
            be.convTranspose2dBackwardInput(dy, weight, dx, n, cin, h, w, cout, k, s, p, 0);
            e = report.record(layer, "dx", dx, f.get(c + "dx"));
            assertTrue(e <= TOL, layer + " " + where + " dx: relative error " + e);
            float[] dw = new float[weight.length];
            be.convTranspose2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p, 0);
            e = report.record(layer, "dweight", dw, f.get(c + "dweight"));
            assertTrue(e <= TOL, layer + " " + where + " dweight: relative error " + e);
            be.convTranspose2dBackwardWeight(x, dy, dw, n, cin, h, w, cout, k, s, p, 0);
            assertTrue(Fixture.relErr(dw, scaled(f.get(c + "dweight"), 2f)) <= TOL, layer + " dweight accumulates");
        }
    }

    @Test
    void batchNorm2d() {
        Fixture f = Fixture.load("batchnorm2d.safetensors");
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".", where = f.metadata.get("case" + i);
            int n = f.param(i, "n"), ch = f.param(i, "c"), hw = f.param(i, "h") * f.param(i, "w");
            float[] x = f.get(c + "x"), gamma = f.get(c + "weight"), beta = f.get(c + "bias"), dy = f.get(c + "dy");
            float[] rm = f.copy(c + "running_mean"), rv = f.copy(c + "running_var");
            float[] mean = new float[ch], invstd = new float[ch], y = new float[x.length];
            be.batchNormStats(x, mean, invstd, rm, rv, n, ch, hw);
            be.batchNormNormalize(x, y, mean, invstd, gamma, beta, n, ch, hw);
            check("BatchNorm2d", "y", where, y, f.get(c + "y"));
            check("BatchNorm2d", "running_mean", where, rm, f.get(c + "running_mean_after"));
            check("BatchNorm2d", "running_var", where, rv, f.get(c + "running_var_after"));
            float[] sumDy = new float[ch], sumDyXhat = new float[ch], dgamma = new float[ch], dbeta = new float[ch];
            float[] dx = new float[x.length];
            be.batchNormBackwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, ch, hw);
            be.batchNormBackwardInput(x, dy, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, ch, hw);
            check("BatchNorm2d", "dx", where, dx, f.get(c + "dx"));
            check("BatchNorm2d", "dweight", where, dgamma, f.get(c + "dweight"));
            check("BatchNorm2d", "dbias", where, dbeta, f.get(c + "dbias"));
            be.batchNormBackwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, ch, hw);
            assertTrue(Fixture.relErr(dgamma, scaled(f.get(c + "dweight"), 2f)) <= TOL, "BN dweight accumulates");
            assertTrue(Fixture.relErr(dbeta, scaled(f.get(c + "dbias"), 2f)) <= TOL, "BN dbias accumulates");
            float[] yEval = new float[x.length];
            be.batchNormForwardEval(x, yEval, f.get(c + "running_mean"), f.get(c + "running_var"), gamma, beta, n, ch, hw);
            check("BatchNorm2d-eval", "y", where, yEval, f.get(c + "y_eval"));
        }
    }

    @Test
    void activations() {
        Fixture f = Fixture.load("activations.safetensors");
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".", where = f.metadata.get("case" + i);
            float[] x = f.get(c + "x");
            int len = x.length;
            for (String fn : new String[] {"relu", "leaky_relu", "tanh", "sigmoid"}) {
                float[] y = new float[len], dx = new float[len], dy = f.get(c + fn + ".dy");
                switch (fn) {
                    case "relu" -> { be.relu(x, y, len); be.reluBackward(y, dy, dx, len); }
                    case "leaky_relu" -> { be.leakyRelu(x, y, len); be.leakyReluBackward(y, dy, dx, len); }
                    case "tanh" -> { be.tanh(x, y, len); be.tanhBackward(y, dy, dx, len); }
                    default -> { be.sigmoid(x, y, len); be.sigmoidBackward(y, dy, dx, len); }
                }
                String layer = switch (fn) {
                    case "relu" -> "ReLU";
                    case "leaky_relu" -> "LeakyReLU";
                    case "tanh" -> "Tanh";
                    default -> "Sigmoid";
                };
                check(layer, "y", where, y, f.get(c + fn + ".y"));
                check(layer, "dx", where, dx, f.get(c + fn + ".dx"));
            }
        }
    }

    @Test
    void bceLoss() {
        Fixture f = Fixture.load("bce.safetensors");
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".", where = f.metadata.get("case" + i);
            Map<String, String> prm = f.params(i);
            float label = Float.parseFloat(prm.get("target"));
            float[] p = f.get(c + "p");
            int n = p.length;
            float[] out = new float[2];
            be.bceForward(p, out, label, n);
            check("BCELoss", "loss", where, new float[] {out[0]}, f.get(c + "loss"));
            double mean = 0;
            for (float v : p) mean += v;
            mean /= n;
            assertTrue(Math.abs(out[1] - mean) <= 1e-6 * Math.max(1e-30, Math.abs(mean)) + 1e-7, "BCE mean prediction");
            float[] dp = new float[n];
            be.bceBackward(p, dp, label, n);
            check("BCELoss", "dp", where, dp, f.get(c + "dp"));
        }
    }

    @Test
    void adam() {
        Fixture f = Fixture.load("adam.safetensors");
        float[] hp = new float[Adam.HP_LEN];
        for (int i = 0; i < f.cases(); i++) {
            String c = "case" + i + ".", where = f.metadata.get("case" + i);
            Map<String, String> prm = f.params(i);
            int steps = Integer.parseInt(prm.get("steps"));
            double lr = Double.parseDouble(prm.get("lr")), b1 = Double.parseDouble(prm.get("beta1")),
                    b2 = Double.parseDouble(prm.get("beta2")), eps = Double.parseDouble(prm.get("eps"));
            float[] param = f.copy(c + "param0");
            float[] m = new float[param.length], v = new float[param.length];
            for (int t = 1; t <= steps; t++) {
                Adam.hyper(hp, lr, b1, b2, eps, t);
                be.adamStep(param, f.get(c + "grad" + t), m, v, hp, param.length);
                check("Adam", "param", where + " step " + t, param, f.get(c + "param" + t));
            }
            check("Adam", "exp_avg", where, m, f.get(c + "exp_avg"));
            check("Adam", "exp_avg_sq", where, v, f.get(c + "exp_avg_sq"));
        }
    }

    static float[] scaled(float[] a, float k) {
        float[] r = new float[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i] * k;
        return r;
    }
}
