package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * nn.Linear(in, out): {@code y = x W^T + b}. x: [n, in] (an NCHW activation flattened per sample, as
 * {@code torch.flatten(x, 1)} gives it); weight: [out, in], PyTorch's layout; bias: [out]; y: [n, out].
 *
 * <p>Each kernel is one {@code @Parallel} loop over the elements it owns, with its per-element body a separate
 * static method (as {@link Conv2d}); every index sums its own output, in a fixed order. Weight and bias
 * gradients accumulate (+=), like PyTorch's .grad; the input gradient is overwritten. Weights, biases and their
 * gradients start at an offset into their arrays (see {@link Conv2d}).
 */
public final class Linear {
    private Linear() {}

    /** y = x W^T + b. */
    public static void forward(float[] x, float[] weight, int wOff, float[] bias, int bOff, float[] y, int n, int in, int out) {
        int total = n * out;
        for (@Parallel int i = 0; i < total; i++) {
            forwardAt(i, x, weight, wOff, bias, bOff, y, in, out);
        }
    }

    public static void forwardAt(int i, float[] x, float[] weight, int wOff, float[] bias, int bOff, float[] y, int in, int out) {
        int o = i % out, b = i / out;
        int xBase = b * in, wBase = wOff + o * in;
        float sum = 0f;
        for (int j = 0; j < in; j++) {
            sum += x[xBase + j] * weight[wBase + j];
        }
        y[i] = sum + bias[bOff + o];
    }

    /** dx = dy W (overwrites dx). */
    public static void backwardInput(float[] dy, float[] weight, int wOff, float[] dx, int n, int in, int out) {
        int total = n * in;
        for (@Parallel int i = 0; i < total; i++) {
            backwardInputAt(i, dy, weight, wOff, dx, in, out);
        }
    }

    public static void backwardInputAt(int i, float[] dy, float[] weight, int wOff, float[] dx, int in, int out) {
        int j = i % in, b = i / in;
        float sum = 0f;
        for (int o = 0; o < out; o++) {
            sum += dy[b * out + o] * weight[wOff + o * in + j];
        }
        dx[i] = sum;
    }

    /** dweight += dy^T x. */
    public static void backwardWeight(float[] x, float[] dy, float[] dweight, int dwOff, int n, int in, int out) {
        int total = out * in;
        for (@Parallel int i = 0; i < total; i++) {
            backwardWeightAt(i, x, dy, dweight, dwOff, n, in, out);
        }
    }

    public static void backwardWeightAt(int i, float[] x, float[] dy, float[] dweight, int dwOff, int n, int in, int out) {
        int j = i % in, o = i / in;
        float sum = 0f;
        for (int b = 0; b < n; b++) {
            sum += dy[b * out + o] * x[b * in + j];
        }
        dweight[dwOff + i] += sum;
    }

    /** dbias += the sum of dy over the batch. */
    public static void backwardBias(float[] dy, float[] dbias, int dbOff, int n, int out) {
        for (@Parallel int o = 0; o < out; o++) {
            float sum = 0f;
            for (int b = 0; b < n; b++) {
                sum += dy[b * out + o];
            }
            dbias[dbOff + o] += sum;
        }
    }
}
