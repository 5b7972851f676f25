package dcgan.kernels;

import dcgan.model.Rng;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every kernel that reads or writes a learned tensor does so at the offset it is given (the TornadoVM backend keeps a
 * net's tensors back to back in one buffer): the tensor placed at an offset inside a buffer padded with NaN (read) or
 * with a marker (written) gives the very floats of the tensor on its own, and the padding is left as it was.
 */
class ParameterOffsetTest {
    static final int OFF = 5, PAD = 7;
    static final float MARK = 123.25f;

    static float[] rand(Rng r, int n) {
        float[] a = new float[n];
        r.fillGaussian(a, 0, 1);
        return a;
    }

    /** t at OFF inside OFF + t.length + PAD floats of pad. */
    static float[] embed(float[] t, float pad) {
        float[] b = new float[OFF + t.length + PAD];
        Arrays.fill(b, pad);
        System.arraycopy(t, 0, b, OFF, t.length);
        return b;
    }

    /** The tensor's part of b equals want, and the padding around it is still mark. */
    static void assertSlot(float[] want, float[] b, float mark, String what) {
        assertArrayEquals(want, Arrays.copyOfRange(b, OFF, OFF + want.length), what);
        for (int i = 0; i < b.length; i++) {
            if (i < OFF || i >= OFF + want.length) assertEquals(mark, b[i], what + ": padding at " + i + " changed");
        }
    }

    @Test
    void convolutionsReadTheirWeightAtItsOffset() {
        Rng r = new Rng(3);
        int n = 2, cin = 3, h = 7, w = 6, cout = 4, k = 4, s = 2, p = 1;
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
        float[] x = rand(r, n * cin * h * w), wt = rand(r, cout * cin * k * k), dy = rand(r, n * cout * oh * ow);
        float[] wNaN = embed(wt, Float.NaN);
        float[] a = new float[n * cout * oh * ow], b = new float[a.length];
        Conv2d.forward(x, wt, 0, a, n, cin, h, w, cout, k, s, p);
        Conv2d.forward(x, wNaN, OFF, b, n, cin, h, w, cout, k, s, p);
        assertArrayEquals(a, b, "Conv2d.forward");
        a = new float[n * cin * h * w];
        b = new float[a.length];
        Conv2d.backwardInput(dy, wt, 0, a, n, cin, h, w, cout, k, s, p);
        Conv2d.backwardInput(dy, wNaN, OFF, b, n, cin, h, w, cout, k, s, p);
        assertArrayEquals(a, b, "Conv2d.backwardInput");
        Conv2d.backwardInputPhase(dy, wNaN, OFF, b, n, cin, h, w, cout, k, s, p);
        assertArrayEquals(a, b, "Conv2d.backwardInputPhase");

        // ConvTranspose2d with the same weight read as [cin = cout][cout = cin]: forward from dy's shape to x's
        int th = ConvTranspose2d.outSize(h, k, s, p), tw = ConvTranspose2d.outSize(w, k, s, p);
        float[] ct = rand(r, cin * cout * k * k), ctNaN = embed(ct, Float.NaN);
        a = new float[n * cout * th * tw];
        b = new float[a.length];
        ConvTranspose2d.forwardPhase(x, ct, 0, a, n, cin, h, w, cout, k, s, p, 0);
        ConvTranspose2d.forwardPhase(x, ctNaN, OFF, b, n, cin, h, w, cout, k, s, p, 0);
        assertArrayEquals(a, b, "ConvTranspose2d.forwardPhase");
        a = new float[ct.length];
        b = new float[ct.length];
        ConvTranspose2d.flipKernel(ct, 0, a, cin, cout, k);
        ConvTranspose2d.flipKernel(ctNaN, OFF, b, cin, cout, k);
        assertArrayEquals(a, b, "ConvTranspose2d.flipKernel");
    }

    @Test
    void weightGradientsAccumulateIntoTheirSlotOnly() {
        Rng r = new Rng(4);
        int n = 2, cin = 3, h = 6, w = 5, cout = 2, k = 3, s = 1, p = 1;
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(w, k, s, p);
        float[] x = rand(r, n * cin * h * w), dy = rand(r, n * cout * oh * ow), g0 = rand(r, cout * cin * k * k);
        float[] a = g0.clone(), b = embed(g0, MARK);
        Conv2d.backwardWeight(x, dy, a, 0, n, cin, h, w, cout, k, s, p);
        Conv2d.backwardWeight(x, dy, b, OFF, n, cin, h, w, cout, k, s, p);
        assertSlot(a, b, MARK, "Conv2d.backwardWeight");
        int weights = g0.length;
        float[] part = new float[n * weights];
        Conv2d.backwardWeightPartials(x, dy, part, n, cin, h, w, cout, k, s, p);
        a = g0.clone();
        b = embed(g0, MARK);
        Conv2d.backwardWeightSum(part, a, 0, n, weights);
        Conv2d.backwardWeightSum(part, b, OFF, n, weights);
        assertSlot(a, b, MARK, "Conv2d.backwardWeightSum");
    }

    @Test
    void batchNormReadsAndWritesGammaAndBetaAtTheirOffsets() {
        Rng r = new Rng(5);
        int n = 2, c = 3, hw = 10;
        float[] x = rand(r, n * c * hw), dy = rand(r, n * c * hw), gamma = rand(r, c), beta = rand(r, c);
        float[] mean = new float[c], invstd = new float[c], runMean = new float[c], runVar = new float[c];
        Arrays.fill(runVar, 1f);
        float[] part = new float[BatchNorm2d.partialsLength(n, c, hw)];
        BatchNorm2d.statsPartials(x, part, n, c, hw);
        BatchNorm2d.statsCombine(part, mean, invstd, runMean, runVar, n, c, hw);
        // gamma and beta in one buffer, as a net's values are: gamma at OFF, beta right after it
        float[] both = new float[OFF + 2 * c + PAD];
        Arrays.fill(both, Float.NaN);
        System.arraycopy(gamma, 0, both, OFF, c);
        System.arraycopy(beta, 0, both, OFF + c, c);
        float[] a = new float[x.length], b = new float[x.length];
        BatchNorm2d.normalizeAffine(x, a, mean, invstd, gamma, 0, beta, 0, n, c, hw);
        BatchNorm2d.normalizeAffine(x, b, mean, invstd, both, OFF, both, OFF + c, n, c, hw);
        assertArrayEquals(a, b, "normalizeAffine");
        BatchNorm2d.normalizeAffineLeaky(x, a, mean, invstd, gamma, 0, beta, 0, 0.2f, n, c, hw);
        BatchNorm2d.normalizeAffineLeaky(x, b, mean, invstd, both, OFF, both, OFF + c, 0.2f, n, c, hw);
        assertArrayEquals(a, b, "normalizeAffineLeaky");
        BatchNorm2d.forwardEval(x, a, runMean, runVar, gamma, 0, beta, 0, n, c, hw);
        BatchNorm2d.forwardEval(x, b, runMean, runVar, both, OFF, both, OFF + c, n, c, hw);
        assertArrayEquals(a, b, "forwardEval");

        BatchNorm2d.backwardPartials(x, dy, mean, invstd, part, n, c, hw);
        float[] sumDy = new float[c], sumDyXhat = new float[c], dg = rand(r, c), db = rand(r, c);
        float[] grads = new float[OFF + 2 * c + PAD];
        Arrays.fill(grads, MARK);
        System.arraycopy(dg, 0, grads, OFF, c);
        System.arraycopy(db, 0, grads, OFF + c, c);
        BatchNorm2d.backwardCombine(part, sumDy, sumDyXhat, dg, 0, db, 0, n, c, hw);
        BatchNorm2d.backwardCombine(part, sumDy, sumDyXhat, grads, OFF, grads, OFF + c, n, c, hw);
        float[] dgdb = new float[2 * c];
        System.arraycopy(dg, 0, dgdb, 0, c);
        System.arraycopy(db, 0, dgdb, c, c);
        assertSlot(dgdb, grads, MARK, "backwardCombine");
        BatchNorm2d.backwardInput(x, dy, a, mean, invstd, gamma, 0, sumDy, sumDyXhat, n, c, hw);
        BatchNorm2d.backwardInput(x, dy, b, mean, invstd, both, OFF, sumDy, sumDyXhat, n, c, hw);
        assertArrayEquals(a, b, "backwardInput");
    }

    @Test
    void linearAdamAndFillWorkOnTheirSlot() {
        Rng r = new Rng(6);
        int n = 3, in = 5, out = 4;
        float[] x = rand(r, n * in), dy = rand(r, n * out), wt = rand(r, out * in), bias = rand(r, out);
        float[] a = new float[n * out], b = new float[n * out];
        Linear.forward(x, wt, 0, bias, 0, a, n, in, out);
        Linear.forward(x, embed(wt, Float.NaN), OFF, embed(bias, Float.NaN), OFF, b, n, in, out);
        assertArrayEquals(a, b, "Linear.forward");
        a = new float[n * in];
        b = new float[n * in];
        Linear.backwardInput(dy, wt, 0, a, n, in, out);
        Linear.backwardInput(dy, embed(wt, Float.NaN), OFF, b, n, in, out);
        assertArrayEquals(a, b, "Linear.backwardInput");
        float[] gw = rand(r, out * in), gb = rand(r, out);
        a = gw.clone();
        b = embed(gw, MARK);
        Linear.backwardWeight(x, dy, a, 0, n, in, out);
        Linear.backwardWeight(x, dy, b, OFF, n, in, out);
        assertSlot(a, b, MARK, "Linear.backwardWeight");
        a = gb.clone();
        b = embed(gb, MARK);
        Linear.backwardBias(dy, a, 0, n, out);
        Linear.backwardBias(dy, b, OFF, n, out);
        assertSlot(a, b, MARK, "Linear.backwardBias");

        int len = 9;
        float[] hp = new float[Adam.HP_LEN];
        Adam.hyper(hp, 2e-4, 0.5, 0.999, 1e-8, 2);
        float[] p0 = rand(r, len), g = rand(r, len), m0 = rand(r, len), v0 = rand(r, len);
        for (int i = 0; i < len; i++) v0[i] = Math.abs(v0[i]);
        float[] pa = p0.clone(), ma = m0.clone(), va = v0.clone();
        float[] pb = embed(p0, MARK), gbuf = embed(g, MARK), mb = embed(m0, MARK), vb = embed(v0, MARK);
        Adam.update(pa, g, ma, va, hp, 0, len);
        Adam.update(pb, gbuf, mb, vb, hp, OFF, len);
        assertSlot(pa, pb, MARK, "Adam param");
        assertSlot(ma, mb, MARK, "Adam m");
        assertSlot(va, vb, MARK, "Adam v");
        assertSlot(g, gbuf, MARK, "Adam grad");
        float[] f = embed(g, MARK);
        Fill.fill(f, OFF, 0f, len);
        assertSlot(new float[len], f, MARK, "Fill.fill");
    }

    /** A net's step in one launch over its two buffers (weights, then shifts) is the per-tensor step, float for float. */
    @Test
    void oneLaunchPerNetStepsBothBuffersLikePerTensorSteps() {
        Rng r = new Rng(8);
        int lenA = 11, lenB = 4;
        float[] hp = new float[Adam.HP_LEN];
        Adam.hyper(hp, 2e-4, 0.5, 0.999, 1e-8, 5);
        float[][] a = {rand(r, lenA), rand(r, lenA), rand(r, lenA), rand(r, lenA)};
        float[][] b = {rand(r, lenB), rand(r, lenB), rand(r, lenB), rand(r, lenB)};
        for (int i = 0; i < lenA; i++) a[3][i] = Math.abs(a[3][i]);
        for (int i = 0; i < lenB; i++) b[3][i] = Math.abs(b[3][i]);
        float[][] a1 = Arrays.stream(a).map(float[]::clone).toArray(float[][]::new), b1 = Arrays.stream(b).map(float[]::clone).toArray(float[][]::new);
        Adam.update(a1[0], a1[1], a1[2], a1[3], hp, 0, lenA);
        Adam.update(b1[0], b1[1], b1[2], b1[3], hp, 0, lenB);
        Adam.updateNet(a[0], a[1], a[2], a[3], lenA, b[0], b[1], b[2], b[3], lenB, hp);
        for (int k = 0; k < 4; k++) {
            assertArrayEquals(a1[k], a[k], "buffer a, kind " + k);
            assertArrayEquals(b1[k], b[k], "buffer b, kind " + k);
        }
        float[] ga = embedTail(a[1]), gb = embedTail(b[1]);
        Fill.fillTwo(ga, lenA, gb, lenB, 0f);
        assertSlotFromZero(lenA, ga);
        assertSlotFromZero(lenB, gb);
    }

    /** t followed by PAD floats of MARK. */
    static float[] embedTail(float[] t) {
        float[] out = Arrays.copyOf(t, t.length + PAD);
        Arrays.fill(out, t.length, out.length, MARK);
        return out;
    }

    static void assertSlotFromZero(int len, float[] b) {
        for (int i = 0; i < b.length; i++) assertEquals(i < len ? 0f : MARK, b[i], "fillTwo at " + i);
    }
}
