package dcgan.eval;

/**
 * The Inception Score (Salimans et al. 2016) of class probabilities p(y|x), n rows of k: per split,
 * {@code exp(mean_x KL(p(y|x) || p(y)))} with p(y) the split's mean of p(y|x); reported as the mean and the
 * population standard deviation over splits of consecutive rows, as the paper's code does ({@code np.std}). It is
 * 1 when every image gets the same distribution, and k at most (confident and evenly spread over the classes).
 * Computed in double; terms with p = 0 count 0.
 */
public final class InceptionScore {
    public static final int DEFAULT_SPLITS = 10;

    private InceptionScore() {}

    public record Result(double mean, double std, int splits) {}

    public static Result of(float[] probs, int n, int k, int splits) {
        if (k < 2) throw new IllegalArgumentException("the Inception Score needs at least 2 classes, got " + k);
        if ((long) n * k != probs.length) throw new IllegalArgumentException("probabilities hold " + probs.length + " values, not " + n + " x " + k);
        if (splits < 1) throw new IllegalArgumentException("the Inception Score needs at least 1 split, got " + splits);
        if (n < splits) throw new IllegalArgumentException("the Inception Score over " + splits + " splits needs at least " + splits + " images, got " + n);
        double[] scores = new double[splits];
        double[] py = new double[k];
        for (int s = 0; s < splits; s++) {
            int from = (int) ((long) s * n / splits), to = (int) ((long) (s + 1) * n / splits), m = to - from;
            java.util.Arrays.fill(py, 0);
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    float p = probs[i * k + c];
                    if (!(p >= 0 && p <= 1.0001f)) throw new IllegalArgumentException("class probability " + p + " of image " + i + " is not in [0, 1]");
                    py[c] += p;
                }
            }
            for (int c = 0; c < k; c++) py[c] /= m;
            double kl = 0;
            for (int i = from; i < to; i++) {
                for (int c = 0; c < k; c++) {
                    double p = probs[i * k + c];
                    if (p > 0) kl += p * (Math.log(p) - Math.log(py[c]));
                }
            }
            scores[s] = Math.exp(kl / m);
        }
        double mean = 0, var = 0;
        for (double v : scores) mean += v;
        mean /= splits;
        for (double v : scores) var += (v - mean) * (v - mean);
        return new Result(mean, Math.sqrt(var / splits), splits);
    }
}
