package dcgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "dcgan", mixinStandardHelpOptions = true, version = "dcgan 0.1.0",
        description = "DCGAN in pure Java; kernels JIT-compiled to GPUs by TornadoVM.",
        subcommands = {TrainCommand.class, GenerateCommand.class, ExportCommand.class, ImportCommand.class,
                InfoCommand.class, BenchCommand.class, CheckerboardCommand.class, EvaluateCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Bad input (IllegalArgumentException, IOException) ends with one line on stderr and exit code 2, a stated
     * failure (IllegalStateException: training diverged, TornadoVM missing) with one line and exit code 1, never a
     * stack trace. Anything else is an internal error: one line with the exception, its message and the top frame of
     * our code, the stack trace in a crash file ({@link CrashReport}), exit code 1.
     */
    static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        boolean badInput = e instanceof IllegalArgumentException || e instanceof java.io.IOException
                || e instanceof java.io.UncheckedIOException;
        if (badInput || e instanceof IllegalStateException) {
            String msg = e.getMessage() != null ? e.getMessage() : e.toString();
            cmd.getErr().println("dcgan: " + msg);
        } else {
            cmd.getErr().println(CrashReport.handle(e, parsed));
        }
        if (Boolean.getBoolean("dcgan.debug")) e.printStackTrace(cmd.getErr());
        return badInput ? 2 : 1;
    }

    /** Bad options: one line (the problem and where help is) on stderr, exit code 2, no usage dump. */
    static int handleParse(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String msg = String.valueOf(e.getMessage()).replaceAll("\\s*\\R\\s*", " ").trim();
        cmd.getErr().println("dcgan: " + msg + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Runs the command; an Error (which picocli does not hand to {@link #handle}) is an internal error too. */
    static int runReportingErrors(CommandLine.ParseResult parsed) {
        try {
            return new CommandLine.RunLast().execute(parsed);
        } catch (Error e) {
            CommandLine cmd = parsed.commandSpec().commandLine();
            cmd.getErr().println(CrashReport.handle(e, parsed));
            if (Boolean.getBoolean("dcgan.debug")) e.printStackTrace(cmd.getErr());
            return 1;
        }
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler(Main::handle)
                .setParameterExceptionHandler(Main::handleParse)
                .setExecutionStrategy(Main::runReportingErrors)
                .setOverwrittenOptionsAllowed(true);
    }

    public static void main(String[] args) {
        java.util.Optional<Integer> child = Relaunch.ifNeeded(args, Main.class);   // java -jar without the vector module
        if (child.isPresent()) System.exit(child.get());
        System.exit(commandLine().execute(args));
    }
}
