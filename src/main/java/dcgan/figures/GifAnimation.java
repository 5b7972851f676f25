package dcgan.figures;

import dcgan.io.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Animated GIF of a list of frames (the tutorial's "progression of the generator" animation), written with the
 * JDK's own GIF writer (which quantises RGB frames to a 256-colour palette per frame) and atomically.
 */
public final class GifAnimation {
    static { Headless.ensure(); }

    private GifAnimation() {}

    /** The tutorial's animation: 1 s per frame, looping forever. */
    public static void write(Path target, List<BufferedImage> frames) throws IOException {
        write(target, frames, 1000, true);
    }

    /**
     * Writes {@code frames} as an animated GIF.
     *
     * @param delayMs time each frame is shown, in milliseconds (GIF stores hundredths of a second; at least 10 ms)
     * @param loop    loop forever (NETSCAPE2.0 extension) or play once
     * @throws IllegalArgumentException if there are no frames or the delay is out of range
     */
    public static void write(Path target, List<BufferedImage> frames, int delayMs, boolean loop) throws IOException {
        if (frames == null || frames.isEmpty()) throw new IllegalArgumentException("an animation needs at least one frame");
        if (delayMs < 0 || delayMs > 655_350) throw new IllegalArgumentException("frame delay must be 0..655350 ms, got " + delayMs);
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("gif");
        if (!it.hasNext()) throw new IOException("this Java runtime has no GIF writer");
        ImageWriter writer = it.next();
        AtomicFiles.write(target, out -> {
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(ios);
                writer.prepareWriteSequence(null);
                boolean first = true;
                for (BufferedImage frame : frames) {
                    BufferedImage rgb = toRgb(frame);
                    ImageWriteParam param = writer.getDefaultWriteParam();
                    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(rgb), param);
                    configure(meta, Math.max(1, Math.round(delayMs / 10f)), first && loop);
                    writer.writeToSequence(new IIOImage(rgb, null, meta), param);
                    first = false;
                }
                writer.endWriteSequence();
                ios.flush();
            } finally {
                writer.dispose();
            }
        });
    }

    private static void configure(IIOMetadata meta, int delayCs, boolean loopExtension) throws IOException {
        String fmt = meta.getNativeMetadataFormatName(); // javax_imageio_gif_image_1.0
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(fmt);
        IIOMetadataNode gce = child(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", "none");
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        if (loopExtension) {
            IIOMetadataNode apps = child(root, "ApplicationExtensions");
            IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
            app.setAttribute("applicationID", "NETSCAPE");
            app.setAttribute("authenticationCode", "2.0");
            app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            apps.appendChild(app);
        }
        meta.setFromTree(fmt, root);
    }

    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }

    private static BufferedImage toRgb(BufferedImage img) {
        if (img.getType() == BufferedImage.TYPE_INT_RGB) return img;
        BufferedImage rgb = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_INT_RGB);
        int w = img.getWidth();
        int[] row = new int[w];
        for (int y = 0; y < img.getHeight(); y++) {
            img.getRGB(0, y, w, 1, row, 0, w);
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }
}
