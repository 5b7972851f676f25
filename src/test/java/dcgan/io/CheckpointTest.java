package dcgan.io;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir Path tmp;

    static Checkpoint sample(float scale) {
        float[] w = new float[100 * 3 * 4 * 4];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i) * scale;
        return new Checkpoint()
                .putTensor("G.main.0.weight", w, 100, 3, 4, 4)
                .putTensor("G.main.1.running_mean", new float[] {1, 2, 3})
                .putTensor("empty", new float[0], 0, 5)
                .putLongs("rng.state", new long[] {Long.MIN_VALUE, -1, 42})
                .putLong("iteration", 1234)
                .putLong("epoch", 3)
                .putString("option.dataset", "synthetic")
                .putString("option.note", "ünïcødé ✓");
    }

    @Test
    void roundTripsEveryKindOfEntry() throws Exception {
        Path f = tmp.resolve("checkpoint.bin");
        Checkpoint a = sample(1f);
        a.write(f);
        Checkpoint b = Checkpoint.read(f);
        assertEquals(List.copyOf(a.names()), List.copyOf(b.names()));
        assertArrayEquals(a.tensor("G.main.0.weight"), b.tensor("G.main.0.weight"));
        assertArrayEquals(new int[] {100, 3, 4, 4}, b.shape("G.main.0.weight"));
        assertArrayEquals(new int[] {0, 5}, b.shape("empty"));
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, 42}, b.longs("rng.state"));
        assertEquals(1234, b.getLong("iteration"));
        assertEquals("ünïcødé ✓", b.getString("option.note"));
        float[] dst = new float[3];
        b.copyTensor("G.main.1.running_mean", dst, 3);
        assertArrayEquals(new float[] {1, 2, 3}, dst);
        // special values survive bit-exactly
        Checkpoint c = new Checkpoint().putTensor("x", new float[] {Float.NaN, -0f, Float.MIN_VALUE, Float.POSITIVE_INFINITY});
        c.write(f);
        float[] x = Checkpoint.read(f).tensor("x");
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(x[1]));
        assertTrue(Float.isNaN(x[0]));
    }

    @Test
    void missingOrMismatchedEntriesGiveClearErrors() throws Exception {
        Path f = tmp.resolve("c.bin");
        sample(1f).write(f);
        Checkpoint b = Checkpoint.read(f);
        assertEquals("checkpoint has no entry 'D.main.0.weight'", assertThrows(IOException.class, () -> b.tensor("D.main.0.weight")).getMessage());
        assertEquals("checkpoint entry 'iteration' is not a float tensor", assertThrows(IOException.class, () -> b.tensor("iteration")).getMessage());
        assertEquals("checkpoint entry 'rng.state' holds 3 longs, not one", assertThrows(IOException.class, () -> b.getLong("rng.state")).getMessage());
        assertEquals("checkpoint tensor 'G.main.0.weight' has shape [100, 3, 4, 4], expected [100, 3, 5, 5]",
                assertThrows(IOException.class, () -> b.copyTensor("G.main.0.weight", new float[2500], 100, 3, 5, 5)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint().putTensor("x", new float[5], 2, 2));
    }

    @Test
    void everyTruncationIsDetected() throws Exception {
        Path f = tmp.resolve("c.bin");
        sample(1f).write(f);
        byte[] all = Files.readAllBytes(f);
        Path t = tmp.resolve("t.bin");
        for (int len = 0; len < all.length; len += len < 400 ? 1 : 97) {
            Files.write(t, Arrays.copyOf(all, len));
            IOException e = assertThrows(IOException.class, () -> Checkpoint.read(t), "length " + len);
            assertTrue(e.getMessage().startsWith("checkpoint " + t), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void flippedBytesFailTheCrc() throws Exception {
        Path f = tmp.resolve("c.bin");
        sample(1f).write(f);
        byte[] all = Files.readAllBytes(f);
        Path t = tmp.resolve("t.bin");
        for (int pos : new int[] {8, 30, 100, all.length / 2, all.length - 5, all.length - 1}) {
            byte[] bad = all.clone();
            bad[pos] ^= 0x10;
            Files.write(t, bad);
            IOException e = assertThrows(IOException.class, () -> Checkpoint.read(t), "flip at " + pos);
            assertTrue(e.getMessage().contains("CRC") || e.getMessage().contains("version"), e.getMessage());
        }
        Files.write(t, "not a checkpoint at all, just text".getBytes());
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.read(t)).getMessage().contains("wrong magic number"));
        assertTrue(assertThrows(IOException.class, () -> Checkpoint.read(tmp.resolve("none.bin"))).getMessage().contains("does not exist"));
    }

    /** Hostile headers with a valid CRC: absurd counts, shapes, offsets and lengths must not allocate. */
    @Test
    void absurdHeadersWithAValidCrcAreRejectedWithoutAllocating() throws Exception {
        // entry count far beyond what the table can hold
        assertBad(file(0x7fffffff, entry("x", 1, new long[] {4}, 0, 16), new byte[16]), "entries cannot fit");
        // a 2^40-element tensor claiming 4 TB
        assertBad(file(1, entry("x", 1, new long[] {1L << 20, 1L << 20}, 0, 4L << 40), new byte[16]), "absurd");
        assertBad(file(1, entry("x", 1, new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}, 0, 16), new byte[16]), "absurd shape");
        // length beyond the file
        assertBad(file(1, entry("x", 1, new long[] {1 << 28}, 0, 1L << 30), new byte[16]), "outside the data section");
        // negative dim, offset that skips, wrong length for the shape
        assertBad(file(1, entry("x", 1, new long[] {-4}, 0, 16), new byte[16]), "absurd dim");
        assertBad(file(1, entry("x", 1, new long[] {4}, 8, 16), new byte[24]), "outside the data section");
        assertBad(file(1, entry("x", 1, new long[] {5}, 0, 16), new byte[16]), "but 16 bytes");
        assertBad(file(1, entry("x", 9, new long[] {4}, 0, 16), new byte[16]), "unknown dtype");
        assertBad(file(1, entry("x", 1, new long[] {4}, 0, 16), new byte[20]), "stray bytes");
        // a table length larger than the file
        ByteBuffer hdr = ByteBuffer.allocate(24 + 4).order(ByteOrder.LITTLE_ENDIAN);
        hdr.put(Checkpoint.MAGIC).putInt(1).putInt(1).putLong(Long.MAX_VALUE - 10);
        assertBad(withCrc(Arrays.copyOf(hdr.array(), 24)), "does not fit");
        ByteBuffer ver = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).put(Checkpoint.MAGIC).putInt(99).putInt(0).putLong(0);
        assertBad(withCrc(ver.array()), "version 99 is not supported");
        // and a well-formed hand-made file is accepted
        Path ok = tmp.resolve("ok.bin");
        Files.write(ok, file(1, entry("x", 1, new long[] {2, 2}, 0, 16), new byte[16]));
        assertArrayEquals(new int[] {2, 2}, Checkpoint.read(ok).shape("x"));
    }

    private void assertBad(byte[] content, String expected) throws Exception {
        Path t = tmp.resolve("hostile.bin");
        Files.write(t, content);
        IOException e = assertThrows(IOException.class, () -> Checkpoint.read(t));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    static byte[] entry(String name, int dtype, long[] dims, long offset, long length) {
        byte[] n = name.getBytes();
        ByteBuffer b = ByteBuffer.allocate(2 + n.length + 2 + 8 * dims.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) n.length).put(n).put((byte) dtype).put((byte) dims.length);
        for (long d : dims) b.putLong(d);
        return b.putLong(offset).putLong(length).array();
    }

    static byte[] file(int count, byte[] table, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(24 + table.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Checkpoint.MAGIC).putInt(Checkpoint.VERSION).putInt(count).putLong(table.length).put(table).put(data);
        return withCrc(b.array());
    }

    static byte[] withCrc(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        byte[] out = Arrays.copyOf(body, body.length + 4);
        ByteBuffer.wrap(out, body.length, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
        return out;
    }

    /** A writer killed mid-write leaves a partial temporary file; the previous checkpoint is intact and readable. */
    @Test
    void aKilledWriteLeavesThePreviousCheckpointIntact() throws Exception {
        Path f = tmp.resolve("checkpoint.bin");
        sample(1f).write(f);
        byte[] before = Files.readAllBytes(f);
        // simulate: the new checkpoint's temp file was half written when the process died
        Path partial = tmp.resolve(".checkpoint.bin.98765.tmp");
        Path other = tmp.resolve("other.bin");
        sample(2f).write(other);
        byte[] next = Files.readAllBytes(other);
        Files.write(partial, Arrays.copyOf(next, next.length / 2));
        assertArrayEquals(before, Files.readAllBytes(f));
        assertArrayEquals(sample(1f).tensor("G.main.0.weight"), Checkpoint.read(f).tensor("G.main.0.weight"));
        // a writer that fails midway (exception from the stream) also leaves it intact
        Checkpoint huge = new Checkpoint().putTensor("x", new float[10]);
        Path dirAsTarget = tmp.resolve("sub");
        Files.createDirectories(dirAsTarget);
        assertThrows(IOException.class, () -> huge.write(dirAsTarget));
        // the next successful write replaces it and clears the leftover
        sample(2f).write(f);
        assertArrayEquals(sample(2f).tensor("G.main.0.weight"), Checkpoint.read(f).tensor("G.main.0.weight"));
        assertFalse(Files.exists(partial));
    }
}
