package dcgan.eval;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A small labelled dataset in MNIST's IDX format that tests write for themselves: 28x28 grey images of four
 * classes (a horizontal bar, a vertical bar, a diagonal, a hollow square), each at a random position with random
 * brightness and noise, so a small classifier learns them quickly and two draws of it are one distribution.
 */
public final class TinyMnist {
    public static final int SIDE = 28, CLASSES = 4;

    private TinyMnist() {}

    /** Writes train-images/-labels and t10k-images/-labels (uncompressed IDX) into dir; returns dir. */
    public static Path write(Path dir, int train, int test, long seed) throws IOException {
        Files.createDirectories(dir);
        SplittableRandom r = new SplittableRandom(seed);
        writeSplit(dir, "train", train, r);
        writeSplit(dir, "t10k", test, r);
        return dir;
    }

    private static void writeSplit(Path dir, String stem, int n, SplittableRandom r) throws IOException {
        byte[] pixels = new byte[n * SIDE * SIDE], labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = i % CLASSES;
            labels[i] = (byte) c;
            draw(c, r, pixels, i * SIDE * SIDE);
        }
        Files.write(dir.resolve(stem + "-images-idx3-ubyte"), idx(0x803, new int[] {n, SIDE, SIDE}, pixels));
        Files.write(dir.resolve(stem + "-labels-idx1-ubyte"), idx(0x801, new int[] {n}, labels));
    }

    private static void draw(int c, SplittableRandom r, byte[] px, int off) {
        int x0 = 4 + r.nextInt(8), y0 = 4 + r.nextInt(8), len = 10 + r.nextInt(6);
        int bright = 160 + r.nextInt(96);
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                boolean on = switch (c) {
                    case 0 -> y >= y0 && y < y0 + 3 && x >= x0 && x < x0 + len;
                    case 1 -> x >= x0 && x < x0 + 3 && y >= y0 && y < y0 + len;
                    case 2 -> Math.abs((x - x0) - (y - y0)) <= 1 && x >= x0 && x < x0 + len;
                    default -> x >= x0 && x < x0 + len && y >= y0 && y < y0 + len
                            && (x < x0 + 2 || x >= x0 + len - 2 || y < y0 + 2 || y >= y0 + len - 2);
                };
                int v = (on ? bright : 0) + r.nextInt(40);
                px[off + y * SIDE + x] = (byte) Math.min(255, v);
            }
        }
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bos);
        out.writeInt(magic);
        for (int d : dims) out.writeInt(d);
        out.write(data);
        return bos.toByteArray();
    }
}
