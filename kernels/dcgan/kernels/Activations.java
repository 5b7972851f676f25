package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Element-wise activations and their gradients. Backward passes read the forward output y, as PyTorch's in-place ones do. */
public final class Activations {
    public static final float LEAKY_SLOPE = 0.2f;

    private Activations() {}

    public static void reluForward(float[] x, float[] y, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    public static void reluBackward(float[] y, float[] dy, float[] dx, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            dx[i] = y[i] > 0f ? dy[i] : 0f;
        }
    }

    public static void leakyReluForward(float[] x, float[] y, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            float v = x[i];
            y[i] = v > 0f ? v : v * LEAKY_SLOPE;
        }
    }

    public static void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            dx[i] = y[i] > 0f ? dy[i] : dy[i] * LEAKY_SLOPE;
        }
    }

    public static void tanhForward(float[] x, float[] y, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    public static void tanhBackward(float[] y, float[] dy, float[] dx, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            float t = y[i];
            dx[i] = dy[i] * (1f - t * t);
        }
    }

    public static void sigmoidForward(float[] x, float[] y, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            y[i] = 1f / (1f + (float) Math.exp(-x[i]));
        }
    }

    public static void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            float s = y[i];
            dx[i] = dy[i] * s * (1f - s);
        }
    }
}
