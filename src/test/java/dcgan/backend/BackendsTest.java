package dcgan.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --backend auto: the GPU through TornadoVM where there is one, else the fast JVM backend, and why. */
class BackendsTest {
    @Test
    void autoRunsTheFastJvmBackendWithoutTornadoVm() {
        if (Backends.tornadoUnavailableReason() == null) return;   // under TornadoVM the answer depends on its device
        Backends.Choice c = Backends.choose(Backends.AUTO, null);
        assertEquals(Backends.JVM, c.name());
        assertTrue(c.why().contains("no TornadoVM"), c.why());
        assertEquals(" (auto: " + c.why() + ")", c.note());
        try (Backend be = Backends.create(Backends.AUTO, 1, null)) {
            assertEquals("jvm", be.name());
        }
    }

    @Test
    void autoWithADeviceMeansTornadoVm() {
        Backends.Choice c = Backends.choose(Backends.AUTO, "0:0");
        assertEquals(Backends.TORNADO, c.name());
        assertTrue(c.why().contains("--device 0:0"), c.why());
        if (Backends.tornadoUnavailableReason() != null) {
            assertThrows(IllegalStateException.class, () -> Backends.create(Backends.AUTO, 1, "0:0"));
        }
    }

    @Test
    void namedBackendsStandForThemselves() {
        for (String name : new String[] {Backends.JVM, Backends.JVM_PLAIN, Backends.TORNADO}) {
            Backends.Choice c = Backends.choose(name, null);
            assertEquals(name, c.name());
            assertNull(c.why());
            assertEquals("", c.note());
        }
    }
}
