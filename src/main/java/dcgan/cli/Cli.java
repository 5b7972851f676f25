package dcgan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small checks shared by the commands, each failing with a one-line message. */
final class Cli {
    private Cli() {}

    /** The file must exist, be a regular file and be readable. */
    static void requireFile(Path path, String option) throws IOException {
        if (!Files.exists(path)) throw new IOException(option + " " + path + " does not exist");
        if (Files.isDirectory(path)) throw new IOException(option + " " + path + " is a folder, not a file");
        if (!Files.isReadable(path)) throw new IOException(option + " " + path + " cannot be read (permissions?)");
    }
}
