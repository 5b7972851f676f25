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
     * out[0] = mean BCE of p against label; out[1] = mean of p (D(x) or D(G(z)) in the stats line).
     * A single index owns both sums: the batch is small and this keeps the result deterministic.
     */
    public static void forward(float[] p, float[] out, float label, int n) {
        for (@Parallel int t = 0; t < 1; t++) {
            float loss = 0f, mean = 0f;
            for (int i = 0; i < n; i++) {
                float v = p[i];
                float logP = Math.max((float) Math.log(v), LOG_CLAMP);
                float log1mP = Math.max((float) Math.log(1f - v), LOG_CLAMP);
                loss += -(label * logP + (1f - label) * log1mP);
                mean += v;
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
