package dcgan.backend.fast;

/**
 * One Conv2d call's shapes. Phase planes: for stride s an image's zero-padded input is split into s*s
 * planes per channel, plane (py, px) holding padded pixels (s*i + py, s*j + px), i &lt; hp, j &lt; wp. The
 * im2col row of tap (ky, kx) over one output row is then a contiguous run of ow floats in plane
 * (ky % s, kx % s), starting at row oy + ky / s, column kx / s (see {@link PhasePlanes}). One object per
 * backend, set again by each call (its offset tables are workspaces).
 */
final class ConvGeometry {
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

    long bytes() {
        return 4L * (tapOff.length + tapOffT.length);
    }
}
