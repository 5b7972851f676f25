package dcgan.eval;

import dcgan.model.Rng;
import org.junit.jupiter.api.Test;

import static dcgan.eval.FrechetDistanceTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KID against a NumPy computation on fixed subsets (fixture by scripts/make_eval_fixtures.py), and its properties. */
class KernelInceptionDistanceTest {
    private static final FidKidFixture FIXTURE = FidKidFixture.load();

    @Test
    void matchesNumpyOnTheStoredSubsets() {
        Features x = FIXTURE.features("x"), y = FIXTURE.features("y");
        double[] expected = FIXTURE.numbers("kid.values");
        double[] values = new double[expected.length];
        for (int s = 0; s < expected.length; s++) {
            values[s] = KernelInceptionDistance.mmd2(x, FIXTURE.indices("kid.x_idx", s), y, FIXTURE.indices("kid.y_idx", s));
            assertEquals(expected[s], values[s], 1e-5 * Math.abs(expected[s]), "subset " + s);
        }
        KernelInceptionDistance.Result r = KernelInceptionDistance.summary(values, 100);
        assertEquals(FIXTURE.number("kid.mean"), r.mean(), 1e-5 * FIXTURE.number("kid.mean"));
        assertEquals(FIXTURE.number("kid.std"), r.std(), 1e-5 * FIXTURE.number("kid.std"));
        assertEquals(FIXTURE.rows("kid.x_idx"), expected.length);
    }

    @Test
    void defaultsAreCleanFidsAndTheSeedFixesTheSubsets() {
        Features x = FIXTURE.features("x"), y = FIXTURE.features("y");
        KernelInceptionDistance.Result r = KernelInceptionDistance.of(x, y, 1);
        assertEquals(100, r.subsets());
        assertEquals(180, r.subsetSize(), "min(1000, smaller set)");
        assertEquals(r, KernelInceptionDistance.of(x, y, 1));
        KernelInceptionDistance.Result small = KernelInceptionDistance.of(x, y, 10, 100, 1);
        assertNotEquals(small.mean(), KernelInceptionDistance.of(x, y, 10, 100, 2).mean());
        // Subsets of 100 from these sets: close to the fixture's KID on its own 10 subsets of 100.
        assertEquals(FIXTURE.number("kid.mean"), small.mean(), 3 * FIXTURE.number("kid.std"));
        assertTrue(small.std() > 0);
    }

    @Test
    void isAboutZeroForTwoSamplesOfOneDistribution() {
        // Unbiased: over many independent pairs of samples of one Gaussian the estimates average to 0 (a biased
        // V-statistic would stay above 0 by O(1/m)), while a shifted distribution is clearly apart.
        int pairs = 30, m = 60, d = 8;
        Rng rng = new Rng(13);
        double sum = 0, sumSq = 0;
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) rows[i] = i;
        for (int p = 0; p < pairs; p++) {
            double v = KernelInceptionDistance.mmd2(gaussian(rng, m, d, 0), rows, gaussian(rng, m, d, 0), rows);
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / pairs, sd = Math.sqrt((sumSq - pairs * mean * mean) / (pairs - 1));
        assertTrue(Math.abs(mean) < 4 * sd / Math.sqrt(pairs), "mean " + mean + " sd " + sd);
        double shifted = KernelInceptionDistance.mmd2(gaussian(rng, m, d, 0), rows, gaussian(rng, m, d, 0.5), rows);
        assertTrue(shifted > 10 * Math.abs(mean) && shifted > 4 * sd, "shifted " + shifted + " vs same " + mean);

        KernelInceptionDistance.Result same = KernelInceptionDistance.of(gaussian(rng, 300, d, 0), gaussian(rng, 300, d, 0), 7);
        assertTrue(Math.abs(same.mean()) < shifted / 10, "KID of one distribution " + same.mean());
    }

    @Test
    void badInputIsOneClearLine() {
        Features x = FIXTURE.features("x"), y = FIXTURE.features("y");
        assertMessage("KID subset size 181 is larger than a feature set (200 and 180 samples)",
                () -> KernelInceptionDistance.of(x, y, 10, 181, 0));
        assertMessage("KID needs subsets of at least 2 samples, got 1", () -> KernelInceptionDistance.of(x, y, 10, 1, 0));
        assertMessage("KID needs at least 1 subset, got 0", () -> KernelInceptionDistance.of(x, y, 0, 10, 0));
        assertMessage("KID needs subsets of at least 2 samples, got 1",
                () -> KernelInceptionDistance.of(new Features(new float[64], 1, 64), y, 0));
        assertMessage("feature dimensions differ: 64 vs 2",
                () -> KernelInceptionDistance.of(x, new Features(new float[4], 2, 2), 0));
    }

    private static Features gaussian(Rng rng, int n, int d, double mean) {
        float[] data = new float[n * d];
        rng.fillGaussian(data, mean, 1);
        return new Features(data, n, d);
    }
}
