package dcgan.eval;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Inception Score's bounds and a value worked out by hand. */
class InceptionScoreTest {
    @Test
    void isOneWhenEveryImageGetsTheSameDistribution() {
        int n = 40, k = 5;
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) for (int c = 0; c < k; c++) p[i * k + c] = (c + 1) / 15f;
        InceptionScore.Result r = InceptionScore.of(p, n, k, 4);
        assertEquals(1, r.mean(), 1e-6);
        assertEquals(0, r.std(), 1e-6);
    }

    @Test
    void isTheNumberOfClassesForConfidentEvenlySpreadPredictions() {
        int n = 60, k = 6;
        float[] p = new float[n * k];
        for (int i = 0; i < n; i++) p[i * k + i % k] = 1;
        InceptionScore.Result r = InceptionScore.of(p, n, k, 10);   // every split of 6 holds each class once
        assertEquals(k, r.mean(), 1e-9);
        assertEquals(0, r.std(), 1e-9);
    }

    @Test
    void matchesAHandComputedValue() {
        // Two images, two classes: p1 = (0.9, 0.1), p2 = (0.2, 0.8); p(y) = (0.55, 0.45).
        float[] p = {0.9f, 0.1f, 0.2f, 0.8f};
        double[][] q = {{0.9f, 0.1f}, {0.2f, 0.8f}};
        double[] py = {(q[0][0] + q[1][0]) / 2, (q[0][1] + q[1][1]) / 2};
        double kl = 0;
        for (double[] row : q) for (int c = 0; c < 2; c++) kl += row[c] * Math.log(row[c] / py[c]);
        assertEquals(Math.exp(kl / 2), InceptionScore.of(p, 2, 2, 1).mean(), 1e-12);
        assertTrue(Math.exp(kl / 2) > 1.3 && Math.exp(kl / 2) < 1.4, "about 1.35 by hand");
    }

    @Test
    void splitsTakeConsecutiveRowsAndReportTheirSpread() {
        // First split confident and spread (IS 2), second split all the same (IS 1): mean 1.5, std 0.5.
        float[] p = {1, 0, 0, 1, 0.5f, 0.5f, 0.5f, 0.5f};
        InceptionScore.Result r = InceptionScore.of(p, 4, 2, 2);
        assertEquals(1.5, r.mean(), 1e-6);
        assertEquals(0.5, r.std(), 1e-6);
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new float[4], 2, 2, 3));   // fewer images than splits
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new float[5], 2, 2, 1));   // wrong length
        assertThrows(IllegalArgumentException.class, () -> InceptionScore.of(new float[] {2, -1}, 1, 2, 1));   // not probabilities
    }
}
