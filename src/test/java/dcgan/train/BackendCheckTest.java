package dcgan.train;

import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Dcgan;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BackendCheck passes two backends that agree, and fails one whose kernel is off. */
class BackendCheckTest {
    static final Dcgan.Config CFG = new Dcgan.Config(8, 4, 4, 3, 32);

    @Test
    void theReferenceAgainstItselfIsExact() {
        try (JvmBackend a = new JvmBackend(1); JvmBackend b = new JvmBackend(2)) {
            List<BackendCheck.Iteration> seen = new ArrayList<>();
            BackendCheck.Result r = BackendCheck.run(a, b, CFG, 2, 2, 1, seen::add);
            assertEquals(2, seen.size());
            assertEquals(0.0, r.worstStatsErr());
            assertEquals(0.0, r.worstParamErr());
            assertTrue(r.passed());
        }
    }

    @Test
    void aKernelThatIsOffFails() {
        // D's sigmoid 1 % off: the stats line and every weight differ
        try (JvmBackend off = new JvmBackend(1) {
            @Override public void sigmoid(float[] x, float[] y, int len) {
                super.sigmoid(x, y, len);
                for (int i = 0; i < len; i++) y[i] *= 0.99f;
            }
        }; JvmBackend ref = new JvmBackend(1)) {
            BackendCheck.Result r = BackendCheck.run(off, ref, CFG, 2, 2, 1, it -> { });
            assertFalse(r.passed(), "worst stats " + r.worstStatsErr() + ", weights " + r.worstParamErr());
            assertTrue(r.worstStatsErr() > BackendCheck.TOLERANCE && r.worstParamErr() > BackendCheck.TOLERANCE);
        }
    }
}
