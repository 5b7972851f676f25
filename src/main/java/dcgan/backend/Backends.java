package dcgan.backend;

import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/** Creates a backend by the name users give on the command line. */
public final class Backends {
    public static final String AUTO = "auto", JVM = "jvm", JVM_PLAIN = "jvm-plain", TORNADO = "tornado";
    public static final List<String> NAMES = List.of(AUTO, JVM, JVM_PLAIN, TORNADO);
    static final String TORNADO_CLASS = "dcgan.backend.tornado.TornadoBackend";
    static final String DEVICES_CLASS = "dcgan.backend.tornado.TornadoDevices";

    /** The backend a name stands for, and why when the name was "auto" (null otherwise). */
    public record Choice(String name, String why) {
        /** " (auto: why)" when "auto" chose, else "": for the first line of a run. */
        public String note() {
            return why == null ? "" : " (auto: " + why + ")";
        }
    }

    /**
     * Resolves "auto": TornadoVM when --device names a device, or when this JVM runs under TornadoVM and
     * its default device is a GPU (so `tornado -jar dcgan.jar train` trains on the GPU); else the fast JVM
     * backend. Other names stand for themselves.
     */
    public static Choice choose(String name, String device) {
        if (!AUTO.equals(name)) return new Choice(name, null);
        if (device != null) return new Choice(TORNADO, "--device " + device + " names a TornadoVM device");
        String reason = tornadoUnavailableReason();
        if (reason != null) return new Choice(JVM, "no TornadoVM on this JVM, so the CPU");
        String[] dev;
        try {
            dev = (String[]) Class.forName(DEVICES_CLASS).getMethod("defaultDevice").invoke(null);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return new Choice(JVM, "TornadoVM's default device could not be read (" + e + "), so the CPU");
        }
        if ("GPU".equals(dev[1])) return new Choice(TORNADO, "TornadoVM's default device " + dev[0] + " is a GPU");
        return new Choice(JVM, "TornadoVM's default device " + dev[0] + " is a " + dev[1]
                + ", not a GPU, so the fast JVM backend (--backend tornado runs there anyway)");
    }

    private Backends() {}

    /**
     * @param threads JVM threads (jvm backends); ignored by tornado
     * @param device  TornadoVM "backend:device" index, or null for its default
     */
    public static Backend create(String name, int threads, String device) {
        if (threads < 1) throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        return switch (choose(name, device).name()) {
            case JVM -> new FastBackend(threads);
            case JVM_PLAIN -> new JvmBackend(threads);
            case TORNADO -> tornado(device);
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (choose from " + String.join(", ", NAMES) + ")");
        };
    }

    /** Null when TornadoVM can be used here, else a one-line reason and what to do. */
    public static String tornadoUnavailableReason() {
        try {
            Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan");
        } catch (ClassNotFoundException | LinkageError e) {
            return "TornadoVM is not on this JVM: install a TornadoVM SDK (https://github.com/beehive-lab/TornadoVM), "
                    + "set TORNADOVM_HOME, rebuild, and run with `tornado -jar target/dcgan.jar ...` or scripts/dcgan";
        }
        try {
            Class.forName(TORNADO_CLASS);
        } catch (ClassNotFoundException | LinkageError e) {
            return "this dcgan.jar was built without TornadoVM support: set TORNADOVM_HOME to a TornadoVM SDK and rebuild";
        }
        return null;
    }

    private static Backend tornado(String device) {
        String reason = tornadoUnavailableReason();
        if (reason != null) throw new IllegalStateException(reason);
        try {
            return (Backend) Class.forName(TORNADO_CLASS).getConstructor(String.class).newInstance(device);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) throw re;
            throw new IllegalStateException("TornadoVM backend failed to start: " + c, c);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("TornadoVM backend failed to start: " + e, e);
        }
    }
}
