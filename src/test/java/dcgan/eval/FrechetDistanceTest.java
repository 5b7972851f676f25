package dcgan.eval;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FID against pytorch-fid's scipy-based formula (fixture by scripts/make_eval_fixtures.py), and its checks. */
class FrechetDistanceTest {
    private static final FidKidFixture FIXTURE = FidKidFixture.load();

    @Test
    void matchesPytorchFid() {
        double expected = FIXTURE.number("fid");
        double fid = FrechetDistance.of(FIXTURE.features("x"), FIXTURE.features("y"));
        assertEquals(expected, fid, 1e-4 * expected, "FID vs pytorch-fid");
    }

    @Test
    void matchesPytorchFidWithSingularCovariances() {
        // 40 and 50 samples of 64 features: both covariances are singular, as with too few images for the features.
        double expected = FIXTURE.number("small.fid");
        double fid = FrechetDistance.of(FIXTURE.features("small.x"), FIXTURE.features("small.y"));
        assertEquals(expected, fid, 1e-4 * expected, "FID vs pytorch-fid, singular covariances");
    }

    @Test
    void isZeroForIdenticalSets() {
        Features x = FIXTURE.features("x");
        assertEquals(0, FrechetDistance.of(x, x), 1e-9, "FID(x, x)");
        assertEquals(0, FIXTURE.number("fid_xx"), 1e-9, "pytorch-fid's FID(x, x)");
    }

    @Test
    void isSymmetric() {
        Features x = FIXTURE.features("x"), y = FIXTURE.features("y");
        double xy = FrechetDistance.of(x, y), yx = FrechetDistance.of(y, x);
        assertEquals(xy, yx, 1e-10 * xy);
    }

    @Test
    void statisticsAreNumpysMeanAndUnbiasedCovariance() {
        // np.mean / np.cov(rowvar=False) of [[1, 2], [3, 5], [5, 11]]
        FeatureStatistics s = FeatureStatistics.of(new Features(new float[] {1, 2, 3, 5, 5, 11}, 3, 2));
        assertArrayEquals(new double[] {3, 6}, s.mean(), 1e-12);
        assertArrayEquals(new double[] {4, 9, 9, 21}, s.covariance(), 1e-12);
        assertEquals(3, s.n());
    }

    @Test
    void statisticsOverManyBlocksOfRows() {
        // More rows than one block: the blocked covariance equals the plain double sum.
        int n = 700, d = 3;
        float[] data = new float[n * d];
        dcgan.model.Rng rng = new dcgan.model.Rng(5);
        rng.fillGaussian(data, 2, 1);
        FeatureStatistics s = FeatureStatistics.of(new Features(data, n, d));
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double c = 0;
                for (int i = 0; i < n; i++) c += (data[i * d + a] - s.mean()[a]) * (data[i * d + b] - s.mean()[b]);
                assertEquals(c / (n - 1), s.covariance()[a * d + b], 1e-12);
            }
        }
    }

    @Test
    void squareRootAndTraceOfSmallMatrices() {
        DMatrixRMaj s = new DMatrixRMaj(new double[][] {{4, 9}, {9, 21}});
        DMatrixRMaj root = FrechetDistance.symmetricSqrt(s), square = new DMatrixRMaj(2, 2);
        CommonOps_DDRM.mult(root, root, square);
        assertArrayEquals(s.data, square.data, 1e-12, "sqrt(S)^2 = S");
        assertEquals(root.get(0, 1), root.get(1, 0), 1e-15, "symmetric");
        // Diagonal S1, S2: Tr(sqrt(S1 S2)) = sum sqrt(a_i b_i); a zero eigenvalue (singular S1) counts as 0.
        DMatrixRMaj a = CommonOps_DDRM.diag(1, 4, 0), b = CommonOps_DDRM.diag(9, 1, 5);
        assertEquals(3 + 2 + 0, FrechetDistance.traceSqrtProduct(a, b), 1e-12);
    }

    @Test
    void badInputIsOneClearLine() {
        Features two = new Features(new float[] {1, 2, 3, 4}, 2, 2);
        assertMessage("a covariance needs at least 2 samples, got 1",
                () -> FrechetDistance.of(new Features(new float[] {1, 2}, 1, 2), two));
        assertMessage("feature dimensions differ: 2 vs 4", () -> FrechetDistance.of(two, new Features(new float[8], 2, 4)));
        assertMessage("features are not finite: NaN at sample 1, dimension 0",
                () -> new Features(new float[] {1, 2, Float.NaN, 4}, 2, 2));
        assertMessage("features are not finite: Infinity at sample 0, dimension 1",
                () -> new Features(new float[] {1, Float.POSITIVE_INFINITY}, 1, 2));
        assertMessage("feature data has 3 values, not 2 x 2", () -> new Features(new float[3], 2, 2));
    }

    static void assertMessage(String expected, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertEquals(expected, e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertTrue(e.getMessage().length() < 200, "short");
    }
}
