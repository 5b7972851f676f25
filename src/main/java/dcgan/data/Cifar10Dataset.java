package dcgan.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10, binary version: {@code data_batch_1.bin} .. {@code data_batch_5.bin} (those present, at least one), in
 * {@code dataroot} or {@code dataroot/cifar-10-batches-bin}; the test split is {@code test_batch.bin}. Each record is 1 label byte then 3072 bytes: the 32x32
 * red, green and blue planes. 3 channels (or 1: PIL's grey conversion), resized to the image size. Records are read
 * from disk on demand; nothing but the file handles is kept in memory.
 */
public final class Cifar10Dataset implements Dataset {
    static final int SIDE = 32, PIXELS = SIDE * SIDE, RECORD = 1 + 3 * PIXELS, PER_FILE_MAX = 1 << 20, CLASSES = 10;
    static final String[] TRAIN_FILES = {"data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin"};
    static final String[] TEST_FILES = {"test_batch.bin"};

    private final List<FileChannel> channels = new ArrayList<>();
    private final int[] firstIndex;   // cumulative record counts
    private final int count, imageSize, nc;
    private final Path dir;

    /**
     * @throws IOException if the folder or its batch files are missing, or a file's length is not a whole number of
     *                     3073-byte records
     */
    public Cifar10Dataset(Path dataroot, int imageSize, int nc) throws IOException {
        this(dataroot, imageSize, nc, Split.TRAIN);
    }

    /** The training batches, or with {@link Split#TEST} the one test batch. */
    public Cifar10Dataset(Path dataroot, int imageSize, int nc, Split split) throws IOException {
        if (nc != 1 && nc != 3) throw new IllegalArgumentException("cifar10: nc must be 3 (or 1 for grey), got " + nc);
        if (!Files.exists(dataroot)) throw new IOException("dataroot " + dataroot + " does not exist");
        Path d = dataroot;
        if (!hasBatch(d) && Files.isDirectory(d.resolve("cifar-10-batches-bin"))) d = d.resolve("cifar-10-batches-bin");
        this.dir = d;
        this.imageSize = imageSize;
        this.nc = nc;
        List<Integer> starts = new ArrayList<>();
        long total = 0;
        try {
            for (String name : split == Split.TRAIN ? TRAIN_FILES : TEST_FILES) {
                Path f = d.resolve(name);
                if (!Files.isRegularFile(f)) continue;
                FileChannel ch = FileChannel.open(f, StandardOpenOption.READ);
                channels.add(ch);
                long len = ch.size();
                if (len == 0 || len % RECORD != 0)
                    throw new IOException(f + " is " + len + " bytes, not a whole number of " + RECORD + "-byte CIFAR-10 records");
                if (len / RECORD > PER_FILE_MAX) throw new IOException(f + " is too large for a CIFAR-10 batch (" + len + " bytes)");
                starts.add((int) total);
                total += len / RECORD;
            }
        } catch (IOException e) {
            close();
            throw e;
        }
        if (channels.isEmpty() && split == Split.TEST)
            throw new IOException("no CIFAR-10 test batch (test_batch.bin) in " + dataroot + " or " + dataroot.resolve("cifar-10-batches-bin"));
        if (channels.isEmpty())
            throw new IOException("no CIFAR-10 binary batches (data_batch_1.bin .. data_batch_5.bin) in " + dataroot
                    + " or " + dataroot.resolve("cifar-10-batches-bin"));
        this.count = (int) total;
        this.firstIndex = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean hasBatch(Path d) {
        for (int b = 1; b <= 5; b++) if (Files.isRegularFile(d.resolve("data_batch_" + b + ".bin"))) return true;
        return false;
    }

    @Override public String name() { return "cifar10"; }
    @Override public int size() { return count; }
    @Override public int channels() { return nc; }
    @Override public int imageSize() { return imageSize; }

    @Override public String describe() {
        return "cifar10 " + dir + ": " + count + " images in " + channels.size() + " batch files, resized to " + nc + "x" + imageSize + "x" + imageSize;
    }

    @Override public void load(int index, float[] dst, int offset) throws IOException {
        if (index < 0 || index >= count) throw new IndexOutOfBoundsException("image index " + index + " out of 0.." + (count - 1));
        int f = firstIndex.length - 1;
        while (firstIndex[f] > index) f--;
        long pos = (long) (index - firstIndex[f]) * RECORD + 1;   // skip the label byte
        ByteBuffer buf = ByteBuffer.allocate(3 * PIXELS);
        FileChannel ch = channels.get(f);
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());   // positional: safe from several threads
            if (r < 0) throw new IOException("CIFAR-10 batch file " + (f + 1) + " in " + dir + " shrank while reading");
        }
        byte[] b = buf.array();
        float[] src;
        if (nc == 3) {
            src = new float[3 * PIXELS];
            for (int i = 0; i < src.length; i++) src[i] = b[i] & 0xff;
        } else {
            src = new float[PIXELS];
            for (int i = 0; i < PIXELS; i++)
                src[i] = Math.round(Resample.luma(b[i] & 0xff, b[PIXELS + i] & 0xff, b[2 * PIXELS + i] & 0xff));
        }
        Resample.resizeCropNormalize(src, nc, SIDE, SIDE, imageSize, dst, offset);
    }

    /** The label byte of every record, checked to be a class 0..9. */
    public byte[] labels() throws IOException {
        byte[] labels = new byte[count];
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int f = 0; f < channels.size(); f++) {
            int records = (f + 1 < firstIndex.length ? firstIndex[f + 1] : count) - firstIndex[f];
            for (int r = 0; r < records; r++) {
                one.clear();
                if (channels.get(f).read(one, (long) r * RECORD) != 1)
                    throw new IOException("CIFAR-10 batch file " + (f + 1) + " in " + dir + " shrank while reading");
                int label = one.get(0) & 0xff;
                if (label >= CLASSES) throw new IOException("CIFAR-10 record " + r + " of batch file " + (f + 1) + " in " + dir
                        + " has label " + label + ", not 0..9: not a CIFAR-10 file (CIFAR-100?)");
                labels[firstIndex[f] + r] = (byte) label;
            }
        }
        return labels;
    }

    @Override public void close() {
        for (FileChannel ch : channels) {
            try { ch.close(); } catch (IOException ignored) { /* closing a read-only file */ }
        }
    }
}
