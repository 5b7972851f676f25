package dcgan.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path tmp;

    static long temps(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".tmp")).count();
        }
    }

    @Test
    void createsAndReplacesLeavingNoTemporaryFile() throws Exception {
        Path f = tmp.resolve("sub/dir/out.txt");
        AtomicFiles.write(f, "one".getBytes());
        assertEquals("one", Files.readString(f));
        AtomicFiles.write(f, o -> { o.write("two".getBytes()); o.close(); });   // closing is allowed
        assertEquals("two", Files.readString(f));
        assertEquals(0, temps(f.getParent()));
    }

    @Test
    void aFailingWriterLeavesTheOldFileIntact() throws Exception {
        Path f = tmp.resolve("out.bin");
        AtomicFiles.write(f, "old".getBytes());
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, o -> {
            o.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(f));
        assertEquals(0, temps(tmp));
    }

    @Test
    void leftoversOfAKilledWriterAreRemovedByTheNextWrite() throws Exception {
        Path f = tmp.resolve("ckpt.bin");
        AtomicFiles.write(f, "old".getBytes());
        Files.write(tmp.resolve(".ckpt.bin.123456.tmp"), new byte[10]);   // a writer died here
        Files.write(tmp.resolve(".other.bin.1.tmp"), new byte[10]);       // someone else's: kept
        assertEquals("old", Files.readString(f));
        AtomicFiles.write(f, "new".getBytes());
        assertEquals("new", Files.readString(f));
        assertFalse(Files.exists(tmp.resolve(".ckpt.bin.123456.tmp")));
        assertTrue(Files.exists(tmp.resolve(".other.bin.1.tmp")));
    }

    @Test
    void refusesADirectory() throws Exception {
        Files.createDirectories(tmp.resolve("d"));
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(tmp.resolve("d"), new byte[1]));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }
}
