package dcgan.backend.fast;

import java.util.Arrays;

/**
 * Cache-blocked single-precision GEMM on the micro-kernel: A prepacked into panels of the tile's rows holding all
 * of K ({@link #packARows}, {@link #packACols}, into the shared workspace), B packed per item into strips of the
 * tile's columns, one K block at a time; items are column ranges of C. Every element of C is summed by one
 * thread in an order fixed by the shapes (K blocks never depend on the thread count).
 */
final class Gemm {
    /**
     * Largest K block. With the panel-outer macro-kernel loop, 256..448 measured alike on the real
     * layers (160 and below lose 3-5% to C-tile traffic and per-block packing overheads).
     */
    static final int KB_MAX = 320;

    private final Kernels kern;
    private final Workers workers;
    private final Workspaces ws;
    /** The tile: rows of an A panel, columns of a B strip. */
    final int mr, nr;

    Gemm(Kernels kern, Workers workers, Workspaces ws) {
        this.kern = kern;
        this.workers = workers;
        this.ws = ws;
        this.mr = kern.mr;
        this.nr = kern.nr;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** K block size: at most KB_MAX, blocks of equal size, fixed by K alone (so results do not depend on threads). */
    static int kBlock(int k) {
        int blocks = ceilDiv(k, KB_MAX);
        return ceilDiv(k, blocks);
    }

    /** Floats of one prepacked A panel holding all of K (plus room for the 16-lane transpose stores). */
    int panelStride(int k) {
        return k * mr + 16;
    }

    /**
     * C (m x n, at cOff, row stride ldc) = or += op(A) op(B), row-major: op(A)(i, kk) is a[aOff + i*lda + kk],
     * or a[aOff + kk*lda + i] when transA; op(B)(kk, j) is b[bOff + kk*ldb + j], or b[bOff + j*ldb + kk] when transB.
     */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
               float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        float[] ap = transA ? packACols(a, aOff, lda, m, k) : packARows(a, aOff, lda, m, k);
        int nc = 8 * nr;
        workers.run(ceilDiv(n, nc), (item, slot) ->
                columns(ws.slot(slot), item * nc, nc, m, n, k, ap, b, bOff, ldb, transB, c, cOff, ldc, accumulate));
    }

    /** Columns [j0, j0 + nc) of C: B packed one K block at a time, then the macro-kernel over all A panels. */
    private void columns(Slot s, int j0, int nc, int m, int n, int k, float[] ap, float[] b, int bOff, int ldb, boolean transB,
                         float[] c, int cOff, int ldc, boolean acc) {
        int ncols = Math.min(nc, n - j0);
        int strips = ceilDiv(ncols, nr), width = strips * nr;
        int kb = kBlock(k);
        float[] bp = s.b(kb * width);
        int[] colOff = s.colOff(width);
        boolean[] fast = s.fast(strips);
        for (int j = 0; j < width; j++) colOff[j] = j < ncols ? cOff + j0 + j : -1;
        kern.markFast(colOff, fast, strips);
        int panels = ceilDiv(m, mr), ps = panelStride(k);
        for (int k0 = 0; k0 < k; k0 += kb) {
            int kc = Math.min(kb, k - k0);
            for (int q = 0; q < strips; q++) {
                int jq = j0 + q * nr, len = Math.min(nr, n - jq);
                int base = q * kc * nr;
                if (!transB) {
                    for (int kk = 0; kk < kc; kk++) kern.copy(b, bOff + (k0 + kk) * ldb + jq, bp, base + kk * nr, len);
                } else {
                    for (int r0 = 0; r0 < len; r0 += 16) {
                        for (int q0 = 0; q0 < kc; q0 += 16) {
                            kern.transpose(b, bOff + (jq + r0) * ldb + k0 + q0, ldb, bp, base + q0 * nr + r0, nr,
                                    Math.min(16, len - r0), Math.min(16, kc - q0), s.tt);
                        }
                    }
                }
            }
            kern.block(panels, m, ap, k0 * mr, ps, kc, bp, 0, strips, c, colOff, fast, ldc, acc || k0 > 0, s.scratch);
        }
    }

    /** Prepacks A (m x k row-major at aOff, lda) into panels of MR rows holding all of k; returns the panels. */
    float[] packARows(float[] a, int aOff, int lda, int m, int k) {
        int panels = ceilDiv(m, mr), ps = panelStride(k);
        float[] ap = ws.apack(panels * ps);
        workers.run(panels, (p, slot) -> {
            int rows = Math.min(mr, m - p * mr);
            int base = p * ps;
            if (rows < mr) kern.zero(ap, base, ps);
            for (int k0 = 0; k0 < k; k0 += 16) {
                int cols = Math.min(16, k - k0);
                kern.transpose(a, aOff + (p * mr) * lda + k0, lda, ap, base + k0 * mr, mr, rows, cols, ws.slot(slot).tt);
            }
        });
        return ap;
    }

    /** Prepacks A given transposed (k x m row-major at wOff, ldw): A(i, kk) = w[wOff + kk*ldw + i], panels of MR rows. */
    float[] packACols(float[] wt, int wOff, int ldw, int m, int k) {
        int panels = ceilDiv(m, mr), ps = panelStride(k);
        float[] ap = ws.apack(panels * ps);
        workers.run(panels, (p, slot) -> {
            int rows = Math.min(mr, m - p * mr), base = p * ps;
            if (rows < mr) kern.zero(ap, base, ps);
            for (int kk = 0; kk < k; kk++) kern.copy(wt, wOff + kk * ldw + p * mr, ap, base + kk * mr, rows);
        });
        return ap;
    }
}
