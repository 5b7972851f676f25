package dcgan.backend.jvm;

import dcgan.kernels.Activations;

/**
 * A faster CPU backend. The convolutions run as cache-blocked, register-blocked single-precision GEMMs:
 * A operands packed into panels of 12 rows, B operands into strips of two vectors, a 12 x 2-vector FMA
 * micro-kernel on jdk.incubator.vector (24 accumulators, 512-bit on AVX-512), work split into items that
 * the threads of {@link #par} claim one by one. BatchNorm, activations, Adam and fill are vectorised and
 * split over the threads too. Without the Vector API module, scalar kernels with the same structure run
 * (and the element-wise ops fall back to {@link JvmBackend}'s).
 *
 * <p>Convolutions, NCHW (see {@link Geo}: stride-phase planes make every im2col row over an output row
 * one contiguous run):
 * <ul>
 * <li>Conv2d forward: y[b] = W . im2col(x[b]); B packed from the phase planes, or read in place by the
 *     micro-kernel when output rows are whole vectors (implicit GEMM);
 * <li>Conv2d input gradient: W^T . dy[b], then col2im through the phase planes; fused into the
 *     micro-kernel's stores when output rows are whole vectors;
 * <li>Conv2d weight gradient: dW += dy . im2col(x)^T with channel-innermost planes (when cin % 16 == 0),
 *     the K dimension (all positions of the batch) either split into fixed per-image-group partial sums
 *     (small dW) or the N dimension (taps) split over threads (large dW);
 * <li>ConvTranspose2d: the adjoint of Conv2d (forward = Conv2d input gradient, input gradient = Conv2d
 *     forward, weight gradient = Conv2d weight gradient with x and dy swapped); layers whose window
 *     covers the whole input (1x1 output: D5, the generator's first layer) run as plain GEMMs.
 * </ul>
 *
 * <p>Results do not depend on the thread count: every output element is summed by one thread, in an
 * order fixed by the shapes alone (K blocks, image groups of split-K partials and their reduction order
 * never depend on threads). Workspaces grow on first use and are reused afterwards (only a few small task
 * objects are allocated per call, by {@link ParallelFor}). Not safe for concurrent calls (like
 * {@link JvmBackend}).
 *
 * <p>JIT note: the Vector API is fast only once C2 has compiled the kernels; interpreted or C1-compiled
 * Vector API code is one to two orders of magnitude slower, so the first calls (about one training
 * iteration) are slow. Keep the micro-kernels small: a method too big for C1 (tier 3 bails out with "out
 * of virtual registers") may run interpreted for a very long time.
 */
public class FastJvmBackend extends JvmBackend {
    final Kernels kern;
    /** Whether kern (and the element-wise code) use the Vector API. */
    private final boolean vector;
    private final Workers workers;
    private final Slot[] slots;
    private final Tile tile;
    private final int mr, nr;

    /** Shared workspace: prepacked A panels. */
    private float[] apack = new float[0];

    /** The backend on this JVM's {@link Tile#selected() tile}. */
    public FastJvmBackend(int threads) {
        this(threads, Tile.selected());
    }

    /** The backend on the given tile (its lanes must be the Vector API species' or 0 for the scalar kernels). */
    public FastJvmBackend(int threads, Tile tile) {
        super(threads);
        if (!tile.scalar() && !VectorUnit.MODULE) {
            throw new IllegalStateException("jdk.incubator.vector is not in the boot layer: start java with --add-modules jdk.incubator.vector");
        }
        this.kern = tile.scalar() ? new ScalarKernels(tile.rows()) : newVectorKernels(tile);
        this.tile = tile;
        this.vector = !tile.scalar();
        this.workers = new Workers(par);
        this.slots = new Slot[threads];
        this.mr = kern.mr;
        this.nr = kern.nr;
        for (int i = 0; i < threads; i++) slots[i] = new Slot(mr * nr);
    }

    private static Kernels newVectorKernels(Tile tile) {
        if (tile.lanes() != VectorKernels.VL) {
            throw new IllegalArgumentException("tile of " + tile.lanes() + " lanes, but the Vector API species has " + VectorKernels.VL);
        }
        return new VectorKernels(tile.rows());
    }

    /** Whether jdk.incubator.vector is in the boot layer (java ran with --add-modules jdk.incubator.vector). */
    public static boolean vectorApiAvailable() {
        return VectorUnit.MODULE;
    }

    public Tile tile() {
        return tile;
    }

    @Override public String name() {
        return "jvm";
    }

