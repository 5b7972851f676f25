package dcgan.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** --out as a folder with a default the command chooses (train, checkerboard), and the one check of an output folder. */
final class OutputFolder {
    @Option(names = "--out", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    OutputFolder(String defaultFolder) {
        this.out = Path.of(defaultFolder);
    }

    /** The folder, created if missing. */
    Path create() throws IOException {
        return create(out, "--out");
    }

    /** Creates folder (given as option) if missing; fails with one line if something else is there. */
    static Path create(Path folder, String option) throws IOException {
        check(folder, option);
        Files.createDirectories(folder);
        return folder;
    }

    /** Fails with one line if folder exists and is not a folder. */
    static void check(Path folder, String option) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) throw new IOException(option + " " + folder + " exists and is not a folder");
    }
}
