package dcgan.kernels;

import uk.ac.manchester.tornado.api.annotations.Parallel;

/** Buffer initialisation on the device: zeroing gradients (PyTorch's zero_grad), copies. */
public final class Fill {
    private Fill() {}

    /** a[off, off + len) = value. */
    public static void fill(float[] a, int off, float value, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            a[off + i] = value;
        }
    }

    /** a[0, lenA) = b[0, lenB) = value: a net's gradients in one launch (see {@link Adam#updateNet}). */
    public static void fillTwo(float[] a, int lenA, float[] b, int lenB, float value) {
        for (@Parallel int i = 0; i < lenA + lenB; i++) {
            if (i < lenA) {
                a[i] = value;
            } else {
                b[i - lenA] = value;
            }
        }
    }

    /** dst[0, len) = src[0, len): saving and restoring state on the device. */
    public static void copy(float[] src, float[] dst, int len) {
        for (@Parallel int i = 0; i < len; i++) {
            dst[i] = src[i];
        }
    }
}
