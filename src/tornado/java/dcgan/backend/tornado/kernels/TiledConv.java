package dcgan.backend.tornado.kernels;

import uk.ac.manchester.tornado.api.KernelContext;

/**
 * Conv2d forward as an implicit GEMM for GPUs, written with TornadoVM's {@link KernelContext}: y[m, n] = sum over
 * kk of A[m, kk] * B[n, kk], where m = (image, oy, ox) runs over the M = n·oh·ow output pixels, n over the N = cout
 * output channels and kk = (ci, ky, kx) over the K = cin·k² taps; A is the input patch of pixel m (never
 * materialised: read from x, zero outside the image), B the weights as they are stored ([cout][cin·k·k]).
 *
 * <p>A work-group of {@value #LX}×{@value #LY} work-items computes one {@value #TM}×{@value #TN} tile of y: each
 * K step loads a {@value #TK}×{@value #TM} slice of A and a {@value #TK}×{@value #TN} slice of B into local memory
 * (every work-item loads four elements of each, neighbouring work-items neighbouring pixels or taps), waits at a
 * barrier, and each work-item then adds the slice to its {@value #RM}×{@value #RN} accumulators (16 in registers),
 * for pixels tx, tx+16, tx+32, tx+48 and channels ty, ty+16, ty+32, ty+48 of the tile, so that neighbouring
 * work-items store neighbouring pixels. Rows and columns past M or N (G's last layer has N = 3) and taps past K are
 * loaded as zeros and never stored.
 *
 * <p>Every output is summed by one work-item over kk = 0, 1, ..., K-1, the order of {@code kernels/Conv2d.forward}
 * (ci, then ky, then kx); the taps that the reference skips (padding) add an exact zero here, so the sums are the
 * reference's up to the device's contraction of multiply-adds into FMAs.
 *
 * <p>Launch: a 2-D grid of ceil(M / {@value #TM})·{@value #LX} × ceil(N / {@value #TN})·{@value #LY} work-items with
 * local size {@value #LX}×{@value #LY} ({@link #globalX}, {@link #globalY}).
 *
 * <p>The weight starts at wOff in its array: the backend keeps each net's parameters in one buffer.
 */
public final class TiledConv {
    private TiledConv() {}

    /** Output pixels (rows of the GEMM) per work-group tile. */
    public static final int TM = 64;
    /** Output channels (columns) per work-group tile. */
    public static final int TN = 64;
    /** Taps per K step (the depth of the local-memory slices). */
    public static final int TK = 16;
    /** Accumulators per work-item: RM pixels × RN channels. */
    public static final int RM = 4, RN = 4;
    /** Local size: LX × LY work-items per group. */
    public static final int LX = TM / RM, LY = TN / RN;
    static final int THREADS = LX * LY;
    static final int A_TILE = TK * TM, B_TILE = TK * TN;
    /** Loads per work-item per K step, of A and of B. */
    static final int A_LOADS = A_TILE / THREADS, B_LOADS = B_TILE / THREADS;

    /** Global work-items along x (output pixels) for m output pixels. */
    public static int globalX(int m) {
        return (m + TM - 1) / TM * LX;
    }

    /** Global work-items along y (output channels) for n output channels. */
    public static int globalY(int n) {
        return (n + TN - 1) / TN * LY;
    }

