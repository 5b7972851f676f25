package dcgan.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs dcgan at full speed however it was started. The fast CPU backend needs {@code jdk.incubator.vector} in
 * the boot layer, which only a command-line flag can add (a jar manifest cannot): started as
 * {@code java -jar dcgan.jar ...} or through TornadoVM's {@code tornado -jar} (whose launcher adds its own
 * modules but not this one), the jar starts itself once more as a child JVM with the same java binary, the
 * same JVM flags (TornadoVM's included: they are input arguments), the same jar and the same arguments, plus
 * {@code --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED} and the GC settings of
 * scripts/dcgan that the user did not set ({@link #gcFlags}), and exits with its exit code. Standard streams are inherited; a shutdown hook of this JVM ends the child (Ctrl-C, kill).
 *
 * <p>Not done: when the module is already there; in the child (property {@value #CHILD_PROPERTY}); with
 * {@code -Ddcgan.relaunch=false} or the environment variable {@code DCGAN_NO_RELAUNCH} set (to anything but
 * empty or 0); when not started from a jar (tests, IDEs: the scalar fallback runs and says so); when a
 * debugger agent is attached (the child could not open the same port).
 */
public final class Relaunch {
    static final String MODULE = "jdk.incubator.vector";
    static final String CHILD_PROPERTY = "dcgan.relaunched";
    static final String OPT_OUT_PROPERTY = "dcgan.relaunch";
    static final String OPT_OUT_ENV = "DCGAN_NO_RELAUNCH";
    /** Environment variables the launcher and the JVM already expanded into the input arguments. */
    static final List<String> EXPANDED_ENV = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS");

    private Relaunch() {}

    /** How this JVM was started, as far as a relaunch needs to know. */
    record Start(String java, List<String> jvmArgs, String classPath, String javaCommand, String mainClass,
                 List<String> args) {}

    /**
     * The child's command line: java, this JVM's input arguments, the added flags, then {@code -jar JAR} when
     * this JVM was started with -jar, else {@code -cp CLASSPATH MAIN}, then the program arguments unchanged.
     */
    static List<String> childCommand(Start s) {
        List<String> cmd = new ArrayList<>();
        cmd.add(s.java());
        cmd.addAll(s.jvmArgs());
        cmd.add("--add-modules=" + MODULE);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(gcFlags(s.jvmArgs()));
        cmd.add("-D" + CHILD_PROPERTY + "=true");
        if (startedWithJar(s)) {
            cmd.add("-jar");
            cmd.add(s.classPath());
        } else {
            cmd.add("-cp");
            cmd.add(s.classPath());
            cmd.add(s.mainClass());
        }
        cmd.addAll(s.args());
        return cmd;
    }

    /**
     * The GC settings scripts/dcgan uses, for those the user did not choose: ParallelGC (the JVM's default on
     * two or more cores is G1) and a young generation of at most {@value #MAX_NEW_SIZE}. After the JIT warm-up
     * an iteration allocates well under a megabyte, so a bigger young generation buys nothing, while
     * ParallelGC's throughput ergonomics would size it from the warm-up's garbage burst and keep it (see
     * dcgan.train.JitWarmup).
     */
    static List<String> gcFlags(List<String> jvmArgs) {
        List<String> flags = new ArrayList<>();
        if (jvmArgs.stream().noneMatch(a -> a.matches("-XX:[+-]Use\\w*GC"))) flags.add("-XX:+UseParallelGC");
        if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Xmn") || a.startsWith("-XX:NewSize=")
                || a.startsWith("-XX:MaxNewSize=") || a.startsWith("-XX:NewRatio="))) {
            flags.add("-XX:MaxNewSize=" + MAX_NEW_SIZE);
        }
        return flags;
    }

    static final String MAX_NEW_SIZE = "256m";

    /** With -jar, the launcher's sun.java.command starts with the jar path, which is then the class path. */
    static boolean startedWithJar(Start s) {
        String c = s.javaCommand() == null ? "" : s.javaCommand();
        return s.classPath() != null && (c.equals(s.classPath()) || c.startsWith(s.classPath() + " "));
    }

    /** Null when a relaunch should happen, else why not (for tests and -Ddcgan.debug). */
    static String whyNot(boolean modulePresent, Map<String, String> env, String childProp, String optOutProp,
                         List<String> jvmArgs, boolean codeFromJar) {
        if (modulePresent) return MODULE + " is present";
        if (childProp != null) return "this is the relaunched JVM";
        if ("false".equalsIgnoreCase(optOutProp)) return "-D" + OPT_OUT_PROPERTY + "=false";
        String e = env.get(OPT_OUT_ENV);
        if (e != null && !e.isEmpty() && !e.equals("0")) return OPT_OUT_ENV + " is set";
        if (!codeFromJar) return "not started from a jar";
        for (String a : jvmArgs) {
            if (a.startsWith("-agentlib:jdwp") || a.startsWith("-Xrunjdwp") || a.equals("-Xdebug")) return "a debugger is attached";
        }
        return null;
    }

    /**
     * Relaunches when it should and returns the child's exit code; empty when this JVM should go on itself
     * (also when starting the child failed: then the scalar fallback runs, as without a relaunch).
     */
    public static Optional<Integer> ifNeeded(String[] args, Class<?> main) {
        List<String> jvmArgs;
        boolean fromJar;
        try {
            jvmArgs = ManagementFactory.getRuntimeMXBean().getInputArguments();
            Path code = Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI());
            fromJar = Files.isRegularFile(code) && code.toString().endsWith(".jar");
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
        String why = whyNot(ModuleLayer.boot().findModule(MODULE).isPresent(), System.getenv(),
                System.getProperty(CHILD_PROPERTY), System.getProperty(OPT_OUT_PROPERTY), jvmArgs, fromJar);
        boolean debug = Boolean.getBoolean("dcgan.debug");
        if (why != null) {
            if (debug && !why.endsWith("is present")) System.err.println("dcgan: no relaunch: " + why);
            return Optional.empty();
        }
        Optional<String> self = ProcessHandle.current().info().command();
        String javaBin = self.orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Start s = new Start(javaBin, jvmArgs, System.getProperty("java.class.path"),
                System.getProperty("sun.java.command"), main.getName(), List.of(args));
        List<String> cmd = childCommand(s);
        if (debug) System.err.println("dcgan: relaunching with " + MODULE + ": " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        EXPANDED_ENV.forEach(pb.environment()::remove);
        Process child;
        try {
            child = pb.start();
        } catch (Exception e) {
            if (debug) System.err.println("dcgan: relaunch failed (" + e + "), running here");
            return Optional.empty();
        }
        Thread hook = new Thread(() -> {
            if (!child.isAlive()) return;
            child.destroy();                                   // SIGTERM: the child runs its own shutdown hooks
            try {
                if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
            } catch (InterruptedException ignored) {
                child.destroyForcibly();
            }
        }, "dcgan-relaunch-hook");
        Runtime.getRuntime().addShutdownHook(hook);
        while (true) {
            try {
                return Optional.of(child.waitFor());
            } catch (InterruptedException ignored) {
                // keep waiting: the child decides when it is done
            }
        }
    }
}
