package dcgan.backend.tornado;

import uk.ac.manchester.tornado.api.TaskGraph;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The calls of the backend not yet run: each a task to add to a TaskGraph, in call order, with the buffers the
 * host marked as changed since the last execution ({@code toDevice}). Owns the buffers that only the device uses:
 * scratch buffers of the two-level reductions' partial sums, and the zero-inserted inputs and flipped kernels of
 * the explicit ConvTranspose2d form.
 */
final class Recorder {
    /**
     * A marked buffer up to this many floats is not part of the plan's signature (marking one, as the sampler does
     * with G's BatchNorm state, must not force a new plan), and it comes back with every execution (see {@link Plan}).
     */
    static final int SMALL = 4096;

    /** Adds one recorded call to a graph as a task named id. */
    interface TaskAdder {
        void add(TaskGraph graph, String id);
    }

    /**
     * One recorded call: the kernel's name (the task's and the profiler's), its arguments, how to add it, and for a
     * KernelContext kernel its launch grid (null: TornadoVM picks one for the {@code @Parallel} loops).
     */
    record Op(String kernel, Object[] args, TaskAdder adder, Grid grid) {}

    /** A 2-D launch: global work-items along x and y, and the work-group (local) size. */
    record Grid(int globalX, int globalY, int localX, int localY) {
        Grid {
            if (globalX % localX != 0 || globalY % localY != 0) {
                throw new IllegalArgumentException("global work " + globalX + "x" + globalY + " is not a multiple of the local size "
                        + localX + "x" + localY);
            }
        }
    }

    /** A recorded op sequence, compared by kernel names, array identities and scalar values. */
    static final class Signature {
        private final List<Object> items = new ArrayList<>();

        void add(Op op) {
            items.add(op.kernel());
            for (Object a : op.args()) items.add(a instanceof float[] f ? new Identity(f) : a);
        }

        void addInput(float[] a) {
            items.add(new Identity(a));
        }

        @Override public boolean equals(Object o) {
            return o instanceof Signature s && items.equals(s.items);
        }

        @Override public int hashCode() {
            return items.hashCode();
        }
    }

    private record Identity(float[] array) {
        @Override public boolean equals(Object o) {
            return o instanceof Identity i && i.array == array;
        }

        @Override public int hashCode() {
            return System.identityHashCode(array);
        }
    }

    private final List<Op> pending = new ArrayList<>();
    /** Indexes of pending ops that start a training phase ({@code Backend.phase}): the plan cuts its graphs there. */
    private final java.util.BitSet phaseStarts = new java.util.BitSet();
    private final Set<float[]> pendingInputs = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Scratch buffers of the two-level reductions' partial sums, one per size, shared by every call of that size. */
    private final Map<Integer, float[]> scratchBySize = new HashMap<>();
    private final Set<float[]> scratch = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<float[], float[]> dilatedFor = new IdentityHashMap<>();
    private final Map<float[], float[]> flippedFor = new IdentityHashMap<>();

    void record(String kernel, TaskAdder adder, Object... args) {
        pending.add(new Op(kernel, args, adder, null));
    }

    /** A KernelContext kernel, launched on grid. */
    void record(String kernel, Grid grid, TaskAdder adder, Object... args) {
        pending.add(new Op(kernel, args, adder, grid));
    }

    /** The next recorded op starts a phase of the training step. */
    void phase() {
        if (!pending.isEmpty()) phaseStarts.set(pending.size());
    }

    /** Indexes of the pending ops that start a phase. */
    java.util.BitSet phaseStarts() {
        return phaseStarts;
    }

    /** The host changed these buffers: the next execution sends them. */
    void markInputs(float[]... buffers) {
        Collections.addAll(pendingInputs, buffers);
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    List<Op> ops() {
        return pending;
    }

    Set<float[]> inputs() {
        return pendingInputs;
    }

    /**
     * The pending sequence's signature. A marked buffer of at most SMALL floats does not change it: the sampler's
     * toDevice of G's BatchNorm state would otherwise rebuild, and so re-JIT, the whole training plan at the next
     * iteration.
     */
    Signature signature() {
        Signature sig = new Signature();
        for (int i = 0; i < pending.size(); i++) {
            if (phaseStarts.get(i)) sig.items.add("|phase");
            sig.add(pending.get(i));
        }
        for (float[] in : pendingInputs) if (in.length > SMALL) sig.addInput(in);
        return sig;
    }

    /** Forgets the pending ops and inputs (they were handed to a plan). */
    void clear() {
        pending.clear();
        pendingInputs.clear();
        phaseStarts.clear();
    }

    /**
     * A scratch buffer of size floats for partial sums: written and read only on the device (by consecutive tasks of
     * one call), so it is never copied back, and copied in only once, with the plan.
     */
    float[] scratch(int size) {
        return scratchBySize.computeIfAbsent(size, k -> {
            float[] a = new float[k];
            scratch.add(a);
            return a;
        });
    }

    boolean isScratch(float[] a) {
        return scratch.contains(a);
    }

    /** The zero-inserted input buffer of the explicit ConvTranspose2d whose output is y. */
    float[] dilatedFor(float[] y, int size) {
        return dilatedFor.computeIfAbsent(y, key -> new float[size]);
    }

    /** The flipped, transposed copy of ConvTranspose2d kernel w. */
    float[] flippedFor(float[] w, int size) {
        return flippedFor.computeIfAbsent(w, key -> new float[size]);
    }
}
