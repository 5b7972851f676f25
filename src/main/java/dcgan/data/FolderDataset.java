package dcgan.data;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Consumer;

/**
 * Images found recursively under a folder, like torchvision's ImageFolder (labels are ignored, and a flat folder
 * such as CelebA's img_align_celeba works too): files ending in .jpg, .jpeg, .png, .bmp or .gif (any case), in
 * sorted path order, each decoded with javax.imageio, converted to RGB (or grey for nc=1) as PIL's convert does,
 * resized so its shorter side is the image size (bilinear, antialiased) and centre-cropped.
 *
 * <p>Only the file list is made up front; files are decoded when loaded. A file that cannot be decoded (not an
 * image, corrupt, truncated, too large, unsupported colour model) is skipped: it is remembered, counted, reported
 * on the warning sink (the first {@value #WARN_FIRST} by name, then the count at 100, 1000, 10000...), and
 * its index yields the next readable file instead (deterministically: the first readable file at or after it,
 * wrapping around). Only when no file at all is readable does {@link #load} fail.
 */
public final class FolderDataset implements Dataset {
    static final int WARN_FIRST = 10;
    static final int MAX_FILES = 100_000_000;
    private static final String[] EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".gif"};

    private final Path root;
    private final String[] files;   // relative paths, '/'-separated, sorted
    private final int imageSize, nc;
    private final AtomicLongArray bad;
    private final AtomicLong skipped = new AtomicLong();
    private final Consumer<String> warn;
    private final int ignored;

    /**
     * Lists the images under {@code root}.
     *
     * @param warn where warning lines go (e.g. {@code System.err::println})
     * @throws IOException if the folder is missing, not a folder, or holds no image files
     */
    public FolderDataset(Path root, int imageSize, int nc, Consumer<String> warn) throws IOException {
        if (nc != 1 && nc != 3) throw new IllegalArgumentException("folder dataset: nc must be 1 or 3, got " + nc);
        if (!Files.exists(root)) throw new IOException("dataroot " + root + " does not exist");
        if (!Files.isDirectory(root)) throw new IOException("dataroot " + root + " is not a folder");
        this.root = root;
        this.imageSize = imageSize;
        this.nc = nc;
        this.warn = warn;
        List<String> found = new ArrayList<>();
        int[] other = {0};
        Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!attrs.isRegularFile()) return FileVisitResult.CONTINUE;
                if (isImageName(file.getFileName().toString())) {
                    if (found.size() >= MAX_FILES) throw new IOException("dataroot " + root + " holds more than " + MAX_FILES + " images");
                    found.add(relative(root, file));
                } else {
                    other[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path file, IOException exc) {
                other[0]++;   // unreadable entry or a symlink loop: leave it out
                return FileVisitResult.CONTINUE;
            }
        });
        if (found.isEmpty())
            throw new IOException("dataroot " + root + " holds no images (.jpg, .jpeg, .png, .bmp, .gif)"
                    + (other[0] > 0 ? "; it has " + other[0] + " other files" : ""));
        found.sort(FolderDataset::comparePaths);
        this.files = found.toArray(new String[0]);
        this.bad = new AtomicLongArray((files.length + 63) / 64);
        this.ignored = other[0];
    }

    static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String e : EXTENSIONS) if (n.endsWith(e) && n.length() > e.length()) return true;
        return false;
    }

    private static String relative(Path root, Path file) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (!sb.isEmpty()) sb.append('/');
            sb.append(part);
        }
        return sb.toString();
    }

    /** Component-wise order, like sorted os.walk: "a/b.png" before "a.png/..." is irrelevant; '/' sorts first. */
    private static int comparePaths(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (x == '/') return -1;
                if (y == '/') return 1;
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    @Override public String name() { return "folder"; }
    @Override public int size() { return files.length; }
    @Override public int channels() { return nc; }
    @Override public int imageSize() { return imageSize; }
    @Override public long skipped() { return skipped.get(); }

    /** Files under the folder that were left out of the list because their names are not image names. */
    public int ignoredFiles() { return ignored; }

    /** The path of image {@code index}. */
    public Path file(int index) { return root.resolve(files[index]); }

    @Override public String describe() {
        return "folder " + root + ": " + files.length + " image files" + (ignored > 0 ? " (" + ignored + " other files ignored)" : "")
                + ", " + nc + "x" + imageSize + "x" + imageSize;
    }

    @Override public void load(int index, float[] dst, int offset) throws IOException {
        int n = files.length;
        if (index < 0 || index >= n) throw new IndexOutOfBoundsException("image index " + index + " out of 0.." + (n - 1));
        String lastError = null;
        for (int tries = 0, i = index; tries < n; tries++, i = i + 1 == n ? 0 : i + 1) {
            if (isBad(i)) continue;
            try {
                ImageDecoder.Rgb img = ImageDecoder.decode(root.resolve(files[i]));
                float[] planes = img.planes();
                int c = 3;
                if (nc == 1) {
                    int px = img.w() * img.h();
                    float[] g = new float[px];
                    for (int p = 0; p < px; p++) g[p] = Math.round(Resample.luma(planes[p], planes[px + p], planes[2 * px + p]));
                    planes = g;
                    c = 1;
                }
                Resample.resizeCropNormalize(planes, c, img.w(), img.h(), imageSize, dst, offset);
                return;
            } catch (ImageDecoder.BadImageException e) {
                lastError = files[i] + ": " + e.getMessage();
                markBad(i, lastError);
            }
        }
        throw new IOException("none of the " + n + " image files under " + root + " could be read"
                + (lastError == null ? "" : " (last: " + lastError + ")"));
    }

    private static boolean isPowerOf10(long k) {
        while (k % 10 == 0) k /= 10;
        return k == 1;
    }

    private boolean isBad(int i) {
        return (bad.get(i >>> 6) & (1L << (i & 63))) != 0;
    }

    private void markBad(int i, String why) {
        long bit = 1L << (i & 63);
        long old = bad.getAndAccumulate(i >>> 6, bit, (a, b) -> a | b);
        if ((old & bit) != 0) return;   // another thread got there first
        long k = skipped.incrementAndGet();
        if (k <= WARN_FIRST) warn.accept("warning: skipping unreadable image " + why);
        if (k == WARN_FIRST) warn.accept("warning: further unreadable images are counted, not named");
        else if (k > WARN_FIRST && isPowerOf10(k)) warn.accept("warning: " + k + " unreadable images skipped so far under " + root);
    }
}
