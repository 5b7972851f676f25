package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/**
 * torch.optim.Adam's single-tensor step (no weight decay, no amsgrad), one pass per tensor:
 * m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= stepSize · m / (sqrt(v) / sqrt(bc2) + eps),
 * where stepSize = lr / (1 − β1^t) and bc2 = 1 − β2^t.
 *
 * <p>The per-step scalars travel in {@code hp} (see {@link #hyper}) so that a device-resident training
 * loop only updates this small array between iterations.
 */
public final class Adam {
    public static final int BETA1 = 0, ONE_MINUS_BETA1 = 1, BETA2 = 2, ONE_MINUS_BETA2 = 3, EPS = 4, STEP_SIZE = 5,
            BC2_SQRT = 6, HP_LEN = 7;

    private Adam() {}

    /** Fills hp for step t (1-based), computing the bias corrections in double like PyTorch's Python floats. */
    public static void hyper(float[] hp, double lr, double beta1, double beta2, double eps, long t) {
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        hp[BETA1] = (float) beta1;
        hp[ONE_MINUS_BETA1] = (float) (1.0 - beta1);
        hp[BETA2] = (float) beta2;
        hp[ONE_MINUS_BETA2] = (float) (1.0 - beta2);
        hp[EPS] = (float) eps;
        hp[STEP_SIZE] = (float) (lr / bc1);
        hp[BC2_SQRT] = (float) Math.sqrt(bc2);
    }

    /**
     * The step on len floats from off: one tensor, or all of a net's tensors at once where its values, gradients and
     * moments each lie back to back in one buffer, at the same offsets.
     */
    public static void update(float[] param, float[] grad, float[] m, float[] v, float[] hp, int off, int len) {
        for (@Parallel int j = 0; j < len; j++) {
            stepAt(off + j, param, grad, m, v, hp);
        }
    }

    /**
     * The step on a whole net in one launch, as the TornadoVM backend keeps it: lenA floats of its weights (and
     * BatchNorm scales) in the a buffers, then lenB floats of its shifts in the b buffers.
     */
    public static void updateNet(float[] pa, float[] ga, float[] ma, float[] va, int lenA,
                                 float[] pb, float[] gb, float[] mb, float[] vb, int lenB, float[] hp) {
        for (@Parallel int i = 0; i < lenA + lenB; i++) {
            if (i < lenA) {
                stepAt(i, pa, ga, ma, va, hp);
            } else {
                stepAt(i - lenA, pb, gb, mb, vb, hp);
            }
        }
    }

    public static void stepAt(int i, float[] param, float[] grad, float[] m, float[] v, float[] hp) {
        float g = grad[i];
        float mi = m[i] * hp[0] + g * hp[1];
        float vi = v[i] * hp[2] + g * g * hp[3];
        m[i] = mi;
        v[i] = vi;
        float denom = (float) Math.sqrt(vi) / hp[6] + hp[4];
        param[i] = param[i] - hp[5] * (mi / denom);
    }
}
