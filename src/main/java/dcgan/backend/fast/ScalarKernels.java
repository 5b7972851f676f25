package dcgan.backend.fast;

/**
 * {@link Kernels} in plain Java, for JVMs whose Vector API would not run as vector instructions (no
 * jdk.incubator.vector module, no C2, no FMA: see {@link VectorUnit#notCompiledReason()}). Same packed
 * formats as {@link VectorKernels}, with 8-float "vectors"; the micro-kernel is register-blocked in
 * scalars (3 rows x 4 columns, 12 accumulators, fits 16 registers).
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
        for (int i = 0; i < mr; i += 3) {
            for (int j = 0; j < 16; j += 4) {   // columns j..j+3: lanes of the first "vector", then the second
                int bj = j < 8 ? v0 + j : v1 + j - 8, cj = j < 8 ? w0 + j : w1 + j - 8;
                block3x4(kc, ap, aOff + i, b, bRow, bR0, bj, c, cRow, cR0, ldc, i, cj, acc);
            }
        }
    }

    /** Rows i..i+2, four consecutive columns: sums over k in increasing order, then stored or added. */
    private void block3x4(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int bj,
                          float[] c, int[] cRow, int cR0, int ldc, int i, int cj, boolean acc) {
        final int mr = this.mr;
        float s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s20 = 0, s21 = 0, s22 = 0, s23 = 0;
        for (int k = 0; k < kc; k++) {
            int bo = bRow[bR0 + k] + bj, ao = aOff + k * mr;
            float b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
            float a0 = ap[ao], a1 = ap[ao + 1], a2 = ap[ao + 2];
            s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
            s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
            s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
        }
        put4(c, (cRow == null ? i * ldc : cRow[cR0 + i]) + cj, s00, s01, s02, s03, acc);
        put4(c, (cRow == null ? (i + 1) * ldc : cRow[cR0 + i + 1]) + cj, s10, s11, s12, s13, acc);
        put4(c, (cRow == null ? (i + 2) * ldc : cRow[cR0 + i + 2]) + cj, s20, s21, s22, s23, acc);
    }

    private static void put4(float[] c, int o, float x0, float x1, float x2, float x3, boolean acc) {
        if (acc) {
            c[o] += x0; c[o + 1] += x1; c[o + 2] += x2; c[o + 3] += x3;
        } else {
            c[o] = x0; c[o + 1] = x1; c[o + 2] = x2; c[o + 3] = x3;
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
