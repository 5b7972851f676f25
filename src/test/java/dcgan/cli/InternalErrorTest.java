package dcgan.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bug (not bad input) prints one line that can be reported, writes a crash file and exits with code 1. */
class InternalErrorTest {
    @Test
    void internalErrorIsOneReportableLineWithACrashFile() throws Exception {
        CliRun r = CliRun.of(cmd -> ((InfoCommand) cmd.getSubcommands().get("info").getCommand()).tornadoReason = () -> {
            throw new IndexOutOfBoundsException("Index 7 out of bounds for length 7");
        }, "info");
        assertEquals(1, r.code(), r.err());
        String line = r.err().strip();
        assertTrue(!line.contains("\n"), () -> "not one line: " + r.err());
        assertTrue(line.startsWith("dcgan: internal error (a bug in dcgan, not in your input): "
                + "java.lang.IndexOutOfBoundsException: Index 7 out of bounds for length 7 at dcgan."), line);
        assertTrue(line.contains("please report it (see README, Reporting a bug)"), line);
        Matcher m = Pattern.compile("full stack trace in (\\S+\\.txt);").matcher(line);
        assertTrue(m.find(), line);
        Path crash = Path.of(m.group(1));
        try {
            String text = Files.readString(crash);
            assertTrue(text.contains("command: dcgan info"), text);
            assertTrue(text.contains("java.lang.IndexOutOfBoundsException: Index 7 out of bounds for length 7"), text);
            assertTrue(text.contains("\tat dcgan.cli.InfoCommand.call"), text);
        } finally {
            Files.deleteIfExists(crash);
        }
    }

    @Test
    void anErrorIsAnInternalErrorToo() throws Exception {
        CliRun r = CliRun.of(cmd -> ((InfoCommand) cmd.getSubcommands().get("info").getCommand()).tornadoReason = () -> {
            throw new AssertionError("invariant broken");
        }, "info");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("dcgan: internal error (a bug in dcgan, not in your input): "
                + "java.lang.AssertionError: invariant broken at dcgan."), r.err());
        Matcher m = Pattern.compile("full stack trace in (\\S+\\.txt);").matcher(r.err());
        assertTrue(m.find(), r.err());
        Files.deleteIfExists(Path.of(m.group(1)));
    }

    @Test
    void crashFileGoesToTheOutputFolderWhenThereIsOne(@TempDir Path dir) throws Exception {
        var parsed = Main.commandLine().parseArgs("generate", "--checkpoint", "x.ckpt", "--out", dir.toString());
        assertEquals(dir, CrashReport.folder(parsed));
        Path file = dir.resolve("new.ckpt");
        assertEquals(dir.toAbsolutePath(), CrashReport.folder(Main.commandLine().parseArgs("import", "--generator", "g", "--out", file.toString())));
        Path missing = dir.resolve("not-there/deeper");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")),
                CrashReport.folder(Main.commandLine().parseArgs("generate", "--checkpoint", "x", "--out", missing.toString())));
    }

    @Test
    void badInputStaysOneLineWithExitCode2() {
        CliRun r = CliRun.of("generate", "--checkpoint", "/nonexistent/x.ckpt", "--out", "/tmp/unused-dcgan-test");
        assertEquals(2, r.code(), r.err());
        r.fails("--checkpoint /nonexistent/x.ckpt does not exist");
    }
}
