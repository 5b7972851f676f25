package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResampleTest {
    @TempDir Path tmp;

    static byte[] resource(String name) throws Exception {
        try (InputStream in = ResampleTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    static Path resourceFile(Path dir, String name) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, resource(name));
        return p;
    }

    /** Our floats back to 0..255 levels. */
    static int level(float v) {
        return Math.round((v + 1f) * 127.5f);
    }

    @Test
    void torchvisionResizeOutputSize() {
        assertArrayEquals(new int[] {64, 78}, Resample.resizedSize(178, 218, 64));   // CelebA
        assertArrayEquals(new int[] {77, 64}, Resample.resizedSize(45, 37, 64));
        assertArrayEquals(new int[] {64, 64}, Resample.resizedSize(28, 28, 64));
    }

    @Test
    void matchesPilBilinearAntialiasedResizeAndCenterCrop() throws Exception {
        ImageDecoder.Rgb img = ImageDecoder.decode(resourceFile(tmp, "pil_src.png"));
        assertEquals(45, img.w());
        assertEquals(37, img.h());
        for (int size : new int[] {16, 64}) {
            float[] out = new float[3 * size * size];
            Resample.resizeCropNormalize(img.planes(), 3, img.w(), img.h(), size, out, 0);
            byte[] want = resource("pil_rgb_" + size + ".bin");
            assertMatches(want, out, "rgb " + size);

            int px = img.w() * img.h();
            float[] grey = new float[px];
            float[] p = img.planes();
            for (int i = 0; i < px; i++) grey[i] = Math.round(Resample.luma(p[i], p[px + i], p[2 * px + i]));
            float[] outL = new float[size * size];
            Resample.resizeCropNormalize(grey, 1, img.w(), img.h(), size, outL, 0);
            assertMatches(resource("pil_l_" + size + ".bin"), outL, "L " + size);
        }
    }

    private static void assertMatches(byte[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        int maxDiff = 0;
        for (int i = 0; i < want.length; i++) {
            assertTrue(got[i] >= -1f && got[i] <= 1f, what + " out of range");
            maxDiff = Math.max(maxDiff, Math.abs((want[i] & 0xff) - level(got[i])));
        }
        // PIL works in fixed point with an 8-bit intermediate; we work in floats: at most one level apart.
        assertTrue(maxDiff <= 1, what + ": max difference from PIL " + maxDiff + " levels");
    }

    @Test
    void identityWhenAlreadyTheRightSize() {
        float[] src = new float[3 * 8 * 8];
        for (int i = 0; i < src.length; i++) src[i] = i % 256;
        float[] out = new float[src.length];
        Resample.resizeCropNormalize(src, 3, 8, 8, 8, out, 0);
        for (int i = 0; i < src.length; i++) assertEquals(src[i] / 255f * 2f - 1f, out[i], 1e-6f);
    }

    @Test
    void upsamplingAConstantStaysConstant() {
        float[] src = new float[28 * 28];
        java.util.Arrays.fill(src, 200f);
        float[] out = new float[64 * 64];
        Resample.resizeCropNormalize(src, 1, 28, 28, 64, out, 0);
        for (float v : out) assertEquals(200f / 255f * 2f - 1f, v, 1e-6f);
    }
}
