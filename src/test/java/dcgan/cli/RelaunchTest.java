package dcgan.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RelaunchTest {
    private static final String JAVA = "/opt/jdk/bin/java";

    @Test
    void jarStartKeepsJvmFlagsJarAndArgumentsAndAddsTheModule() {
        List<String> jvm = List.of("-Xmx3g", "-XX:+UseParallelGC", "--add-modules=tornado.runtime,tornado.drivers.opencl",
                "--module-path=.:/sdk/share/java/tornado", "-Dtornado.load.api.implementation=X");
        var s = new Relaunch.Start(JAVA, jvm, "target/dcgan.jar", "target/dcgan.jar train --out a b",
                "dcgan.cli.Main", List.of("train", "--out", "a b"));
        assertEquals(List.of(JAVA, "-Xmx3g", "-XX:+UseParallelGC", "--add-modules=tornado.runtime,tornado.drivers.opencl",
                        "--module-path=.:/sdk/share/java/tornado", "-Dtornado.load.api.implementation=X",
                        "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-XX:MaxNewSize=256m",
                        "-Ddcgan.relaunched=true", "-jar", "target/dcgan.jar", "train", "--out", "a b"),
                Relaunch.childCommand(s));
    }

    @Test
    void jarWithoutArguments() {
        var s = new Relaunch.Start(JAVA, List.of(), "/x/dcgan.jar", "/x/dcgan.jar", "dcgan.cli.Main", List.of());
        assertEquals(List.of(JAVA, "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseParallelGC", "-XX:MaxNewSize=256m", "-Ddcgan.relaunched=true", "-jar", "/x/dcgan.jar"),
                Relaunch.childCommand(s));
    }

    @Test
    void classPathStartUsesTheMainClass() {
        var s = new Relaunch.Start(JAVA, List.of("-Xss2m", "-XX:+UseG1GC", "-Xmn100m"), "/x/dcgan.jar:/y/other.jar", "dcgan.cli.Main info",
                "dcgan.cli.Main", List.of("info"));
        assertEquals(List.of(JAVA, "-Xss2m", "-XX:+UseG1GC", "-Xmn100m", "--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Ddcgan.relaunched=true", "-cp", "/x/dcgan.jar:/y/other.jar", "dcgan.cli.Main", "info"), Relaunch.childCommand(s));
    }

    @Test
    void gcFlagsOnlyWhereTheUserChoseNone() {
        assertEquals(List.of("-XX:+UseParallelGC", "-XX:MaxNewSize=256m"), Relaunch.gcFlags(List.of("-Xmx2g")));
        assertEquals(List.of("-XX:MaxNewSize=256m"), Relaunch.gcFlags(List.of("-XX:+UseZGC")));
        assertEquals(List.of(), Relaunch.gcFlags(List.of("-XX:+UseParallelGC", "-XX:MaxNewSize=1g")));
        assertEquals(List.of("-XX:+UseParallelGC"), Relaunch.gcFlags(List.of("-XX:NewRatio=3")));
    }

    @Test
    void relaunchesOnlyWhenItShouldAndCan() {
        Map<String, String> none = Map.of();
        assertNull(Relaunch.whyNot(false, none, null, null, List.of("-Xmx1g"), true));
        assertNotNull(Relaunch.whyNot(true, none, null, null, List.of(), true));                  // module there
        assertNotNull(Relaunch.whyNot(false, none, "true", null, List.of(), true));               // already the child: no loop
        assertNotNull(Relaunch.whyNot(false, none, null, "false", List.of(), true));              // -Ddcgan.relaunch=false
        assertNotNull(Relaunch.whyNot(false, Map.of("DCGAN_NO_RELAUNCH", "1"), null, null, List.of(), true));
        assertNull(Relaunch.whyNot(false, Map.of("DCGAN_NO_RELAUNCH", "0"), null, null, List.of(), true));
        assertNotNull(Relaunch.whyNot(false, none, null, null, List.of(), false));                // tests, IDE: classes dir
        assertNotNull(Relaunch.whyNot(false, none, null, null,
                List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005"), true));
    }

    @Test
    void testsNeverRelaunch() {
        // Surefire runs from target/classes, not from a jar: nothing happens, nothing is printed.
        assertTrue(Relaunch.ifNeeded(new String[] {"info"}, Main.class).isEmpty());
    }
}
