package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * BatchNorm2d exactly as PyTorch: x, y: [n, c, hw]; per-channel gamma (weight), beta (bias).
 * Training: batch mean and biased variance normalise; running_mean/var move by momentum 0.1, the running
 * variance taking the unbiased estimate. Eval: the running statistics normalise.
 *
 * <p>Statistics are per channel: one parallel index owns one channel and sums over n·hw in two passes
 * (mean, then squared deviations) to avoid E[x²]−E[x]² cancellation. Each sum is taken per image first,
 * then over images, so float rounding grows with hw + n rather than n·hw (524,288 terms at batch 128, 64×64).
 */
public final class BatchNorm2d {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;

    private BatchNorm2d() {}

    /** mean[c], invstd[c] = 1/sqrt(var_biased + eps); updates runMean/runVar in place. */
    public static void stats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar,
                             int n, int c, int hw) {
        for (@Parallel int ch = 0; ch < c; ch++) {
            statsAt(ch, x, mean, invstd, runMean, runVar, n, c, hw);
        }
    }

    public static void statsAt(int ch, float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar,
                               int n, int c, int hw) {
        int count = n * hw;
        float sum = 0f;
        for (int b = 0; b < n; b++) {
            int base = (b * c + ch) * hw;
            float part = 0f;
            for (int j = 0; j < hw; j++) {
                part += x[base + j];
            }
            sum += part;
        }
        float mu = sum / count;
        float sq = 0f;
        for (int b = 0; b < n; b++) {
            int base = (b * c + ch) * hw;
            float part = 0f;
            for (int j = 0; j < hw; j++) {
                float d = x[base + j] - mu;
                part += d * d;
            }
            sq += part;
        }
        float var = sq / count;
        mean[ch] = mu;
        invstd[ch] = 1f / (float) Math.sqrt(var + EPS);
        runMean[ch] = runningMean(runMean[ch], mu);
        runVar[ch] = runningVar(runVar[ch], sq, count);
    }

    /**
     * The running-statistics rule, PyTorch's, in this one place (every backend uses it): the running mean
     * moves by momentum towards the batch mean, running = (1 - momentum) * running + momentum * mu.
     */
    public static float runningMean(float running, float mu) {
        return (1f - MOMENTUM) * running + MOMENTUM * mu;
    }

    /**
     * The running variance moves by momentum towards the batch's unbiased variance, sq / (count - 1), where sq is
     * the sum of squared deviations from the mean over count values (the biased sq / count when count is 1).
     */
    public static float runningVar(float running, float sq, int count) {
        float unbiased = count > 1 ? sq / (count - 1) : sq / count;
        return (1f - MOMENTUM) * running + MOMENTUM * unbiased;
    }

    /** y = (x − mean) · invstd · gamma + beta. */
    public static void normalizeAffine(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                 int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            y[i] = (x[i] - mean[ch]) * invstd[ch] * gamma[ch] + beta[ch];
        }
    }

    /**
     * Fused BatchNorm (training statistics) and its following ReLU (slope 0) or LeakyReLU (slope 0.2): one pass
     * instead of two, the same floats as {@link #normalizeAffine} then the activation.
     */
    public static void normalizeAffineLeaky(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                            float slope, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            float v = (x[i] - mean[ch]) * invstd[ch] * gamma[ch] + beta[ch];
            y[i] = v > 0f ? v : (slope == 0f ? 0f : v * slope);
        }
    }

    /** Eval mode: y = (x − runMean) / sqrt(runVar + eps) · gamma + beta. */
    public static void forwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta,
                                   int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            y[i] = (x[i] - runMean[ch]) / (float) Math.sqrt(runVar[ch] + EPS) * gamma[ch] + beta[ch];
        }
    }

    /**
     * Per-channel sums of the backward pass: sumDy[c] = Σ dy, sumDyXhat[c] = Σ dy·x̂; and the affine
     * gradients accumulate, like PyTorch's .grad: dgamma += sumDyXhat, dbeta += sumDy.
     */
    public static void backwardReduce(float[] x, float[] dy, float[] mean, float[] invstd,
                                      float[] sumDy, float[] sumDyXhat, float[] dgamma, float[] dbeta,
                                      int n, int c, int hw) {
        for (@Parallel int ch = 0; ch < c; ch++) {
            backwardReduceAt(ch, x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, c, hw);
        }
    }

    public static void backwardReduceAt(int ch, float[] x, float[] dy, float[] mean, float[] invstd,
                                        float[] sumDy, float[] sumDyXhat, float[] dgamma, float[] dbeta,
                                        int n, int c, int hw) {
        float mu = mean[ch], is = invstd[ch];
        float sdy = 0f, sdyx = 0f;
        for (int b = 0; b < n; b++) {
            int base = (b * c + ch) * hw;
            float partDy = 0f, partDyx = 0f;
            for (int j = 0; j < hw; j++) {
                float g = dy[base + j];
                partDy += g;
                partDyx += g * (x[base + j] - mu) * is;
            }
            sdy += partDy;
            sdyx += partDyx;
        }
        sumDy[ch] = sdy;
        sumDyXhat[ch] = sdyx;
        dgamma[ch] += sdyx;
        dbeta[ch] += sdy;
    }

    /** dx = gamma · invstd / N · (N·dy − Σdy − x̂·Σ(dy·x̂)), N = n·hw (training-mode batch statistics). */
    public static void backwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                     float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            float count = n * hw;
            float is = invstd[ch];
            float xhat = (x[i] - mean[ch]) * is;
            dx[i] = gamma[ch] * is / count * (count * dy[i] - sumDy[ch] - xhat * sumDyXhat[ch]);
        }
    }
}
