package dcgan.backend.jvm;

/**
 * {@link Kernels} in plain Java, for JVMs started without {@code --add-modules jdk.incubator.vector}.
 * Same packed formats as {@link VectorKernels} (with 8-float "vectors"); the JIT may auto-vectorise the
 * inner loops, but expect a fraction of the Vector API speed.
 */
final class ScalarKernels extends Kernels {
    ScalarKernels() {
        super(8);
    }

    @Override String describe() {
        return "scalar fallback (no jdk.incubator.vector), " + MR + "x" + nr + " micro-kernel";
    }

    @Override
    void micro(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int c0, int c1, int ldc, boolean acc) {
        final int nr = this.nr, vl = this.vl;
        if (!acc) {
            for (int i = 0; i < MR; i++) {
                java.util.Arrays.fill(c, c0 + i * ldc, c0 + i * ldc + vl, 0f);
                java.util.Arrays.fill(c, c1 + i * ldc, c1 + i * ldc + vl, 0f);
            }
        }
        // Each element sums its k terms in order onto what C held (the vector kernel adds one block sum).
        for (int k = 0; k < kc; k++) {
            int bo = bOff + k * nr;
            for (int i = 0; i < MR; i++) {
                float a = ap[aOff + k * MR + i];
                int r0 = c0 + i * ldc, r1 = c1 + i * ldc;
                for (int j = 0; j < vl; j++) c[r0 + j] += a * bp[bo + j];
                for (int j = 0; j < vl; j++) c[r1 + j] += a * bp[bo + vl + j];
            }
        }
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
