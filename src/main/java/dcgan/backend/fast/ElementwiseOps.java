package dcgan.backend.fast;

import static dcgan.backend.fast.Gemm.ceilDiv;

/**
 * Activations, their gradients, fill and Adam on the Vector API ({@link VectorElementwise}), split over the
 * threads in fixed chunks. Used only when the Vector API is compiled; else the facade calls the reference.
 */
final class ElementwiseOps {
    /** Elements per work item of the element-wise ops (a multiple of every vector length). */
    static final int CHUNK = 1 << 15;

    private final Workers workers;

    ElementwiseOps(Workers workers) {
        this.workers = workers;
    }

    /** c = op(a, b, value) over [0, len) (see {@link VectorElementwise#apply}). */
    void apply(int op, float[] a, float[] b, float[] c, float value, int len) {
        workers.run(ceilDiv(len, CHUNK), (item, slot) -> {
            int from = item * CHUNK, to = Math.min(len, from + CHUNK);
            VectorElementwise.apply(op, a, b, c, value, from, to);
        });
    }

    /** One Adam step over [0, len) (see {@link VectorElementwise#adam}). */
    void adam(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {
        workers.run(ceilDiv(len, CHUNK), (item, slot) -> {
            int from = item * CHUNK, to = Math.min(len, from + CHUNK);
            VectorElementwise.adam(param, grad, m, v, hp, from, to);
        });
    }
}
