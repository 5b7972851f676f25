package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * BatchNorm2d exactly as PyTorch: x, y: [n, c, hw]; per-channel gamma (weight), beta (bias).
 * Training: batch mean and biased variance normalise; running_mean/var move by momentum 0.1, the running
 * variance taking the unbiased estimate. Eval: the running statistics normalise.
 *
 * <p>The per-channel sums (statistics, and the backward pass's Σdy, Σdy·x̂) run in two levels, so that a GPU
 * has enough work-items: level 1 has one work-item per segment of {@value #SEGMENT} elements of each (image,
 * channel) plane (a whole plane when it has at most {@value #SEGMENT}; n·c·segments work-items, 16 Ki or more in
 * every BatchNorm of the tutorial's iteration at batch 128) writing its partial sums to a scratch buffer of
 * {@link #partialsLength} floats; level 2 has one work-item per channel adding that channel's partials in a fixed
 * order (image, then segment). Nothing depends on how the work-items are scheduled, so results are the same on
 * any number of threads or any device. Float rounding grows with the segment length plus the number of segments
 * per channel, rather than with n·hw (524,288 terms at batch 128, 64×64). The variance avoids E[x²]−E[x]²
 * cancellation: each segment sums its squared deviations from its own mean, and level 2 combines them with the
 * segments' means (Chan, Golub and LeVeque's pairwise update, taken in order).
 */
public final class BatchNorm2d {
    public static final float MOMENTUM = 0.1f;
    public static final float EPS = 1e-5f;
    /** Elements of a plane that one level-1 work-item sums. */
    public static final int SEGMENT = 256;

    private BatchNorm2d() {}

    /** Segments of a plane of hw elements: ceil(hw / {@value #SEGMENT}). */
    public static int segments(int hw) {
        return (hw + SEGMENT - 1) / SEGMENT;
    }

    /** Elements of segment seg of a plane of hw elements (the last one may be short). */
    public static int segmentLength(int hw, int seg) {
        int rest = hw - seg * SEGMENT;
        return rest < SEGMENT ? rest : SEGMENT;
    }

    /** Floats of the level-1 scratch buffer of {@link #statsPartials} and {@link #backwardPartials}: two per segment. */
    public static int partialsLength(int n, int c, int hw) {
        return 2 * n * c * segments(hw);
    }

    /**
     * Statistics, level 1. For segment j = (b·c + ch)·segs + seg of the planes: part[j] = its sum, part[P + j] = the sum
     * of its squared deviations from its own mean (P = n·c·segs).
     */
    public static void statsPartials(float[] x, float[] part, int n, int c, int hw) {
        int total = n * c * segments(hw);
        for (@Parallel int j = 0; j < total; j++) {
            statsPartialAt(j, x, part, total, hw);
        }
    }

    public static void statsPartialAt(int j, float[] x, float[] part, int total, int hw) {
        int segs = segments(hw);
        int seg = j % segs;
        int from = (j / segs) * hw + seg * SEGMENT;
        int len = segmentLength(hw, seg);
        float sum = 0f;
        for (int t = 0; t < len; t++) {
            sum += x[from + t];
        }
        float m = sum / len;
        float sq = 0f;
        for (int t = 0; t < len; t++) {
            float d = x[from + t] - m;
            sq += d * d;
        }
        part[j] = sum;
        part[total + j] = sq;
    }

    /**
     * Statistics, level 2: mean[c], invstd[c] = 1/sqrt(var_biased + eps) from the partials of {@link #statsPartials};
     * updates runMean/runVar in place. The sum of squared deviations from the batch mean is Σ (sq_j + len_j·(m_j − μ)²)
     * over the channel's segments j with means m_j.
     */
    public static void statsCombine(float[] part, float[] mean, float[] invstd, float[] runMean, float[] runVar,
                                    int n, int c, int hw) {
        for (@Parallel int ch = 0; ch < c; ch++) {
            statsCombineAt(ch, part, mean, invstd, runMean, runVar, n, c, hw);
        }
    }

    public static void statsCombineAt(int ch, float[] part, float[] mean, float[] invstd, float[] runMean, float[] runVar,
                                      int n, int c, int hw) {
        int segs = segments(hw);
        int total = n * c * segs;
        int count = n * hw;
        float sum = 0f;
        for (int b = 0; b < n; b++) {
            int j0 = (b * c + ch) * segs;
            for (int seg = 0; seg < segs; seg++) {
                sum += part[j0 + seg];
            }
        }
        float mu = sum / count;
        float sq = 0f;
        for (int b = 0; b < n; b++) {
            int j0 = (b * c + ch) * segs;
            for (int seg = 0; seg < segs; seg++) {
                int len = segmentLength(hw, seg);
                float d = part[j0 + seg] / len - mu;
                sq += part[total + j0 + seg] + len * d * d;
            }
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

    /**
     * y = (x − mean) · invstd · gamma + beta. Like every learned tensor here, gamma and beta (and their gradients) start at
     * an offset (gOff, bOff) into their arrays: the TornadoVM backend keeps a net's parameters in one buffer.
     */
    public static void normalizeAffine(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, int gOff,
                                       float[] beta, int bOff, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            y[i] = (x[i] - mean[ch]) * invstd[ch] * gamma[gOff + ch] + beta[bOff + ch];
        }
    }

    /**
     * Fused BatchNorm (training statistics) and its following ReLU (slope 0) or LeakyReLU (slope 0.2): one pass
     * instead of two, the same floats as {@link #normalizeAffine} then the activation.
     */
    public static void normalizeAffineLeaky(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, int gOff,
                                            float[] beta, int bOff, float slope, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            float v = (x[i] - mean[ch]) * invstd[ch] * gamma[gOff + ch] + beta[bOff + ch];
            y[i] = v > 0f ? v : (slope == 0f ? 0f : v * slope);
        }
    }

    /** Eval mode: y = (x − runMean) / sqrt(runVar + eps) · gamma + beta. */
    public static void forwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, int gOff,
                                   float[] beta, int bOff, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            y[i] = (x[i] - runMean[ch]) / (float) Math.sqrt(runVar[ch] + EPS) * gamma[gOff + ch] + beta[bOff + ch];
        }
    }

    /**
     * Backward, level 1: for segment j of the planes (as {@link #statsPartials}), part[j] = its Σ dy and part[P + j]
     * = its Σ dy·x̂, x̂ = (x − mean)·invstd.
     */
    public static void backwardPartials(float[] x, float[] dy, float[] mean, float[] invstd, float[] part,
                                        int n, int c, int hw) {
        int total = n * c * segments(hw);
        for (@Parallel int j = 0; j < total; j++) {
            backwardPartialAt(j, x, dy, mean, invstd, part, total, c, hw);
        }
    }

    public static void backwardPartialAt(int j, float[] x, float[] dy, float[] mean, float[] invstd, float[] part,
                                         int total, int c, int hw) {
        int segs = segments(hw);
        int seg = j % segs;
        int plane = j / segs;
        int ch = plane % c;
        int from = plane * hw + seg * SEGMENT;
        int len = segmentLength(hw, seg);
        float mu = mean[ch], is = invstd[ch];
        float partDy = 0f, partDyx = 0f;
        for (int t = 0; t < len; t++) {
            float g = dy[from + t];
            partDy += g;
            partDyx += g * (x[from + t] - mu) * is;
        }
        part[j] = partDy;
        part[total + j] = partDyx;
    }

    /**
     * Backward, level 2: the per-channel sums sumDy[c] = Σ dy, sumDyXhat[c] = Σ dy·x̂ from the partials of
     * {@link #backwardPartials}, added in order (image, then segment); and the affine gradients accumulate, like
     * PyTorch's .grad: dgamma += sumDyXhat, dbeta += sumDy.
     */
    public static void backwardCombine(float[] part, float[] sumDy, float[] sumDyXhat, float[] dgamma, int gOff,
                                       float[] dbeta, int bOff, int n, int c, int hw) {
        for (@Parallel int ch = 0; ch < c; ch++) {
            backwardCombineAt(ch, part, sumDy, sumDyXhat, dgamma, gOff, dbeta, bOff, n, c, hw);
        }
    }

    public static void backwardCombineAt(int ch, float[] part, float[] sumDy, float[] sumDyXhat, float[] dgamma, int gOff,
                                         float[] dbeta, int bOff, int n, int c, int hw) {
        int segs = segments(hw);
        int total = n * c * segs;
        float sdy = 0f, sdyx = 0f;
        for (int b = 0; b < n; b++) {
            int j0 = (b * c + ch) * segs;
            for (int seg = 0; seg < segs; seg++) {
                sdy += part[j0 + seg];
                sdyx += part[total + j0 + seg];
            }
        }
        sumDy[ch] = sdy;
        sumDyXhat[ch] = sdyx;
        dgamma[gOff + ch] += sdyx;
        dbeta[bOff + ch] += sdy;
    }

    /** dx = gamma · invstd / N · (N·dy − Σdy − x̂·Σ(dy·x̂)), N = n·hw (training-mode batch statistics). */
    public static void backwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma, int gOff,
                                     float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        int total = n * c * hw;
        for (@Parallel int i = 0; i < total; i++) {
            int ch = (i / hw) % c;
            float count = n * hw;
            float is = invstd[ch];
            float xhat = (x[i] - mean[ch]) * is;
            dx[i] = gamma[gOff + ch] * is / count * (count * dy[i] - sumDy[ch] - xhat * sumDyXhat[ch]);
        }
    }
}
