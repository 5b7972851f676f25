package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDecoderTest {
    @TempDir Path tmp;

    @Test
    void rgbaDropsAlphaLikePilConvertRgb() throws Exception {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(0, 0, 0x00_ff8040);   // fully transparent orange: PIL keeps the colour
        img.setRGB(1, 0, 0x80_204060);
        Path f = tmp.resolve("a.png");
        ImageIO.write(img, "png", f.toFile());
        ImageDecoder.Rgb rgb = ImageDecoder.decode(f);
        assertArrayEquals(new float[] {0xff, 0x20, 0x80, 0x40, 0x40, 0x60}, rgb.planes());
    }

    @Test
    void sixteenBitGreyIsScaledNotGammaConverted() throws Exception {
        BufferedImage img = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(0, 0, 0, 0);
        img.getRaster().setSample(1, 0, 0, 32896);   // 128 * 257
        img.getRaster().setSample(2, 0, 0, 65535);
        Path f = tmp.resolve("g16.png");
        ImageIO.write(img, "png", f.toFile());
        ImageDecoder.Rgb rgb = ImageDecoder.decode(f);
        assertArrayEquals(new float[] {0, 128, 255, 0, 128, 255, 0, 128, 255}, rgb.planes());
    }

    @Test
    void paletteGreyBmpAndGifDecodeToRgb() throws Exception {
        byte[] r = {(byte) 10, (byte) 200}, g = {(byte) 20, (byte) 100}, b = {(byte) 30, (byte) 0};
        BufferedImage pal = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, new IndexColorModel(1, 2, r, g, b));
        pal.getRaster().setSample(1, 0, 0, 1);
        Path p = tmp.resolve("pal.png");
        ImageIO.write(pal, "png", p.toFile());
        assertArrayEquals(new float[] {10, 200, 20, 100, 30, 0}, ImageDecoder.decode(p).planes());
        Path gif = tmp.resolve("pal.gif");
        ImageIO.write(pal, "gif", gif.toFile());
        assertArrayEquals(new float[] {10, 200, 20, 100, 30, 0}, ImageDecoder.decode(gif).planes());

        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 7);
        grey.getRaster().setSample(1, 0, 0, 250);
        Path gp = tmp.resolve("grey.png");
        ImageIO.write(grey, "png", gp.toFile());
        assertArrayEquals(new float[] {7, 250, 7, 250, 7, 250}, ImageDecoder.decode(gp).planes());

        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 0x010203);
        rgb.setRGB(1, 0, 0xfffefd);
        Path bmp = tmp.resolve("x.BMP");
        ImageIO.write(rgb, "bmp", bmp.toFile());
        assertArrayEquals(new float[] {1, 255, 2, 254, 3, 253}, ImageDecoder.decode(bmp).planes());
    }

    /** ImageIO cannot make a BufferedImage of a CMYK JPEG; we convert its raw samples as PIL does. */
    @Test
    void cmykAndYcckJpegsConvertLikePil() throws Exception {
        for (String name : new String[] {"ycck_imagemagick", "cmyk_adobe0_pil"}) {
            ImageDecoder.Rgb rgb = ImageDecoder.decode(ResampleTest.resourceFile(tmp, name + ".jpg"));
            byte[] want = ResampleTest.resource(name + ".pil_rgb.bin");
            assertEquals(want.length, rgb.planes().length, name);
            double sum = 0;
            int max = 0;
            for (int i = 0; i < want.length; i++) {
                int d = Math.abs((want[i] & 0xff) - Math.round(rgb.planes()[i]));
                sum += d;
                max = Math.max(max, d);
            }
            // Different JPEG decoders (IDCT, upsampling) differ by a few levels; a wrong conversion differs by ~100.
            assertTrue(sum / want.length < 3 && max < 40, name + ": mean " + sum / want.length + ", max " + max);
        }
    }

    @Test
    void nonImagesCorruptAndTruncatedFilesAreBadImages() throws Exception {
        Path txt = tmp.resolve("notes.jpg");
        Files.writeString(txt, "hello, not a picture");
        assertThrows(ImageDecoder.BadImageException.class, () -> ImageDecoder.decode(txt));

        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) img.setRGB(x, y, x * 4 << 16 | y * 4 << 8 | (x ^ y));
        ByteArrayOutputStream png = new ByteArrayOutputStream(), jpg = new ByteArrayOutputStream();
        ImageIO.write(img, "png", png);
        ImageIO.write(img, "jpg", jpg);
        for (var e : java.util.Map.of("t.png", png.toByteArray(), "t.jpg", jpg.toByteArray()).entrySet()) {
            byte[] all = e.getValue();
            Path cut = tmp.resolve("cut-" + e.getKey());
            Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
            // A truncated JPEG may decode with grey filler (libjpeg warns); it must never throw anything else.
            try { ImageDecoder.decode(cut); } catch (ImageDecoder.BadImageException expected) { /* fine */ }
            Path noise = tmp.resolve("noise-" + e.getKey());
            byte[] bad = all.clone();
            for (int i = 30; i < bad.length; i += 7) bad[i] ^= (byte) 0x5a;
            Files.write(noise, bad);
            try { ImageDecoder.decode(noise); } catch (ImageDecoder.BadImageException expected) { /* fine */ }
        }
        Path truncPng = tmp.resolve("trunc.png");
        Files.write(truncPng, java.util.Arrays.copyOf(png.toByteArray(), 40));
        ImageDecoder.BadImageException e = assertThrows(ImageDecoder.BadImageException.class, () -> ImageDecoder.decode(truncPng));
        assertFalse(e.getMessage().contains("\n"));
        Path empty = tmp.resolve("empty.png");
        Files.write(empty, new byte[0]);
        assertThrows(ImageDecoder.BadImageException.class, () -> ImageDecoder.decode(empty));
    }

    /** A tiny PNG whose header claims a gigantic image is refused before any pixel buffer is made. */
    @Test
    void hugeDimensionsAreRefusedWithoutAllocating() throws Exception {
        Path f = tmp.resolve("bomb.png");
        Files.write(f, pngHeaderOnly(100_000, 100_000));
        ImageDecoder.BadImageException e = assertThrows(ImageDecoder.BadImageException.class, () -> ImageDecoder.decode(f));
        assertTrue(e.getMessage().contains("100000x100000"), e.getMessage());
    }

    /** A large (but allowed) image is decoded subsampled, so its buffer stays small. */
    @Test
    void largeImagesAreSubsampled() throws Exception {
        BufferedImage big = new BufferedImage(4200, 4100, BufferedImage.TYPE_BYTE_GRAY);
        Path f = tmp.resolve("big.png");
        ImageIO.write(big, "png", f.toFile());
        ImageDecoder.Rgb rgb = ImageDecoder.decode(f);
        assertEquals(1400, rgb.w());   // 17.2 M pixels: every 3rd pixel of every 3rd row, under 4 M pixels
        assertEquals(1367, rgb.h());
    }

    /** A PNG with a valid IHDR for w x h and an IDAT of only a few rows, then IEND. */
    static byte[] pngHeaderOnly(int w, int h) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater def = new Deflater();
        def.setInput(new byte[3 * 1000 + 1]);
        def.finish();
        byte[] buf = new byte[4096];
        int n = def.deflate(buf);
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return bos.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws Exception {
        out.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }
}
