package dcgan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between two Gaussians fitted to feature sets (FID, Heusel et al. 2017):
 * {@code ||mu1 - mu2||^2 + Tr(S1) + Tr(S2) - 2 Tr(sqrt(S1 S2))}, the formula of pytorch-fid.
 *
 * <p>pytorch-fid takes {@code scipy.linalg.sqrtm(S1 S2)}, a non-symmetric square root whose round-off can leave
 * an imaginary part. Here the trace comes from the symmetric form instead: S1 S2 is similar to
 * {@code A = sqrt(S1) S2 sqrt(S1)} (both covariances are symmetric positive semi-definite), so
 * {@code Tr(sqrt(S1 S2))} is the sum of the square roots of A's eigenvalues. Both steps are symmetric
 * eigen-decompositions (EJML), real and stable; eigenvalues that round-off makes slightly negative count as 0.
 */
public final class FrechetDistance {
    private FrechetDistance() {}

    /** The Fréchet distance between the Gaussians of two feature sets. */
    public static double of(Features a, Features b) {
        Features.checkSameDimension(a.d(), b.d());
        return between(FeatureStatistics.of(a), FeatureStatistics.of(b));
    }

    public static double between(FeatureStatistics s1, FeatureStatistics s2) {
        int d = s1.dimension();
        Features.checkSameDimension(d, s2.dimension());
        double meanTerm = 0;
        for (int j = 0; j < d; j++) {
            double diff = s1.mean()[j] - s2.mean()[j];
            meanTerm += diff * diff;
        }
        DMatrixRMaj c1 = DMatrixRMaj.wrap(d, d, s1.covariance());
        DMatrixRMaj c2 = DMatrixRMaj.wrap(d, d, s2.covariance());
        return meanTerm + CommonOps_DDRM.trace(c1) + CommonOps_DDRM.trace(c2) - 2 * traceSqrtProduct(c1, c2);
    }

    /** {@code Tr(sqrtm(S1 S2))} for symmetric positive semi-definite S1, S2: {@code sum sqrt(eig(sqrt(S1) S2 sqrt(S1)))}. */
    static double traceSqrtProduct(DMatrixRMaj s1, DMatrixRMaj s2) {
        int d = s1.numRows;
        DMatrixRMaj root = symmetricSqrt(s1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), a = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root, s2, tmp);
        CommonOps_DDRM.mult(tmp, root, a);
        symmetrise(a);
        double trace = 0;
        for (double lambda : decompose(a, false).values) trace += Math.sqrt(Math.max(lambda, 0));
        return trace;
    }

    /**
     * The symmetric positive semi-definite square root {@code V diag(sqrt(lambda)) V^T} of symmetric s (negative
     * eigenvalues, from round-off, as 0), computed as {@code W W^T} with {@code W = V diag(lambda^(1/4))}.
     */
    static DMatrixRMaj symmetricSqrt(DMatrixRMaj s) {
        int d = s.numRows;
        DMatrixRMaj sym = s.copy();
        symmetrise(sym);
        Eigen e = decompose(sym, true);
        DMatrixRMaj w = new DMatrixRMaj(d, d);
        for (int k = 0; k < d; k++) {
            double r = Math.sqrt(Math.sqrt(Math.max(e.values[k], 0)));
            for (int i = 0; i < d; i++) w.unsafe_set(i, k, r * e.vectors[k].data[i]);
        }
        DMatrixRMaj root = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(w, w, root);
        return root;
    }

    private record Eigen(double[] values, DMatrixRMaj[] vectors) {}

    private static Eigen decompose(DMatrixRMaj symmetric, boolean withVectors) {
        int d = symmetric.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, withVectors, true);
        if (!eig.decompose(symmetric.copy()))
            throw new ArithmeticException("the symmetric eigen-decomposition of a " + d + " x " + d + " covariance did not converge");
        double[] values = new double[d];
        DMatrixRMaj[] vectors = withVectors ? new DMatrixRMaj[d] : null;
        for (int k = 0; k < d; k++) {
            values[k] = eig.getEigenvalue(k).real;
            if (withVectors) vectors[k] = eig.getEigenVector(k);
        }
        return new Eigen(values, vectors);
    }

    /** a = (a + a^T) / 2, removing the asymmetry that round-off leaves in a product meant to be symmetric. */
    private static void symmetrise(DMatrixRMaj a) {
        int d = a.numRows;
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double m = 0.5 * (a.data[i * d + j] + a.data[j * d + i]);
                a.data[i * d + j] = m;
                a.data[j * d + i] = m;
            }
        }
    }
}
