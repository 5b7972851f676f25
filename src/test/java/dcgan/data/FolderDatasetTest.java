package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderDatasetTest {
    @TempDir Path tmp;

    /** A solid image of one colour (so a loaded image tells which file it came from). */
    static void solid(Path f, String fmt, int w, int h, int rgb) throws IOException {
        Files.createDirectories(f.getParent());
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, rgb);
        assertTrue(ImageIO.write(img, fmt, f.toFile()));
    }

    static int redLevel(float[] img) {
        return Math.round((img[0] + 1f) * 127.5f);
    }

    @Test
    void findsImagesRecursivelySortedCaseInsensitiveAndSkipsOthers() throws Exception {
        solid(tmp.resolve("b/2.PNG"), "png", 10, 12, 0x200000);
        solid(tmp.resolve("b/10.png"), "png", 10, 12, 0x100000);
        solid(tmp.resolve("a.bmp"), "bmp", 20, 10, 0x300000);
        solid(tmp.resolve("a/z.JpEg"), "jpg", 12, 10, 0x400000);
        solid(tmp.resolve("c/d/e.gif"), "gif", 9, 9, 0x500000);
        Files.writeString(tmp.resolve("b/readme.txt"), "not an image");
        Files.writeString(tmp.resolve(".DS_Store"), "x");
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        FolderDataset ds = new FolderDataset(tmp, 8, 3, warnings::add);
        assertEquals(5, ds.size());
        assertEquals(2, ds.ignoredFiles());
        // sorted like sorted os.walk: a/z.JpEg, a.bmp, b/10.png, b/2.PNG, c/d/e.gif
        assertEquals(List.of("a/z.JpEg", "a.bmp", "b/10.png", "b/2.PNG", "c/d/e.gif"),
                List.of(0, 1, 2, 3, 4).stream().map(i -> tmp.relativize(ds.file(i)).toString().replace('\\', '/')).toList());
        float[] img = new float[ds.imageFloats()];
        ds.load(2, img, 0);
        assertEquals(0x10, redLevel(img));
        ds.load(3, img, 0);
        assertEquals(0x20, redLevel(img));
        for (float v : img) assertTrue(v >= -1f && v <= 1f);
        assertEquals(0, ds.skipped());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void unreadableFilesAreSkippedCountedAndReplacedDeterministically() throws Exception {
        solid(tmp.resolve("0.png"), "png", 8, 8, 0x010000);
        Files.writeString(tmp.resolve("1.jpg"), "this is text, not a JPEG");
        Files.write(tmp.resolve("2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});   // truncated
        solid(tmp.resolve("3.png"), "png", 8, 8, 0x030000);
        Files.write(tmp.resolve("4.png"), ImageDecoderTest.pngHeaderOnly(50_000, 50_000));   // decompression bomb
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        FolderDataset ds = new FolderDataset(tmp, 8, 1, warnings::add);
        assertEquals(5, ds.size());
        float[] img = new float[ds.imageFloats()];
        ds.load(1, img, 0);                      // 1 and 2 are bad: the next readable is 3
        assertEquals(0x03 * 299 / 1000, redLevel(img), 1);
        assertEquals(2, ds.skipped());
        ds.load(2, img, 0);                      // already known bad: not counted twice
        assertEquals(2, ds.skipped());
        ds.load(4, img, 0);                      // bad, wraps around to 0
        assertEquals(3, ds.skipped());
        assertEquals(3, warnings.size());
        assertTrue(warnings.get(0).startsWith("warning: skipping unreadable image 1.jpg"), warnings.get(0));
        for (String w : warnings) assertFalse(w.contains("\n"));
    }

    @Test
    void clearErrorsForMissingEmptyAndAllBadFolders() throws Exception {
        IOException e = assertThrows(IOException.class, () -> new FolderDataset(tmp.resolve("nope"), 64, 3, s -> {}));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Files.writeString(tmp.resolve("file.txt"), "x");
        e = assertThrows(IOException.class, () -> new FolderDataset(tmp.resolve("file.txt"), 64, 3, s -> {}));
        assertTrue(e.getMessage().contains("is not a folder"), e.getMessage());
        e = assertThrows(IOException.class, () -> new FolderDataset(tmp, 64, 3, s -> {}));
        assertTrue(e.getMessage().contains("holds no images"), e.getMessage());
        Files.writeString(tmp.resolve("a.jpg"), "x");
        Files.writeString(tmp.resolve("b.png"), "y");
        FolderDataset ds = new FolderDataset(tmp, 64, 3, s -> {});
        e = assertThrows(IOException.class, () -> ds.load(0, new float[ds.imageFloats()], 0));
        assertTrue(e.getMessage().startsWith("none of the 2 image files under"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void celebaShapedImageIsResizedAndCenterCropped() throws Exception {
        // 178x218 like img_align_celeba: top rows red, the rest blue; Resize(64) gives 64x78, crop removes 7 rows.
        BufferedImage img = new BufferedImage(178, 218, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 218; y++) for (int x = 0; x < 178; x++) img.setRGB(x, y, y < 20 ? 0xff0000 : 0x0000ff);
        Path f = tmp.resolve("img_align_celeba/000001.jpg");
        Files.createDirectories(f.getParent());
        ImageIO.write(img, "png", f.toFile());   // PNG content under a .jpg name is still decoded
        FolderDataset ds = new FolderDataset(tmp, 64, 3, s -> {});
        float[] out = new float[ds.imageFloats()];
        ds.load(0, out, 0);
        // red band: rows 0..19 of 218 -> rows 0..7.2 of 78; the crop drops rows 0..6, so only a trace of red is left
        // in row 0 (without the crop it would be pure red), and none from row 2 on.
        assertTrue(out[0] > -0.9f && out[0] < -0.3f, "row 0: a little red " + out[0]);
        assertEquals(-1f, out[64 * 2], 1e-6f, "row 2: no red");
        assertTrue(out[2 * 64 * 64 + 64 * 63] > 0.9f, "bottom row blue");
    }
}
