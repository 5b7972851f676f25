package dcgan.backend.fast;

import static dcgan.backend.fast.Gemm.ceilDiv;
import static dcgan.backend.fast.Gemm.kBlock;

/**
 * Conv2d input gradient: dcol[b] (taps x pos) = W^T (taps x cout) . dy[b] (cout x pos), then dx[b] = col2im(dcol[b])
 * through the phase planes. W^T is prepacked once; items are groups of images. When output rows are whole
 * vectors, col2im is fused into the micro-kernel's stores (tile rows add straight into the phase planes); else
 * dcol is computed per M block of whole input channels and added into the planes. A window over the whole input
 * is one plain GEMM.
 */
final class ConvBackwardInput extends ConvProduct {

    ConvBackwardInput(Kernels kern, Workers workers, Workspaces ws, Gemm gemm, PhasePlanes planes) {
        super(kern, workers, ws, gemm, planes);
    }

    /** dx = the input gradient of conv2d for dy, for the shapes in g (set by the caller). */
    void run(ConvGeometry g, float[] dy, float[] weight, float[] dx) {
        if (g.n == 0) return;
        if (g.fullWindow()) {   // 1x1 output, window = whole input: dx (n x taps) = dy (n x cout) . W (cout x taps)
            gemm.sgemm(false, false, g.n, g.taps, g.cout, dy, 0, g.cout, weight, 0, g.taps, dx, 0, g.taps, false);
            return;
        }
        float[] ap = gemm.packACols(weight, 0, g.taps, g.taps, g.cout);
        int imgs = Math.max(1, Math.min(g.n, 256 / g.pos));
        workers.run(ceilDiv(g.n, imgs), (item, slot) -> images(ws.slot(slot), g, ap, dy, dx, item * imgs, Math.min(imgs, g.n - item * imgs)));
    }

    /** Rows of dcol per M block: whole input channels (k*k taps each) and whole MR panels. */
    private int mBlock(int k, int taps) {
        int kk = k * k, unit = kk / gcd(kk, mr) * mr;
        return Math.min(unit * Math.max(1, 144 / unit), ceilDiv(taps, unit) * unit);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Images [b0, b0 + nb) of dx. */
    private void images(Slot sl, ConvGeometry g, float[] apack, float[] dy, float[] dx, int b0, int nb) {
        final int pos = g.pos, cout = g.cout, taps = g.taps, kk = g.k * g.k, ow = g.ow, wp = g.wp;
        int npos = nb * pos, strips = ceilDiv(npos, nr), width = strips * nr;
        // pack B = dy[b0 .. b0+nb) as (cout x npos), all K blocks
        int[] seg = sl.seg(3 * (width + strips) + 3);
        int[] segStart = sl.segStart(strips + 1);
        int at = 0;
        for (int q = 0; q < strips; q++) {
            segStart[q] = at;
            int jq = q * nr;
            at = PhasePlanes.segments(jq, Math.min(nr, npos - jq), pos, ow, false, cout * pos, 0, 0, seg, at);
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
        int ps = gemm.panelStride(cout);
        float[] pp = sl.pp(nb * g.ppImage);
        int[] tapOff = g.tapOff;
        if (ow % kern.vl == 0 && npos % nr == 0) {
            fusedCol2im(sl, g, apack, bp, pp, dx, b0, nb, strips, width, colOff, kb, ps);
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
                planes.planesToImage(g, pp, pb, dx, b0 + bl, c0, c1);
            }
        }
    }

    /**
     * col2im fused into the GEMM: each vector of a strip is one run of an output row, so tile row (tap) t adds
     * straight into the phase planes at tapOff[t] + the run's offset.
     */
    private void fusedCol2im(Slot sl, ConvGeometry g, float[] apack, float[] bp, float[] pp, float[] dx, int b0, int nb,
                             int strips, int width, int[] colOff, int kb, int ps) {
        final int pos = g.pos, cout = g.cout, taps = g.taps, ow = g.ow, wp = g.wp, vl = kern.vl;
        int[] tapOff = g.tapOff;
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
        for (int bl = 0; bl < nb; bl++) planes.planesToImage(g, pp, bl * g.ppImage, dx, b0 + bl, 0, g.cin);
    }
}
