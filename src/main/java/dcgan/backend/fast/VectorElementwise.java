package dcgan.backend.fast;

import dcgan.kernels.Activations;
import dcgan.kernels.Adam;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise and per-channel loops of {@link FastBackend} on jdk.incubator.vector, over index ranges
 * (the caller splits the work). Same formulas as the kernels in dcgan.kernels, so results agree up to float
 * rounding (Adam agrees bit for bit: it uses no fused operations). Loaded only when the module is present.
 */
final class VectorElementwise {
    private VectorElementwise() {}

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int VL = S.length();

    static final int RELU = 0, RELU_B = 1, LRELU = 2, LRELU_B = 3, TANH_B = 5, SIGMOID_B = 7, FILL = 8;

    /**
     * Activations (forward: a = x, c = y; backward: a = y, b = dy, c = dx; value: LeakyReLU's slope) and fill
     * (c = value) over [from, to).
     */
    static void apply(int op, float[] a, float[] b, float[] c, float value, int from, int to) {
        int i = from;
        int end = from + (to - from) / VL * VL;
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        float slope = value;
        switch (op) {
            case RELU -> {
                for (; i < end; i += VL) FloatVector.fromArray(S, a, i).max(zero).intoArray(c, i);
                for (; i < to; i++) c[i] = Math.max(a[i], 0f);
            }
            case RELU_B -> {
                for (; i < end; i += VL) {
                    FloatVector y = FloatVector.fromArray(S, a, i), g = FloatVector.fromArray(S, b, i);
                    zero.blend(g, y.compare(VectorOperators.GT, 0f)).intoArray(c, i);
                }
                for (; i < to; i++) c[i] = a[i] > 0f ? b[i] : 0f;
            }
            case LRELU -> {
                for (; i < end; i += VL) {
                    FloatVector x = FloatVector.fromArray(S, a, i);
                    x.mul(slope).blend(x, x.compare(VectorOperators.GT, 0f)).intoArray(c, i);
                }
                for (; i < to; i++) c[i] = a[i] > 0f ? a[i] : a[i] * slope;
            }
            case LRELU_B -> {
                for (; i < end; i += VL) {
                    FloatVector y = FloatVector.fromArray(S, a, i), g = FloatVector.fromArray(S, b, i);
                    g.mul(slope).blend(g, y.compare(VectorOperators.GT, 0f)).intoArray(c, i);
                }
                for (; i < to; i++) c[i] = a[i] > 0f ? b[i] : b[i] * slope;
            }
            case TANH_B -> {
                for (; i < end; i += VL) {
                    FloatVector t = FloatVector.fromArray(S, a, i), g = FloatVector.fromArray(S, b, i);
                    g.mul(one.sub(t.mul(t))).intoArray(c, i);
                }
                for (; i < to; i++) c[i] = b[i] * (1f - a[i] * a[i]);
            }
            case SIGMOID_B -> {
                for (; i < end; i += VL) {
                    FloatVector s = FloatVector.fromArray(S, a, i), g = FloatVector.fromArray(S, b, i);
                    g.mul(s).mul(one.sub(s)).intoArray(c, i);
                }
                for (; i < to; i++) c[i] = b[i] * a[i] * (1f - a[i]);
            }
            case FILL -> {
                FloatVector v = FloatVector.broadcast(S, value);
                for (; i < end; i += VL) v.intoArray(c, i);
                for (; i < to; i++) c[i] = value;
            }
            default -> throw new IllegalArgumentException("op " + op);
        }
    }

    /**
     * Sum of the lanes, first to last. Not reduceLanes(ADD): its float order is unspecified and differs
     * between the interpreter and C2, which would make results depend on JIT timing (and break exact resume).
     * Takes the lanes as an array (callers write v.toArray()): a method taking a FloatVector that C2 does not
     * inline gets the vector boxed and runs the Vector API's Java fallback.
     */
    static float inOrder(float[] lanes) {
        float s = 0f;
        for (float f : lanes) s += f;
        return s;
    }

    /** Sum over b &lt; n of a[b*stride + base .. + len): one vector accumulator, lanes reduced at the end. */
    static float sum(float[] a, int base, int stride, int n, int len) {
        FloatVector acc = FloatVector.zero(S);
        VectorMask<Float> tail = S.indexInRange(len / VL * VL, len);
        int full = len / VL * VL;
        for (int b = 0; b < n; b++) {
            int o = base + b * stride, i = 0;
            for (; i < full; i += VL) acc = acc.add(FloatVector.fromArray(S, a, o + i));
            if (i < len) acc = acc.add(FloatVector.fromArray(S, a, o + i, tail));
        }
        return inOrder(acc.toArray());
    }

