package dcgan.eval;

import dcgan.model.Rng;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The Kernel Inception Distance (Bińkowski et al. 2018): the unbiased estimate of the squared maximum mean
 * discrepancy between two feature sets under the cubic polynomial kernel {@code k(x, y) = (x.y / d + 1)^3},
 * averaged over random subsets of equal size drawn without replacement, as clean-fid's {@code kernel_distance}
 * and torchmetrics' {@code KernelInceptionDistance} compute it. Defaults as theirs: 100 subsets of
 * {@code min(1000, n)} samples, n the smaller set's size. The spread is the population standard deviation over
 * the subsets (torchmetrics' {@code std(unbiased=False)}). Unbiased: about 0, and possibly negative, for two
 * samples of one distribution.
 */
public final class KernelInceptionDistance {
    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_MAX_SUBSET_SIZE = 1000;

    private KernelInceptionDistance() {}

    /** Mean and standard deviation of the per-subset estimates. */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    /** KID with the default subsets, drawn from seed. */
    public static Result of(Features a, Features b, long seed) {
        return of(a, b, DEFAULT_SUBSETS, Math.min(DEFAULT_MAX_SUBSET_SIZE, Math.min(a.n(), b.n())), seed);
    }

    public static Result of(Features a, Features b, int subsets, int subsetSize, long seed) {
        Features.checkSameDimension(a.d(), b.d());
        if (subsets < 1) throw new IllegalArgumentException("KID needs at least 1 subset, got " + subsets);
        if (subsetSize < 2) throw new IllegalArgumentException("KID needs subsets of at least 2 samples, got " + subsetSize);
        if (subsetSize > Math.min(a.n(), b.n()))
            throw new IllegalArgumentException("KID subset size " + subsetSize + " is larger than a feature set (" + a.n() + " and " + b.n() + " samples)");
        Rng rng = new Rng(seed);
        int[][] rowsA = new int[subsets][], rowsB = new int[subsets][];
        for (int s = 0; s < subsets; s++) {   // drawn in order, so the subsets depend on the seed only
            rowsA[s] = sampleWithoutReplacement(a.n(), subsetSize, rng);
            rowsB[s] = sampleWithoutReplacement(b.n(), subsetSize, rng);
        }
        double[] values = IntStream.range(0, subsets).parallel().mapToDouble(s -> mmd2(a, rowsA[s], b, rowsB[s])).toArray();
        return summary(values, subsetSize);
    }

    /** The mean and population standard deviation of per-subset estimates. */
    static Result summary(double[] values, int subsetSize) {
        double mean = 0, var = 0;
        for (double v : values) mean += v;
        mean /= values.length;
        for (double v : values) var += (v - mean) * (v - mean);
        return new Result(mean, Math.sqrt(var / values.length), values.length, subsetSize);
    }

    /**
     * The unbiased MMD^2 between the rows xRows of x and the rows yRows of y (as many of each):
     * the mean of k over distinct pairs within each subset, minus twice the mean of k across them.
     */
    public static double mmd2(Features x, int[] xRows, Features y, int[] yRows) {
        Features.checkSameDimension(x.d(), y.d());
        if (xRows.length != yRows.length)
            throw new IllegalArgumentException("KID subsets differ in size: " + xRows.length + " vs " + yRows.length);
        int m = xRows.length;
        if (m < 2) throw new IllegalArgumentException("KID needs subsets of at least 2 samples, got " + m);
        DMatrixRMaj xt = columns(x, xRows), yt = columns(y, yRows);
        DMatrixRMaj dots = new DMatrixRMaj(m, m);
        double within = kernelSum(CommonOps_DDRM.multInner(xt, dots), xt.numRows, true)
                + kernelSum(CommonOps_DDRM.multInner(yt, dots), yt.numRows, true);
        double across = kernelSum(CommonOps_DDRM.multTransA(xt, yt, dots), xt.numRows, false);
        return within / ((double) m * (m - 1)) - 2 * across / ((double) m * m);
    }

    /** The sum of k = (dot / d + 1)^3 over all entries of a matrix of dot products (off its diagonal when asked). */
    private static double kernelSum(DMatrixRMaj dots, int d, boolean offDiagonal) {
        double sum = 0;
        for (int i = 0; i < dots.numRows; i++) {
            for (int j = 0; j < dots.numCols; j++) {
                if (offDiagonal && i == j) continue;
                double k = dots.unsafe_get(i, j) / d + 1;
                sum += k * k * k;
            }
        }
        return sum;
    }

    /** The given samples of f as the columns of a d x rows.length matrix. */
    private static DMatrixRMaj columns(Features f, int[] rows) {
        DMatrixRMaj out = new DMatrixRMaj(f.d(), rows.length);
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            if (i < 0 || i >= f.n()) throw new IllegalArgumentException("KID subset row " + i + " is outside 0.." + (f.n() - 1));
            for (int j = 0; j < f.d(); j++) out.unsafe_set(j, r, f.get(i, j));
        }
        return out;
    }

    /** m distinct indices of 0..n-1 in random order (a partial Fisher–Yates shuffle). */
    static int[] sampleWithoutReplacement(int n, int m, Rng rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return Arrays.copyOf(perm, m);
    }
}
