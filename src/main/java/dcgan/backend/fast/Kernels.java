package dcgan.backend.fast;

/**
 * The inner loops of {@link FastBackend}: a register-blocked GEMM micro-kernel on packed panels and
 * the small copy/add/transpose loops the packing and the col2im steps need. Two implementations:
 * {@link VectorKernels} (jdk.incubator.vector, used when that module is in the boot layer) and
 * {@link ScalarKernels} (plain Java, same packing formats and same results up to float rounding).
 *
 * <p>Packed formats. A (the "M" operand) is cut into panels of {@link #mr} rows (the {@link Tile}'s); a panel holds, for each
 * k, its mr values contiguously: {@code ap[aOff + k*mr + i]} (rows past M are zero). B (the "N" operand)
 * is cut into strips of {@link #nr} columns; a strip holds, for each k, its nr values contiguously:
 * {@code bp[bOff + k*nr + j]} (columns past N are zero).
 *
 * <p>Every output element of a GEMM is summed by one thread over k in increasing order, one K block
 * after another, so results never depend on the thread count.
 */
abstract class Kernels {
    /** Floats per SIMD vector ({@code VL}); columns of the micro-tile (two vectors); rows of the micro-tile. */
    final int vl, nr, mr;
    /** ramp[k] = k * nr: the B row offsets of a packed strip, so packed and in-place B share one micro-kernel. */
    final int[] ramp;

    Kernels(int vl, int mr) {
        this.vl = vl;
        this.nr = 2 * vl;
        this.mr = mr;
        this.ramp = new int[1024];
        for (int k = 0; k < ramp.length; k++) ramp[k] = k * nr;
    }

    abstract String describe();

    /**
     * The micro-kernel, the one body every GEMM of the backend runs: an mr x nr tile of
     * sum_{k &lt; kc} A(i, k) B(k, j), A packed ({@code ap[aOff + k*mr + i]}), B row k read at
     * {@code b[bRow[bR0 + k] + v0 ..+vl)} and {@code b[bRow[bR0 + k] + v1 ..+vl)} (a packed strip through
     * {@link #ramp}, or im2col rows in place), C row i at {@code base(i) + w0} and {@code base(i) + w1} with
     * base(i) = i*ldc, or cRow[cR0 + i] when cRow is given (col2im straight into phase planes). acc adds to C,
     * else overwrites. Each element is summed over k in increasing order from zero, then stored or added.
     */
    abstract void micro(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int v0, int v1,
                        float[] c, int[] cRow, int cR0, int ldc, int w0, int w1, boolean acc);

    /** A tile from a packed B strip at bp[bOff] into C rows c0 + i*ldc (first vector) and c1 + i*ldc (second). */
    final void micro(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int c0, int c1, int ldc, boolean acc) {
        micro(kc, ap, aOff, bp, ramp, 0, bOff, bOff + vl, c, null, 0, ldc, c0, c1, acc);
    }

    /** A tile from a packed B strip added into scattered rows: row i to c[rowOff[r0 + i] + v0 ..] and [.. + v1 ..]. */
    final void microScatter(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int[] rowOff, int r0, int v0, int v1) {
        micro(kc, ap, aOff, bp, ramp, 0, bOff, bOff + vl, c, rowOff, r0, 0, v0, v1, true);
    }

    /** A tile with B read in place: row k at src[rowOff[r0 + k] + v0 ..] and [.. + v1 ..]; stored like the packed one. */
    final void microGather(int kc, float[] ap, int aOff, float[] src, int[] rowOff, int r0, int v0, int v1, float[] c, int c0, int c1,
                           int ldc, boolean acc) {
        micro(kc, ap, aOff, src, rowOff, r0, v0, v1, c, null, 0, ldc, c0, c1, acc);
    }

    /** dst[d .. d+len) = src[s .. s+len). */
    abstract void copy(float[] src, int s, float[] dst, int d, int len);

    /** dst[d .. d+len) += src[s .. s+len). */
    abstract void add(float[] src, int s, float[] dst, int d, int len);

    /** dst[d .. d+len) = 0. */
    void zero(float[] dst, int d, int len) {
        java.util.Arrays.fill(dst, d, d + len, 0f);
    }

