package dcgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "dcgan", mixinStandardHelpOptions = true, version = "dcgan 0.1.0",
        description = "DCGAN in pure Java; kernels JIT-compiled to GPUs by TornadoVM.")
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
