package dcgan.cli;

import dcgan.io.AtomicFiles;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * An internal error (a bug, not bad input): one line naming the exception, its message and the top frame of
 * dcgan's own code, and a crash file with the full stack trace, in the output folder when the command has one
 * that exists, else in the temporary folder. The README says how to report one.
 */
final class CrashReport {
    private CrashReport() {}

    /** The one line for stderr; writes the crash file (or says why it could not). */
    static String handle(Throwable e, CommandLine.ParseResult parsed) {
        Path file = write(e, folder(parsed), parsed != null ? parsed.originalArgs() : java.util.List.of());
        return "dcgan: internal error (a bug in dcgan, not in your input): " + e
                + (topFrame(e) != null ? " at " + topFrame(e) : "")
                + (file != null ? "; full stack trace in " + file : "; no crash file could be written (run with -Ddcgan.debug=true for the stack trace)")
                + "; please report it (see README, Reporting a bug)";
    }

    /** The first stack frame (of e or its causes) in dcgan's code, as Class.method(File.java:line). */
    static String topFrame(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (StackTraceElement f : t.getStackTrace()) {
                if (f.getClassName().startsWith("dcgan.")) return f.toString();
            }
        }
        return null;
    }

    /** The command's output folder (--out or --out-dir, or the folder a file --out goes in) when it exists. */
    static Path folder(CommandLine.ParseResult parsed) {
        CommandLine.ParseResult pr = parsed;
        while (pr != null && pr.hasSubcommand()) pr = pr.subcommand();
        if (pr != null) {
            for (String name : new String[] {"--out", "--out-dir"}) {
                CommandLine.Model.OptionSpec o = pr.commandSpec().findOption(name);
                if (o != null && o.getValue() instanceof Path p) {
                    Path dir = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
                    if (dir != null && Files.isDirectory(dir) && Files.isWritable(dir)) return dir;
                }
            }
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static Path write(Throwable e, Path dir, java.util.List<String> args) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        String text = "dcgan internal error, " + LocalDateTime.now() + "\n"
                + "command: dcgan " + String.join(" ", args) + "\n"
                + "java: " + Runtime.version() + ", " + System.getProperty("java.vendor") + "; os: " + System.getProperty("os.name")
                + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch") + "); cores: "
                + Runtime.getRuntime().availableProcessors() + "\n\n" + trace;
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        try {
            Path file = dir.resolve("dcgan-crash-" + stamp + "-" + ProcessHandle.current().pid() + ".txt");
            AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException | RuntimeException ignored) {
            return null;
        }
    }
}
