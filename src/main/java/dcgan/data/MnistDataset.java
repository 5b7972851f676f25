package dcgan.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * MNIST-style IDX image files (MNIST, Fashion-MNIST, KMNIST...): {@code train-images-idx3-ubyte}, gzipped or not.
 * One channel; each 28x28 (or whatever the header says) image is resized to the image size as torchvision's
 * Resize does (bilinear, antialiased when shrinking).
 *
 * <p>{@code dataroot} may be the IDX file itself or a folder holding it directly, or under {@code raw/},
 * {@code MNIST/raw/} or {@code FashionMNIST/raw/} (torchvision's layouts). The test split is
 * {@code t10k-images-idx3-ubyte} in the same place; labels ({@link #labels}) are the {@code *-labels-idx1-ubyte} files
 * beside the images. Debian's dataset-fashion-mnist package
 * installs it in /usr/share/datasets/fashion-mnist. The header (magic 0x00000803, three dims) is validated against
 * the file's length (or, gzipped, against the data actually present) before the pixels are stored.
 */
public final class MnistDataset implements Dataset {
    static final String[] SUBDIRS = {"", "raw", "MNIST/raw", "FashionMNIST/raw", "KMNIST/raw"};
    static final int MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801;

    private final Path file;
    private final byte[] pixels;
    private final int count, rows, cols, imageSize;

    /**
     * @throws IOException if no IDX file is found, or it is malformed, truncated or not an image file
     */
    public MnistDataset(Path dataroot, int imageSize) throws IOException {
        this(dataroot, imageSize, Split.TRAIN);
    }

    /** The images of a split: train-images or t10k-images (a dataroot that is a file names the train images). */
    public MnistDataset(Path dataroot, int imageSize, Split split) throws IOException {
        this.file = split == Split.TRAIN ? locate(dataroot, "train-images") : locate(folderOf(dataroot), "t10k-images");
        this.imageSize = imageSize;
        boolean gz = isGzip(file);
        long fileLen = Files.size(file);
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new BufferedInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            int magic;
            long n, r, c;
            try {
                magic = in.readInt();
                if (magic != MAGIC) {
                    String why = (magic & 0xffff0000) == 0 && (magic & 0xff00) == 0x0800
                            ? "an IDX file of " + (magic & 0xff) + " dims, not images (idx3); labels file?" : "not an IDX image file";
                    throw new IOException(file + " is " + why + " (magic 0x" + Integer.toHexString(magic) + ")");
                }
                n = Integer.toUnsignedLong(in.readInt());
                r = Integer.toUnsignedLong(in.readInt());
                c = Integer.toUnsignedLong(in.readInt());
            } catch (EOFException e) {
                throw new IOException(file + " is truncated: shorter than an IDX header");
            }
            if (n < 1 || r < 1 || c < 1 || r > 65535 || c > 65535)
                throw new IOException(file + " has invalid dims " + n + "x" + r + "x" + c);
            if (n > (Integer.MAX_VALUE - 8) / (r * c))
                throw new IOException(file + " claims " + n + " images of " + r + "x" + c + ", over 2 GB");
            long bytes = n * r * c;
            if (!gz && fileLen != 16 + bytes)
                throw new IOException(file + " is " + fileLen + " bytes, but its header (" + n + " images of " + r + "x" + c
                        + ") needs " + (16 + bytes) + (fileLen < 16 + bytes ? ": truncated" : ""));
            byte[] data;
            try {
                data = in.readNBytes((int) bytes);   // grows as data arrives: a lying header cannot force a huge allocation
            } catch (ZipException | EOFException e) {
                throw new IOException(file + " is corrupt: " + ImageDecoder.oneLine(e));
            }
            if (data.length != bytes)
                throw new IOException(file + " is truncated: header says " + n + " images of " + r + "x" + c + " (" + bytes
                        + " bytes), only " + data.length + " present");
            this.pixels = data;
            this.count = (int) n;
            this.rows = (int) r;
            this.cols = (int) c;
        }
    }

    static Path locate(Path dataroot) throws IOException {
        return locate(dataroot, "train-images");
    }

    /** The IDX file of stem ("train-images", "t10k-labels", ...; idx3 for images, idx1 for labels). */
    static Path locate(Path dataroot, String stem) throws IOException {
        if (!Files.exists(dataroot)) throw new IOException("dataroot " + dataroot + " does not exist");
        if (Files.isRegularFile(dataroot)) return dataroot;
        String idx = stem.endsWith("labels") ? "idx1" : "idx3";
        String[] names = {stem + "-" + idx + "-ubyte", stem + "." + idx + "-ubyte", stem + "-" + idx + "-ubyte.gz"};
        List<String> tried = new ArrayList<>();
        for (String sub : SUBDIRS) {
            Path dir = sub.isEmpty() ? dataroot : dataroot.resolve(sub);
            for (String name : names) {
                Path p = dir.resolve(name);
                if (Files.isRegularFile(p)) return p;
            }
            tried.add(sub.isEmpty() ? "." : sub);
        }
        throw new IOException("no " + stem + "-" + idx + "-ubyte[.gz] in " + dataroot + " (looked in " + String.join(", ", tried) + ")");
    }

    /** dataroot, or the folder holding it when it is the train-images file itself. */
    private static Path folderOf(Path dataroot) {
        Path parent = dataroot.toAbsolutePath().getParent();
        return Files.isRegularFile(dataroot) && parent != null ? parent : dataroot;
    }

    /**
     * The labels of a split ({@code train-labels-idx1-ubyte} or {@code t10k-labels-idx1-ubyte}, gzipped or not,
     * beside the images), checked: magic 0x00000801 and as many labels as images.
     */
    public byte[] labels(Split split) throws IOException {
        Path f = locate(file.toAbsolutePath().getParent(), split == Split.TRAIN ? "train-labels" : "t10k-labels");
        try (InputStream raw = Files.newInputStream(f);
             DataInputStream in = new DataInputStream(new BufferedInputStream(isGzip(f) ? new GZIPInputStream(raw, 1 << 16) : raw, 1 << 16))) {
            int magic, n;
            try {
                magic = in.readInt();
                n = in.readInt();
            } catch (EOFException e) {
                throw new IOException(f + " is truncated: shorter than an IDX header");
            }
            if (magic != LABELS_MAGIC) throw new IOException(f + " is not an IDX label file (magic 0x" + Integer.toHexString(magic) + ")");
            if (n != count) throw new IOException(f + " holds " + Integer.toUnsignedString(n) + " labels for the " + count + " images of " + file);
            byte[] labels;
            try {
                labels = in.readNBytes(n);
            } catch (ZipException | EOFException e) {
                throw new IOException(f + " is corrupt: " + ImageDecoder.oneLine(e));
            }
            if (labels.length != n) throw new IOException(f + " is truncated: " + labels.length + " of " + n + " labels present");
            return labels;
        }
    }

    private static boolean isGzip(Path f) throws IOException {
        try (InputStream in = Files.newInputStream(f)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    @Override public String name() { return "mnist"; }
    @Override public int size() { return count; }
    @Override public int channels() { return 1; }
    @Override public int imageSize() { return imageSize; }

    /** The IDX file read. */
    public Path file() { return file; }

    @Override public String describe() {
        return "mnist " + file + ": " + count + " images of " + rows + "x" + cols + ", resized to 1x" + imageSize + "x" + imageSize;
    }

    @Override public void load(int index, float[] dst, int offset) {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException("image index " + index + " out of 0.." + (count - 1));
        int px = rows * cols;
        float[] src = new float[px];
        int base = index * px;
        for (int i = 0; i < px; i++) src[i] = pixels[base + i] & 0xff;
        Resample.resizeCropNormalize(src, 1, cols, rows, imageSize, dst, offset);
    }
}