    /** BatchNorm then its activation in place, both vectorised and multi-threaded (the same floats as fused). */
    @Override
    public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                             float slope, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormNormalizeActivation(x, y, mean, invstd, gamma, beta, slope, n, c, hw);
            return;
        }
        batchNormNormalize(x, y, mean, invstd, gamma, beta, n, c, hw);
        if (slope == 0f) relu(y, y, n * c * hw);
        else elementwise(VectorElementwise.LRELU, y, null, y, slope, n * c * hw);
    }

    /** One line on the kernels in use. */
    public String kernelInfo() {
        return kern.describe() + ", " + threads() + " thread(s)";
    }

    /** E.g. "jvm (AVX2+FMA: 256-bit vectors (8 floats), 6x2-vector tile (6x16), 2 threads)". */
    @Override public String describe() {
        String why = tile.scalar() ? ": " + (Tile.scalarReason() != null ? Tile.scalarReason() : "scalar tile requested") : "";
        return name() + " (" + VectorUnit.isa() + ": " + tile.describe() + why + ", " + threads() + " thread" + (threads() == 1 ? "" : "s") + ")";
    }

    // ------------------------------------------------------------------------------------------------
    // Workspaces

    /** Per-thread workspaces. */
    static final class Slot {
        float[] b = new float[0];       // packed B block
        float[] pp = new float[0];      // phase planes of the item's images
        float[] dcol = new float[0];    // GEMM output before col2im
        float[] t = new float[0];       // small temporaries
        float[] a = new float[0];       // per-item packed A
        final float[] scratch;
        final float[] tt = new float[512];      // transpose temporary
        final float[] two = new float[2];
        final float[] t256 = new float[256];
        int[] posOff = new int[0];

        Slot(int tileFloats) {
            scratch = new float[tileFloats];
        }

        int[] posOff(int n) { if (posOff.length < n) posOff = new int[n]; return posOff; }

        long bytes() {
            return 4L * (b.length + pp.length + dcol.length + t.length + a.length + scratch.length + tt.length + two.length
                    + t256.length + colOff.length + seg.length + segStart.length + posOff.length) + fast.length;
        }
        int[] colOff = new int[0];
        boolean[] fast = new boolean[0];
        int[] seg = new int[0];         // segments: (srcOffset, dstOffset, length) triples
        int[] segStart = new int[0];    // first triple of each strip

        float[] b(int n) { if (b.length < n) b = new float[n]; return b; }
        float[] pp(int n) { if (pp.length < n) pp = new float[n]; return pp; }
        float[] dcol(int n) { if (dcol.length < n) dcol = new float[n]; return dcol; }
        float[] t(int n) { if (t.length < n) t = new float[n]; return t; }
        float[] a(int n) { if (a.length < n) a = new float[n]; return a; }
        int[] colOff(int n) { if (colOff.length < n) colOff = new int[n]; return colOff; }
        boolean[] fast(int n) { if (fast.length < n) fast = new boolean[n]; return fast; }
        int[] seg(int n) { if (seg.length < n) seg = new int[n]; return seg; }
        int[] segStart(int n) { if (segStart.length < n) segStart = new int[n]; return segStart; }
    }

    /** Bytes held in workspaces (they grow to the largest call seen and are then reused). */
    public long workspaceBytes() {
        long sum = 4L * (apack.length + ppAll.length + partial.length) + 4L * (geo.tapOff.length + geo.tapOffT.length);
        for (Slot s : slots) sum += s.bytes();
        return sum;
    }

    private float[] apack(int n) {
        if (apack.length < n) apack = new float[n];
        return apack;
    }

    static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /**
     * Largest K block. With the panel-outer macro-kernel loop, 256..448 measured alike on the real
     * layers (160 and below lose 3-5% to C-tile traffic and per-block packing overheads).
     */
    static final int KB_MAX = 320;

    /** K block size: at most KB_MAX, blocks of equal size, fixed by K alone (so results do not depend on threads). */
    static int kBlock(int k) {
        int blocks = ceilDiv(k, KB_MAX);
        return ceilDiv(k, blocks);
    }

    /** Floats of one prepacked A panel holding all of K (plus room for the 16-lane transpose stores). */
    int panelStride(int k) {
        return k * mr + 16;
    }

    // ------------------------------------------------------------------------------------------------
    // Plain row-major SGEMM, C (+)= A B; A m x k (lda), B k x n (ldb), C m x n (ldc).

    private final GemmJob gemmJob = new GemmJob();

    /** C = A B, or C += A B when accumulate; row-major with leading dimensions. */
    public void sgemm(int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        sgemm(false, false, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc, accumulate);
    }

    /**
     * C (m x n, at cOff, row stride ldc) = or += op(A) op(B), row-major: op(A)(i, kk) is a[aOff + i*lda + kk],
     * or a[aOff + kk*lda + i] when transA; op(B)(kk, j) is b[bOff + kk*ldb + j], or b[bOff + j*ldb + kk] when transB.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k <= 0) {
            if (!accumulate) for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            return;
        }
        if (transA) packACols(a, aOff, lda, m, k);
        else packARows(a, aOff, lda, m, k);
        GemmJob j = gemmJob;
        j.m = m; j.n = n; j.k = k; j.b = b; j.bOff = bOff; j.ldb = ldb; j.transB = transB;
        j.c = c; j.cOff = cOff; j.ldc = ldc; j.acc = accumulate;
        j.nc = 8 * nr;
        workers.run(ceilDiv(n, j.nc), j);
        j.b = null; j.c = null;
    }

    /** Prepacks A (m x k row-major at aOff, lda) into panels of MR rows holding all of k. */
    private void packARows(float[] a, int aOff, int lda, int m, int k) {
        int panels = ceilDiv(m, mr), ps = panelStride(k);
        float[] ap = apack(panels * ps);
        packAJob.set(a, aOff, lda, m, k, ap);
        workers.run(panels, packAJob);
    }

    private final PackAJob packAJob = new PackAJob();

    private final class PackAJob implements Workers.Job {
        float[] a, ap;
        int aOff, lda, m, k;

        void set(float[] a, int aOff, int lda, int m, int k, float[] ap) {
            this.a = a; this.aOff = aOff; this.lda = lda; this.m = m; this.k = k; this.ap = ap;
        }

        @Override public void item(int p, int slot) {
            int rows = Math.min(mr, m - p * mr), ps = panelStride(k);
            int base = p * ps;
            if (rows < mr) kern.zero(ap, base, ps);
            for (int k0 = 0; k0 < k; k0 += 16) {
                int cols = Math.min(16, k - k0);
                kern.transpose(a, aOff + (p * mr) * lda + k0, lda, ap, base + k0 * mr, mr, rows, cols, slots[slot].tt);
            }
        }
    }

    private final class GemmJob implements Workers.Job {
        int m, n, k, bOff, ldb, cOff, ldc, nc;
        float[] b, c;
        boolean acc, transB;

        @Override public void item(int item, int slot) {
            Slot s = slots[slot];
            int j0 = item * nc, ncols = Math.min(nc, n - j0);
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
                kern.block(panels, m, apack, k0 * mr, ps, kc, bp, 0, strips, c, colOff, fast, ldc, acc || k0 > 0, s.scratch);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Convolution geometry and phase planes

    /**
     * One Conv2d call's shapes. Phase planes: for stride s an image's zero-padded input is split into s*s
     * planes per channel, plane (py, px) holding padded pixels (s*i + py, s*j + px), i &lt; hp, j &lt; wp. The
     * im2col row of tap (ky, kx) over one output row is then a contiguous run of ow floats in plane
     * (ky % s, kx % s), starting at row oy + ky / s, column kx / s.
     */
    static final class Geo {
        int n, cin, h, w, cout, k, s, p, oh, ow, pos, taps, hp, wp, plane, ppImage;
        int[] tapOff = new int[0];
        /** For channel-innermost planes (cin % 16 == 0): offset of each group of 16 taps in (ky, kx, ci) order. */
        int[] tapOffT = new int[0];

        void setTapsT() {
            int groups = taps / 16;
            if (tapOffT.length < groups) tapOffT = new int[groups];
            for (int gi = 0; gi < groups; gi++) {
                int t = gi * 16, kk = t / cin, ci0 = t % cin, ky = kk / k, kx = kk % k;
                tapOffT[gi] = ((ky % s) * s + kx % s) * plane * cin + ((ky / s) * wp + kx / s) * cin + ci0;
            }
        }

        /** The window covers the whole input exactly once (1x1 output, no padding): im2col is x itself. */
        boolean fullWindow() {
            return oh == 1 && ow == 1 && p == 0 && h == k && w == k;
        }

        void set(int n, int cin, int h, int w, int cout, int k, int s, int p) {
            if (n < 0 || cin < 1 || cout < 1 || k < 1 || s < 1 || p < 0) {
                throw new IllegalArgumentException("bad conv shape n=" + n + " cin=" + cin + " cout=" + cout + " k=" + k + " s=" + s + " p=" + p);
            }
            this.n = n; this.cin = cin; this.h = h; this.w = w; this.cout = cout; this.k = k; this.s = s; this.p = p;
            this.oh = (h + 2 * p - k) / s + 1;
            this.ow = (w + 2 * p - k) / s + 1;
            if (oh < 1 || ow < 1) throw new IllegalArgumentException("conv output would be empty: h=" + h + " w=" + w + " k=" + k + " p=" + p);
            this.pos = oh * ow;
            this.taps = cin * k * k;
            this.hp = oh + (k - 1) / s;
            this.wp = ow + (k - 1) / s;
            this.plane = hp * wp;
            this.ppImage = cin * s * s * plane;
            if (fullWindow()) return;
            if (tapOff.length < taps) tapOff = new int[taps];
            for (int t = 0; t < taps; t++) {
                int kx = t % k, ky = (t / k) % k, ci = t / (k * k);
                tapOff[t] = ci * s * s * plane + ((ky % s) * s + kx % s) * plane + (ky / s) * wp + kx / s;
            }
        }
    }

    private final Geo geo = new Geo();

    /** Builds the phase planes of channels [c0, c1) of image b of x into dst at dOff (laid out per image). */
    private void buildPlanes(Geo g, float[] x, int b, int c0, int c1, float[] dst, int dOff) {
        final int s = g.s, wp = g.wp, hp = g.hp, plane = g.plane;
        if (s == 2) {
            buildPlanes2(g, x, b, c0, c1, dst, dOff);
            return;
        }
        for (int ci = c0; ci < c1; ci++) {
            int dc = dOff + ci * s * s * plane;
            for (int py = 0; py < s; py++) {
                for (int i = 0; i < hp; i++) {
                    for (int px = 0; px < s; px++) planeRow(g, x, b, ci, py, px, i, dst, dc + (py * s + px) * plane + i * wp);
                }
            }
        }
    }

    /**
     * Stride 2: each input row is split once into its even and odd pixels, which land in the two phase
     * planes of its row parity (pixel ix goes to plane (ix + p) % 2, column (ix + p) / 2).
     */
    private void buildPlanes2(Geo g, float[] x, int b, int c0, int c1, float[] dst, int dOff) {
        final int p = g.p, w = g.w, h = g.h, wp = g.wp, hp = g.hp, plane = g.plane;
        final int pxE = p % 2, jE = p / 2, pxO = (1 + p) % 2, jO = (1 + p) / 2;
        // how many even / odd pixels fit (a window wider than the planes drops its last pixels; never for p <= k-1)
        final int nE = Math.max(0, Math.min((w + 1) / 2, wp - jE)), nO = Math.max(0, Math.min(w / 2, wp - jO));
        final int pairs = Math.min(nE, nO);
        for (int ci = c0; ci < c1; ci++) {
            int dc = dOff + ci * 4 * plane, xc = (b * g.cin + ci) * h * w;
            for (int py = 0; py < 2; py++) {
                for (int i = 0; i < hp; i++) {
                    int iy = 2 * i + py - p;
                    int dE = dc + (py * 2 + pxE) * plane + i * wp, dO = dc + (py * 2 + pxO) * plane + i * wp;
                    if (iy < 0 || iy >= h) {
                        kern.zero(dst, dE, wp);
                        kern.zero(dst, dO, wp);
                        continue;
                    }
                    int src = xc + iy * w;
                    kern.deinterleave2(x, src, dst, dE + jE, dst, dO + jO, pairs);
                    for (int m = pairs; m < nE; m++) dst[dE + jE + m] = x[src + 2 * m];
                    for (int m = pairs; m < nO; m++) dst[dO + jO + m] = x[src + 2 * m + 1];
                    for (int j = 0; j < jE; j++) dst[dE + j] = 0f;
                    for (int j = jE + nE; j < wp; j++) dst[dE + j] = 0f;
                    for (int j = 0; j < jO; j++) dst[dO + j] = 0f;
                    for (int j = jO + nO; j < wp; j++) dst[dO + j] = 0f;
                }
            }
        }
    }

    /** Row i of phase plane (py, px) of channel ci of image b: wp floats at dst[d]. */
    private void planeRow(Geo g, float[] x, int b, int ci, int py, int px, int i, float[] dst, int d) {
        final int s = g.s, p = g.p, w = g.w, h = g.h, wp = g.wp;
        int iy = s * i + py - p;
        if (iy < 0 || iy >= h) {
            kern.zero(dst, d, wp);
            return;
        }
        int jlo = px >= p ? 0 : ceilDiv(p - px, s);
        int jhi = Math.min(wp, Math.floorDiv(w - 1 + p - px, s) + 1);
        if (jhi <= jlo) {
            kern.zero(dst, d, wp);
            return;
        }
        for (int j = 0; j < jlo; j++) dst[d + j] = 0f;
        int src = ((b * g.cin + ci) * h + iy) * w + s * jlo + px - p;
        if (s == 1) kern.copy(x, src, dst, d + jlo, jhi - jlo);
        else kern.gatherStrided(x, src, s, dst, d + jlo, jhi - jlo);
        for (int j = jhi; j < wp; j++) dst[d + j] = 0f;
    }

    /**
     * Channel-innermost phase planes of image b (needs cin % 16 == 0): dst[dOff + ((ph*hp + i)*wp + j)*cin + ci]
     * for phase ph = py*s + px. The im2col^T row of a position then holds, for each tap (ky, kx), cin
     * contiguous floats. Built 16 channels at a time as ordinary planes in tmp (16 * s*s * plane floats),
     * then transposed.
     */
    private void buildPlanesT(Geo g, float[] x, int b, float[] dst, int dOff, float[] tmp, float[] tt) {
        final int s = g.s, wp = g.wp, hp = g.hp, cin = g.cin, plane = g.plane, chan = s * s * plane;
        for (int c0 = 0; c0 < cin; c0 += 16) {
            buildPlanes(g, x, b, c0, c0 + 16, tmp, -c0 * chan);
            for (int ph = 0; ph < s * s; ph++) {
                for (int i = 0; i < hp; i++) {
                    int src = ph * plane + i * wp, d = dOff + (ph * hp + i) * wp * cin + c0;
                    for (int j0 = 0; j0 < wp; j0 += 16) {
                        kern.transpose(tmp, src + j0, chan, dst, d + j0 * cin, cin, 16, Math.min(16, wp - j0), tt);
                    }
                }
            }
        }
    }

    /** dx[b] channels [c0, c1) = the pixels of the phase planes at src (the inverse of buildPlanes; unused pixels get 0). */
    private void planesToImage(Geo g, float[] src, int sOff, float[] dx, int b, int c0, int c1) {
        final int s = g.s, p = g.p, w = g.w, h = g.h, wp = g.wp, hp = g.hp, plane = g.plane;
        for (int ci = c0; ci < c1; ci++) {
            int xc = (b * g.cin + ci) * h * w;
            int sc = sOff + ci * s * s * plane;
            for (int iy = 0; iy < h; iy++) {
                int i = (iy + p) / s, py = (iy + p) % s;
                int d = xc + iy * w;
                if (i >= hp) {
                    kern.zero(dx, d, w);
                    continue;
                }
                int rowBase = sc + py * s * plane + i * wp;
                if (s == 1) {
                    int len = Math.min(w, wp - p);
                    kern.copy(src, rowBase + p, dx, d, len);
                    for (int ix = len; ix < w; ix++) dx[d + ix] = 0f;
                } else if (s == 2) {
                    // ix = 2m + e reads plane (e + p) % 2, column (e + p) / 2 + m
                    int pxA = p % 2, jA = p / 2, pxB = (1 + p) % 2, jB = (1 + p) / 2;
                    int pairs = Math.min(w / 2, Math.min(wp - jA, wp - jB));
                    if (pairs < 0) pairs = 0;
                    kern.interleave2(src, rowBase + pxA * plane + jA, src, rowBase + pxB * plane + jB, dx, d, pairs);
                    for (int ix = 2 * pairs; ix < w; ix++) {
                        int j = (ix + p) / 2, px = (ix + p) % 2;
                        dx[d + ix] = j < wp ? src[rowBase + px * plane + j] : 0f;
                    }
                } else {
                    for (int ix = 0; ix < w; ix++) {
                        int j = (ix + p) / s, px = (ix + p) % s;
                        dx[d + ix] = j < wp ? src[rowBase + px * plane + j] : 0f;
                    }
                }
            }
        }
    }

    /**
     * Splits positions [j0, j0 + count) of the batch (position = b*pos + oy*ow + ox) into runs that are
     * contiguous in the source: one run per (image, output row) when byRow, else per image. Writes triples
     * (source offset b*imgStride + oy*rowStride + ox, destination offset from dBase, length) from seg[at]
     * and returns the index after the last triple.
     */
    private static int segments(int j0, int count, int pos, int ow, boolean byRow, int imgStride, int rowStride,
                                int dBase, int[] seg, int at) {
        int j = j0, end = j0 + count;
        while (j < end) {
            int b = j / pos, q = j - b * pos;
            int oy = q / ow, ox = q - oy * ow;
            int len = byRow ? Math.min(ow - ox, end - j) : Math.min(pos - q, end - j);
            seg[at] = byRow ? b * imgStride + oy * rowStride + ox : b * imgStride + q;
            seg[at + 1] = dBase + (j - j0);
            seg[at + 2] = len;
            at += 3;
            j += len;
        }
        return at;
    }

    // ------------------------------------------------------------------------------------------------
    // Conv2d forward: y[b] (cout x pos) = W (cout x taps) . im2col(x[b]) (taps x pos)

    private final ConvFwdJob convFwdJob = new ConvFwdJob();

    @Override
    public void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        Geo g = geo;
        g.set(n, cin, h, w, cout, k, s, p);
        if (n == 0) return;
        if (g.fullWindow()) {   // y (n x cout) = x (n x taps) . W^T
            sgemm(false, true, n, cout, g.taps, x, 0, g.taps, weight, 0, g.taps, y, 0, cout, false);
            return;
        }
        packARows(weight, 0, g.taps, cout, g.taps);
        ConvFwdJob j = convFwdJob;
        j.x = x; j.y = y; j.g = g;
        j.imgs = Math.max(1, Math.min(n, 256 / g.pos));
        workers.run(ceilDiv(n, j.imgs), j);
        j.x = null; j.y = null;
    }

    private final class ConvFwdJob implements Workers.Job {
        float[] x, y;
        Geo g;
        int imgs;

        @Override public void item(int item, int slot) {
            Slot sl = slots[slot];
            Geo g = this.g;
            int b0 = item * imgs, nb = Math.min(imgs, g.n - b0);
            int npos = nb * g.pos, strips = ceilDiv(npos, nr), width = strips * nr;
            float[] pp = sl.pp(nb * g.ppImage);
            for (int bl = 0; bl < nb; bl++) buildPlanes(g, x, b0 + bl, 0, g.cin, pp, bl * g.ppImage);
            // segments per strip, column offsets into y
            int[] seg = sl.seg(3 * (width + strips) + 3);
            int[] segStart = sl.segStart(strips + 1);
            int[] colOff = sl.colOff(width);
            int at = 0;
            for (int q = 0; q < strips; q++) {
                segStart[q] = at;
                int jq = q * nr, cnt = Math.min(nr, npos - jq);
                at = segments(jq, cnt, g.pos, g.ow, true, g.ppImage, g.wp, 0, seg, at);
            }
            segStart[strips] = at;
            for (int jj = 0; jj < width; jj++) {
                if (jj < npos) {
                    int bl = jj / g.pos, q = jj - bl * g.pos;
                    colOff[jj] = (b0 + bl) * g.cout * g.pos + q;
                } else {
                    colOff[jj] = -1;
                }
            }
            boolean[] fast = sl.fast(strips);
            kern.markFast(colOff, fast, strips);
            int kb = kBlock(g.taps), ps = panelStride(g.taps), panels = ceilDiv(g.cout, mr);
            int[] tapOff = g.tapOff;
            if (g.ow % kern.vl == 0 && npos % nr == 0) {
                // implicit GEMM: each vector of a strip is one run of an output row in the planes, so the
                // micro-kernel reads B in place (row k at tapOff[k] + the run's offset), no packing
                int[] runOff = sl.posOff(2 * strips);
                for (int jj = 0; jj < 2 * strips; jj++) {
                    int j = jj * kern.vl, bl = j / g.pos, q = j - bl * g.pos, oy = q / g.ow, ox = q - oy * g.ow;
                    runOff[jj] = bl * g.ppImage + oy * g.wp + ox;
                }
                for (int k0 = 0; k0 < g.taps; k0 += kb) {
                    int kc = Math.min(kb, g.taps - k0);
                    for (int pn = 0; pn < panels; pn++) {
                        int rows = Math.min(mr, g.cout - pn * mr), ao = pn * ps + k0 * mr, rowBase = pn * mr * g.pos;
                        for (int q = 0; q < strips; q++) {
                            int c0 = colOff[q * nr] + rowBase, c1 = colOff[q * nr + kern.vl] + rowBase;
                            if (rows == mr) {
                                kern.microGather(kc, apack, ao, pp, tapOff, k0, runOff[2 * q], runOff[2 * q + 1], y, c0, c1, g.pos, k0 > 0);
                            } else {
                                float[] sc = sl.scratch;
                                kern.microGather(kc, apack, ao, pp, tapOff, k0, runOff[2 * q], runOff[2 * q + 1], sc, 0, kern.vl, nr, false);
                                for (int i = 0; i < rows; i++) {
                                    if (k0 > 0) {
                                        kern.add(sc, i * nr, y, c0 + i * g.pos, kern.vl);
                                        kern.add(sc, i * nr + kern.vl, y, c1 + i * g.pos, kern.vl);
                                    } else {
                                        kern.copy(sc, i * nr, y, c0 + i * g.pos, kern.vl);
                                        kern.copy(sc, i * nr + kern.vl, y, c1 + i * g.pos, kern.vl);
                                    }
                                }
                            }
                        }
                    }
                }
                return;
            }
            float[] bp = sl.b(kb * width);
            for (int k0 = 0; k0 < g.taps; k0 += kb) {
                int kc = Math.min(kb, g.taps - k0);
                // tap-major: the runs of one tap over consecutive strips are consecutive in the planes
                int bStride = kc * nr;
                for (int t = 0; t < kc; t++) {
                    int to = tapOff[k0 + t];
                    for (int q = 0, row = t * nr; q < strips; q++, row += bStride) {
                        for (int a = segStart[q], s1 = segStart[q + 1]; a < s1; a += 3) {
                            kern.copy(pp, seg[a] + to, bp, row + seg[a + 1], seg[a + 2]);
                        }
                    }
                }
                kern.block(panels, g.cout, apack, k0 * mr, ps, kc, bp, 0, bStride, strips, y, colOff, fast, g.pos, k0 > 0, sl.scratch);
            }
        }
    }

    /** Prepacks A given transposed (k x m row-major at wOff, ldw): A(i, kk) = w[wOff + kk*ldw + i], panels of MR rows. */
    private void packACols(float[] wt, int wOff, int ldw, int m, int k) {
        int panels = ceilDiv(m, mr), ps = panelStride(k);
        float[] ap = apack(panels * ps);
        packATJob.set(wt, wOff, ldw, m, k, ap);
        workers.run(panels, packATJob);
    }

    private final PackATJob packATJob = new PackATJob();

    private final class PackATJob implements Workers.Job {
        float[] w, ap;
        int wOff, ldw, m, k;

        void set(float[] w, int wOff, int ldw, int m, int k, float[] ap) {
            this.w = w; this.wOff = wOff; this.ldw = ldw; this.m = m; this.k = k; this.ap = ap;
        }

        @Override public void item(int p, int slot) {
            int rows = Math.min(mr, m - p * mr), base = p * panelStride(k);
            if (rows < mr) kern.zero(ap, base, panelStride(k));
            for (int kk = 0; kk < k; kk++) kern.copy(w, wOff + kk * ldw + p * mr, ap, base + kk * mr, rows);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Conv2d backward input: dcol[b] (taps x pos) = W^T (taps x cout) . dy[b] (cout x pos); dx[b] = col2im(dcol[b])

    private final ConvBwdInJob convBwdInJob = new ConvBwdInJob();

    @Override
    public void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        Geo g = geo;
        g.set(n, cin, h, w, cout, k, s, p);
        if (n == 0) return;
        if (g.fullWindow()) {   // 1x1 output, window = whole input: dx (n x taps) = dy (n x cout) . W (cout x taps)
            sgemm(false, false, n, g.taps, cout, dy, 0, cout, weight, 0, g.taps, dx, 0, g.taps, false);
            return;
        }
        packACols(weight, 0, g.taps, g.taps, cout);
        ConvBwdInJob j = convBwdInJob;
        j.dy = dy; j.dx = dx; j.g = g;
        j.imgs = Math.max(1, Math.min(n, 256 / g.pos));
        workers.run(ceilDiv(n, j.imgs), j);
        j.dy = null; j.dx = null;
    }

    /** Rows of dcol per M block: whole input channels (k*k taps each) and whole MR panels. */
    private int mBlock(int k, int taps) {
        int kk = k * k, unit = kk / gcd(kk, mr) * mr;
        return Math.min(unit * Math.max(1, 144 / unit), ceilDiv(taps, unit) * unit);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private final class ConvBwdInJob implements Workers.Job {
        float[] dy, dx;
        Geo g;
        int imgs;

        @Override public void item(int item, int slot) {
            Slot sl = slots[slot];
            Geo g = this.g;
            final int pos = g.pos, cout = g.cout, taps = g.taps, kk = g.k * g.k, ow = g.ow, wp = g.wp;
            int b0 = item * imgs, nb = Math.min(imgs, g.n - b0);
            int npos = nb * pos, strips = ceilDiv(npos, nr), width = strips * nr;
            // pack B = dy[b0 .. b0+nb) as (cout x npos), all K blocks
            int[] seg = sl.seg(3 * (width + strips) + 3);
            int[] segStart = sl.segStart(strips + 1);
            int at = 0;
            for (int q = 0; q < strips; q++) {
                segStart[q] = at;
                int jq = q * nr;
                at = segments(jq, Math.min(nr, npos - jq), pos, ow, false, cout * pos, 0, 0, seg, at);
            }
            segStart[strips] = at;
            int kb = kBlock(cout);
            float[] bp = sl.b(cout * width);
            int dyBase = b0 * cout * pos;
            for (int k0 = 0; k0 < cout; k0 += kb) {
                int kc = Math.min(kb, cout - k0);
                for (int q = 0; q < strips; q++) {
                    int base = k0 * width + q * kc * nr, s0 = segStart[q], s1 = segStart[q + 1];
                    for (int co = 0; co < kc; co++) {
                        int row = base + co * nr, so = dyBase + (k0 + co) * pos;
                        for (int a = s0; a < s1; a += 3) kern.copy(dy, so + seg[a], bp, row + seg[a + 1], seg[a + 2]);
                    }
                }
            }
            int[] colOff = sl.colOff(width);
            int ps = panelStride(cout);
            float[] pp = sl.pp(nb * g.ppImage);
            int[] tapOff = g.tapOff;
            final int vl = kern.vl;
            if (ow % vl == 0 && npos % nr == 0) {
                // col2im fused into the GEMM: each vector of a strip is one run of an output row, so tile row
                // (tap) t adds straight into the phase planes at tapOff[t] + the run's offset
                for (int jj = 0; jj < 2 * strips; jj++) {
                    int j = jj * vl, bl = j / pos, q = j - bl * pos, oy = q / ow, ox = q - oy * ow;
                    colOff[jj] = bl * g.ppImage + oy * wp + ox;
                }
                kern.zero(pp, 0, nb * g.ppImage);
                int panels = ceilDiv(taps, mr);
                float[] scratch = sl.scratch;
                for (int k0 = 0; k0 < cout; k0 += kb) {
                    int kc = Math.min(kb, cout - k0);
                    for (int pn = 0; pn < panels; pn++) {
                        int rows = Math.min(mr, taps - pn * mr), ao = pn * ps + k0 * mr;
                        for (int q = 0; q < strips; q++) {
                            int bo = k0 * width + q * kc * nr, v0 = colOff[2 * q], v1 = colOff[2 * q + 1];
                            if (rows == mr) {
                                kern.microScatter(kc, apack, ao, bp, bo, pp, tapOff, pn * mr, v0, v1);
                            } else {
                                kern.micro(kc, apack, ao, bp, bo, scratch, 0, vl, nr, false);
                                for (int i = 0; i < rows; i++) {
                                    int o = tapOff[pn * mr + i];
                                    kern.add(scratch, i * nr, pp, o + v0, vl);
                                    kern.add(scratch, i * nr + vl, pp, o + v1, vl);
                                }
                            }
                        }
                    }
                }
                for (int bl = 0; bl < nb; bl++) planesToImage(g, pp, bl * g.ppImage, dx, b0 + bl, 0, g.cin);
                return;
            }
            for (int jj = 0; jj < width; jj++) colOff[jj] = jj < npos ? jj : -1;
            boolean[] fast = sl.fast(strips);
            kern.markFast(colOff, fast, strips);
            int mb = mBlock(g.k, taps);
            float[] dcol = sl.dcol(mb * width);
            int chanPlanes = g.s * g.s * g.plane;
            for (int m0 = 0; m0 < taps; m0 += mb) {
                int mcv = Math.min(mb, taps - m0), panels = ceilDiv(mcv, mr), p0 = m0 / mr;
                for (int k0 = 0; k0 < cout; k0 += kb) {
                    int kc = Math.min(kb, cout - k0);
                    kern.block(panels, mcv, apack, p0 * ps + k0 * mr, ps, kc, bp, k0 * width, strips, dcol, colOff, fast,
                            width, k0 > 0, sl.scratch);
                }
                // col2im of channels [c0, c1) into their phase planes, then into dx
                int c0 = m0 / kk, c1 = (m0 + mcv) / kk;
                for (int bl = 0; bl < nb; bl++) {
                    int pb = bl * g.ppImage;
                    kern.zero(pp, pb + c0 * chanPlanes, (c1 - c0) * chanPlanes);
                    for (int t = m0; t < m0 + mcv; t++) {
                        int src = (t - m0) * width + bl * pos, dst = pb + tapOff[t];
                        for (int oy = 0; oy < g.oh; oy++) kern.add(dcol, src + oy * ow, pp, dst + oy * wp, ow);
                    }
                    planesToImage(g, pp, pb, dx, b0 + bl, c0, c1);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Conv2d backward weight: dW (cout x taps) += sum_b dy[b] (cout x pos) . im2col(x[b])^T (pos x taps)

    /** Largest cout*taps for which the K dimension (images) is split into per-item partial sums. */
    private static final int SPLIT_K_MAX = 1 << 18;
    /** SPLIT_K_MAX, or another value to force one strategy (tests). */
    int splitKMax = SPLIT_K_MAX;
    /** Most taps per work item when the N dimension (taps) is split. */
    static final int TAPS_PER_ITEM = 512;
    /** Taps packed per K block inside an item (B block in L2). */
    static final int TAPS_PER_GROUP = 128;

    private final PackDyJob packDyJob = new PackDyJob();
    private final PlanesJob planesJob = new PlanesJob();
    private final BwdWeightJob bwdWeightJob = new BwdWeightJob();
    private final ReduceJob reduceJob = new ReduceJob();
    private float[] ppAll = new float[0], partial = new float[0];

    @Override
    public void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        Geo g = geo;
        g.set(n, cin, h, w, cout, k, s, p);
        if (n == 0) return;
        if (g.fullWindow()) {   // dW (cout x taps) += dy^T (cout x n) . x (n x taps)
            sgemm(true, false, cout, g.taps, n, dy, 0, cout, x, 0, g.taps, dweight, 0, g.taps, true);
            return;
        }
        BwdWeightJob j = bwdWeightJob;
        j.x = x; j.dy = dy; j.dw = dweight; j.g = g;
        // channel-innermost planes: im2col^T rows are contiguous; taps then come in (ky, kx, ci) order
        boolean nhwc = j.nhwc = cin % 16 == 0;
        if (nhwc) g.setTapsT();
        int size = cout * g.taps;
        if ((long) size <= splitKMax) {
            // K split: items = fixed groups of images, each with its own partial dW; then a fixed-order sum
            int groups = Math.min(n, 8);
            j.imgs = ceilDiv(n, groups);
            j.splitK = true;
            int items = ceilDiv(n, j.imgs);
            if (partial.length < items * size) partial = new float[items * size];
            workers.run(items, j);
            if (!nhwc) {
                reduceJob.set(partial, items, size, dweight);
                workers.run(ceilDiv(size, 4096), reduceJob);
            } else {
                reduceJob.set(partial, items, size, partial);     // partial[0] += items 1, 2, ... in order
                if (items > 1) workers.run(ceilDiv(size, 4096), reduceJob);
                permuteJob.set(partial, g, dweight);
                workers.run(ceilDiv(cout, 8), permuteJob);
            }
        } else {
            // N split: dy^T packed once for all K, phase planes of all images; items = tap ranges
            int kAll = n * g.pos, panels = ceilDiv(cout, mr);
            float[] ap = apack(panels * panelStride(kAll));
            packDyJob.set(dy, g, ap, 0, n);
            workers.run(panels, packDyJob);
            if (ppAll.length < n * g.ppImage) ppAll = new float[n * g.ppImage];
            planesJob.set(x, g, ppAll, nhwc);
            workers.run(n, planesJob);
            j.splitK = false;
            if (nhwc && partial.length < size) partial = new float[size];
            // large items reuse each K block of dy^T (in L2) over more taps; at least two items per thread
            j.tapsPerItem = Math.max(nr, Math.min(TAPS_PER_ITEM, ceilDiv(ceilDiv(g.taps, 2 * threads()), nr) * nr));
            workers.run(ceilDiv(g.taps, j.tapsPerItem), j);
            if (nhwc) {
                permuteJob.set(partial, g, dweight);
                workers.run(ceilDiv(cout, 8), permuteJob);
            }
        }
        j.x = null; j.dy = null; j.dw = null;
    }

    private final PermuteJob permuteJob = new PermuteJob();

    /** dW[co][ci*k*k + kk] += src[co][kk*cin + ci]: taps from (ky, kx, ci) order back to PyTorch's. Items: 8 rows of co. */
    private final class PermuteJob implements Workers.Job {
        float[] src, dst;
        Geo g;

        void set(float[] src, Geo g, float[] dst) {
            this.src = src; this.g = g; this.dst = dst;
        }

        @Override public void item(int item, int slot) {
            final int cin = g.cin, kk = g.k * g.k, taps = g.taps;
            Slot sl = slots[slot];
            float[] t = sl.t256;
            for (int co = item * 8, end = Math.min(g.cout, co + 8); co < end; co++) {
                int row = co * taps;
                if (kk == 16) {
                    for (int c0 = 0; c0 < cin; c0 += 16) {
                        kern.transpose(src, row + c0, cin, t, 0, 16, 16, 16, sl.tt);   // t[ci][kk]
                        kern.add(t, 0, dst, row + c0 * 16, 256);
                    }
                } else {
                    for (int ci = 0; ci < cin; ci++) {
                        for (int q = 0; q < kk; q++) dst[row + ci * kk + q] += src[row + q * cin + ci];
                    }
                }
            }
        }
    }

    /** Packs dy^T of images [b0, b0+nb) as A panels (rows = cout, K = positions): one item per panel. */
    private final class PackDyJob implements Workers.Job {
        float[] dy, ap;
        Geo g;
        int b0, nb;

        void set(float[] dy, Geo g, float[] ap, int b0, int nb) {
            this.dy = dy; this.g = g; this.ap = ap; this.b0 = b0; this.nb = nb;
        }

        @Override public void item(int panel, int slot) {
            packDyPanel(dy, g, b0, nb, panel, ap, panel * panelStride(nb * g.pos), slots[slot].tt);
        }
    }

    private void packDyPanel(float[] dy, Geo g, int b0, int nb, int panel, float[] ap, int base, float[] tt) {
        int pos = g.pos, rows = Math.min(mr, g.cout - panel * mr);
        if (rows < mr) kern.zero(ap, base, panelStride(nb * pos));
        for (int bl = 0; bl < nb; bl++) {
            int src = ((b0 + bl) * g.cout + panel * mr) * pos, dst = base + bl * pos * mr;
            for (int q0 = 0; q0 < pos; q0 += 16) {
                kern.transpose(dy, src + q0, pos, ap, dst + q0 * mr, mr, rows, Math.min(16, pos - q0), tt);
            }
        }
    }

    private final class PlanesJob implements Workers.Job {
        float[] x, pp;
        Geo g;
        boolean nhwc;

        void set(float[] x, Geo g, float[] pp, boolean nhwc) {
            this.x = x; this.g = g; this.pp = pp; this.nhwc = nhwc;
        }

        @Override public void item(int b, int slot) {
            if (nhwc) buildPlanesT(g, x, b, pp, b * g.ppImage, slots[slot].t(16 * g.s * g.s * g.plane), slots[slot].tt);
            else buildPlanes(g, x, b, 0, g.cin, pp, b * g.ppImage);
        }
    }

    private final class ReduceJob implements Workers.Job {
        float[] part, dst;
        int items, size;

        void set(float[] part, int items, int size, float[] dst) {
            this.part = part; this.items = items; this.size = size; this.dst = dst;
        }

        @Override public void item(int chunk, int slot) {
            int e0 = chunk * 4096, len = Math.min(4096, size - e0);
            for (int it = dst == part ? 1 : 0; it < items; it++) kern.add(part, it * size + e0, dst, e0, len);
        }
    }

    private final class BwdWeightJob implements Workers.Job {
        float[] x, dy, dw;
        Geo g;
        int imgs, tapsPerItem;
        boolean splitK, nhwc;

        @Override public void item(int item, int slot) {
            Slot sl = slots[slot];
            Geo g = this.g;
            final int taps = g.taps, cout = g.cout, pos = g.pos;
            int panels = ceilDiv(cout, mr);
            if (splitK) {
                int b0 = item * imgs, nb = Math.min(imgs, g.n - b0), kAll = nb * pos, ps = panelStride(kAll);
                float[] ap = sl.a(panels * ps);
                for (int pn = 0; pn < panels; pn++) packDyPanel(dy, g, b0, nb, pn, ap, pn * ps, sl.tt);
                float[] pp = sl.pp(nb * g.ppImage);
                for (int bl = 0; bl < nb; bl++) {
                    if (nhwc) buildPlanesT(g, x, b0 + bl, pp, bl * g.ppImage, sl.t(16 * g.s * g.s * g.plane), sl.tt);
                    else buildPlanes(g, x, b0 + bl, 0, g.cin, pp, bl * g.ppImage);
                }
                run(sl, g, ap, ps, pp, kAll, 0, taps, partial, item * cout * taps, false);
            } else {
                int t0 = item * tapsPerItem, nt = Math.min(tapsPerItem, taps - t0);
                int kAll = g.n * pos;
                if (nhwc) run(sl, g, apack, panelStride(kAll), ppAll, kAll, t0, nt, partial, t0, false);
                else run(sl, g, apack, panelStride(kAll), ppAll, kAll, t0, nt, dw, t0, true);
            }
        }

        /** C[:, t0 .. t0+nt) (+)= A (cout x kAll, packed) . B (kAll x taps from the phase planes pp). */
        private void run(Slot sl, Geo g, float[] ap, int ps, float[] pp, int kAll, int t0, int nt,
                         float[] c, int cBase, boolean acc) {
            final int taps = g.taps, cout = g.cout;
            int panels = ceilDiv(cout, mr);
            int groupStrips = Math.max(1, TAPS_PER_GROUP / nr);
            int kb = kBlock(kAll);
            int kcPad = ceilDiv(kb, 16) * 16;
            float[] tmp = sl.t(nr * kcPad);
            float[] bp = sl.b(kb * groupStrips * nr);
            int[] seg = sl.seg(3 * (kb + 1) + 3);
            int[] colOff = sl.colOff(groupStrips * nr);
            boolean[] fast = sl.fast(groupStrips);
            int[] tapOff = g.tapOff;
            int[] posOff = nhwc ? sl.posOff(kb) : null;
            for (int k0 = 0; k0 < kAll; k0 += kb) {
                int kc = Math.min(kb, kAll - k0);
                int segEnd = 0;
                if (nhwc) {
                    // base offset of each position's im2col^T row in the channel-innermost planes
                    for (int kk = 0; kk < kc; kk++) {
                        int jg = k0 + kk, b = jg / g.pos, q = jg - b * g.pos, oy = q / g.ow, ox = q - oy * g.ow;
                        posOff[kk] = b * g.ppImage + (oy * g.wp + ox) * g.cin;
                    }
                } else {
                    segEnd = segments(k0, kc, g.pos, g.ow, true, g.ppImage, g.wp, 0, seg, 0);
                }
                for (int g0 = 0; g0 < nt; g0 += groupStrips * nr) {
                    int gn = Math.min(groupStrips * nr, nt - g0), strips = ceilDiv(gn, nr);
                    for (int q = 0; q < strips; q++) {
                        int tq = t0 + g0 + q * nr;
                        int base = q * kc * nr;
                        if (nhwc) {
                            int[] tapOffT = g.tapOffT;
                            // a strip's taps are runs of consecutive channels of one (ky, kx): all nr of
                            // them when cin % nr == 0, else runs of 16 (cin % 16 == 0); items and strips
                            // start at multiples of nr, so a run is either all valid or all past the end
                            int run = g.cin % nr == 0 ? nr : Math.min(16, nr);
                            for (int h = 0; h < nr; h += run) {
                                int t = tq + h;
                                if (t >= t0 + nt) {
                                    for (int kk = 0; kk < kc; kk++) kern.zero(bp, base + kk * nr + h, run);
                                    continue;
                                }
                                int to = tapOffT[t / 16] + t % 16;
                                for (int kk = 0; kk < kc; kk++) kern.copy(pp, posOff[kk] + to, bp, base + kk * nr + h, run);
                            }
                            continue;
                        }
                        for (int tt = 0; tt < nr; tt++) {
                            int t = tq + tt, row = tt * kcPad;
                            if (t < t0 + nt) {
                                int to = tapOff[t];
                                for (int a = 0; a < segEnd; a += 3) kern.copy(pp, seg[a] + to, tmp, row + seg[a + 1], seg[a + 2]);
                            } else {
                                kern.zero(tmp, row, kc);
                            }
                        }
                        for (int r0 = 0; r0 < nr; r0 += 16) {
                            int rows = Math.min(16, nr - r0);
                            for (int q0 = 0; q0 < kc; q0 += 16) {
                                kern.transpose(tmp, r0 * kcPad + q0, kcPad, bp, base + q0 * nr + r0, nr, rows, Math.min(16, kc - q0), sl.tt);
                            }
                        }
                    }
                    for (int jj = 0; jj < strips * nr; jj++) {
                        colOff[jj] = jj < gn ? cBase + g0 + jj : -1;
                    }
                    kern.markFast(colOff, fast, strips);
                    kern.block(panels, cout, ap, k0 * mr, ps, kc, bp, 0, strips, c, colOff, fast, taps, acc || k0 > 0, sl.scratch);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // ConvTranspose2d: the adjoint of Conv2d on the GEMM paths above (ConvTransposeAsAdjoint), except the forward
    // with output_padding, which stays the reference's zero-insertion (over this backend's conv2dForward).

    @Override
    public void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                                       int k, int s, int p, int op) {
        if (op == 0) dcgan.backend.ConvTransposeAsAdjoint.forward(this, x, weight, y, n, cin, h, w, cout, k, s, p, op);
        else super.convTranspose2dForward(x, weight, y, n, cin, h, w, cout, k, s, p, op);
    }

    @Override
    public void convTranspose2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout,
                                             int k, int s, int p, int op) {
        dcgan.backend.ConvTransposeAsAdjoint.backwardInput(this, dy, weight, dx, n, cin, h, w, cout, k, s, p, op);
    }

    @Override
    public void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout,
                                              int k, int s, int p, int op) {
        dcgan.backend.ConvTransposeAsAdjoint.backwardWeight(this, x, dy, dweight, n, cin, h, w, cout, k, s, p, op);
    }

    // ------------------------------------------------------------------------------------------------
    // BatchNorm2d, activations, Adam, fill: vectorised and split over the threads (the reference runs
    // most of these on one thread). Without the Vector API they stay the reference's.

    /** Elements per work item of the element-wise ops (a multiple of every vector length). */
    private static final int CHUNK = 1 << 15;

    private final ElementwiseJob elementwiseJob = new ElementwiseJob();
    private final ChannelJob channelJob = new ChannelJob();
    private final PlaneJob planeJob = new PlaneJob();

    private boolean vec() {
        return vector;
    }

    private void elementwise(int op, float[] a, float[] b, float[] c, float value, int len) {
        ElementwiseJob j = elementwiseJob;
        j.op = op; j.a = a; j.b = b; j.c = c; j.value = value; j.len = len;
        workers.run(ceilDiv(len, CHUNK), j);
        j.a = null; j.b = null; j.c = null;
    }

    private static final class ElementwiseJob implements Workers.Job {
        int op, len;
        float[] a, b, c, hp, d;
        float value;

        @Override public void item(int item, int slot) {
            int from = item * CHUNK, to = Math.min(len, from + CHUNK);
            if (op < 0) VectorElementwise.adam(a, b, c, d, hp, from, to);
            else VectorElementwise.apply(op, a, b, c, value, from, to);
        }
    }

    @Override public void relu(float[] x, float[] y, int len) {
        if (vec()) elementwise(VectorElementwise.RELU, x, null, y, 0f, len); else super.relu(x, y, len);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vec()) elementwise(VectorElementwise.RELU_B, y, dy, dx, 0f, len); else super.reluBackward(y, dy, dx, len);
    }

    @Override public void leakyRelu(float[] x, float[] y, int len) {
        if (vec()) elementwise(VectorElementwise.LRELU, x, null, y, Activations.LEAKY_SLOPE, len); else super.leakyRelu(x, y, len);
    }

    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vec()) elementwise(VectorElementwise.LRELU_B, y, dy, dx, Activations.LEAKY_SLOPE, len); else super.leakyReluBackward(y, dy, dx, len);
    }

    // tanh and sigmoid stay scalar (Math.tanh / Math.exp): the Vector API's TANH and EXP give different
    // floats compiled (C2's intrinsics) and interpreted, so results would depend on JIT timing.
    @Override public void tanh(float[] x, float[] y, int len) {
        super.tanh(x, y, len);
    }

    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vec()) elementwise(VectorElementwise.TANH_B, y, dy, dx, 0f, len); else super.tanhBackward(y, dy, dx, len);
    }

    @Override public void sigmoid(float[] x, float[] y, int len) {
        super.sigmoid(x, y, len);
    }

    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vec()) elementwise(VectorElementwise.SIGMOID_B, y, dy, dx, 0f, len); else super.sigmoidBackward(y, dy, dx, len);
    }

    @Override public void fill(float[] a, float value, int len) {
        if (vec()) elementwise(VectorElementwise.FILL, null, null, a, value, len); else super.fill(a, value, len);
    }

    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {
        if (!vec()) {
            super.adamStep(param, grad, m, v, hp, len);
            return;
        }
        ElementwiseJob j = elementwiseJob;
        j.op = -1; j.a = param; j.b = grad; j.c = m; j.d = v; j.hp = hp; j.len = len;
        workers.run(ceilDiv(len, CHUNK), j);
        j.a = null; j.b = null; j.c = null; j.d = null; j.hp = null;
    }

    /** Per-channel reductions: one item per group of channels, each channel summed by one thread. */
    private final class ChannelJob implements Workers.Job {
        boolean backward;
        float[] x, dy, mean, invstd, runMean, runVar, sumDy, sumDyXhat, dgamma, dbeta;
        int n, c, hw, per;

        @Override public void item(int item, int slot) {
            float[] two = slots[slot].two;
            int count = n * hw;
            for (int ch = item * per, end = Math.min(c, ch + per); ch < end; ch++) {
                if (!backward) {
                    float mu = VectorElementwise.sum(x, ch * hw, c * hw, n, hw) / count;
                    float sq = VectorElementwise.sumSq(x, ch * hw, c * hw, n, hw, mu);
                    float var = sq / count;
                    mean[ch] = mu;
                    invstd[ch] = 1f / (float) Math.sqrt(var + dcgan.kernels.BatchNorm2d.EPS);
                    runMean[ch] = dcgan.kernels.BatchNorm2d.runningMean(runMean[ch], mu);
                    runVar[ch] = dcgan.kernels.BatchNorm2d.runningVar(runVar[ch], sq, count);
                } else {
                    VectorElementwise.sumDy(x, dy, ch * hw, c * hw, n, hw, mean[ch], two);
                    float sdy = two[0], sdyx = two[1] * invstd[ch];
                    sumDy[ch] = sdy;
                    sumDyXhat[ch] = sdyx;
                    dgamma[ch] += sdyx;
                    dbeta[ch] += sdy;
                }
            }
        }
    }

    private void channels(ChannelJob j, int c) {
        j.per = Math.max(1, Math.min(ceilDiv(c, 2 * threads()), ceilDiv(4 * CHUNK, j.n * j.hw)));
        workers.run(ceilDiv(c, j.per), j);
        j.x = null; j.dy = null;
    }

    @Override
    public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormStats(x, mean, invstd, runMean, runVar, n, c, hw);
            return;
        }
        ChannelJob j = channelJob;
        j.backward = false; j.x = x; j.mean = mean; j.invstd = invstd; j.runMean = runMean; j.runVar = runVar;
        j.n = n; j.c = c; j.hw = hw;
        channels(j, c);
    }

    @Override
    public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormBackwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, c, hw);
            return;
        }
        ChannelJob j = channelJob;
        j.backward = true; j.x = x; j.dy = dy; j.mean = mean; j.invstd = invstd; j.sumDy = sumDy; j.sumDyXhat = sumDyXhat;
        j.dgamma = dgamma; j.dbeta = dbeta; j.n = n; j.c = c; j.hw = hw;
        channels(j, c);
    }

    /** Per (image, channel) plane work: normalise (training / eval) and the BN input gradient. */
    private final class PlaneJob implements Workers.Job {
        static final int NORMALIZE = 0, EVAL = 1, BACKWARD = 2;
        int op, c, hw, planes, per;
        float[] x, y, dy, mean, invstd, gamma, beta, sumDy, sumDyXhat;

        @Override public void item(int item, int slot) {
            for (int pl = item * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                int ch = pl % c, base = pl * hw;
                switch (op) {
                    case NORMALIZE -> VectorElementwise.affine(x, y, base, hw, mean[ch], invstd[ch] * gamma[ch], beta[ch]);
                    case EVAL -> VectorElementwise.affine(x, y, base, hw, mean[ch],
                            gamma[ch] / (float) Math.sqrt(invstd[ch] + dcgan.kernels.BatchNorm2d.EPS), beta[ch]);
                    default -> {
                        float count = planes / c * hw, is = invstd[ch], gi = gamma[ch] * is;
                        VectorElementwise.bnBackward(x, dy, y, base, hw, mean[ch], gi, gi / count * is * sumDyXhat[ch],
                                gi / count * sumDy[ch]);
                    }
                }
            }
        }
    }

    private void planes(PlaneJob j, int n, int c, int hw) {
        j.c = c; j.hw = hw; j.planes = n * c;
        j.per = Math.max(1, CHUNK / Math.max(1, hw));
        workers.run(ceilDiv(j.planes, j.per), j);
        j.x = null; j.y = null; j.dy = null;
    }

    @Override
    public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormNormalize(x, y, mean, invstd, gamma, beta, n, c, hw);
            return;
        }
        PlaneJob j = planeJob;
        j.op = PlaneJob.NORMALIZE; j.x = x; j.y = y; j.mean = mean; j.invstd = invstd; j.gamma = gamma; j.beta = beta;
        planes(j, n, c, hw);
    }

    @Override
    public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormForwardEval(x, y, runMean, runVar, gamma, beta, n, c, hw);
            return;
        }
        PlaneJob j = planeJob;
        j.op = PlaneJob.EVAL; j.x = x; j.y = y; j.mean = runMean; j.invstd = runVar; j.gamma = gamma; j.beta = beta;
        planes(j, n, c, hw);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        if (!vec()) {
            super.batchNormBackwardInput(x, dy, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, c, hw);
            return;
        }
        PlaneJob j = planeJob;
        j.op = PlaneJob.BACKWARD; j.x = x; j.dy = dy; j.y = dx; j.mean = mean; j.invstd = invstd; j.gamma = gamma;
        j.sumDy = sumDy; j.sumDyXhat = sumDyXhat;
        planes(j, n, c, hw);
    }
}
