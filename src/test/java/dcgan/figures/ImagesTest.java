package dcgan.figures;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir Path tmp;

    @Test
    void gridHasTorchvisionGeometryAndBlackPadding() {
        int n = 64, c = 3, s = 64;
        float[] batch = new float[n * c * s * s];
        java.util.Arrays.fill(batch, 0.5f);
        batch[0] = batch[s * s] = batch[2 * s * s] = -1f;   // pixel (0,0) of image 0: the batch minimum -> 0
        BufferedImage g = ImageGrid.make(batch, n, c, s, s);
        assertEquals(8 * 66 + 2, g.getWidth());    // 530, as make_grid(padding=2) of 64 64x64 images
        assertEquals(8 * 66 + 2, g.getHeight());
        assertEquals(0x000000, g.getRGB(0, 0) & 0xffffff);       // padding
        assertEquals(0x000000, g.getRGB(66, 30) & 0xffffff);     // padding between columns
        assertEquals(0x000000, g.getRGB(2, 2) & 0xffffff);       // min pixel of image 0
        assertEquals(0xffffff, g.getRGB(3, 2) & 0xffffff);       // max -> 255
        // 10 images, nrow 8: 8 columns, 2 rows
        BufferedImage h = ImageGrid.make(new float[10 * 3 * 4 * 4], 10, 3, 4, 4, 8, 2, true);
        assertEquals(8 * 6 + 2, h.getWidth());
        assertEquals(2 * 6 + 2, h.getHeight());
    }

    @Test
    void normalizeIsMinMaxOverTheWholeBatchAndRoundsLikeSaveImage() {
        // two 1x1x2 grey images: values 0, 1 | 2, 4 -> (x - 0) / 4 -> 0, 0.25, 0.5, 1 -> 0, 64, 128, 255
        float[] b = {0, 1, 2, 4};
        BufferedImage g = ImageGrid.make(b, 2, 1, 1, 2, 8, 0, true);
        assertEquals(4, g.getWidth());
        int[] want = {0, 64, 128, 255};
        for (int x = 0; x < 4; x++) assertEquals(want[x] * 0x010101, g.getRGB(x, 0) & 0xffffff, "x=" + x);
        // without normalize values are taken as [0, 1] and clamped
        BufferedImage raw = ImageGrid.make(new float[] {-0.5f, 0.5f, 2f, 1f}, 2, 1, 1, 2, 8, 0, false);
        assertEquals(0, raw.getRGB(0, 0) & 0xff);
        assertEquals(128, raw.getRGB(1, 0) & 0xff);
        assertEquals(255, raw.getRGB(2, 0) & 0xff);
        // a single image comes back without padding; a constant batch does not divide by zero
        BufferedImage one = ImageGrid.make(new float[3 * 5 * 7], 1, 3, 5, 7, 8, 2, true);
        assertEquals(7, one.getWidth());
        assertEquals(5, one.getHeight());
        assertEquals(0, one.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void channelsMapToRgb() {
        float[] b = new float[3 * 2 * 2];
        b[0] = 1f;          // R of pixel (0,0)
        b[4 + 1] = 1f;      // G of pixel (1,0)
        b[8 + 2] = 1f;      // B of pixel (0,1)
        BufferedImage img = ImageGrid.toImage(b, 0, 3, 2, 2, 0f, 1f);
        assertEquals(0xff0000, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff00, img.getRGB(1, 0) & 0xffffff);
        assertEquals(0x0000ff, img.getRGB(0, 1) & 0xffffff);
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.make(new float[5], 1, 3, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> ImageGrid.make(new float[8], 2, 2, 1, 2));
    }

    @Test
    void pngRoundTrips() throws Exception {
        float[] chw = new float[3 * 4 * 4];
        for (int i = 0; i < chw.length; i++) chw[i] = (i % 16) / 7.5f - 1f;
        Path f = tmp.resolve("img.png");
        Png.writeImage(f, chw, 0, 3, 4, 4);
        BufferedImage back = ImageIO.read(f.toFile());
        assertEquals(4, back.getWidth());
        assertEquals(ImageGrid.toImage(chw, 0, 3, 4, 4, -1f, 1f).getRGB(3, 2), back.getRGB(3, 2));
    }

    @Test
    void gifHasEveryFrameTheDelayAndLoopsForever() throws Exception {
        List<BufferedImage> frames = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            BufferedImage f = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 10; y++) for (int x = 0; x < 20; x++) f.setRGB(x, y, k == 0 ? 0xff0000 : k == 1 ? 0x00ff00 : 0x0000ff);
            frames.add(f);
        }
        Path gif = tmp.resolve("progress.gif");
        GifAnimation.write(gif, frames);
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader r = ImageIO.getImageReadersByFormatName("gif").next();
            r.setInput(in);
            assertEquals(3, r.getNumImages(true));
            assertEquals(0x00ff00, r.read(1).getRGB(5, 5) & 0xffffff);
            boolean loop = false;
            for (int i = 0; i < 3; i++) {
                IIOMetadataNode root = (IIOMetadataNode) r.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode gce = (IIOMetadataNode) root.getElementsByTagName("GraphicControlExtension").item(0);
                assertEquals("100", gce.getAttribute("delayTime"));   // 1 s, in 1/100 s
                var apps = root.getElementsByTagName("ApplicationExtension");
                for (int a = 0; a < apps.getLength(); a++) {
                    IIOMetadataNode app = (IIOMetadataNode) apps.item(a);
                    if ("NETSCAPE".equals(app.getAttribute("applicationID"))) {
                        byte[] data = (byte[]) app.getUserObject();
                        loop |= data[0] == 1 && data[1] == 0 && data[2] == 0;
                    }
                }
            }
            assertTrue(loop, "NETSCAPE2.0 loop-forever extension");
        }
        assertThrows(IllegalArgumentException.class, () -> GifAnimation.write(tmp.resolve("x.gif"), List.of()));
    }
}