    /** y = conv2d(x, weight), as {@code kernels/Conv2d.forward}; launch on {@link #globalX} × {@link #globalY}, local LX × LY. */
    public static void conv2dForward(KernelContext context, float[] x, float[] weight, int wOff, float[] y,
                                     int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        int ohw = oh * ow;
        int bigM = n * ohw, bigN = cout, kk2 = k * k, bigK = cin * kk2;
        int tx = context.localIdx, ty = context.localIdy;
        int tid = ty * LX + tx;
        int m0 = context.groupIdx * TM, n0 = context.groupIdy * TN;
        float[] as = context.allocateFloatLocalArray(A_TILE);
        float[] bs = context.allocateFloatLocalArray(B_TILE);

        // The one output pixel whose taps this work-item loads into the A slice, and its window's corner.
        int am = tid % TM, akFirst = tid / TM;
        int mA = m0 + am;
        boolean mValid = mA < bigM;
        int imgA = mA / ohw, pixA = mA - imgA * ohw;
        int oyA = pixA / ow, oxA = pixA - oyA * ow;
        int iy0 = oyA * s - p, ix0 = oxA * s - p;
        int xImage = imgA * cin * h * w;
        // The tap this work-item loads into the B slice, for channels bnFirst, bnFirst + THREADS / TK, ...
        int bk = tid % TK, bnFirst = tid / TK;

        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;

        for (int k0 = 0; k0 < bigK; k0 += TK) {
            for (int r = 0; r < A_LOADS; r++) {
                int kl = akFirst + r * (THREADS / TM);
                int kg = k0 + kl;
                float v = 0f;
                if (mValid && kg < bigK) {
                    int ci = kg / kk2;
                    int rem = kg - ci * kk2;
                    int ky = rem / k;
                    int kx = rem - ky * k;
                    int iy = iy0 + ky, ix = ix0 + kx;
                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                        v = x[xImage + (ci * h + iy) * w + ix];
                    }
                }
                as[kl * TM + am] = v;
            }
            for (int r = 0; r < B_LOADS; r++) {
                int nl = bnFirst + r * (THREADS / TK);
                int ng = n0 + nl, kg = k0 + bk;
                float v = 0f;
                if (ng < bigN && kg < bigK) {
                    v = weight[wOff + ng * bigK + kg];
                }
                bs[bk * TN + nl] = v;
            }
            context.localBarrier();
            for (int kk = 0; kk < TK; kk++) {
                int ab = kk * TM + tx, bb = kk * TN + ty;
                float a0 = as[ab], a1 = as[ab + LX], a2 = as[ab + 2 * LX], a3 = as[ab + 3 * LX];
                float b0 = bs[bb], b1 = bs[bb + LY], b2 = bs[bb + 2 * LY], b3 = bs[bb + 3 * LY];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c02 += a0 * b2;
                c03 += a0 * b3;
                c10 += a1 * b0;
                c11 += a1 * b1;
                c12 += a1 * b2;
                c13 += a1 * b3;
                c20 += a2 * b0;
                c21 += a2 * b1;
                c22 += a2 * b2;
                c23 += a2 * b3;
                c30 += a3 * b0;
                c31 += a3 * b1;
                c32 += a3 * b2;
                c33 += a3 * b3;
            }
            context.localBarrier();
        }

