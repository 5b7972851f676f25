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
import dcgan.backend.tornado.kernels.TiledConv;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the very kernels of kernels/ through TornadoVM, which JIT-compiles them to OpenCL or PTX.
 *
 * <p>Calls are not run one by one: the {@link Recorder} keeps them until the host needs a result ({@link #toHost}).
 * The recorded sequence becomes a {@link Plan}: TaskGraphs in one execution plan — for training, the whole iteration
 * (D on real, G, D on fake, D's Adam, D on fake through G, G's Adam), a couple of hundred tasks. The plan is kept
 * and re-executed as long as the next sequence is the same, which it is every iteration.
 *
 * <p>Data stays on the device: weights, gradients, Adam moments, activations and per-channel BatchNorm state go in
 * once and come back only on demand ({@link #toHost}: checkpoints, sample grids). Each execution moves only the
 * buffers the caller marked with {@link #toDevice} (the real batch, the noise, Adam's step scalars) and the results it
 * asked back (the stats-line scalars): a training iteration sends 4 buffers and brings 5 back. Each declared net's
 * parameters are one buffer per kind ({@link NetBuffers}), so Adam and zero_grad are one launch per net. The scratch
 * buffers of the two-level reductions (BatchNorm sums, small weight gradients, BCE) are the recorder's own and stay
 * on the device. The {@link Profiler} reads the device time per kernel when it is on.
 *
 * <p>This class is the facade: it maps each {@link Backend} call to its kernel's task(s) and moves data.
 */
public final class TornadoBackend implements Backend {
    private final TornadoDevice device;
    private final Recorder recorder = new Recorder();
    private final Profiler profiler = new Profiler();
    /**
     * -Ddcgan.tornado.conv: tiled (the convolutions as the KernelContext implicit GEMMs of kernels/TiledConv), plain (the
     * plain kernels), or auto, the default: tiled on a GPU or accelerator, plain on a CPU device (PoCL), where the
     * work-group barriers cost more than the tiles save.
     */
    public static final String CONV_PROPERTY = "dcgan.tornado.conv";
    private final boolean tiledConv;
    /**
     * The tiled weight gradient keeps one partial per (image, weight) on the device: up to this many floats (1 GiB; the
     * tutorial's largest layers at batch 128 take exactly that), beyond which the plain kernels run.
     */
    static final long TILED_WEIGHT_GRADIENT_FLOATS = 1L << 28;
    /** -Ddcgan.convt=explicit: the dilated-buffer ConvTranspose2d forward and the % s backward input (as jvm-plain). */
    private final boolean explicitZeroInsertion = dcgan.backend.jvm.JvmBackend.explicitFromProperty();
    /** Each declared net's values, gradients and Adam moments: one device buffer per kind, one more per kind for the shifts. */
    private final NetBuffers nets = new NetBuffers();
    /** Declared tensors the host changed (toDevice) since their net's buffers were filled from the host. */
    private final Set<float[]> changedTensors = Collections.newSetFromMap(new IdentityHashMap<>());
    private Plan plan;
    /** Graphs built so far, for unique graph names. */
    private int graphCount;

    /** @param device "backend:device" index as TornadoVM numbers them, or null for TornadoVM's default */
    public TornadoBackend(String device) {
        // A graph of 64 of our tasks needs more TornadoVM bytecode than its default 4 KiB buffer.
        if (System.getProperty("tornado.tvm.maxbytecodesize") == null) {
            System.setProperty("tornado.tvm.maxbytecodesize", "65536");
        }
        this.device = device == null ? null : TornadoDevices.parse(device);
        this.tiledConv = tiledFromProperty(this.device);
    }

    static boolean tiledFromProperty(TornadoDevice device) {
        String v = System.getProperty(CONV_PROPERTY, "auto");
        return switch (v) {
            case "tiled" -> true;
            case "plain" -> false;
            case "auto" -> TornadoDevices.isGpu(device);
            default -> throw new IllegalArgumentException("-D" + CONV_PROPERTY + " must be tiled, plain or auto, got '" + v + "'");
        };
    }

    @Override public String name() {
        return "tornado";
    }

    @Override public boolean onHost() {
        return false;
    }

    @Override public String describe() {
        return "tornado (" + deviceDescription() + "; convolutions " + (tiledConv ? "tiled" : "plain") + ")";
    }

    /** The device the plan runs on, as TornadoVM describes it. */
    public String deviceDescription() {
        return TornadoDevices.describe(device);
    }

    private float[] scratch(int size) {
        return recorder.scratch(size);
    }

    private void record(String kernel, Recorder.TaskAdder adder, Object... args) {
        recorder.record(kernel, adder, args);
    }

    // ------------------------------------------------------------------ recording

    @Override
    public void conv2dForward(float[] x, float[] w, float[] y, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        float[] wb = nets.slot(w).buffer();
        int wo = nets.slot(w).offset();
        if (tiledConv) {
            // implicit GEMM with local-memory tiles: M = n·oh·ow pixels along x, N = cout channels along y
            int m = n * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(wd, k, s, p);
            var grid = new Recorder.Grid(TiledConv.globalX(m), TiledConv.globalY(cout), TiledConv.LX, TiledConv.LY);
            recorder.record("conv2dForwardTiled", grid, (g, id) -> g.task(id, TiledConv::conv2dForward, new KernelContext(), x, wb, wo, y,
                    n, cin, h, wd, cout, k, s, p), x, wb, wo, y, n, cin, h, wd, cout, k, s, p);
            return;
        }
        record("conv2dForward", (g, id) -> g.task(id, Conv2d::forward, x, wb, wo, y, n, cin, h, wd, cout, k, s, p),
                x, wb, wo, y, n, cin, h, wd, cout, k, s, p);
    }

    @Override
    public void conv2dBackwardInput(float[] dy, float[] w, float[] dx, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        float[] wb = nets.slot(w).buffer();
        int wo = nets.slot(w).offset();
        if (explicitZeroInsertion) {
            record("conv2dBackwardInput", (g, id) -> g.task(id, Conv2d::backwardInput, dy, wb, wo, dx, n, cin, h, wd, cout, k, s, p),
                    dy, wb, wo, dx, n, cin, h, wd, cout, k, s, p);
            return;
        }
        int oh = Conv2d.outSize(h, k, s, p), ow = Conv2d.outSize(wd, k, s, p);
        if (tiledConv && oh >= k && ow >= k) {
            // per output phase an implicit GEMM over the taps that land (dy and the weight read as [cout][cin][k][k])
            var grid = new Recorder.Grid(TiledConv.phaseGlobalX(n, h, wd, s), TiledConv.phaseGlobalY(cin, s), TiledConv.LX, TiledConv.LY);
            recorder.record("conv2dBackwardInputTiled", grid, (g, id) -> g.task(id, TiledConv::transposedPhase, new KernelContext(),
                    dy, wb, wo, dx, n, cout, cin, h, wd, k, s, p, 0), dy, wb, wo, dx, n, cin, h, wd, cout, k, s, p);
            return;
        }
        // only the taps whose (i + p - k) is divisible by s: no idle lanes on the % s test (bit-identical)
        record("conv2dBackwardInputPhase", (g, id) -> g.task(id, Conv2d::backwardInputPhase, dy, wb, wo, dx, n, cin, h, wd, cout, k, s, p),
                dy, wb, wo, dx, n, cin, h, wd, cout, k, s, p);
    }

    @Override
    public void conv2dBackwardWeight(float[] x, float[] dy, float[] dw, int n, int cin, int h, int wd, int cout, int k, int s, int p) {
        float[] gb = nets.slot(dw).buffer();
        int go = nets.slot(dw).offset();
        int weights = cout * cin * k * k;
        if (tiledConv && (long) n * weights <= TILED_WEIGHT_GRADIENT_FLOATS) {
            // per image a tiled GEMM (M = cout, N = cin·k², K = oh·ow) into partials, then their sum in image order:
            // the reference's floats, with enough work-groups for a GPU in every layer
            float[] part = scratch(n * weights);
            var grid = new Recorder.Grid(TiledConv.globalX(cout), TiledConv.weightGlobalY(n, cin, k), TiledConv.LX, TiledConv.LY);
            recorder.record("conv2dBackwardWeightTiled", grid, (g, id) -> g.task(id, TiledConv::weightGradientPartials,
                    new KernelContext(), x, dy, part, n, cin, h, wd, cout, k, s, p), x, dy, part, n, cin, h, wd, cout, k, s, p);
            record("conv2dBackwardWeightSum", (g, id) -> g.task(id, Conv2d::backwardWeightSum, part, gb, go, n, weights),
                    part, gb, go, n, weights);
            return;
        }
        if (!Conv2d.twoLevelWeightGradient(cout, cin, k)) {
            record("conv2dBackwardWeight", (g, id) -> g.task(id, Conv2d::backwardWeight, x, dy, gb, go, n, cin, h, wd, cout, k, s, p),
                    x, dy, gb, go, n, cin, h, wd, cout, k, s, p);
            return;
        }
        // few weights: n times the work-items as per-image partials, then their sum in image order (the same floats)
        float[] part = scratch(n * weights);
        record("conv2dBackwardWeightPartials", (g, id) -> g.task(id, Conv2d::backwardWeightPartials, x, dy, part, n, cin, h, wd,
                cout, k, s, p), x, dy, part, n, cin, h, wd, cout, k, s, p);
        record("conv2dBackwardWeightSum", (g, id) -> g.task(id, Conv2d::backwardWeightSum, part, gb, go, n, weights),
                part, gb, go, n, weights);
    }

    @Override
    public void convTranspose2dForward(float[] x, float[] w, float[] y, int n, int cin, int h, int wd, int cout, int k, int s, int p, int op) {
        if (p > k - 1) throw new IllegalArgumentException("ConvTranspose2d by zero-insertion needs padding <= k-1");
        Backend.checkOutputPadding(s, op);
        float[] wb = nets.slot(w).buffer();
        int wo = nets.slot(w).offset();
        if (!explicitZeroInsertion && tiledConv && h >= k && wd >= k) {
            // per output phase an implicit GEMM over the taps that land on real input pixels, in the flipped order
            int oh = ConvTranspose2d.outSize(h, k, s, p, op), ow = ConvTranspose2d.outSize(wd, k, s, p, op);
            var grid = new Recorder.Grid(TiledConv.phaseGlobalX(n, oh, ow, s), TiledConv.phaseGlobalY(cout, s), TiledConv.LX, TiledConv.LY);
            recorder.record("convTranspose2dForwardTiled", grid, (g, id) -> g.task(id, TiledConv::transposedPhase, new KernelContext(),
                    x, wb, wo, y, n, cin, cout, oh, ow, k, s, p, 1), x, wb, wo, y, n, cin, h, wd, cout, k, s, p, op);
            return;
        }
        if (!explicitZeroInsertion) {
            // the zero-insertion sums over only the taps that land on real input pixels (bit-identical, no dilated buffer)
            record("convTranspose2dForwardPhase", (g, id) -> g.task(id, ConvTranspose2d::forwardPhase, x, wb, wo, y, n, cin, h, wd, cout, k, s,
                    p, op), x, wb, wo, y, n, cin, h, wd, cout, k, s, p, op);
            return;
        }
        int hz = ConvTranspose2d.dilatedSize(h, k, s, p, op), wz = ConvTranspose2d.dilatedSize(wd, k, s, p, op);
        float[] z = recorder.dilatedFor(y, n * cin * hz * wz);
        float[] wf = recorder.flippedFor(w, cin * cout * k * k);
        record("dilate", (g, id) -> g.task(id, ConvTranspose2d::dilate, x, z, n, cin, h, wd, k, s, p, op),
                x, z, n, cin, h, wd, k, s, p, op);
        record("flipKernel", (g, id) -> g.task(id, ConvTranspose2d::flipKernel, wb, wo, wf, cin, cout, k), wb, wo, wf, cin, cout, k);
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
        float[] gb = nets.slot(gamma).buffer(), bb = nets.slot(beta).buffer();
        int go = nets.slot(gamma).offset(), bo = nets.slot(beta).offset();
        record("bnNormalize", (g, id) -> g.task(id, BatchNorm2d::normalizeAffine, x, y, mean, invstd, gb, go, bb, bo, n, c, hw),
                x, y, mean, invstd, gb, go, bb, bo, n, c, hw);
    }

    @Override
    public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                             float slope, int n, int c, int hw) {
        float[] gb = nets.slot(gamma).buffer(), bb = nets.slot(beta).buffer();
        int go = nets.slot(gamma).offset(), bo = nets.slot(beta).offset();
        record("bnNormalizeAct", (g, id) -> g.task(id, BatchNorm2d::normalizeAffineLeaky, x, y, mean, invstd, gb, go, bb, bo,
                slope, n, c, hw), x, y, mean, invstd, gb, go, bb, bo, slope, n, c, hw);
    }

    @Override
    public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        float[] gb = nets.slot(gamma).buffer(), bb = nets.slot(beta).buffer();
        int go = nets.slot(gamma).offset(), bo = nets.slot(beta).offset();
        record("bnEval", (g, id) -> g.task(id, BatchNorm2d::forwardEval, x, y, runMean, runVar, gb, go, bb, bo, n, c, hw),
                x, y, runMean, runVar, gb, go, bb, bo, n, c, hw);
    }

    @Override
    public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        float[] part = scratch(BatchNorm2d.partialsLength(n, c, hw));
        record("bnBackwardPartials", (g, id) -> g.task(id, BatchNorm2d::backwardPartials, x, dy, mean, invstd, part, n, c, hw),
                x, dy, mean, invstd, part, n, c, hw);
        float[] gb = nets.slot(dgamma).buffer(), bb = nets.slot(dbeta).buffer();
        int go = nets.slot(dgamma).offset(), bo = nets.slot(dbeta).offset();
        record("bnBackwardCombine", (g, id) -> g.task(id, BatchNorm2d::backwardCombine, part, sumDy, sumDyXhat, gb, go, bb, bo,
                n, c, hw), part, sumDy, sumDyXhat, gb, go, bb, bo, n, c, hw);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        float[] gb = nets.slot(gamma).buffer();
        int go = nets.slot(gamma).offset();
        record("bnBackwardInput", (g, id) -> g.task(id, BatchNorm2d::backwardInput, x, dy, dx, mean, invstd, gb, go,
                sumDy, sumDyXhat, n, c, hw), x, dy, dx, mean, invstd, gb, go, sumDy, sumDyXhat, n, c, hw);
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
        float[] wb = nets.slot(w).buffer(), bb = nets.slot(b).buffer();
        int wo = nets.slot(w).offset(), bo = nets.slot(b).offset();
        record("linearForward", (g, id) -> g.task(id, Linear::forward, x, wb, wo, bb, bo, y, n, in, out), x, wb, wo, bb, bo, y, n, in, out);
    }

    @Override public void linearBackwardInput(float[] dy, float[] w, float[] dx, int n, int in, int out) {
        float[] wb = nets.slot(w).buffer();
        int wo = nets.slot(w).offset();
        record("linearBackwardInput", (g, id) -> g.task(id, Linear::backwardInput, dy, wb, wo, dx, n, in, out), dy, wb, wo, dx, n, in, out);
    }

    @Override public void linearBackwardWeight(float[] x, float[] dy, float[] dw, int n, int in, int out) {
        float[] gb = nets.slot(dw).buffer();
        int go = nets.slot(dw).offset();
        record("linearBackwardWeight", (g, id) -> g.task(id, Linear::backwardWeight, x, dy, gb, go, n, in, out), x, dy, gb, go, n, in, out);
    }

    @Override public void linearBackwardBias(float[] dy, float[] db, int n, int out) {
        float[] gb = nets.slot(db).buffer();
        int go = nets.slot(db).offset();
        record("linearBackwardBias", (g, id) -> g.task(id, Linear::backwardBias, dy, gb, go, n, out), dy, gb, go, n, out);
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
        // a declared tensor: its four kinds lie at the same offset of its net's four buffers
        var at = nets.slot(param);
        float[] pb = at.buffer(), gb = nets.slot(grad).buffer(), mb = nets.slot(m).buffer(), vb = nets.slot(v).buffer();
        int off = at.offset();
        if (nets.slot(grad).offset() != off || nets.slot(m).offset() != off || nets.slot(v).offset() != off) {
            throw new IllegalArgumentException("Adam's four tensors must be declared together (Backend.declare) or not at all");
        }
        adam(pb, gb, mb, vb, hp, off, len);
    }

    /** One launch per net: its values, gradients and moments are one buffer each. */
    @Override public void adamStep(NetParams net, float[] hp) {
        NetBuffers.Net b = nets.net(net);
        if (b == null) {
            Backend.super.adamStep(net, hp);
            return;
        }
        float[][] a = b.a(), s = b.b();
        int lenA = b.lengthA(), lenB = b.lengthB();
        record("adam", (g, id) -> g.task(id, Adam::updateNet, a[0], a[1], a[2], a[3], lenA, s[0], s[1], s[2], s[3], lenB, hp),
                a[0], a[1], a[2], a[3], lenA, s[0], s[1], s[2], s[3], lenB, hp);
    }

    private void adam(float[] param, float[] grad, float[] m, float[] v, float[] hp, int off, int len) {
        record("adam", (g, id) -> g.task(id, Adam::update, param, grad, m, v, hp, off, len), param, grad, m, v, hp, off, len);
    }

    @Override public void fill(float[] a, float value, int len) {
        fill(nets.slot(a).buffer(), nets.slot(a).offset(), value, len);
    }

    /** One launch per net: its gradients are one buffer. */
    @Override public void zeroGrad(NetParams net) {
        NetBuffers.Net b = nets.net(net);
        if (b == null) {
            Backend.super.zeroGrad(net);
            return;
        }
        float[] ga = b.a()[1], gb = b.b()[1];
        int lenA = b.lengthA(), lenB = b.lengthB();
        record("zeroGrad", (g, id) -> g.task(id, Fill::fillTwo, ga, lenA, gb, lenB, 0f), ga, lenA, gb, lenB, 0f);
    }

    @Override public void copy(float[] src, float[] dst, int len) {
        if (nets.isMember(src) || nets.isMember(dst)) throw new IllegalArgumentException("copy of a declared parameter tensor");
        record("copy", (g, id) -> g.task(id, Fill::copy, src, dst, len), src, dst, len);
    }

    private void fill(float[] a, int off, float value, int len) {
        record("fill", (g, id) -> g.task(id, Fill::fill, a, off, value, len), a, off, value, len);
    }

    // ------------------------------------------------------------------ execution and data movement

    /** A new graph of the plan starts here (see {@link Plan}). */
    @Override
    public void phase(String name) {
        recorder.phase();
    }

    /** TaskGraphs in the kept plan (0 when none): one per training phase for a training step. */
    public int graphsInPlan() {
        return plan == null ? 0 : plan.graphs();
    }

    /** The kept plan's tasks by kernel name (empty when none). */
    public Map<String, Integer> tasksInPlan() {
        return plan == null ? Map.of() : plan.tasksByKernel();
    }

    @Override public String planSummary() {
        if (plan == null) return null;
        int tasks = plan.tasksByKernel().values().stream().mapToInt(Integer::intValue).sum();
        return plan.graphs() + " TaskGraphs, " + tasks + " tasks of " + plan.tasksByKernel().size() + " kernels, "
                + plan.sentPerExecution() + " buffers sent and " + plan.returnedPerExecution() + " brought back per execution";
    }

    /** Buffers the kept plan sends and brings back on every execution ({0, 0} when none). */
    public int[] transfersPerExecution() {
        return plan == null ? new int[2] : new int[] {plan.sentPerExecution(), plan.returnedPerExecution()};
    }

    @Override
    public void declare(NetParams net) {
        if (nets.net(net) != null) return;
        // A tensor that the kept plan holds by itself (e.g. G sampled before training) comes home first.
        if (!recorder.isEmpty()) flush();
        if (plan != null && java.util.stream.Stream.of(net.data(), net.grad(), net.m(), net.v())
                .flatMap(java.util.Arrays::stream).anyMatch(plan::holds)) {
            dropPlan(Set.of());
        }
        nets.declare(net);
    }

    @Override
    public void toDevice(float[]... buffers) {
        // A declared tensor is not sent by itself: the host's array is newer than its part of the net's buffer, which
        // the next plan fills from the host's arrays.
        List<float[]> arrays = new java.util.ArrayList<>();
        for (float[] b : buffers) {
            if (nets.isMember(b)) changedTensors.add(b); else arrays.add(b);
        }
        recorder.markInputs(arrays.toArray(float[][]::new));
        // The host changed a buffer that the kept plan holds on the device: bring the plan's other buffers
        // home, then forget it, so that the next plan uploads the host's values.
        if (plan == null || !recorder.isEmpty()) return;
        for (float[] b : buffers) {
            float[] held = nets.slot(b).buffer();
            if (plan.holds(held) && (held != b || !plan.sentEveryExecution(b))) {
                Set<float[]> changed = Collections.newSetFromMap(new IdentityHashMap<>());
                changed.addAll(arrays);
                dropPlan(changed);
                break;
            }
        }
    }

    @Override
    public void toHost(float[]... buffers) {
        if (!recorder.isEmpty()) {
            float[][] outputs = new float[buffers.length][];
            for (int i = 0; i < buffers.length; i++) outputs[i] = nets.slot(buffers[i]).buffer();
            flush(outputs);
        }
        if (plan == null || !plan.executed()) return;
        Set<float[]> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] b : buffers) {
            float[] held = nets.slot(b).buffer();
            if (plan.holds(held) && !plan.returnedEveryExecution(held)) wanted.add(held);
        }
        if (!wanted.isEmpty()) plan.transferBack(List.copyOf(wanted));
        for (float[] b : buffers) {
            if (nets.isMember(b) && plan.holds(nets.slot(b).buffer()) && !changedTensors.contains(b)) nets.copyOut(b);
        }
    }

    /** Runs the recorded ops: the kept plan if they are the same sequence, else a new one. */
    private void flush(float[]... outputs) {
        Recorder.Signature sig = recorder.signature();
        boolean tensorsChanged = false;
        for (float[] t : changedTensors) tensorsChanged |= plan != null && plan.holds(nets.slot(t).buffer());
        if (plan == null || !sig.equals(plan.signature()) || tensorsChanged) {
            // The host's copies of the buffers marked with toDevice since the last execution are newer than the
            // device's: do not overwrite them with the old plan's (e.g. the next real batch with the last one).
            Set<float[]> changed = Collections.newSetFromMap(new IdentityHashMap<>());
            changed.addAll(recorder.inputs());
            dropPlan(changed);
            plan = new Plan(graphCount, sig, recorder.ops(), recorder.phaseStarts(), recorder.inputs(), outputs, recorder::isScratch,
                    device, profiler);
            graphCount += plan.graphs();
            // the nets' buffers the new plan uploads at its first execution, from the host's arrays (current while no
            // plan held them); dropPlan scatters them back
            for (float[] b : nets.buffersAmong(plan.buffers())) nets.gather(b);
        }
        changedTensors.clear();
        recorder.clear();
        plan.execute();
    }

    @Override
    public void enableProfiler() {
        profiler.enable();
        if (plan != null) plan.enableProfiler();
    }

    @Override
    public Map<String, Backend.KernelTime> kernelTimes(boolean reset) {
        return profiler.kernelTimes(reset);
    }

    /**
     * Forgets the kept plan after bringing its device-resident buffers, but those in keep, back to the host, and the nets'
     * buffers into the model's arrays, but the tensors the host changed since.
     */
    private void dropPlan(Set<float[]> keep) {
        if (plan == null) return;
        Plan p = plan;
        plan = null;
        p.close(keep);
        Set<float[]> skip = Collections.newSetFromMap(new IdentityHashMap<>());
        skip.addAll(keep);
        skip.addAll(changedTensors);
        for (float[] b : nets.buffersAmong(p.buffers())) nets.scatter(b, skip);
        changedTensors.clear();
    }

    @Override
    public void close() {
        if (!recorder.isEmpty()) flush();
        dropPlan(Set.of());
    }
}