    /**
     * Transposes a rows x cols block (rows, cols &lt;= 16): dst[d + c*dstStride + r] = src[s + r*srcStride + c].
     * May write dst up to 16 floats per destination row (values past rows are garbage), so callers
     * that pack rows &lt; 16 keep room after the last row. tmp: at least 512 floats of the caller's.
     */
    void transpose(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int cols, float[] tmp) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) dst[d + c * dstStride + r] = src[s + r * srcStride + c];
        }
    }

    /** dst[d + j] = src[s + stride*j] for j &lt; len (the stride-2 deinterleave of phase planes; any stride). */
    void gatherStrided(float[] src, int s, int stride, float[] dst, int d, int len) {
        for (int j = 0; j < len; j++) dst[d + j] = src[s + stride * j];
    }

    /** a[ao + j] = src[s + 2j], b[bo + j] = src[s + 2j + 1] for j &lt; pairs. */
    void deinterleave2(float[] src, int s, float[] a, int ao, float[] b, int bo, int pairs) {
        for (int j = 0; j < pairs; j++) {
            a[ao + j] = src[s + 2 * j];
            b[bo + j] = src[s + 2 * j + 1];
        }
    }

    /** dst[d + 2j] = a[ao + j], dst[d + 2j + 1] = b[bo + j] for j &lt; pairs. */
    void interleave2(float[] a, int ao, float[] b, int bo, float[] dst, int d, int pairs) {
        for (int j = 0; j < pairs; j++) {
            dst[d + 2 * j] = a[ao + j];
            dst[d + 2 * j + 1] = b[bo + j];
        }
    }

    /**
     * The macro-kernel: C += or = A B for panels [0, panels) of A (panel p at ap[aOff + p*aStride]) and
     * strips [0, strips) of B (strip q at bp[bOff + q*kc*nr]). Column j of the block lives at
     * c[colOff[j] + row*ldc] (colOff[j] &lt; 0: no such column); fast[q] says both vectors of strip q are
     * contiguous runs (then the tile is stored straight from registers); rows at or past mRows are dropped.
     * scratch holds at least mr*nr floats.
     */
    final void block(int panels, int mRows, float[] ap, int aOff, int aStride, int kc,
                     float[] bp, int bOff, int strips, float[] c, int[] colOff, boolean[] fast, int ldc,
                     boolean acc, float[] scratch) {
        block(panels, mRows, ap, aOff, aStride, kc, bp, bOff, kc * nr, strips, c, colOff, fast, ldc, acc, scratch);
    }

    /** As above, with strip q of B at bp[bOff + q*bStride]. */
    final void block(int panels, int mRows, float[] ap, int aOff, int aStride, int kc,
                     float[] bp, int bOff, int bStride, int strips, float[] c, int[] colOff, boolean[] fast, int ldc,
                     boolean acc, float[] scratch) {
        final int nr = this.nr, vl = this.vl, mr = this.mr;
        // panel-outer: the A micro-panel (mr x kc) stays in L1 while the B strips stream from L2
        for (int p = 0; p < panels; p++) {
            int rows = Math.min(mr, mRows - p * mr);
            int ao = aOff + p * aStride;
            int rowBase = p * mr * ldc;
            for (int q = 0; q < strips; q++) {
                int bo = bOff + q * bStride;
                int j0 = q * nr;
                if (rows == mr && fast[q]) {
                    micro(kc, ap, ao, bp, bo, c, colOff[j0] + rowBase, colOff[j0 + vl] + rowBase, ldc, acc);
                } else {
                    tile(kc, ap, ao, bp, bo, c, colOff, j0, rowBase, rows, ldc, acc, scratch, fast[q]);
                }
            }
        }
    }

    /** An edge tile: computed into scratch, then stored row by row (contiguous strips) or element by element. */
    private void tile(int kc, float[] ap, int ao, float[] bp, int bo, float[] c, int[] colOff, int j0, int rowBase, int rows,
                      int ldc, boolean acc, float[] scratch, boolean fastStrip) {
        micro(kc, ap, ao, bp, bo, scratch, 0, vl, nr, false);
        if (fastStrip) {
            int o0 = colOff[j0] + rowBase, o1 = colOff[j0 + vl] + rowBase;
            for (int i = 0; i < rows; i++) {
                if (acc) {
                    add(scratch, i * nr, c, o0 + i * ldc, vl);
                    add(scratch, i * nr + vl, c, o1 + i * ldc, vl);
                } else {
                    copy(scratch, i * nr, c, o0 + i * ldc, vl);
                    copy(scratch, i * nr + vl, c, o1 + i * ldc, vl);
                }
            }
            return;
        }
        for (int i = 0; i < rows; i++) {
            int ro = rowBase + i * ldc;
            for (int jj = 0; jj < nr; jj++) {
                int o = colOff[j0 + jj];
                if (o >= 0) {
                    float v = scratch[i * nr + jj];
                    c[o + ro] = acc ? c[o + ro] + v : v;
                }
            }
        }
    }

    /** Fills fast[q] for strips whose two vectors are each one contiguous run of valid columns. */
    final void markFast(int[] colOff, boolean[] fast, int strips) {
        for (int q = 0; q < strips; q++) {
            boolean f = true;
            int j0 = q * nr;
            for (int v = 0; v < 2 && f; v++) {
                int b = colOff[j0 + v * vl];
                if (b < 0) { f = false; break; }
                for (int l = 1; l < vl; l++) {
                    if (colOff[j0 + v * vl + l] != b + l) { f = false; break; }
                }
            }
            fast[q] = f;
        }
    }
}
