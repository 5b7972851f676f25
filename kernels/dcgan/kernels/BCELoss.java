package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * nn.BCELoss(reduction='mean') against a constant label (1 real, 0 fake), as DCGAN uses it.
 * Logs are clamped at −100 and the backward denominator at 1e−12, like PyTorch.
 */
public final class BCELoss {
    public static final float LOG_CLAMP = -100f;
    public static final float EPS = 1e-12f;

    private BCELoss() {}

    /**
     * BCE as a reduction over the batch, level 1: terms[i] = the BCE of p[i] against label (n work-items; the
     * logarithms are the costly part).
     */
    public static void forwardTerms(float[] p, float[] terms, float label, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float v = p[i];
            float logP = Math.max((float) Math.log(v), LOG_CLAMP);
            float log1mP = Math.max((float) Math.log(1f - v), LOG_CLAMP);
            terms[i] = -(label * logP + (1f - label) * log1mP);
        }
    }

    /**
     * Level 2: out[0] = mean of the terms (the loss), out[1] = mean of p (D(x) or D(G(z)) in the stats line), each
     * summed in index order by one work-item, so the result does not depend on scheduling.
     */
    public static void forwardSum(float[] terms, float[] p, float[] out, int n) {
        for (@Parallel int t = 0; t < 1; t++) {
            float loss = 0f, mean = 0f;
            for (int i = 0; i < n; i++) {
                loss += terms[i];
                mean += p[i];
            }
            out[0] = loss / n;
            out[1] = mean / n;
        }
    }

    /** dp = (p − label) / max(p(1 − p), 1e−12) / n. */
    public static void backward(float[] p, float[] dp, float label, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            float v = p[i];
            dp[i] = (v - label) / Math.max((1f - v) * v, EPS) / n;
        }
    }
}
