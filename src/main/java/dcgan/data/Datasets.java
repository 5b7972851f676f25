package dcgan.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Opens a dataset by name: {@value #NAMES_TEXT}. */
public final class Datasets {
    public static final List<String> NAMES = List.of("synthetic", "folder", "mnist", "cifar10", "fake");
    static final String NAMES_TEXT = "synthetic, folder, mnist, cifar10, fake";
    public static final int MIN_IMAGE_SIZE = 4, MAX_IMAGE_SIZE = 1024;

    private Datasets() {}

    /** {@link #open(String, Path, int, int, long, int, Consumer)} with the default size for synthetic/fake and warnings to stderr. */
    public static Dataset open(String name, Path dataroot, int imageSize, int nc, long seed) throws IOException {
        return open(name, dataroot, imageSize, nc, seed, 0, System.err::println);
    }

    /**
     * Opens dataset {@code name}.
     *
     * @param dataroot  needed by folder, mnist and cifar10; ignored by synthetic and fake (may be null)
     * @param nc        channels: 1 or 3; mnist is 1 only
     * @param seed      seeds synthetic and fake images (image i depends only on seed and i)
     * @param count     number of images for synthetic and fake (0 = default: {@value SyntheticFaces#DEFAULT_SIZE} /
     *                  {@value FakeDataset#DEFAULT_SIZE}); ignored by the others
     * @param warn      receives warning lines (skipped files)
     * @throws IllegalArgumentException for an unknown name or invalid nc / image size / count (one-line message)
     * @throws IOException              for a missing or unusable dataroot or data files (one-line message)
     */
    public static Dataset open(String name, Path dataroot, int imageSize, int nc, long seed, int count,
                               Consumer<String> warn) throws IOException {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(n)) throw new IllegalArgumentException("unknown dataset '" + name + "' (choose one of " + NAMES_TEXT + ")");
        if (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE)
            throw new IllegalArgumentException("image size must be " + MIN_IMAGE_SIZE + ".." + MAX_IMAGE_SIZE + ", got " + imageSize);
        if (nc != 1 && nc != 3) throw new IllegalArgumentException("nc must be 1 or 3, got " + nc);
        if (count < 0) throw new IllegalArgumentException("dataset size must not be negative, got " + count);
        if ((n.equals("folder") || n.equals("mnist") || n.equals("cifar10")) && dataroot == null)
            throw new IllegalArgumentException("dataset " + n + " needs a dataroot (--dataroot)");
        return switch (n) {
            case "synthetic" -> new SyntheticFaces(seed, count == 0 ? SyntheticFaces.DEFAULT_SIZE : count, imageSize, nc);
            case "fake" -> new FakeDataset(seed, count == 0 ? FakeDataset.DEFAULT_SIZE : count, imageSize, nc);
            case "folder" -> new FolderDataset(dataroot, imageSize, nc, warn);
            case "mnist" -> {
                if (nc != 1) throw new IllegalArgumentException("mnist images have 1 channel: use nc=1, not " + nc);
                yield new MnistDataset(dataroot, imageSize);
            }
            case "cifar10" -> new Cifar10Dataset(dataroot, imageSize, nc);
            default -> throw new AssertionError(n);
        };
    }

    /** Whether dataset name has labels and a test split ({@link #openLabelled}, {@link #openTest}). */
    public static boolean hasLabels(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return n.equals("mnist") || n.equals("cifar10");
    }

    /** The test split's images of mnist or cifar10 (no labels). */
    public static Dataset openTest(String name, Path dataroot, int imageSize, int nc) throws IOException {
        return openLabelled(name, dataroot, imageSize, nc, Split.TEST, false).images();
    }

    /**
     * A split of a labelled dataset (mnist: the IDX files with their label files, 10 classes; cifar10: the
     * binary batches, 10 classes), with its labels.
     *
     * @throws IllegalArgumentException for a dataset without labels, or invalid nc / image size
     * @throws IOException              for missing or damaged files (one line)
     */
    public static LabelledImages openLabelled(String name, Path dataroot, int imageSize, int nc, Split split) throws IOException {
        return openLabelled(name, dataroot, imageSize, nc, split, true);
    }

    private static LabelledImages openLabelled(String name, Path dataroot, int imageSize, int nc, Split split, boolean withLabels)
            throws IOException {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!hasLabels(n))
            throw new IllegalArgumentException("dataset '" + name + "' has no labels and no test split (mnist and cifar10 have)");
        if (imageSize < MIN_IMAGE_SIZE || imageSize > MAX_IMAGE_SIZE)
            throw new IllegalArgumentException("image size must be " + MIN_IMAGE_SIZE + ".." + MAX_IMAGE_SIZE + ", got " + imageSize);
        if (dataroot == null) throw new IllegalArgumentException("dataset " + n + " needs a dataroot (--dataroot)");
        if (n.equals("mnist")) {
            if (nc != 1) throw new IllegalArgumentException("mnist images have 1 channel: use nc=1, not " + nc);
            MnistDataset ds = new MnistDataset(dataroot, imageSize, split);
            return new LabelledImages(ds, withLabels ? ds.labels(split) : new byte[ds.size()], 10);
        }
        Cifar10Dataset ds = new Cifar10Dataset(dataroot, imageSize, nc, split);
        try {
            return new LabelledImages(ds, withLabels ? ds.labels() : new byte[ds.size()], Cifar10Dataset.CLASSES);
        } catch (IOException | RuntimeException e) {
            ds.close();
            throw e;
        }
    }
}
