package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Buffer initialisation on the device: zeroing gradients (PyTorch's zero_grad). */
public final class Fill {
    private Fill() {}

    public static void fill(float[] a, float value, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            a[i] = value;
        }
    }
}
