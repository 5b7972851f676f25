package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SyntheticAndFakeTest {
    @Test
    void syntheticFacesAreDeterministicVariedAndInRange() {
        for (int size : new int[] {32, 64, 128}) {
            SyntheticFaces a = new SyntheticFaces(7, 1000, size, 3), b = new SyntheticFaces(7, 1000, size, 3);
            float[] x = new float[a.imageFloats()], y = new float[a.imageFloats()], z = new float[a.imageFloats()];
            a.load(5, x, 0);
            b.load(5, y, 0);
            a.load(6, z, 0);
            assertArrayEquals(x, y, "same seed and index, same image");
            assertFalse(java.util.Arrays.equals(x, z), "different index, different image");
            new SyntheticFaces(8, 1000, size, 3).load(5, z, 0);
            assertFalse(java.util.Arrays.equals(x, z), "different seed, different image");
            for (float v : x) assertTrue(v >= -1f && v <= 1f);
        }
        // Variety: the pixel-wise standard deviation over 50 images is substantial.
        SyntheticFaces ds = new SyntheticFaces(1, 50, 32, 3);
        int n = ds.imageFloats();
        double[] sum = new double[n], sq = new double[n];
        float[] img = new float[n];
        for (int i = 0; i < 50; i++) {
            ds.load(i, img, 0);
            for (int j = 0; j < n; j++) { sum[j] += img[j]; sq[j] += img[j] * img[j]; }
        }
        double meanStd = 0;
        for (int j = 0; j < n; j++) meanStd += Math.sqrt(Math.max(0, sq[j] / 50 - sum[j] * sum[j] / 2500));
        assertTrue(meanStd / n > 0.2, "mean per-pixel std " + meanStd / n);
    }

    @Test
    void greySyntheticIsTheLumaOfRgb() {
        SyntheticFaces rgb = new SyntheticFaces(3, 10, 32, 3), grey = new SyntheticFaces(3, 10, 32, 1);
        float[] c = new float[rgb.imageFloats()], g = new float[grey.imageFloats()];
        rgb.load(4, c, 0);
        grey.load(4, g, 0);
        for (int p = 0; p < 32 * 32; p++) {
            float r = (c[p] + 1) * 127.5f, gg = (c[1024 + p] + 1) * 127.5f, b = (c[2048 + p] + 1) * 127.5f;
            assertEquals(Resample.luma(r, gg, b), (g[p] + 1) * 127.5f, 0.51f);
        }
    }

    @Test
    void fakeDataIsSeeded() {
        FakeDataset a = new FakeDataset(1, 10, 16, 3);
        float[] x = new float[a.imageFloats()], y = new float[a.imageFloats()];
        a.load(3, x, 0);
        new FakeDataset(1, 10, 16, 3).load(3, y, 0);
        assertArrayEquals(x, y);
        a.load(4, y, 0);
        assertFalse(java.util.Arrays.equals(x, y));
    }

    @Test
    void factoryGivesClearErrors() throws Exception {
        assertEquals("synthetic", Datasets.open("synthetic", null, 64, 3, 0).name());
        assertEquals(60_000, Datasets.open("Synthetic", null, 64, 3, 0).size());
        assertEquals("fake", Datasets.open("fake", null, 32, 1, 0).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("lsun", null, 64, 3, 0));
        assertEquals("unknown dataset 'lsun' (choose one of synthetic, folder, mnist, cifar10, fake)", e.getMessage());
        for (String n : new String[] {"folder", "mnist", "cifar10"}) {
            e = assertThrows(IllegalArgumentException.class, () -> Datasets.open(n, null, 64, n.equals("mnist") ? 1 : 3, 0));
            assertTrue(e.getMessage().contains("needs a dataroot"), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("mnist", Path.of("/nonexistent"), 64, 3, 0));
        assertTrue(e.getMessage().contains("use nc=1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("synthetic", null, 64, 2, 0));
        assertTrue(e.getMessage().contains("nc must be 1 or 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Datasets.open("synthetic", null, 2, 3, 0));
        assertTrue(e.getMessage().contains("image size"), e.getMessage());
        IOException io = assertThrows(IOException.class, () -> Datasets.open("folder", Path.of("/nonexistent/x"), 64, 3, 0));
        assertEquals("dataroot /nonexistent/x does not exist", io.getMessage());
    }
}