        int ma = m0 + tx;
        int nb = n0 + ty;
        store(y, ma, nb, c00, c01, c02, c03, bigM, bigN, ohw, cout);
        store(y, ma + LX, nb, c10, c11, c12, c13, bigM, bigN, ohw, cout);
        store(y, ma + 2 * LX, nb, c20, c21, c22, c23, bigM, bigN, ohw, cout);
        store(y, ma + 3 * LX, nb, c30, c31, c32, c33, bigM, bigN, ohw, cout);
    }

    /** Global work-items along y for the phase-split kernel: ⌈cOut / TN⌉ tiles of channels for each of the s² phases. */
    public static int phaseGlobalY(int cOut, int s) {
        return (cOut + TN - 1) / TN * s * s * LY;
    }

    /** Global work-items along x for the phase-split kernel: the largest phase's pixels, n·⌈hOut/s⌉·⌈wOut/s⌉. */
    public static int phaseGlobalX(int n, int hOut, int wOut, int s) {
        return globalX(n * ((hOut + s - 1) / s) * ((wOut + s - 1) / s));
    }

    /**
     * The phase-split transposed convolution: out[img, o, oy, ox] = Σ over in-channels j, then taps ky, then kx, of
     * in[img, j, iy, ix] · weight[j][o][ky][kx] with iy = (oy + p − ky) / s, ix = (ox + p − kx) / s, for the taps
     * where those divide exactly and land inside in (weight laid out [cIn][cOut][k][k]). That is both
     * {@code Conv2d.backwardInputPhase} (in = dy, out = dx, taps ascending: {@code descending} 0) and
     * {@code ConvTranspose2d.forwardPhase} (in = x, out = y, taps in its flipped order, ky and kx descending:
     * {@code descending} 1), summed in the order of each.
     *
     * <p>For output phase (oy mod s, ox mod s) the taps that can land are ky ≡ oy + p (mod s), the same for every
     * pixel of the phase: a dense GEMM with M = that phase's pixels, N = cOut, K = cIn · ⌈(k − ky0)/s⌉ · ⌈(k − kx0)/s⌉.
     * A work-group computes one 64 × 64 tile of one phase (groupIdy = phase · ⌈cOut/TN⌉ + channel tile) as
     * {@link #conv2dForward} does; taps that fall outside in (image edges) load an exact zero, which leaves the sum's
     * float unchanged, so the result is the reference kernel's.
     *
     * <p>in's size follows from out's: in is always the stride-s convolution of out's shape (hIn = (hOut + 2p − k)/s + 1,
     * for Conv2d's input gradient by definition and for ConvTranspose2d's forward with any output padding), which keeps
     * the task within TornadoVM's 15 arguments.
     */
    public static void transposedPhase(KernelContext context, float[] in, float[] weight, int wOff, float[] out,
                                       int n, int cIn, int cOut, int hOut, int wOut, int k, int s, int p, int descending) {
        int hIn = (hOut + 2 * p - k) / s + 1, wIn = (wOut + 2 * p - k) / s + 1;
        int nTiles = (cOut + TN - 1) / TN;
        int phase = context.groupIdy / nTiles;
        int n0 = (context.groupIdy - phase * nTiles) * TN;
        int py = phase / s, px = phase - py * s;
        int hq = (hOut - py + s - 1) / s, wq = (wOut - px + s - 1) / s;
        int hwq = hq * wq;
        int bigM = n * hwq, bigN = cOut;
        int hwqDiv = hwq > 0 ? hwq : 1, wqDiv = wq > 0 ? wq : 1;   // a phase with no pixels (hOut < s) divides by 1
        int ky0 = (py + p) % s, kx0 = (px + p) % s;
        int ta = ky0 < k ? (k - ky0 + s - 1) / s : 0;
        int tb = kx0 < k ? (k - kx0 + s - 1) / s : 0;
        int taps = ta * tb;
        int bigK = cIn * taps;
        int tx = context.localIdx, ty = context.localIdy;
        int tid = ty * LX + tx;
        int m0 = context.groupIdx * TM;
        float[] as = context.allocateFloatLocalArray(A_TILE);
        float[] bs = context.allocateFloatLocalArray(B_TILE);

        int am = tid % TM, akFirst = tid / TM;
        int mA = m0 + am;
        boolean mValid = mA < bigM;
        int imgA = mA / hwqDiv, qA = mA - imgA * hwqDiv;
        int qyA = qA / wqDiv, qxA = qA - qyA * wqDiv;
        int ty0 = py + s * qyA + p, tx0 = px + s * qxA + p;      // oy + p, ox + p
        int inImage = imgA * cIn * hIn * wIn;
        int bk = tid % TK, bnFirst = tid / TK;

        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;

        for (int k0 = 0; k0 < bigK; k0 += TK) {
            for (int r = 0; r < A_LOADS; r++) {
                int kl = akFirst + r * (THREADS / TM);
                int kg = k0 + kl;
                float v = 0f;
                if (mValid && kg < bigK) {
                    int j = kg / taps;
                    int rem = kg - j * taps;
                    int ia = rem / tb;
                    int ib = rem - ia * tb;
                    int ky = descending != 0 ? ky0 + s * (ta - 1 - ia) : ky0 + s * ia;
                    int kx = descending != 0 ? kx0 + s * (tb - 1 - ib) : kx0 + s * ib;
                    int tyy = ty0 - ky, txx = tx0 - kx;
                    if (tyy >= 0 && txx >= 0) {
                        int iy = tyy / s, ix = txx / s;
                        if (iy < hIn && ix < wIn) {
                            v = in[inImage + (j * hIn + iy) * wIn + ix];
                        }
                    }
                }
                as[kl * TM + am] = v;
            }
            for (int r = 0; r < B_LOADS; r++) {
                int nl = bnFirst + r * (THREADS / TK);
                int ng = n0 + nl, kg = k0 + bk;
                float v = 0f;
                if (ng < bigN && kg < bigK) {
                    int j = kg / taps;
                    int rem = kg - j * taps;
                    int ia = rem / tb;
                    int ib = rem - ia * tb;
                    int ky = descending != 0 ? ky0 + s * (ta - 1 - ia) : ky0 + s * ia;
                    int kx = descending != 0 ? kx0 + s * (tb - 1 - ib) : kx0 + s * ib;
                    v = weight[wOff + ((j * cOut + ng) * k + ky) * k + kx];
                }
                bs[bk * TN + nl] = v;
            }
            context.localBarrier();
            for (int kk = 0; kk < TK; kk++) {
                int ab = kk * TM + tx, bb = kk * TN + ty;
                float a0 = as[ab], a1 = as[ab + LX], a2 = as[ab + 2 * LX], a3 = as[ab + 3 * LX];
                float b0 = bs[bb], b1 = bs[bb + LY], b2 = bs[bb + 2 * LY], b3 = bs[bb + 3 * LY];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c02 += a0 * b2;
                c03 += a0 * b3;
                c10 += a1 * b0;
                c11 += a1 * b1;
                c12 += a1 * b2;
                c13 += a1 * b3;
                c20 += a2 * b0;
                c21 += a2 * b1;
                c22 += a2 * b2;
                c23 += a2 * b3;
                c30 += a3 * b0;
                c31 += a3 * b1;
                c32 += a3 * b2;
                c33 += a3 * b3;
            }
            context.localBarrier();
        }

        int nb = n0 + ty;
        storePhase(out, m0 + tx, nb, c00, c01, c02, c03, bigM, bigN, hwq, wq, py, px, s, hOut, wOut, cOut);
        storePhase(out, m0 + tx + LX, nb, c10, c11, c12, c13, bigM, bigN, hwq, wq, py, px, s, hOut, wOut, cOut);
        storePhase(out, m0 + tx + 2 * LX, nb, c20, c21, c22, c23, bigM, bigN, hwq, wq, py, px, s, hOut, wOut, cOut);
        storePhase(out, m0 + tx + 3 * LX, nb, c30, c31, c32, c33, bigM, bigN, hwq, wq, py, px, s, hOut, wOut, cOut);
    }

    /**
     * Conv2d's weight gradient, level 1, as a GEMM per image: part[b·W + co·cin·k² + kk] = image b's part of weight
     * (co, kk)'s gradient, Σ over the outputs (oy, ox) of dy[b, co, oy, ox] · x[b, ci, oy·s − p + ky, ox·s − p + kx]
     * (kk = (ci, ky, kx); W = cout·cin·k²): M = cout rows, N = cin·k² columns, K = oh·ow outputs of the image, summed in
     * row-major order as {@code Conv2d.backwardWeightImage} does (taps in the padding add an exact zero), so that
     * {@code Conv2d.backwardWeightSum} then gives the reference's floats. One image per slice of K: the launch is
     * ⌈cout/TM⌉·LX × n·⌈N/TN⌉·LY work-items (groupIdy = image · ⌈N/TN⌉ + column tile), enough work-groups for a GPU
     * even where cout and cin are small. Neighbouring work-items load neighbouring outputs (dy and x rows).
     */
    public static void weightGradientPartials(KernelContext context, float[] x, float[] dy, float[] part,
                                              int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        int ohw = oh * ow, kk2 = k * k;
        int bigM = cout, bigN = cin * kk2, bigK = ohw;
        int nTiles = (bigN + TN - 1) / TN;
        int img = context.groupIdy / nTiles;
        int n0 = (context.groupIdy - img * nTiles) * TN;
        int m0 = context.groupIdx * TM;
        int tx = context.localIdx, ty = context.localIdy;
        int tid = ty * LX + tx;
        float[] as = context.allocateFloatLocalArray(A_TILE);
        float[] bs = context.allocateFloatLocalArray(B_TILE);
        int dyImage = img * cout * ohw, xImage = img * cin * h * w;
        // this work-item loads output q = k0 + lk of rows (A: channels co) and columns (B: taps kk) lFirst, + 16, ...
        int lk = tid % TK, lFirst = tid / TK;

        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;

        for (int k0 = 0; k0 < bigK; k0 += TK) {
            int q = k0 + lk;
            int oy = q / ow, ox = q - (q / ow) * ow;
            for (int r = 0; r < A_LOADS; r++) {
                int ml = lFirst + r * (THREADS / TK);
                int mg = m0 + ml;
                float v = 0f;
                if (mg < bigM && q < bigK) {
                    v = dy[dyImage + mg * ohw + q];
                }
                as[lk * TM + ml] = v;
            }
            for (int r = 0; r < B_LOADS; r++) {
                int nl = lFirst + r * (THREADS / TK);
                int ng = n0 + nl;
                float v = 0f;
                if (ng < bigN && q < bigK) {
                    int ci = ng / kk2;
                    int rem = ng - ci * kk2;
                    int ky = rem / k;
                    int kx = rem - ky * k;
                    int iy = oy * s - p + ky, ix = ox * s - p + kx;
                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                        v = x[xImage + (ci * h + iy) * w + ix];
                    }
                }
                bs[lk * TN + nl] = v;
            }
            context.localBarrier();
            for (int kk = 0; kk < TK; kk++) {
                int ab = kk * TM + tx, bb = kk * TN + ty;
                float a0 = as[ab], a1 = as[ab + LX], a2 = as[ab + 2 * LX], a3 = as[ab + 3 * LX];
                float b0 = bs[bb], b1 = bs[bb + LY], b2 = bs[bb + 2 * LY], b3 = bs[bb + 3 * LY];
                c00 += a0 * b0;
                c01 += a0 * b1;
                c02 += a0 * b2;
                c03 += a0 * b3;
                c10 += a1 * b0;
                c11 += a1 * b1;
                c12 += a1 * b2;
                c13 += a1 * b3;
                c20 += a2 * b0;
                c21 += a2 * b1;
                c22 += a2 * b2;
                c23 += a2 * b3;
                c30 += a3 * b0;
                c31 += a3 * b1;
                c32 += a3 * b2;
                c33 += a3 * b3;
            }
            context.localBarrier();
        }

        int base = img * bigM * bigN, nb = n0 + ty;
        storeRow(part, base, m0 + tx, nb, c00, c01, c02, c03, bigM, bigN);
        storeRow(part, base, m0 + tx + LX, nb, c10, c11, c12, c13, bigM, bigN);
        storeRow(part, base, m0 + tx + 2 * LX, nb, c20, c21, c22, c23, bigM, bigN);
        storeRow(part, base, m0 + tx + 3 * LX, nb, c30, c31, c32, c33, bigM, bigN);
    }

    /** Global work-items along y for {@link #weightGradientPartials}: n images × ⌈cin·k² / TN⌉ column tiles. */
    public static int weightGlobalY(int n, int cin, int k) {
        return n * ((cin * k * k + TN - 1) / TN) * LY;
    }

    /** Stores row m's sums for columns nb, nb + LY, nb + 2·LY, nb + 3·LY of a row-major M × N block at base. */
    private static void storeRow(float[] out, int base, int m, int nb, float v0, float v1, float v2, float v3, int bigM, int bigN) {
        if (m < bigM) {
            int row = base + m * bigN;
            if (nb < bigN) out[row + nb] = v0;
            if (nb + LY < bigN) out[row + nb + LY] = v1;
            if (nb + 2 * LY < bigN) out[row + nb + 2 * LY] = v2;
            if (nb + 3 * LY < bigN) out[row + nb + 3 * LY] = v3;
        }
    }

    /** Stores phase pixel m's sums for channels nb, nb + LY, nb + 2·LY, nb + 3·LY, those inside M × N. */
    private static void storePhase(float[] out, int m, int nb, float v0, float v1, float v2, float v3, int bigM, int bigN,
                                   int hwq, int wq, int py, int px, int s, int hOut, int wOut, int cOut) {
        if (m < bigM) {
            int img = m / hwq, q = m - img * hwq;
            int qy = q / wq, qx = q - qy * wq;
            int plane = hOut * wOut;
            int base = img * cOut * plane + (py + s * qy) * wOut + px + s * qx;
            if (nb < bigN) out[base + nb * plane] = v0;
            if (nb + LY < bigN) out[base + (nb + LY) * plane] = v1;
            if (nb + 2 * LY < bigN) out[base + (nb + 2 * LY) * plane] = v2;
            if (nb + 3 * LY < bigN) out[base + (nb + 3 * LY) * plane] = v3;
        }
    }

    /** Stores pixel m's sums for channels nb, nb + LY, nb + 2·LY, nb + 3·LY, those inside M × N. */
    private static void store(float[] y, int m, int nb, float v0, float v1, float v2, float v3,
                              int bigM, int bigN, int ohw, int cout) {
        if (m < bigM) {
            int img = m / ohw, pix = m - img * ohw;
            int base = img * cout * ohw + pix;
            if (nb < bigN) y[base + nb * ohw] = v0;
            if (nb + LY < bigN) y[base + (nb + LY) * ohw] = v1;
            if (nb + 2 * LY < bigN) y[base + (nb + 2 * LY) * ohw] = v2;
            if (nb + 3 * LY < bigN) y[base + (nb + 3 * LY) * ohw] = v3;
        }
    }
}
