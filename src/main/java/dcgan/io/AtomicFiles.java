package dcgan.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file replacement, used by everything in {@code dcgan.io} that writes a file.
 *
 * <p>{@link #write} writes the new content to a hidden temporary file in the target's directory
 * ({@code .NAME.XXXX.tmp}), forces it to disk, renames it over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE} and then forces the directory. A reader therefore sees either the
 * complete old file or the complete new one, never a mix; if the process dies mid-write the old file is
 * untouched and only a temporary file is left behind, which the next write of the same target removes.
 * There must be one writer per target at a time.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /**
     * Atomically replaces (or creates) {@code target} with what {@code body} writes to the stream it is given.
     * Missing parent directories are created. The stream is buffered; {@code body} must not close it.
     * On any failure the temporary file is deleted and the target keeps its old content.
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (dir == null) throw new IOException("cannot write " + target + ": it has no parent directory");
        Files.createDirectories(dir);
        if (Files.isDirectory(abs)) throw new IOException("cannot write " + target + ": it is a directory");
        String name = abs.getFileName().toString();
        removeStaleTemps(dir, name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        readableByAll(tmp);
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream raw = Channels.newOutputStream(ch);
                BufferedOutputStream out = new BufferedOutputStream(new NonClosing(raw), 1 << 16);
                body.accept(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot write " + target + ": the file system does not support atomic rename", e);
            }
            done = true;
            fsyncDirectory(dir);
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Temp files are created private (rw-------); results are ordinary files (rw-r--r--), as other tools write them. */
    static void readableByAll(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: keep its defaults.
        }
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Forces a directory's entries (a rename in it) to disk; silently does nothing where that is unsupported. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic there.
        }
    }

    /** Deletes leftover temporary files of {@code name} in {@code dir} (from a writer that was killed). */
    private static void removeStaleTemps(Path dir, String name) {
        String glob = "." + name.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?")
                .replace("[", "\\[").replace("{", "\\{") + ".*.tmp";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                try { Files.deleteIfExists(p); } catch (IOException ignored) { /* best effort */ }
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort
        }
    }

    /** Lets {@code body} close its stream without closing the channel before it is forced. */
    private static final class NonClosing extends OutputStream {
        private final OutputStream out;
        NonClosing(OutputStream out) { this.out = out; }
        @Override public void write(int b) throws IOException { out.write(b); }
        @Override public void write(byte[] b, int off, int len) throws IOException { out.write(b, off, len); }
        @Override public void flush() throws IOException { out.flush(); }
        @Override public void close() throws IOException { out.flush(); }
    }
}
