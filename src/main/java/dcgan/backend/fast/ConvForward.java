package dcgan.backend.fast;

import static dcgan.backend.fast.Gemm.ceilDiv;
import static dcgan.backend.fast.Gemm.kBlock;

/**
 * Conv2d forward: y[b] (cout x pos) = W (cout x taps) . im2col(x[b]) (taps x pos). W is prepacked once; items
 * are groups of images, whose phase planes give B: packed per K block, or read in place by the micro-kernel
 * when output rows are whole vectors (implicit GEMM). A window over the whole input is one plain GEMM.
 */
final class ConvForward extends ConvProduct {

    ConvForward(Kernels kern, Workers workers, Workspaces ws, Gemm gemm, PhasePlanes planes) {
        super(kern, workers, ws, gemm, planes);
    }

    /** y = conv2d(x, weight) for the shapes in g (set by the caller). */
    void run(ConvGeometry g, float[] x, float[] weight, float[] y) {
        if (g.n == 0) return;
        if (g.fullWindow()) {   // y (n x cout) = x (n x taps) . W^T
            gemm.sgemm(false, true, g.n, g.cout, g.taps, x, 0, g.taps, weight, 0, g.taps, y, 0, g.cout, false);
            return;
        }
        float[] ap = gemm.packARows(weight, 0, g.taps, g.cout, g.taps);
        int imgs = Math.max(1, Math.min(g.n, 256 / g.pos));
        workers.run(ceilDiv(g.n, imgs), (item, slot) -> images(ws.slot(slot), g, ap, x, y, item * imgs, Math.min(imgs, g.n - item * imgs)));
    }

    /** Images [b0, b0 + nb) of y. */
    private void images(Slot sl, ConvGeometry g, float[] apack, float[] x, float[] y, int b0, int nb) {
        int npos = nb * g.pos, strips = ceilDiv(npos, nr), width = strips * nr;
        float[] pp = sl.pp(nb * g.ppImage);
        for (int bl = 0; bl < nb; bl++) planes.buildPlanes(g, x, b0 + bl, 0, g.cin, pp, bl * g.ppImage);
        // segments per strip, column offsets into y
        int[] seg = sl.seg(3 * (width + strips) + 3);
        int[] segStart = sl.segStart(strips + 1);
        int[] colOff = sl.colOff(width);
        int at = 0;
        for (int q = 0; q < strips; q++) {
            segStart[q] = at;
            int jq = q * nr, cnt = Math.min(nr, npos - jq);
            at = PhasePlanes.segments(jq, cnt, g.pos, g.ow, true, g.ppImage, g.wp, 0, seg, at);
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
        int kb = kBlock(g.taps), ps = gemm.panelStride(g.taps), panels = ceilDiv(g.cout, mr);
        int[] tapOff = g.tapOff;
        if (g.ow % kern.vl == 0 && npos % nr == 0) {
            implicit(sl, g, apack, pp, y, strips, colOff, kb, ps, panels);
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

    /**
     * Implicit GEMM: each vector of a strip is one run of an output row in the planes, so the micro-kernel reads
     * B in place (row k at tapOff[k] + the run's offset), no packing.
     */
    private void implicit(Slot sl, ConvGeometry g, float[] apack, float[] pp, float[] y, int strips, int[] colOff,
                          int kb, int ps, int panels) {
        int[] tapOff = g.tapOff;
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
    }
}
