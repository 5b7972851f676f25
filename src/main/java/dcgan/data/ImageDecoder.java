package dcgan.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Decodes an image file with javax.imageio into RGB planes of 0..255 floats, as PIL's {@code convert('RGB')}
 * would: grey is repeated, alpha is dropped (not composited), palettes are looked up, 16-bit samples are scaled
 * to 8 bits, and 4-channel (CMYK / YCCK) JPEGs are read as raw samples and converted as PIL does
 * ({@code R = (255 - C)(255 - K) / 255}, Adobe files being stored inverted). Older JDKs cannot decode those at all;
 * JDK 25's own CMYK conversion gives colours far from PIL's for YCCK files, so it is not used.
 *
 * <p>Hostile files cannot exhaust memory: dimensions are read from the header first; images over
 * {@value #MAX_PIXELS} pixels are refused and those over {@value #SUBSAMPLE_PIXELS} pixels are decoded subsampled.
 */
final class ImageDecoder {
    static final long MAX_PIXELS = 1L << 28, SUBSAMPLE_PIXELS = 1L << 22;

    static { if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true"); }

    private ImageDecoder() {}

    /** A decoded image: 3 planes (R, G, B) of w x h values 0..255. */
    record Rgb(int w, int h, float[] planes) {}

    /** Thrown for a file that is not a readable image; the message says why, in a few words. */
    static final class BadImageException extends IOException {
        BadImageException(String msg) { super(msg); }
        BadImageException(String msg, Throwable cause) { super(msg, cause); }
    }

    static Rgb decode(Path file) throws IOException {
        ImageInputStream iis;
        try {
            iis = ImageIO.createImageInputStream(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new BadImageException("cannot open: " + oneLine(e), e);
        }
        if (iis == null) throw new BadImageException("cannot open");
        try (iis) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) throw new BadImageException("not an image in a format ImageIO reads");
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, false, false);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                if (w < 1 || h < 1) throw new BadImageException("has no pixels (" + w + "x" + h + ")");
                long px = (long) w * h;
                if (px > MAX_PIXELS) throw new BadImageException("is " + w + "x" + h + ", over " + MAX_PIXELS + " pixels");
                ImageReadParam param = reader.getDefaultReadParam();
                int sub = 1;
                while (px / ((long) sub * sub) > SUBSAMPLE_PIXELS) sub++;
                if (sub > 1) param.setSourceSubsampling(sub, sub, 0, 0);
                IIOMetadata meta = "jpeg".equalsIgnoreCase(reader.getFormatName()) ? reader.getImageMetadata(0) : null;
                if (meta != null && jpegComponents(meta) == 4) return fromCmykRaster(reader, param, meta);
                try {
                    return fromImage(reader.read(0, param));
                } catch (IIOException e) {
                    if (meta != null && reader.canReadRaster() && isColorConversionProblem(e)) return fromCmykRaster(reader, param, meta);
                    throw e;
                }
            } finally {
                reader.dispose();
            }
        } catch (BadImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Truncated or corrupt data: ImageIO throws IIOException, EOFException or unchecked exceptions.
            throw new BadImageException("corrupt or truncated: " + oneLine(e), e);
        }
    }

    private static boolean isColorConversionProblem(IIOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase();
        return m.contains("unsupported image type") || m.contains("color space") || m.contains("colorspace");
    }

    static Rgb fromImage(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), n = w * h;
        float[] p = new float[3 * n];
        ColorModel cm = img.getColorModel();
        Raster r = img.getRaster();
        if (cm instanceof ComponentColorModel && !(cm instanceof IndexColorModel)
                && (cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY || cm.getColorSpace().getType() == ColorSpace.TYPE_RGB)
                && r.getDataBuffer().getDataType() != DataBuffer.TYPE_FLOAT && r.getDataBuffer().getDataType() != DataBuffer.TYPE_DOUBLE) {
            // Raw samples: no colour management (ImageIO's 16-bit grey is "linear", which a conversion would brighten).
            boolean gray = cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
            int bands = gray ? 1 : 3;
            float[] scale = new float[bands];
            for (int b = 0; b < bands; b++) scale[b] = 255f / ((1 << cm.getComponentSize(b)) - 1);
            int[] row = new int[w];
            for (int b = 0; b < 3; b++) {
                int sb = gray ? 0 : b;
                for (int y = 0; y < h; y++) {
                    r.getSamples(0, y, w, 1, sb, row);
                    for (int x = 0; x < w; x++) p[b * n + y * w + x] = Math.round(row[x] * scale[sb]);
                }
            }
            return new Rgb(w, h, p);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);   // non-premultiplied ARGB; alpha ignored
            for (int x = 0; x < w; x++) {
                int v = row[x];
                p[y * w + x] = (v >>> 16) & 255;
                p[n + y * w + x] = (v >>> 8) & 255;
                p[2 * n + y * w + x] = v & 255;
            }
        }
        return new Rgb(w, h, p);
    }

    /** A 4-channel JPEG: raw CMYK (Adobe-inverted when the file has an Adobe marker) or YCCK samples. */
    private static Rgb fromCmykRaster(ImageReader reader, ImageReadParam param, IIOMetadata meta) throws IOException {
        Raster r = reader.readRaster(0, param);
        if (r.getNumBands() != 4) throw new BadImageException("has " + r.getNumBands() + " colour channels that cannot be converted to RGB");
        int transform = adobeTransform(meta);
        int w = r.getWidth(), h = r.getHeight(), n = w * h;
        float[] p = new float[3 * n];
        int[] px = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                r.getPixel(r.getMinX() + x, r.getMinY() + y, px);
                float c = px[0], m = px[1], ye = px[2], k = px[3];
                if (transform == 2) {   // YCCK: YCbCr gives 255 - (stored, inverted) CMY
                    float yy = px[0], cb = px[1] - 128f, cr = px[2] - 128f;
                    c = 255f - clamp(yy + 1.402f * cr);
                    m = 255f - clamp(yy - 0.344136f * cb - 0.714136f * cr);
                    ye = 255f - clamp(yy + 1.772f * cb);
                }
                int i = y * w + x;
                if (transform >= 0) {   // Adobe: stored inverted, so ink = 255 - stored
                    p[i] = Math.round(c * k / 255f);
                    p[n + i] = Math.round(m * k / 255f);
                    p[2 * n + i] = Math.round(ye * k / 255f);
                } else {
                    p[i] = Math.round((255f - c) * (255f - k) / 255f);
                    p[n + i] = Math.round((255f - m) * (255f - k) / 255f);
                    p[2 * n + i] = Math.round((255f - ye) * (255f - k) / 255f);
                }
            }
        }
        return new Rgb(w, h, p);
    }

    private static float clamp(float v) {
        return v < 0f ? 0f : Math.min(v, 255f);
    }

    /** Number of components in a JPEG's frame header (4 for CMYK / YCCK), or -1 if unknown. */
    private static int jpegComponents(IIOMetadata meta) {
        try {
            Node sof = find(meta.getAsTree("javax_imageio_jpeg_image_1.0"), "sof");
            Node n = sof == null || sof.getAttributes() == null ? null : sof.getAttributes().getNamedItem("numFrameComponents");
            return n == null ? -1 : Integer.parseInt(n.getNodeValue());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The Adobe APP14 marker's transform (0 = CMYK, 2 = YCCK), or -1 if the file has none. */
    private static int adobeTransform(IIOMetadata meta) {
        if (meta == null) return -1;
        try {
            Node root = meta.getAsTree("javax_imageio_jpeg_image_1.0");
            Node adobe = find(root, "app14Adobe");
            if (adobe == null) return -1;
            NamedNodeMap at = adobe.getAttributes();
            Node t = at == null ? null : at.getNamedItem("transform");
            return t == null ? 0 : Integer.parseInt(t.getNodeValue());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Node find(Node n, String name) {
        if (name.equals(n.getNodeName())) return n;
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            Node f = find(c, name);
            if (f != null) return f;
        }
        return null;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
