package dcgan.backend.tornado;

import dcgan.backend.Backend;
import dcgan.backend.ConvTransposeAsAdjoint;
import dcgan.kernels.Activations;
import dcgan.kernels.Adam;
import dcgan.kernels.BCELoss;
import dcgan.kernels.BatchNorm2d;
import dcgan.kernels.Conv2d;
import dcgan.kernels.ConvTranspose2d;
import dcgan.kernels.Fill;
import dcgan.kernels.Linear;
import dcgan.kernels.PixelShuffle;
import dcgan.kernels.SoftmaxCrossEntropy;
import dcgan.kernels.Upsample;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the very kernels of kernels/ through TornadoVM, which JIT-compiles them to OpenCL or PTX.
 *
 * <p>Calls are not run one by one: they are recorded until the host needs a result ({@link #toHost}).
 * The recorded sequence becomes one TaskGraph — for training, the whole iteration (D on real, G, D on
 * fake, D's Adam, D on fake through G, G's Adam): about a hundred tasks in one execution plan. The plan
 * is kept and re-executed as long as the next sequence is the same, which it is every iteration.
 *
 * <p>Data stays on the device. Large buffers (weights, gradients, Adam moments, activations) go in once
 * and come back only on demand (checkpoints, sample grids). Each execution moves only the buffers the
 * caller marked with {@link #toDevice} (the real batch, the noise, Adam's step scalars), the results it
 * asked back with {@link #toHost} (the stats-line scalars), and per-channel BatchNorm state and other
 * buffers of at most {@value #SMALL} floats, so the host's copy of those is always current. The scratch buffers of
 * the two-level reductions (BatchNorm sums, small weight gradients, BCE) are the backend's own and stay on the device.
 */
public final class TornadoBackend implements Backend {
    /** Buffers up to this many floats travel with every execution (both ways). */
    static final int SMALL = 4096;
    /** Tasks per TaskGraph: TornadoVM's graph bytecode buffer (8 KiB) holds about a hundred of ours. */
    static final int TASKS_PER_GRAPH = 64;

    private interface TaskAdder {
        void add(TaskGraph graph, String id);
    }

    private record Op(String kernel, Object[] args, TaskAdder adder) {}

    /** A recorded op sequence, compared by kernel names, array identities and scalar values. */
    private static final class Signature {
        final List<Object> items = new ArrayList<>();

        void add(Op op) {
            items.add(op.kernel());
            for (Object a : op.args()) items.add(a instanceof float[] f ? new Identity(f) : a);
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

    private final TornadoDevice device;
    private final List<Op> pending = new ArrayList<>();
    private final Set<float[]> pendingInputs = Collections.newSetFromMap(new IdentityHashMap<>());
    /** -Ddcgan.convt=explicit: the dilated-buffer ConvTranspose2d forward and the % s backward input (as jvm-plain). */
    private final boolean explicitZeroInsertion = dcgan.backend.jvm.JvmBackend.explicitFromProperty();
    private final Map<float[], float[]> dilatedFor = new IdentityHashMap<>();
    private final Map<float[], float[]> flippedFor = new IdentityHashMap<>();
    /** Scratch buffers of the two-level reductions' partial sums, one per size, shared by every call of that size. */
    private final Map<Integer, float[]> scratchBySize = new java.util.HashMap<>();
    private final Set<float[]> scratch = Collections.newSetFromMap(new IdentityHashMap<>());
    private Signature planSignature;
    private TornadoExecutionPlan plan;
    private TornadoExecutionResult[] results;
    private Map<float[], Integer> planOwner = Map.of();
    private List<float[]> everyOutList = List.of();
    private Set<float[]> planArrays = Set.of();
    private Set<float[]> planEveryIn = Set.of();
    private Set<float[]> planEveryOut = Set.of();
    private int graphCount;
    private boolean profile;
    private int[] logSeen = new int[0];
    private final Map<String, long[]> kernelNanos = new java.util.TreeMap<>();
    private static final java.util.regex.Pattern TASK_TIME = java.util.regex.Pattern.compile(
            "\"[^\"]*\\.t\\d+_(\\w+)\": \\{[^}]*?\"TASK_KERNEL_TIME\": \"(\\d+)\"");
    private static final java.util.regex.Pattern COPY_TIME = java.util.regex.Pattern.compile(
            "\"(COPY_IN_TIME|COPY_OUT_TIME)\": \"(\\d+)\"");

    /** @param device "backend:device" index as TornadoVM numbers them, or null for TornadoVM's default */
    public TornadoBackend(String device) {
        // A graph of 64 of our tasks needs more TornadoVM bytecode than its default 4 KiB buffer.
        if (System.getProperty("tornado.tvm.maxbytecodesize") == null) {
            System.setProperty("tornado.tvm.maxbytecodesize", "65536");
        }
        this.device = device == null ? null : parseDevice(device);
    }

    static TornadoDevice parseDevice(String spec) {
        String[] parts = spec.split(":");
        if (parts.length != 2) throw new IllegalArgumentException("--device must be backend:device, e.g. 0:0, got '" + spec + "'");
        int b, d;
        try {
            b = Integer.parseInt(parts[0].trim());
            d = Integer.parseInt(parts[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--device must be backend:device, e.g. 0:0, got '" + spec + "'");
        }
        var map = TornadoExecutionPlan.getTornadoDeviceMap();
        if (b < 0 || b >= map.getNumBackends()) {
            throw new IllegalArgumentException("no TornadoVM backend " + b + " (there are " + map.getNumBackends() + "; see `dcgan info`)");
        }
        var backend = map.getAllBackends().get(b);
        if (d < 0 || d >= backend.getNumDevices()) {
            throw new IllegalArgumentException("TornadoVM backend " + b + " has no device " + d + " (see `dcgan info`)");
        }
        return backend.getDevice(d);
    }

    @Override public String name() {
        return "tornado";
    }

    @Override public boolean onHost() {
        return false;
    }

    /** The device the plan runs on, as TornadoVM describes it. */
    public String deviceDescription() {
        TornadoDevice d = device != null ? device : TornadoExecutionPlan.DEFAULT_DEVICE;
        return d.getPhysicalDevice().getDeviceName() + " (" + d.getTornadoVMBackend() + ")";
    }

    // ------------------------------------------------------------------ recording

    /**
     * A scratch buffer of size floats for partial sums: written and read only on the device (by consecutive tasks of
     * one call), so it is never copied back, and copied in only once, with the plan.
     */
    private float[] scratch(int size) {
        return scratchBySize.computeIfAbsent(size, k -> {
            float[] a = new float[k];
            scratch.add(a);
            return a;
        });
    }

    private void record(String kernel, TaskAdder adder, Object... args) {
        pending.add(new Op(kernel, args, adder));
    }

    @Override
    public void conv2dForward(float[] x, float[] w, float[] y, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        record("conv2dForward", (g, id) -> g.task(id, Conv2d::forward, x, w, y, n, cin, h, wd, cout, k, s, p),
                x, w, y, n, cin, h, wd, cout, k, s, p);
    }

    @Override
    public void conv2dBackwardInput(float[] dy, float[] w, float[] dx, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        if (explicitZeroInsertion) {
            record("conv2dBackwardInput", (g, id) -> g.task(id, Conv2d::backwardInput, dy, w, dx, n, cin, h, wd, cout, k, s, p),
                    dy, w, dx, n, cin, h, wd, cout, k, s, p);
            return;
        }
        // only the taps whose (i + p - k) is divisible by s: no idle lanes on the % s test (bit-identical)
        record("conv2dBackwardInputPhase", (g, id) -> g.task(id, Conv2d::backwardInputPhase, dy, w, dx, n, cin, h, wd, cout, k, s, p),
                dy, w, dx, n, cin, h, wd, cout, k, s, p);
    }

    @Override
    public void conv2dBackwardWeight(float[] x, float[] dy, float[] dw, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        if (!Conv2d.twoLevelWeightGradient(cout, cin, k)) {
            record("conv2dBackwardWeight", (g, id) -> g.task(id, Conv2d::backwardWeight, x, dy, dw, n, cin, h, wd, cout, k, s, p),
                    x, dy, dw, n, cin, h, wd, cout, k, s, p);
            return;
        }
        // few weights: n times the work-items as per-image partials, then their sum in image order (the same floats)
        int weights = cout * cin * k * k;
        float[] part = scratch(n * weights);
        record("conv2dBackwardWeightPartials", (g, id) -> g.task(id, Conv2d::backwardWeightPartials, x, dy, part, n, cin, h, wd,
                cout, k, s, p), x, dy, part, n, cin, h, wd, cout, k, s, p);
        record("conv2dBackwardWeightSum", (g, id) -> g.task(id, Conv2d::backwardWeightSum, part, dw, n, weights),
                part, dw, n, weights);
    }

    @Override
    public void convTranspose2dForward(float[] x, float[] w, float[] y, int n, int cin, int h, int wd, int cout, int k, int s, int p, int op) {
        if (p > k - 1) throw new IllegalArgumentException("ConvTranspose2d by zero-insertion needs padding <= k-1");
        Backend.checkOutputPadding(s, op);
        if (!explicitZeroInsertion) {
            // the zero-insertion sums over only the taps that land on real input pixels (bit-identical, no dilated buffer)
            record("convTranspose2dForwardPhase", (g, id) -> g.task(id, ConvTranspose2d::forwardPhase, x, w, y, n, cin, h, wd, cout, k, s, p, op),
                    x, w, y, n, cin, h, wd, cout, k, s, p, op);
            return;
        }
        int hz = ConvTranspose2d.dilatedSize(h, k, s, p, op), wz = ConvTranspose2d.dilatedSize(wd, k, s, p, op);
        float[] z = dilatedFor.computeIfAbsent(y, key -> new float[n * cin * hz * wz]);
        float[] wf = flippedFor.computeIfAbsent(w, key -> new float[cin * cout * k * k]);
        record("dilate", (g, id) -> g.task(id, ConvTranspose2d::dilate, x, z, n, cin, h, wd, k, s, p, op),
                x, z, n, cin, h, wd, k, s, p, op);
        record("flipKernel", (g, id) -> g.task(id, ConvTranspose2d::flipKernel, w, wf, cin, cout, k), w, wf, cin, cout, k);
        conv2dForward(z, wf, y, n, cin, hz, wz, cout, k, 1, 0);
    }

    @Override
    public void convTranspose2dBackwardInput(float[] dy, float[] w, float[] dx, int n, int cin, int h, int wd, int cout, int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardInput(this, dy, w, dx, n, cin, h, wd, cout, k, s, p, op);
    }

    @Override
    public void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dw, int n, int cin, int h, int wd, int cout, int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardWeight(this, x, dy, dw, n, cin, h, wd, cout, k, s, p, op);
    }

    @Override public void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w) {
        record("upNearest", (g, id) -> g.task(id, Upsample::nearest2x, x, y, n, c, h, w), x, y, n, c, h, w);
    }

    @Override public void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        record("upNearestBackward", (g, id) -> g.task(id, Upsample::nearest2xBackward, dy, dx, n, c, h, w), dy, dx, n, c, h, w);
    }

    @Override public void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w) {
        record("upBilinear", (g, id) -> g.task(id, Upsample::bilinear2x, x, y, n, c, h, w), x, y, n, c, h, w);
    }

    @Override public void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        record("upBilinearBackward", (g, id) -> g.task(id, Upsample::bilinear2xBackward, dy, dx, n, c, h, w), dy, dx, n, c, h, w);
    }

    @Override public void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r) {
        record("pixelShuffle", (g, id) -> g.task(id, PixelShuffle::forward, x, y, n, c, h, w, r), x, y, n, c, h, w, r);
    }

    @Override public void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {
        record("pixelShuffleBackward", (g, id) -> g.task(id, PixelShuffle::backward, dy, dx, n, c, h, w, r), dy, dx, n, c, h, w, r);
    }

    @Override
    public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        float[] part = scratch(BatchNorm2d.partialsLength(n, c, hw));
        record("bnStatsPartials", (g, id) -> g.task(id, BatchNorm2d::statsPartials, x, part, n, c, hw), x, part, n, c, hw);
        record("bnStatsCombine", (g, id) -> g.task(id, BatchNorm2d::statsCombine, part, mean, invstd, runMean, runVar, n, c, hw),
                part, mean, invstd, runMean, runVar, n, c, hw);
    }

    @Override
    public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        record("bnNormalize", (g, id) -> g.task(id, BatchNorm2d::normalizeAffine, x, y, mean, invstd, gamma, beta, n, c, hw),
                x, y, mean, invstd, gamma, beta, n, c, hw);
    }

    @Override
    public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                             float slope, int n, int c, int hw) {
        record("bnNormalizeAct", (g, id) -> g.task(id, BatchNorm2d::normalizeAffineLeaky, x, y, mean, invstd, gamma, beta,
                slope, n, c, hw), x, y, mean, invstd, gamma, beta, slope, n, c, hw);
    }

    @Override
    public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        record("bnEval", (g, id) -> g.task(id, BatchNorm2d::forwardEval, x, y, runMean, runVar, gamma, beta, n, c, hw),
                x, y, runMean, runVar, gamma, beta, n, c, hw);
    }

    @Override
    public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        float[] part = scratch(BatchNorm2d.partialsLength(n, c, hw));
        record("bnBackwardPartials", (g, id) -> g.task(id, BatchNorm2d::backwardPartials, x, dy, mean, invstd, part, n, c, hw),
                x, dy, mean, invstd, part, n, c, hw);
        record("bnBackwardCombine", (g, id) -> g.task(id, BatchNorm2d::backwardCombine, part, sumDy, sumDyXhat, dgamma, dbeta,
                n, c, hw), part, sumDy, sumDyXhat, dgamma, dbeta, n, c, hw);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        record("bnBackwardInput", (g, id) -> g.task(id, BatchNorm2d::backwardInput, x, dy, dx, mean, invstd, gamma,
                sumDy, sumDyXhat, n, c, hw), x, dy, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, c, hw);
    }

    @Override public void relu(float[] x, float[] y, int len) {
        record("relu", (g, id) -> g.task(id, Activations::reluForward, x, y, len), x, y, len);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) {
        record("reluBackward", (g, id) -> g.task(id, Activations::reluBackward, y, dy, dx, len), y, dy, dx, len);
    }

    @Override public void leakyRelu(float[] x, float[] y, int len) {
        record("leakyRelu", (g, id) -> g.task(id, Activations::leakyReluForward, x, y, len), x, y, len);
    }

    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) {
        record("leakyReluBackward", (g, id) -> g.task(id, Activations::leakyReluBackward, y, dy, dx, len), y, dy, dx, len);
    }

    @Override public void tanh(float[] x, float[] y, int len) {
        record("tanh", (g, id) -> g.task(id, Activations::tanhForward, x, y, len), x, y, len);
    }

    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) {
        record("tanhBackward", (g, id) -> g.task(id, Activations::tanhBackward, y, dy, dx, len), y, dy, dx, len);
    }

    @Override public void sigmoid(float[] x, float[] y, int len) {
        record("sigmoid", (g, id) -> g.task(id, Activations::sigmoidForward, x, y, len), x, y, len);
    }

    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {
        record("sigmoidBackward", (g, id) -> g.task(id, Activations::sigmoidBackward, y, dy, dx, len), y, dy, dx, len);
    }

    @Override public void linearForward(float[] x, float[] w, float[] b, float[] y, int n, int in, int out) {
        record("linearForward", (g, id) -> g.task(id, Linear::forward, x, w, b, y, n, in, out), x, w, b, y, n, in, out);
    }

    @Override public void linearBackwardInput(float[] dy, float[] w, float[] dx, int n, int in, int out) {
        record("linearBackwardInput", (g, id) -> g.task(id, Linear::backwardInput, dy, w, dx, n, in, out), dy, w, dx, n, in, out);
    }

    @Override public void linearBackwardWeight(float[] x, float[] dy, float[] dw, int n, int in, int out) {
        record("linearBackwardWeight", (g, id) -> g.task(id, Linear::backwardWeight, x, dy, dw, n, in, out), x, dy, dw, n, in, out);
    }

    @Override public void linearBackwardBias(float[] dy, float[] db, int n, int out) {
        record("linearBackwardBias", (g, id) -> g.task(id, Linear::backwardBias, dy, db, n, out), dy, db, n, out);
    }

    @Override public void softmax(float[] logits, float[] probs, int n, int k) {
        record("softmax", (g, id) -> g.task(id, SoftmaxCrossEntropy::softmax, logits, probs, n, k), logits, probs, n, k);
    }

    @Override public void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k) {
        record("crossEntropyLoss", (g, id) -> g.task(id, SoftmaxCrossEntropy::loss, logits, labels, out, n, k), logits, labels, out, n, k);
    }

    @Override public void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k) {
        record("crossEntropyBackward", (g, id) -> g.task(id, SoftmaxCrossEntropy::backward, probs, labels, dlogits, n, k),
                probs, labels, dlogits, n, k);
    }

    @Override public void bceForward(float[] p, float[] out, float label, int n) {
        float[] terms = scratch(n);
        record("bceForwardTerms", (g, id) -> g.task(id, BCELoss::forwardTerms, p, terms, label, n), p, terms, label, n);
        record("bceForwardSum", (g, id) -> g.task(id, BCELoss::forwardSum, terms, p, out, n), terms, p, out, n);
    }

    @Override public void bceBackward(float[] p, float[] dp, float label, int n) {
        record("bceBackward", (g, id) -> g.task(id, BCELoss::backward, p, dp, label, n), p, dp, label, n);
    }

    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {
        record("adam", (g, id) -> g.task(id, Adam::update, param, grad, m, v, hp, len), param, grad, m, v, hp, len);
    }

    @Override public void fill(float[] a, float value, int len) {
        record("fill", (g, id) -> g.task(id, Fill::fill, a, value, len), a, value, len);
    }

    // ------------------------------------------------------------------ execution and data movement

    @Override
    public void toDevice(float[]... buffers) {
        for (float[] b : buffers) {
            pendingInputs.add(b);
        }
        // The host changed a buffer that the kept plan holds on the device: bring the plan's other buffers
        // home, then forget it, so that the next plan uploads the host's values.
        for (float[] b : buffers) {
            if (plan != null && pending.isEmpty() && planArrays.contains(b) && !planEveryIn.contains(b)) {
                Set<float[]> changed = Collections.newSetFromMap(new IdentityHashMap<>());
                changed.addAll(List.of(buffers));
                dropPlan(changed);
                break;
            }
        }
    }

    @Override
    public void toHost(float[]... buffers) {
        if (!pending.isEmpty()) flush(buffers);
        if (plan == null || results[0] == null) return;
        List<float[]> wanted = new ArrayList<>();
        for (float[] b : buffers) {
            if (planArrays.contains(b) && !planEveryOut.contains(b)) wanted.add(b);
        }
        if (!wanted.isEmpty()) transferBack(wanted);
    }

    /** Runs the recorded ops: the kept plan if they are the same sequence, else a new graph. */
    private void flush(float[]... outputs) {
        Signature sig = new Signature();
        for (Op op : pending) sig.add(op);
        // Buffers of at most SMALL floats go in on every execution anyway, so marking one does not change the
        // plan (and must not force a new one: the sampler's toDevice of G's BatchNorm state would otherwise
        // rebuild, and so re-JIT, the whole training plan at the next iteration).
        for (float[] in : pendingInputs) if (in.length > SMALL) sig.items.add(new Identity(in));
        if (!sig.equals(planSignature)) {
            // The host's copies of the buffers marked with toDevice since the last execution are newer than the
            // device's: do not overwrite them with the old plan's (e.g. the next real batch with the last one).
            Set<float[]> changed = Collections.newSetFromMap(new IdentityHashMap<>());
            changed.addAll(pendingInputs);
            dropPlan(changed);
            build(sig, outputs);
        }
        pending.clear();
        pendingInputs.clear();
        execute();
    }

    /**
     * Builds the plan for the pending ops. TornadoVM bounds the tasks of one TaskGraph (its graph bytecode
     * buffer holds about a hundred), so a long sequence becomes several graphs of at most
     * {@value #TASKS_PER_GRAPH} tasks in one plan, run in order; a buffer goes to the device in the first
     * graph that uses it and stays there (persistOnDevice), each later graph taking it from the one before
     * (consumeFromDevice). Results come back from the last graph that uses them.
     */
    private void build(Signature sig, float[]... outputs) {
        Set<float[]> arrays = Collections.newSetFromMap(new IdentityHashMap<>());
        List<float[]> ordered = new ArrayList<>();
        Map<float[], Integer> firstUse = new IdentityHashMap<>(), lastUse = new IdentityHashMap<>();
        int chunks = (pending.size() + TASKS_PER_GRAPH - 1) / TASKS_PER_GRAPH;
        for (int i = 0; i < pending.size(); i++) {
            int c = i / TASKS_PER_GRAPH;
            for (Object a : pending.get(i).args()) {
                if (a instanceof float[] f) {
                    if (arrays.add(f)) ordered.add(f);
                    firstUse.putIfAbsent(f, c);
                    lastUse.put(f, c);
                }
            }
        }
        Set<float[]> everyIn = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<float[]> everyOut = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] a : ordered) {
            if (a.length <= SMALL && !scratch.contains(a)) {
                everyIn.add(a);
                everyOut.add(a);
            }
        }
        for (float[] a : pendingInputs) if (arrays.contains(a)) everyIn.add(a);
        for (float[] a : outputs) if (arrays.contains(a)) everyOut.add(a);

        ImmutableTaskGraph[] graphs = new ImmutableTaskGraph[chunks];
        String[] names = new String[chunks];
        for (int c = 0; c < chunks; c++) {
            names[c] = "dcgan" + graphCount++;
            TaskGraph graph = new TaskGraph(names[c]);
            int from = c * TASKS_PER_GRAPH, to = Math.min(pending.size(), from + TASKS_PER_GRAPH);
            List<Object> first = new ArrayList<>(), every = new ArrayList<>(), persist = new ArrayList<>();
            List<Object> demand = new ArrayList<>(), liveIn = new ArrayList<>();
            for (float[] a : ordered) {
                int fu = firstUse.get(a), lu = lastUse.get(a);
                // TornadoVM hands persisted buffers from the last executed graph to the next one only, so a
                // buffer alive across graph c is relayed through it even when none of c's tasks touches it.
                if (fu < c && lu >= c) liveIn.add(a);
                if (fu == c) (everyIn.contains(a) ? every : first).add(a);
                if (fu <= c && lu > c) persist.add(a);
                // Results come back on demand through the last graph that uses the buffer (a graph does
                // not copy out buffers it consumed, even when asked to on every execution).
                if (lu == c) demand.add(a);
            }
            if (!liveIn.isEmpty()) graph.consumeFromDevice(names[c - 1], liveIn.toArray());
            if (!first.isEmpty()) graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, first.toArray());
            if (!every.isEmpty()) graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, every.toArray());
            for (int i = from; i < to; i++) {
                Op op = pending.get(i);
                op.adder().add(graph, "t" + i + "_" + op.kernel());
            }
            if (!persist.isEmpty()) graph.persistOnDevice(persist.toArray());
            if (!demand.isEmpty()) graph.transferToHost(DataTransferMode.UNDER_DEMAND, demand.toArray());
            graphs[c] = graph.snapshot();
        }
        plan = new TornadoExecutionPlan(graphs);
        if (device != null) plan.withDevice(device);
        if (profile) plan.withProfiler(uk.ac.manchester.tornado.api.enums.ProfilerMode.SILENT);
        logSeen = new int[chunks];
        results = new TornadoExecutionResult[chunks];
        planSignature = sig;
        planArrays = arrays;
        planOwner = lastUse;
        everyOutList = new ArrayList<>();
        for (float[] a : ordered) if (everyOut.contains(a)) everyOutList.add(a);
        planEveryIn = everyIn;
        planEveryOut = everyOut;
    }

    private void execute() {
        for (int c = 0; c < results.length; c++) {
            results[c] = results.length == 1 ? plan.execute() : plan.withGraph(c).execute();
            if (profile) collectProfile(c);
        }
        transferBack(everyOutList);
    }

    @Override
    public void enableProfiler() {
        profile = true;
        if (plan != null) plan.withProfiler(uk.ac.manchester.tornado.api.enums.ProfilerMode.SILENT);
    }

    /** Adds the device kernel time of each task (and copy times) of graph c's last execution, by kernel name. */
    private void collectProfile(int c) {
        String log = results[c].getProfilerResult().getProfileLog();
        if (log == null) return;
        String fresh = log.length() >= logSeen[c] ? log.substring(logSeen[c]) : log;
        logSeen[c] = log.length();
        var m = TASK_TIME.matcher(fresh);
        while (m.find()) {
            long[] t = kernelNanos.computeIfAbsent(m.group(1), k -> new long[2]);
            t[0]++;
            t[1] += Long.parseLong(m.group(2));
        }
        var copies = COPY_TIME.matcher(fresh);
        while (copies.find()) {
            long[] t = kernelNanos.computeIfAbsent("(" + copies.group(1).toLowerCase(java.util.Locale.ROOT) + ")", k -> new long[2]);
            t[0]++;
            t[1] += Long.parseLong(copies.group(2));
        }
    }

    @Override
    public Map<String, Backend.KernelTime> kernelTimes(boolean reset) {
        Map<String, Backend.KernelTime> out = new java.util.TreeMap<>();
        kernelNanos.forEach((k, v) -> out.put(k, new Backend.KernelTime(v[0], v[1])));
        if (reset) kernelNanos.clear();
        return out;
    }

    /** Copies buffers of the kept plan back to the host, each through the graph that owns it. */
    private void transferBack(List<float[]> buffers) {
        Map<Integer, List<Object>> byGraph = new java.util.TreeMap<>();
        for (float[] b : buffers) byGraph.computeIfAbsent(planOwner.get(b), c -> new ArrayList<>()).add(b);
        for (var e : byGraph.entrySet()) {
            // A result copies through the plan's selected graph, so select the graph first.
            if (results.length > 1) plan.withGraph(e.getKey());
            results[e.getKey()].transferToHost(e.getValue().toArray());
        }
    }

    /** Forgets the kept plan after bringing its device-resident buffers, but those in keep, back to the host. */
    private void dropPlan(Set<float[]> keep) {
        if (plan == null) return;
        if (results[0] != null) {
            List<float[]> resident = new ArrayList<>();
            for (float[] a : planArrays) {
                if (!planEveryOut.contains(a) && !keep.contains(a) && !scratch.contains(a)) resident.add(a);
            }
            if (!resident.isEmpty()) transferBack(resident);
        }
        try {
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("TornadoVM could not free its plan: " + e.getMessage(), e);
        }
        plan = null;
        results = null;
        planSignature = null;
        planArrays = Set.of();
        planEveryIn = Set.of();
        planEveryOut = Set.of();
    }

    @Override
    public void close() {
        if (!pending.isEmpty()) flush();
        dropPlan(Set.of());
    }
}
