package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DatasetTest {
    @TempDir Path tmp;

    static byte[] records(int n, int first) {
        byte[] b = new byte[n * 3073];
        for (int r = 0; r < n; r++) {
            b[r * 3073] = (byte) (r % 10);
            for (int c = 0; c < 3; c++) for (int p = 0; p < 1024; p++) b[r * 3073 + 1 + c * 1024 + p] = (byte) (first + r + 50 * c);
        }
        return b;
    }

    @Test
    void readsRecordsAcrossBatchFilesInTheTarballFolder() throws Exception {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), records(2, 10));
        Files.write(dir.resolve("data_batch_2.bin"), records(3, 20));
        try (Cifar10Dataset ds = new Cifar10Dataset(tmp, 32, 3)) {
            assertEquals(5, ds.size());
            float[] img = new float[ds.imageFloats()];
            ds.load(3, img, 0);                                // second record of file 2
            assertEquals(21 / 255f * 2 - 1, img[0], 1e-6f);
            assertEquals(71 / 255f * 2 - 1, img[1024], 1e-6f);
            assertEquals(121 / 255f * 2 - 1, img[2048 + 1023], 1e-6f);
        }
        try (Cifar10Dataset ds = new Cifar10Dataset(dir, 64, 1)) {
            float[] img = new float[ds.imageFloats()];
            ds.load(0, img, 0);
            assertEquals(Math.round(10 * 0.299f + 60 * 0.587f + 110 * 0.114f) / 255f * 2 - 1, img[64 * 30 + 30], 1e-6f);
        }
    }

    @Test
    void clearErrors() throws Exception {
        IOException e = assertThrows(IOException.class, () -> new Cifar10Dataset(tmp, 32, 3));
        assertTrue(e.getMessage().contains("no CIFAR-10 binary batches"), e.getMessage());
        Files.write(tmp.resolve("data_batch_1.bin"), new byte[3073 * 2 + 5]);
        e = assertThrows(IOException.class, () -> new Cifar10Dataset(tmp, 32, 3));
        assertTrue(e.getMessage().contains("not a whole number of 3073-byte"), e.getMessage());
        e = assertThrows(IOException.class, () -> new Cifar10Dataset(tmp.resolve("x"), 32, 3));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }
}
