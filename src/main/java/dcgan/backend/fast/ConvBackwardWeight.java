package dcgan.backend.fast;

import static dcgan.backend.fast.Gemm.ceilDiv;
import static dcgan.backend.fast.Gemm.kBlock;

/**
 * Conv2d weight gradient: dW (cout x taps) += sum_b dy[b] (cout x pos) . im2col(x[b])^T (pos x taps), A = dy^T
 * packed, B = im2col^T rows from the phase planes, channel-innermost when cin % 16 == 0 (taps then come in
 * (ky, kx, ci) order and are permuted back at the end). The K dimension (all positions of the batch) is either
 * split into fixed per-image-group partial sums, summed in a fixed order (small dW), or the N dimension (taps) is
 * split over the threads (large dW). A window over the whole input is one plain GEMM.
 */
final class ConvBackwardWeight extends ConvProduct {
    /** Largest cout*taps for which the K dimension (images) is split into per-item partial sums. */
    static final int SPLIT_K_MAX = 1 << 18;
    /** Most taps per work item when the N dimension (taps) is split. */
    static final int TAPS_PER_ITEM = 512;
    /** Taps packed per K block inside an item (B block in L2). */
    static final int TAPS_PER_GROUP = 128;

    /** SPLIT_K_MAX, or another value to force one strategy (tests). */
    int splitKMax = SPLIT_K_MAX;

    ConvBackwardWeight(Kernels kern, Workers workers, Workspaces ws, Gemm gemm, PhasePlanes planes) {
        super(kern, workers, ws, gemm, planes);
    }

    /** dweight += the weight gradient of conv2d for x and dy, for the shapes in g (set by the caller). */
    void run(ConvGeometry g, float[] x, float[] dy, float[] dweight) {
        final int n = g.n, cout = g.cout;
        if (n == 0) return;
        if (g.fullWindow()) {   // dW (cout x taps) += dy^T (cout x n) . x (n x taps)
            gemm.sgemm(true, false, cout, g.taps, n, dy, 0, cout, x, 0, g.taps, dweight, 0, g.taps, true);
            return;
        }
        // channel-innermost planes: im2col^T rows are contiguous; taps then come in (ky, kx, ci) order
        boolean nhwc = g.cin % 16 == 0;
        if (nhwc) g.setTapsT();
        int size = cout * g.taps;
        if ((long) size <= splitKMax) {
            // K split: items = fixed groups of images, each with its own partial dW; then a fixed-order sum
            int groups = Math.min(n, 8);
            int imgs = ceilDiv(n, groups);
            int items = ceilDiv(n, imgs);
            float[] partial = ws.partial(items * size);
            workers.run(items, (item, slot) -> splitKItem(ws.slot(slot), g, x, dy, partial, item, imgs, nhwc));
            if (!nhwc) {
                reduce(partial, items, size, dweight);
            } else {
                if (items > 1) reduce(partial, items, size, partial);     // partial[0] += items 1, 2, ... in order
                permute(partial, g, dweight);
            }
        } else {
            // N split: dy^T packed once for all K, phase planes of all images; items = tap ranges
            int kAll = n * g.pos, panels = ceilDiv(cout, mr), ps = gemm.panelStride(kAll);
            float[] ap = ws.apack(panels * ps);
            workers.run(panels, (panel, slot) -> packDyPanel(dy, g, 0, n, panel, ap, panel * ps, ws.slot(slot).tt));
            float[] ppAll = ws.ppAll(n * g.ppImage);
            workers.run(n, (b, slot) -> {
                Slot sl = ws.slot(slot);
                if (nhwc) planes.buildPlanesT(g, x, b, ppAll, b * g.ppImage, sl.t(16 * g.s * g.s * g.plane), sl.tt);
                else planes.buildPlanes(g, x, b, 0, g.cin, ppAll, b * g.ppImage);
            });
            float[] c = nhwc ? ws.partial(size) : dweight;
            // large items reuse each K block of dy^T (in L2) over more taps; at least two items per thread
            int tapsPerItem = Math.max(nr, Math.min(TAPS_PER_ITEM, ceilDiv(ceilDiv(g.taps, 2 * workers.threads()), nr) * nr));
            workers.run(ceilDiv(g.taps, tapsPerItem), (item, slot) -> {
                int t0 = item * tapsPerItem, nt = Math.min(tapsPerItem, g.taps - t0);
                gemm(ws.slot(slot), g, ap, ps, ppAll, kAll, t0, nt, c, t0, !nhwc, nhwc);
            });
            if (nhwc) permute(c, g, dweight);
        }
    }

