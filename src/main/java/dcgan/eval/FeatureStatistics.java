package dcgan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The mean and covariance of a feature set in double precision, as pytorch-fid computes them
 * ({@code np.mean(act, axis=0)}, {@code np.cov(act, rowvar=False)}: the unbiased covariance, divided by n - 1).
 * The covariance is d x d, row-major. Two passes (mean, then centred products), the products by EJML in blocks
 * of rows, so memory stays O(d^2) however many samples there are.
 */
public record FeatureStatistics(int n, double[] mean, double[] covariance) {
    private static final int BLOCK_ROWS = 256;

    public FeatureStatistics {
        if (covariance.length != mean.length * mean.length)
            throw new IllegalArgumentException("covariance has " + covariance.length + " values for " + mean.length + " dimensions");
    }

    public int dimension() {
        return mean.length;
    }

    public static FeatureStatistics of(Features f) {
        int n = f.n(), d = f.d();
        if (n < 2) throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += f.get(i, j);
        for (int j = 0; j < d; j++) mean[j] /= n;

        DMatrixRMaj cov = new DMatrixRMaj(d, d), block = new DMatrixRMaj(d, d);
        for (int start = 0; start < n; start += BLOCK_ROWS) {
            int rows = Math.min(BLOCK_ROWS, n - start);
            DMatrixRMaj centred = new DMatrixRMaj(rows, d);
            for (int r = 0; r < rows; r++) for (int j = 0; j < d; j++) centred.unsafe_set(r, j, f.get(start + r, j) - mean[j]);
            CommonOps_DDRM.addEquals(cov, CommonOps_DDRM.multInner(centred, block));   // cov += centred^T centred
        }
        CommonOps_DDRM.scale(1.0 / (n - 1), cov);
        return new FeatureStatistics(n, mean, cov.data);
    }
}
