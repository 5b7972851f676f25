package dcgan.cli;

import dcgan.backend.Backends;
import dcgan.backend.fast.Tile;
import dcgan.backend.fast.VectorUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** What this installation can run on: JVM, cores, heap, Vector API, backends, TornadoVM devices. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the version, the JVM, cores, heap, the Vector API, the backends and TornadoVM's devices.")
public final class InfoCommand implements Callable<Integer> {
    static final String DEVICES_CLASS = "dcgan.backend.tornado.TornadoDevices";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /** Why TornadoVM cannot be used (null: it can). Replaceable for tests. */
    Supplier<String> tornadoReason = Backends::tornadoUnavailableReason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String[] version = spec.root().version();
        out.println(version.length > 0 ? version[0] : "dcgan");
        Runtime rt = Runtime.getRuntime();
        out.printf("java        %s, %s (%s)%n", Runtime.version(), System.getProperty("java.vendor"), System.getProperty("java.vm.name"));
        out.printf("os          %s %s (%s)%n", System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        out.printf("cores       %d%n", rt.availableProcessors());
        out.printf(Locale.ROOT, "max heap    %s%n", rt.maxMemory() == Long.MAX_VALUE ? "unlimited" : String.format(Locale.ROOT, "%.1f GiB", rt.maxMemory() / (double) (1L << 30)));
        out.printf("cpu vectors %s%n", VectorUnit.describe());
        out.printf("vector api  %s%n", VectorUnit.MODULE ? "jdk.incubator.vector present"
                : "jdk.incubator.vector absent (start the JVM with --add-modules jdk.incubator.vector, as scripts/dcgan does)");
        Tile tile = Tile.selected();
        out.printf("jvm kernels %s%s%n", tile.describe(), tile.scalar() ? " (" + Tile.scalarReason() + ")" : "");
        String reason = tornadoReason.get();
        out.printf("backends    %s, %s: JVM threads (--threads); %s: %s%n", Backends.JVM, Backends.JVM_PLAIN, Backends.TORNADO,
                reason == null ? "available (--device backend:device)" : "not available");
        Backends.Choice auto = Backends.choose(Backends.AUTO, null);
        out.printf("default     --backend auto runs %s: %s%n", auto.name(), auto.why());
        if (reason != null) {
            out.println("tornadovm   not available: " + reason);
        } else {
            try {
                List<String> devices = tornadoDevices();
                out.printf("tornadovm   %d device%s (--backend tornado --device backend:device):%n", devices.size(), devices.size() == 1 ? "" : "s");
                for (String d : devices) out.println("  " + d);
            } catch (Exception | LinkageError e) {
                Throwable c = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
                String msg = c.getMessage() == null ? c.toString() : c.getClass().getSimpleName() + ": " + c.getMessage();
                out.println("tornadovm   present, but listing its devices failed: " + msg.replaceAll("\\s+", " "));
            }
        }
        out.flush();
        return 0;
    }

    static List<String> tornadoDevices() throws ReflectiveOperationException {
        Object list = Class.forName(DEVICES_CLASS).getMethod("describe").invoke(null);
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