    /** Item of the K split: images [item * imgs, ..) into their own partial dW. */
    private void splitKItem(Slot sl, ConvGeometry g, float[] x, float[] dy, float[] partial, int item, int imgs, boolean nhwc) {
        final int taps = g.taps, cout = g.cout, pos = g.pos;
        int panels = ceilDiv(cout, mr);
        int b0 = item * imgs, nb = Math.min(imgs, g.n - b0), kAll = nb * pos, ps = gemm.panelStride(kAll);
        float[] ap = sl.a(panels * ps);
        for (int pn = 0; pn < panels; pn++) packDyPanel(dy, g, b0, nb, pn, ap, pn * ps, sl.tt);
        float[] pp = sl.pp(nb * g.ppImage);
        for (int bl = 0; bl < nb; bl++) {
            if (nhwc) planes.buildPlanesT(g, x, b0 + bl, pp, bl * g.ppImage, sl.t(16 * g.s * g.s * g.plane), sl.tt);
            else planes.buildPlanes(g, x, b0 + bl, 0, g.cin, pp, bl * g.ppImage);
        }
        gemm(sl, g, ap, ps, pp, kAll, 0, taps, partial, item * cout * taps, false, nhwc);
    }

    /** dst[0 .. size) += part[it * size ..] for each item it (from 1 when dst is part itself), in order. */
    private void reduce(float[] part, int items, int size, float[] dst) {
        workers.run(ceilDiv(size, 4096), (chunk, slot) -> {
            int e0 = chunk * 4096, len = Math.min(4096, size - e0);
            for (int it = dst == part ? 1 : 0; it < items; it++) kern.add(part, it * size + e0, dst, e0, len);
        });
    }

    /** dW[co][ci*k*k + kk] += src[co][kk*cin + ci]: taps from (ky, kx, ci) order back to PyTorch's. Items: 8 rows of co. */
    private void permute(float[] src, ConvGeometry g, float[] dst) {
        workers.run(ceilDiv(g.cout, 8), (item, slot) -> {
            final int cin = g.cin, kk = g.k * g.k, taps = g.taps;
            Slot sl = ws.slot(slot);
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
        });
    }

    /** Packs dy^T of images [b0, b0+nb) as A panel `panel` (rows = cout, K = positions) at ap[base]. */
    private void packDyPanel(float[] dy, ConvGeometry g, int b0, int nb, int panel, float[] ap, int base, float[] tt) {
        int pos = g.pos, rows = Math.min(mr, g.cout - panel * mr);
        if (rows < mr) kern.zero(ap, base, gemm.panelStride(nb * pos));
        for (int bl = 0; bl < nb; bl++) {
            int src = ((b0 + bl) * g.cout + panel * mr) * pos, dst = base + bl * pos * mr;
            for (int q0 = 0; q0 < pos; q0 += 16) {
                kern.transpose(dy, src + q0, pos, ap, dst + q0 * mr, mr, rows, Math.min(16, pos - q0), tt);
            }
        }
    }

    /** C[:, t0 .. t0+nt) (+)= A (cout x kAll, packed) . B (kAll x taps from the phase planes pp). */
    private void gemm(Slot sl, ConvGeometry g, float[] ap, int ps, float[] pp, int kAll, int t0, int nt,
                      float[] c, int cBase, boolean acc, boolean nhwc) {
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
                segEnd = PhasePlanes.segments(k0, kc, g.pos, g.ow, true, g.ppImage, g.wp, 0, seg, 0);
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
                            for (int kk = 0; kk < kc; kk++) System.arraycopy(pp, posOff[kk] + to, bp, base + kk * nr + h, run);
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