    /** Sum over the same elements of (a - mu)^2. */
    static float sumSq(float[] a, int base, int stride, int n, int len, float mu) {
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        VectorMask<Float> tail = S.indexInRange(len / VL * VL, len);
        int full = len / VL * VL;
        for (int b = 0; b < n; b++) {
            int o = base + b * stride, i = 0;
            for (; i < full; i += VL) {
                FloatVector d = FloatVector.fromArray(S, a, o + i).sub(m);
                acc = d.fma(d, acc);
            }
            if (i < len) {
                FloatVector d = FloatVector.fromArray(S, a, o + i, tail).sub(m).blend(0f, tail.not());
                acc = d.fma(d, acc);
            }
        }
        return inOrder(acc.toArray());
    }

    /** out[0] = sum dy, out[1] = sum dy * (x - mu) over the same elements. */
    static void sumDy(float[] x, float[] dy, int base, int stride, int n, int len, float mu, float[] out) {
        FloatVector s1 = FloatVector.zero(S), s2 = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        VectorMask<Float> tail = S.indexInRange(len / VL * VL, len);
        int full = len / VL * VL;
        for (int b = 0; b < n; b++) {
            int o = base + b * stride, i = 0;
            for (; i < full; i += VL) {
                FloatVector g = FloatVector.fromArray(S, dy, o + i);
                s1 = s1.add(g);
                s2 = g.fma(FloatVector.fromArray(S, x, o + i).sub(m), s2);
            }
            if (i < len) {
                FloatVector g = FloatVector.fromArray(S, dy, o + i, tail);
                s1 = s1.add(g);
                s2 = g.fma(FloatVector.fromArray(S, x, o + i, tail).sub(m), s2);   // g is 0 off the tail
            }
        }
        out[0] = inOrder(s1.toArray());
        out[1] = inOrder(s2.toArray());
    }

    /** y = (x - mu) * scale + shift over [base, base+len) (y may be x). */
    static void affine(float[] x, float[] y, int base, int len, float mu, float scale, float shift) {
        FloatVector m = FloatVector.broadcast(S, mu), a = FloatVector.broadcast(S, scale), b = FloatVector.broadcast(S, shift);
        int i = 0;
        for (; i <= len - VL; i += VL) FloatVector.fromArray(S, x, base + i).sub(m).fma(a, b).intoArray(y, base + i);
        for (; i < len; i++) y[base + i] = Math.fma(x[base + i] - mu, scale, shift);
    }

    /** dx = k1 * dy - k2 * (x - mu) - k3 over [base, base+len) (dx may be dy). */
    static void bnBackward(float[] x, float[] dy, float[] dx, int base, int len, float mu, float k1, float k2, float k3) {
        FloatVector m = FloatVector.broadcast(S, mu), a = FloatVector.broadcast(S, k1), b = FloatVector.broadcast(S, -k2),
                c = FloatVector.broadcast(S, -k3);
        int i = 0;
        for (; i <= len - VL; i += VL) {
            FloatVector g = FloatVector.fromArray(S, dy, base + i), v = FloatVector.fromArray(S, x, base + i).sub(m);
            g.fma(a, v.fma(b, c)).intoArray(dx, base + i);
        }
        for (; i < len; i++) dx[base + i] = Math.fma(dy[base + i], k1, Math.fma(x[base + i] - mu, -k2, -k3));
    }

    /** Adam.step over [from, to), the same operations in the same order. */
    static void adam(float[] param, float[] grad, float[] m, float[] v, float[] hp, int from, int to) {
        float b1 = hp[Adam.BETA1], ob1 = hp[Adam.ONE_MINUS_BETA1], b2 = hp[Adam.BETA2], ob2 = hp[Adam.ONE_MINUS_BETA2];
        float eps = hp[Adam.EPS], step = hp[Adam.STEP_SIZE], bc2 = hp[Adam.BC2_SQRT];
        int i = from, end = from + (to - from) / VL * VL;
        for (; i < end; i += VL) {
            FloatVector g = FloatVector.fromArray(S, grad, i);
            FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(g.mul(ob1));
            FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(g.mul(g).mul(ob2));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.sqrt().div(bc2).add(eps);
            FloatVector p = FloatVector.fromArray(S, param, i);
            p.sub(mi.div(denom).mul(step)).intoArray(param, i);
        }
        for (; i < to; i++) {
            float g = grad[i];
            float mi = m[i] * b1 + g * ob1;
            float vi = v[i] * b2 + g * g * ob2;
            m[i] = mi;
            v[i] = vi;
            float denom = (float) Math.sqrt(vi) / bc2 + eps;
            param[i] = param[i] - step * (mi / denom);
        }
    }
}
