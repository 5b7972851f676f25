package dcgan.cli;

import dcgan.io.Checkpoint;
import dcgan.io.ModelCheckpoint;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs `dcgan ...` in-process with captured output, as the CLI tests need. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        return of(cmd -> { }, args);
    }

    /** With a hook to adjust the command line (e.g. a subcommand's fields) before it runs. */
    static CliRun of(Consumer<CommandLine> setup, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        setup.accept(cmd);
        int code = cmd.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    CliRun ok() {
        assertEquals(0, code, () -> "exit " + code + ", stderr: " + err + " stdout: " + out);
        return this;
    }

    /** A failure: non-zero exit, exactly one line "dcgan: ..." on stderr containing want, no stack trace. */
    CliRun fails(String want) {
        assertNotEquals(0, code, () -> "expected a failure, stdout: " + out);
        String e = err.strip();
        assertFalse(e.contains("\n"), () -> "error is not one line: " + err);
        assertTrue(e.startsWith("dcgan: "), () -> "error does not start with 'dcgan: ': " + err);
        assertFalse(e.contains("Exception") || e.contains("\tat "), () -> "stack trace or exception name: " + err);
        assertTrue(e.contains(want), () -> "error lacks '" + want + "': " + err);
        return this;
    }

    static final Dcgan.Config SMALL = new Dcgan.Config(16, 8, 8, 3, 32);

    /** A small model with random weights and non-trivial running statistics and counts. */
    static Dcgan randomModel(Dcgan.Config cfg, long seed) {
        Dcgan m = new Dcgan(cfg);
        Rng rng = new Rng(seed);
        Dcgan.weightsInit(m.generator, rng);
        Dcgan.weightsInit(m.discriminator, rng);
        for (Dcgan.Net net : new Dcgan.Net[] {m.generator, m.discriminator}) {
            long k = 3;
            for (Dcgan.Buffer b : net.buffers()) {
                boolean var = b.name().endsWith("running_var");
                for (int i = 0; i < b.data().length; i++) {
                    b.data()[i] = var ? 0.5f + (float) rng.nextDouble() : (float) rng.nextGaussian() * 0.1f;
                }
            }
            for (Dcgan.BatchNorm bn : net.batchNorms()) bn.batchesTracked = 12_345_678_901L + k++;   // > 2^24: must stay exact
        }
        return m;
    }

    static Path writeCheckpoint(Dcgan model, Path file) throws IOException {
        Checkpoint c = new Checkpoint();
        ModelCheckpoint.put(c, model, false);
        c.write(file);
        return file;
    }

    static Path fixture(String name) {
        try {
            return Path.of(CliRun.class.getResource("/fixtures/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
