package dcgan.figures;

import dcgan.io.AtomicFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** PNG output, always atomic (see {@link AtomicFiles}). */
public final class Png {
    static { Headless.ensure(); }

    private Png() {}

    /** Writes {@code image} as a PNG file, atomically. */
    public static void write(Path target, BufferedImage image) throws IOException {
        AtomicFiles.write(target, out -> {
            // An in-memory stream cache: ImageIO's default would put a cache file in java.io.tmpdir.
            try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
                if (!ImageIO.write(image, "png", ios)) throw new IOException("no PNG writer for image type " + image.getType());
            }
        });
    }

    /**
     * Writes one CHW image ({@code c} = 1 or 3) whose values lie in [-1, 1] (the generator's tanh range,
     * mapped to [0, 255] as (x + 1) / 2, clamped), atomically.
     */
    public static void writeImage(Path target, float[] chw, int offset, int c, int h, int w) throws IOException {
        write(target, ImageGrid.toImage(chw, offset, c, h, w, -1f, 1f));
    }
}
