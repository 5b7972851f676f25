package dcgan.cli;

import dcgan.backend.Backend;
import dcgan.backend.Backends;
import picocli.CommandLine.Option;

/** --backend, --threads and --device, declared once for every command that computes. */
final class BackendOptions {
    @Option(names = "--backend", defaultValue = Backends.AUTO, description = "auto | jvm | jvm-plain | tornado (default: "
            + "${DEFAULT-VALUE}: TornadoVM when run under TornadoVM with a GPU as its default device or with --device, else jvm).")
    String backend;
    @Option(names = "--threads", description = "JVM compute threads (default: all cores).")
    Integer threads;
    @Option(names = "--device", description = "TornadoVM device as backend:device, e.g. 0:0 (see `dcgan info`).")
    String device;

    /** --threads, or all cores. */
    int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** What "auto" resolved to and why, as " (auto: ...)", or "" for a named backend. */
    String autoNote() {
        return Backends.choose(backend, device).note();
    }

    /** The backend asked for (checks --threads and --backend). */
    Backend create() {
        return Backends.create(backend, threads(), device);
    }
}
