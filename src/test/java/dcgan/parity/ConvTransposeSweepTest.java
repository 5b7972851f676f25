package dcgan.parity;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.jvm.JvmBackend;
import dcgan.kernels.ConvTranspose2d;
import org.junit.jupiter.api.Test;

/**
 * ConvTranspose2d for stride 1–2, kernel 2–5, padding 0..min(2, k−1) (fixture b): the zero-insertion path
 * of the JVM backend matches PyTorch, and the direct scatter form matches the zero-insertion path.
 */
class ConvTransposeSweepTest {

    @Test
    void zeroInsertionMatchesPyTorchAndScatterMatchesZeroInsertion() {
        Fixture f = Fixture.load("conv_transpose2d_sweep.safetensors");
        Fixture.Report report = new Fixture.Report();
        assertTrue(f.cases() >= 22, "sweep has every (s, k, p)");
        try (JvmBackend be = new JvmBackend(2)) {
            LayerParityTest.checkConvTranspose(f, "ConvTranspose2d-sweep", be, report);
            for (int i = 0; i < f.cases(); i++) {
                String c = "case" + i + ".";
                int n = f.param(i, "n"), cin = f.param(i, "cin"), h = f.param(i, "h"), w = f.param(i, "w"),
                        cout = f.param(i, "cout"), k = f.param(i, "k"), s = f.param(i, "s"), p = f.param(i, "p");
                float[] x = f.get(c + "x"), weight = f.get(c + "weight");
                int len = f.get(c + "y").length;
                float[] viaZeros = new float[len], direct = new float[len];
                be.convTranspose2dForward(x, weight, viaZeros, n, cin, h, w, cout, k, s, p, 0);
                java.util.Arrays.fill(direct, Float.NaN); // the scatter form must clear its output itself
                ConvTranspose2d.forwardScatter(x, weight, direct, n, cin, h, w, cout, k, s, p);
                double e = report.record("ConvTranspose2d-scatter-vs-zero-insertion", "y", direct, viaZeros);
                assertTrue(e <= 1e-6, f.metadata.get("case" + i) + ": scatter vs zero-insertion " + e);
                e = report.record("ConvTranspose2d-scatter", "y", direct, f.get(c + "y"));
                assertTrue(e <= LayerParityTest.TOL, f.metadata.get("case" + i) + ": scatter vs torch " + e);
            }
        }
        report.print();
    }

    @Test
    void zeroInsertionRefusesPaddingBeyondKernelMinusOne() {
        try (JvmBackend be = new JvmBackend(1)) {
            assertThrows(IllegalArgumentException.class,
                    () -> be.convTranspose2dForward(new float[9], new float[4], new float[1], 1, 1, 3, 3, 1, 2, 2, 2, 0));
        }
    }
}
