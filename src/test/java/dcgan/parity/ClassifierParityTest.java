package dcgan.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.kernels.Adam;
import dcgan.model.Classifier;
import dcgan.model.Dcgan;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The classifier's new layers (nn.Linear, softmax cross-entropy) and one whole training step of a small classifier
 * against PyTorch 1.13 (fixtures of scripts/make_classifier_fixtures.py), on the reference and the fast backend:
 * ‖java − torch‖ / ‖torch‖ ≤ 1e-4 per tensor, printed as PARITY lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClassifierParityTest {
    static final double TOL = 1e-4;

    private final List<Backend> backends = List.of(new JvmBackend(2), new FastBackend(2));
    private final Fixture.Report report = new Fixture.Report();

    @AfterAll
    void printReport() {
        report.print();
        for (Backend be : backends) be.close();
    }

    private void check(String layer, String tensor, String where, float[] actual, float[] ref) {
        double e = report.record(layer, tensor, actual, ref);
        assertTrue(e <= TOL, layer + " " + where + " " + tensor + ": relative error " + e + " > " + TOL);
    }

    @Test
    void linear() {
        Fixture f = Fixture.load("classifier_layers.safetensors");
        for (Backend be : backends) {
            for (int i = 0; i < f.cases(); i++) {
                String c = "case" + i + ".", where = be.name() + " " + f.metadata.get("case" + i);
                int n = f.param(i, "n"), in = f.param(i, "in"), out = f.param(i, "out");
                float[] x = f.get(c + "x"), w = f.get(c + "weight"), b = f.get(c + "bias"), dy = f.get(c + "dy");
                float[] y = new float[n * out], dx = new float[x.length], dw = new float[w.length], db = new float[out];
                be.linearForward(x, w, b, y, n, in, out);
                check("Linear", "y", where, y, f.get(c + "y"));
                be.linearBackwardInput(dy, w, dx, n, in, out);
                check("Linear", "dx", where, dx, f.get(c + "dx"));
                be.linearBackwardWeight(x, dy, dw, n, in, out);
                check("Linear", "dweight", where, dw, f.get(c + "dweight"));
                be.linearBackwardBias(dy, db, n, out);
                check("Linear", "dbias", where, db, f.get(c + "dbias"));
            }
        }
    }

    @Test
    void softmaxCrossEntropy() {
        Fixture f = Fixture.load("classifier_layers.safetensors");
        int cases = Integer.parseInt(f.metadata.get("ce_cases"));
        for (Backend be : backends) {
            for (int i = 0; i < cases; i++) {
                String c = "ce" + i + ".", where = be.name() + " " + f.metadata.get("ce" + i);
                String[] kv = f.metadata.get("ce" + i).split(",");
                int n = Integer.parseInt(kv[0].split("=")[1]), k = Integer.parseInt(kv[1].split("=")[1]);
                float[] logits = f.get(c + "logits"), labels = f.get(c + "labels");
                float[] probs = new float[n * k], out = new float[2], dl = new float[n * k];
                be.softmax(logits, probs, n, k);
                check("Softmax", "probs", where, probs, f.get(c + "probs"));
                be.crossEntropyLoss(logits, labels, out, n, k);
                check("CrossEntropy", "loss", where, new float[] {out[0]}, f.get(c + "loss"));
                assertEquals(f.get(c + "accuracy")[0], out[1], 1e-6, where + " accuracy");
                be.crossEntropyBackward(probs, labels, dl, n, k);
                check("CrossEntropy", "dlogits", where, dl, f.get(c + "dlogits"));
            }
        }
    }

    @Test
    void oneTrainingStepOfASmallClassifier() {
        Fixture f = Fixture.load("classifier_step.safetensors");
        int k = Integer.parseInt(f.metadata.get("classes"));
        for (Backend be : backends) {
            Classifier model = new Classifier(new Classifier.Config(1, 32, 4, 8, k));
            for (Dcgan.Buffer b : model.net.state()) System.arraycopy(f.get("init." + b.name()), 0, b.data(), 0, b.data().length);
            int n = 4;
            Dcgan.Pass pass = model.net.pass(n);
            float[] x = f.get("x"), labels = f.get("labels");
            float[] logits = pass.forward(be, x, true);
            check("classifier step", "features", be.name(), pass.layerOutput(model.featureLayer), f.get("features"));
            check("classifier step", "logits", be.name(), logits, f.get("logits"));
            float[] out = new float[2], probs = new float[n * k], dl = new float[n * k];
            be.crossEntropyLoss(logits, labels, out, n, k);
            check("classifier step", "loss", be.name(), new float[] {out[0]}, f.get("loss"));
            be.softmax(logits, probs, n, k);
            be.crossEntropyBackward(probs, labels, dl, n, k);
            model.net.zeroGrad(be);
            pass.backward(be, dl, false);
            for (Dcgan.Param p : model.net.params()) check("classifier step", "grad", be.name() + " " + p.name, p.grad, f.get("grad." + p.name));
            float[] hp = new float[Adam.HP_LEN];
            Adam.hyper(hp, 1e-3, 0.9, 0.999, 1e-8, 1);
            for (Dcgan.Param p : model.net.params()) be.adamStep(p.data, p.grad, p.m, p.v, hp, p.data.length);
            for (Dcgan.Buffer b : model.net.state()) check("classifier step", "state after", be.name() + " " + b.name(), b.data(), f.get("after." + b.name()));
            for (Dcgan.BatchNorm bn : model.net.batchNorms()) assertEquals(1, bn.batchesTracked);
            float[] eval = pass.forward(be, x, false);
            check("classifier step", "eval features", be.name(), pass.layerOutput(model.featureLayer), f.get("eval.features"));
            be.softmax(eval, probs, n, k);
            check("classifier step", "eval probs", be.name(), probs, f.get("eval.probs"));
        }
    }
}
