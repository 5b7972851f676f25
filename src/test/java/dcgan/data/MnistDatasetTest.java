package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistDatasetTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    @TempDir Path tmp;

    static byte[] idx(int magic, int n, int rows, int cols, int payload) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        out.writeInt(n);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < payload; i++) out.write(i * 7);
        return bos.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) { o.write(b); }
        return bos.toByteArray();
    }

    @Test
    void readsRawAndGzippedInTorchvisionLayouts() throws Exception {
        byte[] file = idx(0x803, 3, 28, 28, 3 * 784);
        Files.createDirectories(tmp.resolve("MNIST/raw"));
        Files.write(tmp.resolve("MNIST/raw/train-images-idx3-ubyte"), file);
        MnistDataset raw = new MnistDataset(tmp, 28);
        Path gzDir = tmp.resolve("g");
        Files.createDirectories(gzDir);
        Files.write(gzDir.resolve("train-images-idx3-ubyte.gz"), gzip(file));
        MnistDataset gz = new MnistDataset(gzDir, 28);
        assertEquals(3, raw.size());
        assertEquals(1, raw.channels());
        float[] a = new float[784], b = new float[784];
        raw.load(2, a, 0);
        gz.load(2, b, 0);
        assertArrayEquals(a, b);
        assertEquals(((2 * 784 + 5) * 7 & 0xff) / 255f * 2f - 1f, a[5], 1e-6f);   // 28 -> 28: no resampling
    }

    @Test
    void headerIsValidatedBeforeAllocating() throws Exception {
        Path f = tmp.resolve("x");
        Files.write(f, idx(0x801, 3, 28, 28, 3));
        assertTrue(msg(f).contains("labels file"), msg(f));
        Files.write(f, idx(0x12345678, 3, 28, 28, 3));
        assertTrue(msg(f).contains("not an IDX image file"), msg(f));
        Files.write(f, idx(0x803, 3, 28, 28, 3 * 784 - 1));
        assertTrue(msg(f).contains("truncated"), msg(f));
        Files.write(f, idx(0x803, 3, 28, 28, 3 * 784 + 9));
        assertTrue(msg(f).contains("needs"), msg(f));
        Files.write(f, new byte[] {0, 0, 8});
        assertTrue(msg(f).contains("shorter than an IDX header"), msg(f));
        Files.write(f, idx(0x803, -1, 65535, 65535, 0));   // 4e9 images of 65535^2: absurd
        assertTrue(msg(f).contains("over 2 GB"), msg(f));
        Files.write(f, idx(0x803, 0, 28, 28, 0));
        assertTrue(msg(f).contains("invalid dims"), msg(f));
        // A gzipped file whose header claims 1.5 GB but holds 100 bytes: fails as truncated, without a 1.5 GB buffer.
        Files.write(f, gzip(idx(0x803, 2_000_000, 28, 28, 100)));
        assertTrue(msg(f).contains("truncated"), msg(f));
        byte[] gz = gzip(idx(0x803, 3, 28, 28, 3 * 784));
        Files.write(f, java.util.Arrays.copyOf(gz, gz.length / 2));
        String m = msg(f);
        assertTrue(m.contains("truncated") || m.contains("corrupt"), m);
        assertTrue(msg(tmp.resolve("missing")).contains("does not exist"));
        assertTrue(msg(tmp).contains("no train-images-idx3-ubyte"), msg(tmp));
    }

    private static String msg(Path f) {
        IOException e = assertThrows(IOException.class, () -> new MnistDataset(f, 32));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void realFashionMnistFromDebianPackage() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(FASHION.resolve("train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        MnistDataset ds = new MnistDataset(FASHION, 64);
        assertEquals(60_000, ds.size());
        float[] img = new float[ds.imageFloats()];
        ds.load(0, img, 0);
        float min = 1, max = -1;
        for (float v : img) { min = Math.min(min, v); max = Math.max(max, v); }
        assertEquals(-1f, min, 1e-6f);   // black background
        assertTrue(max > 0.5f);          // a bright garment
    }
}
