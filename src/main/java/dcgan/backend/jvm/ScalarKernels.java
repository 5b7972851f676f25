package dcgan.backend.jvm;

/**
 * {@link Kernels} in plain Java, for JVMs started without {@code --add-modules jdk.incubator.vector}.
 * Same packed formats as {@link VectorKernels} (with 8-float "vectors"); the JIT may auto-vectorise the
 * inner loops, but expect a fraction of the Vector API speed.
 */
final class ScalarKernels extends Kernels {
    ScalarKernels(int rows) {
        super(8, rows);
    }

    @Override String describe() {
        return "scalar kernels, " + mr + "x" + nr + " micro-kernel";
    }

    @Override
    void micro(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int v0, int v1,
               float[] c, int[] cRow, int cR0, int ldc, int w0, int w1, boolean acc) {
        microScalar(kc, ap, aOff, b, bRow, bR0, v0, v1, c, cRow, cR0, ldc, w0, w1, acc);
    }

    @Override
    void copy(float[] src, int s, float[] dst, int d, int len) {
        System.arraycopy(src, s, dst, d, len);
    }

    @Override
    void add(float[] src, int s, float[] dst, int d, int len) {
        for (int i = 0; i < len; i++) dst[d + i] += src[s + i];
    }
}
