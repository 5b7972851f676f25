package dcgan.cli;

import dcgan.backend.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {
    @Test
    void withoutTornadoVmItSaysSoAndHowToGetIt() {
        String reason = "TornadoVM is not on this JVM: install a TornadoVM SDK (https://github.com/beehive-lab/TornadoVM), "
                + "set TORNADOVM_HOME, rebuild";
        CliRun r = CliRun.of(cmd -> ((InfoCommand) cmd.getSubcommands().get("info").getCommand()).tornadoReason = () -> reason,
                "info").ok();
        String out = r.out();
        assertTrue(out.startsWith("dcgan 0.1.0"), out);
        for (String want : new String[] {"java        " + Runtime.version(), "cores       " + Runtime.getRuntime().availableProcessors(),
                "max heap", "cpu vectors", "vector api", "jvm kernels", "backends    jvm, jvm-plain", "tornado: not available", "tornadovm   not available: " + reason}) {
            assertTrue(out.contains(want), () -> "no '" + want + "' in:\n" + out);
        }
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void reportsThisJvmAsItIs() {
        CliRun r = CliRun.of("info").ok();
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        assertTrue(r.out().contains(vector ? "jdk.incubator.vector present" : "jdk.incubator.vector absent"), r.out());
        String reason = Backends.tornadoUnavailableReason();
        if (reason != null) {
            assertTrue(r.out().contains("tornadovm   not available: " + reason), r.out());
            assertTrue(reason.contains("TORNADOVM_HOME"), reason);
        } else {
            assertTrue(r.out().matches("(?s).*tornadovm   \\d+ devices? .*\\n  0:0  .*"), r.out());
        }
    }
}
