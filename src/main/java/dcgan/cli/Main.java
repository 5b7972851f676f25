package dcgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "dcgan", mixinStandardHelpOptions = true, version = "dcgan 0.1.0",
        description = "DCGAN in pure Java; kernels JIT-compiled to GPUs by TornadoVM.",
        subcommands = {BenchCommand.class, CheckerboardCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Bad input ends with one line on stderr and exit code 2, never a stack trace. */
    static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String msg = e.getMessage() != null ? e.getMessage() : e.toString();
        cmd.getErr().println("dcgan: " + msg);
        if (Boolean.getBoolean("dcgan.debug")) e.printStackTrace(cmd.getErr());
        return e instanceof IllegalArgumentException || e instanceof java.io.IOException ? 2 : 1;
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(Main::handle);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
