package dcgan.backend.fast;

/**
 * Convolution lowering: an image's zero-padded input as stride-phase planes ({@link ConvGeometry}), so that every
 * im2col row over an output row is one contiguous run, and back (col2im's last step); the channel-innermost
 * variant for the weight gradient; and the split of a range of batch positions into contiguous runs.
 */
final class PhasePlanes {
    private final Kernels kern;

    PhasePlanes(Kernels kern) {
        this.kern = kern;
    }

    /** Builds the phase planes of channels [c0, c1) of image b of x into dst at dOff (laid out per image). */
    void buildPlanes(ConvGeometry g, float[] x, int b, int c0, int c1, float[] dst, int dOff) {
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
    private void buildPlanes2(ConvGeometry g, float[] x, int b, int c0, int c1, float[] dst, int dOff) {
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
    private void planeRow(ConvGeometry g, float[] x, int b, int ci, int py, int px, int i, float[] dst, int d) {
        final int s = g.s, p = g.p, w = g.w, h = g.h, wp = g.wp;
        int iy = s * i + py - p;
        if (iy < 0 || iy >= h) {
            kern.zero(dst, d, wp);
            return;
        }
        int jlo = px >= p ? 0 : Gemm.ceilDiv(p - px, s);
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
    void buildPlanesT(ConvGeometry g, float[] x, int b, float[] dst, int dOff, float[] tmp, float[] tt) {
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
    void planesToImage(ConvGeometry g, float[] src, int sOff, float[] dx, int b, int c0, int c1) {
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
    static int segments(int j0, int count, int pos, int ow, boolean byRow, int imgStride, int rowStride,
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
}
