package dcgan.backend.tornado;

import dcgan.backend.Backend.NetParams;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The declared nets' parameters as the device holds them. Per net and kind (values, gradients, first and second
 * moments) one buffer a with the weights and BatchNorm scales back to back in the net's order, and one buffer b with the
 * shifts (BatchNorm's and Linear's biases): a kernel gets a shift beside its layer's weight, and TornadoVM hangs when
 * a task gets one array twice (TornadoVM issue 650). Every kind has the same offsets, so one Adam or one zero_grad
 * launch covers the net ({@code Adam.updateNet}, {@code Fill.fillTwo}). Kernels reach a tensor through its
 * {@link Slot}: buffer and offset.
 *
 * <p>The model keeps its own per-tensor arrays. While no plan holds a buffer, those arrays are the current copy:
 * a new plan {@link #gather}s them into the buffers it uploads, and a plan that ends {@link #scatter}s its buffers
 * back into them (after bringing the buffers home).
 */
final class NetBuffers {
    /** Where a tensor lives: an undeclared array is its own buffer, at offset 0. */
    record Slot(float[] buffer, int offset) {}

    /** A declared net: a[kind] and b[kind] for kinds values, gradients, first moments, second moments. */
    record Net(float[][] a, float[][] b, int lengthA, int lengthB) {}

    private final Map<float[], Slot> slots = new IdentityHashMap<>();
    /** Each buffer's tensors, in order. */
    private final Map<float[], List<float[]>> membersOf = new IdentityHashMap<>();
    private final Map<NetParams, Net> nets = new IdentityHashMap<>();

    /** Lays out a net's tensors; a net declared before is left as it is. */
    void declare(NetParams p) {
        if (nets.containsKey(p)) return;
        float[][][] kinds = {p.data(), p.grad(), p.m(), p.v()};
        int lenA = 0, lenB = 0;
        for (int i = 0; i < p.data().length; i++) {
            if (p.bias()[i]) lenB += p.data()[i].length; else lenA += p.data()[i].length;
        }
        for (float[][] kind : kinds) {
            if (kind.length != p.data().length) throw new IllegalArgumentException(p.net() + ": unequal tensor counts");
            for (int i = 0; i < kind.length; i++) {
                if (kind[i].length != p.data()[i].length) {
                    throw new IllegalArgumentException(p.net() + ": tensor " + i + " has unequal lengths");
                }
                if (slots.containsKey(kind[i])) throw new IllegalArgumentException(p.net() + ": tensor " + i + " is declared twice");
            }
        }
        float[][] a = new float[4][], b = new float[4][];
        for (int k = 0; k < 4; k++) {
            a[k] = new float[lenA];
            b[k] = new float[Math.max(lenB, 1)];   // never empty: a device buffer of no bytes is an error
            List<float[]> inA = new ArrayList<>(), inB = new ArrayList<>();
            int offA = 0, offB = 0;
            for (int i = 0; i < kinds[k].length; i++) {
                float[] t = kinds[k][i];
                if (p.bias()[i]) {
                    slots.put(t, new Slot(b[k], offB));
                    offB += t.length;
                    inB.add(t);
                } else {
                    slots.put(t, new Slot(a[k], offA));
                    offA += t.length;
                    inA.add(t);
                }
            }
            membersOf.put(a[k], inA);
            membersOf.put(b[k], inB);
        }
        nets.put(p, new Net(a, b, lenA, lenB));
    }

    /** A declared net's buffers; null when undeclared. */
    Net net(NetParams p) {
        return nets.get(p);
    }

    Slot slot(float[] a) {
        Slot s = slots.get(a);
        return s != null ? s : new Slot(a, 0);
    }

    /** Whether a is one of the declared tensors (kept on the device inside a net's buffer). */
    boolean isMember(float[] a) {
        return slots.containsKey(a);
    }

    boolean isBuffer(float[] a) {
        return membersOf.containsKey(a);
    }

    /** The buffers among arrays (each once). */
    Set<float[]> buffersAmong(Iterable<float[]> arrays) {
        Set<float[]> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] a : arrays) if (isBuffer(a)) out.add(a);
        return out;
    }

    /** Copies the tensors into their buffer. */
    void gather(float[] buffer) {
        int off = 0;
        for (float[] t : membersOf.get(buffer)) {
            System.arraycopy(t, 0, buffer, off, t.length);
            off += t.length;
        }
    }

    /** Copies the buffer out into its tensors, but those in skip (the host changed them since). */
    void scatter(float[] buffer, Set<float[]> skip) {
        int off = 0;
        for (float[] t : membersOf.get(buffer)) {
            if (!skip.contains(t)) System.arraycopy(buffer, off, t, 0, t.length);
            off += t.length;
        }
    }

    /** Copies tensor a's part of its buffer out into a. */
    void copyOut(float[] a) {
        Slot s = slots.get(a);
        System.arraycopy(s.buffer(), s.offset(), a, 0, a.length);
    }

}
