package dcgan.backend.fast;

/**
 * The fast backend's workspaces: one {@link Slot} per thread, the shared packed A panels, the phase planes of a
 * whole batch and the weight gradient's partial sums. They grow on first use to the largest call seen and are
 * reused afterwards (so a training step allocates only a few small objects per call).
 */
final class Workspaces {
    private final Slot[] slots;
    private float[] apack = new float[0];
    private float[] ppAll = new float[0];
    private float[] partial = new float[0];

    Workspaces(int threads, int tileFloats) {
        slots = new Slot[threads];
        for (int i = 0; i < threads; i++) slots[i] = new Slot(tileFloats);
    }

    /** The workspaces of a {@link Workers} slot. */
    Slot slot(int slot) {
        return slots[slot];
    }

    /** Prepacked A panels, at least n floats. */
    float[] apack(int n) {
        if (apack.length < n) apack = new float[n];
        return apack;
    }

    /** Phase planes of all images of a batch, at least n floats. */
    float[] ppAll(int n) {
        if (ppAll.length < n) ppAll = new float[n];
        return ppAll;
    }

    /** Partial sums (of the weight gradient), at least n floats. */
    float[] partial(int n) {
        if (partial.length < n) partial = new float[n];
        return partial;
    }

    long bytes() {
        long sum = 4L * (apack.length + ppAll.length + partial.length);
        for (Slot s : slots) sum += s.bytes();
        return sum;
    }
}
