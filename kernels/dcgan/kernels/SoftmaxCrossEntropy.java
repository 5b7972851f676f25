package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * Softmax over classes and nn.CrossEntropyLoss(reduction='mean') on logits [n, k] against class labels, which
 * travel as floats holding whole numbers 0..k-1 (so that they live in the same kind of buffer as everything else;
 * callers check them). The loss is {@code mean_r (logsumexp(logits_r) - logits_r[label_r])}, computed from the
 * logits with the row maximum subtracted, so no probability underflows into a log of 0.
 */
public final class SoftmaxCrossEntropy {
    private SoftmaxCrossEntropy() {}

    /** probs[r] = softmax(logits[r]) for each of the n rows of k classes. */
    public static void softmax(float[] logits, float[] probs, int n, int k) {
        for (@Parallel int r = 0; r < n; r++) {
            softmaxAt(r, logits, probs, k);
        }
    }

    public static void softmaxAt(int r, float[] logits, float[] probs, int k) {
        int base = r * k;
        float max = logits[base];
        for (int c = 1; c < k; c++) {
            max = Math.max(max, logits[base + c]);
        }
        float sum = 0f;
        for (int c = 0; c < k; c++) {
            float e = (float) Math.exp(logits[base + c] - max);
            probs[base + c] = e;
            sum += e;
        }
        for (int c = 0; c < k; c++) {
            probs[base + c] = probs[base + c] / sum;
        }
    }

    /**
     * out[0] = the mean cross-entropy of the rows, out[1] = the share of rows whose largest logit (the first, on
     * ties) is their label's. One index owns both sums (a batch is small), which keeps the result deterministic.
     */
    public static void loss(float[] logits, float[] labels, float[] out, int n, int k) {
        for (@Parallel int t = 0; t < 1; t++) {
            float total = 0f, correct = 0f;
            for (int r = 0; r < n; r++) {
                int base = r * k;
                int label = (int) labels[r];
                float max = logits[base];
                int best = 0;
                for (int c = 1; c < k; c++) {
                    float v = logits[base + c];
                    if (v > max) {
                        max = v;
                        best = c;
                    }
                }
                float sum = 0f;
                for (int c = 0; c < k; c++) {
                    sum += (float) Math.exp(logits[base + c] - max);
                }
                total += (float) Math.log(sum) + max - logits[base + label];
                if (best == label) {
                    correct += 1f;
                }
            }
            out[0] = total / n;
            out[1] = correct / n;
        }
    }

    /** dlogits = (probs - onehot(label)) / n, the gradient of the mean loss (overwrites dlogits). */
    public static void backward(float[] probs, float[] labels, float[] dlogits, int n, int k) {
        int total = n * k;
        for (@Parallel int i = 0; i < total; i++) {
            backwardAt(i, probs, labels, dlogits, n, k);
        }
    }

    public static void backwardAt(int i, float[] probs, float[] labels, float[] dlogits, int n, int k) {
        int c = i % k, r = i / k;
        float target = (int) labels[r] == c ? 1f : 0f;
        dlogits[i] = (probs[i] - target) / n;
    }
}
