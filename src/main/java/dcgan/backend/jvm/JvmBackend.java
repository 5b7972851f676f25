package dcgan.backend.jvm;

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

/**
 * The reference backend: runs the plain kernels of kernels/ on the JVM. Kernels with a per-index body
 * ({@code ...At}) are split over all threads; the cheap element-wise ones run as they are. The reductions run in two
 * levels, as on a GPU (BatchNorm's per-channel sums, small weight gradients, BCE), their partial sums in a scratch buffer
 * this backend owns: each index is still computed by one thread and each sum taken in a fixed order, so results do not
 * depend on the thread count.
 * ConvTranspose2d's forward is the zero-insertion route of the notes (dilate, flip, stride-1 Conv2d), output_padding
 * included (extra zero rows/columns at the bottom/right of the dilated input). By default it runs as
 * {@link ConvTranspose2d#forwardPhase}, the same sums in the same order over only the taps that land on real input
 * pixels (bit-identical, about a quarter of the multiply-adds for stride 2), and Conv2d's backward input as
 * {@link Conv2d#backwardInputPhase} (only the valid taps, bit-identical); the explicit forms (dilated buffer and
 * flipped kernel; the per-tap {@code % s} test) run instead with {@code -Ddcgan.convt=explicit} or
 * {@code new JvmBackend(par, true)}. ConvTranspose2d's gradients are the Conv2d products of
 * {@link ConvTransposeAsAdjoint}.
 */
public class JvmBackend implements Backend {
    /** System property choosing the form: {@code phase} (the default) or {@code explicit}. */
    public static final String CONVT_PROPERTY = "dcgan.convt";

    private final ParallelFor par;
    private final boolean explicitZeroInsertion;
    private float[] dilated = new float[0];
    private float[] flipped = new float[0];
    private float[] partials = new float[0];

    public JvmBackend(int threads) {
        this(new ParallelFor(threads));
    }

    /** The reference on a pool of threads it shares (e.g. with the fast backend, which calls it for the ops it leaves alone). */
    public JvmBackend(ParallelFor par) {
        this(par, explicitFromProperty());
    }

    /**
     * explicitZeroInsertion: ConvTranspose2d's forward through the dilated input and flipped kernel, and Conv2d's
     * backward input testing every tap, rather than their phase-split forms (same results, bit for bit).
     */
    public JvmBackend(ParallelFor par, boolean explicitZeroInsertion) {
        this.par = par;
        this.explicitZeroInsertion = explicitZeroInsertion;
    }

    public JvmBackend(int threads, boolean explicitZeroInsertion) {
        this(new ParallelFor(threads), explicitZeroInsertion);
    }

    /** {@value #CONVT_PROPERTY}: unset or {@code phase} → false, {@code explicit} → true. */
    public static boolean explicitFromProperty() {
        String v = System.getProperty(CONVT_PROPERTY, "phase").trim();
        if (v.equalsIgnoreCase("phase")) return false;
        if (v.equalsIgnoreCase("explicit")) return true;
        throw new IllegalArgumentException("-D" + CONVT_PROPERTY + " must be phase or explicit, not '" + v + "'");
    }

    /** True when this backend runs the explicit zero-insertion forms (see {@link #JvmBackend(ParallelFor, boolean)}). */
    public boolean explicitZeroInsertion() {
        return explicitZeroInsertion;
    }

    @Override public String name() {
        return "jvm-plain";
    }

    public int threads() {
        return par.threads();
    }

    @Override
    public void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int total = n * cout * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        par.run(total, 64, (from, to) -> {
            for (int i = from; i < to; i++) Conv2d.forwardAt(i, x, weight, 0, y, cin, h, w, cout, k, s, p);
        });
    }

    @Override
    public void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        if (explicitZeroInsertion) {
            par.run(n * cin * h * w, 64, (from, to) -> {
                for (int i = from; i < to; i++) Conv2d.backwardInputAt(i, dy, weight, 0, dx, cin, h, w, cout, k, s, p);
            });
        } else {
            par.run(n * cin * h * w, 64, (from, to) -> {
                for (int i = from; i < to; i++) Conv2d.backwardInputPhaseAt(i, dy, weight, 0, dx, cin, h, w, cout, k, s, p);
            });
        }
    }

    /** Two levels (per-image partials, then their sum in image order) for small weights, see {@link Conv2d#TWO_LEVEL_BELOW}. */
    @Override
    public void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        int weights = cout * cin * k * k;
        if (!Conv2d.twoLevelWeightGradient(cout, cin, k)) {
            par.run(weights, (from, to) -> {
                for (int i = from; i < to; i++) Conv2d.backwardWeightAt(i, x, dy, dweight, 0, n, cin, h, w, cout, k, s, p);
            });
            return;
        }
        float[] part = partials(n * weights);
        par.run(n * weights, 16, (from, to) -> {
            for (int j = from; j < to; j++) Conv2d.backwardWeightPartialAt(j, x, dy, part, cin, h, w, cout, k, s, p);
        });
        par.run(weights, 256, (from, to) -> {
            for (int i = from; i < to; i++) Conv2d.backwardWeightSumAt(i, part, dweight, 0, n, weights);
        });
    }

    /**
     * By zero-insertion: dilate x, flip the kernel, stride-1 Conv2d (see {@link ConvTranspose2d}); by default its
     * phase-split form {@link ConvTranspose2d#forwardPhase}, which skips the taps on inserted zeros (bit-identical).
     */
    @Override
    public void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                                       int k, int s, int p, int op) {
        if (explicitZeroInsertion) {
            zeroInsertionForward(this, x, weight, y, n, cin, h, w, cout, k, s, p, op);
            return;
        }
        if (p > k - 1) throw new IllegalArgumentException("ConvTranspose2d by zero-insertion needs padding <= k-1");
        Backend.checkOutputPadding(s, op);
        int total = n * cout * ConvTranspose2d.outSize(h, k, s, p, op) * ConvTranspose2d.outSize(w, k, s, p, op);
        par.run(total, 64, (from, to) -> {
            for (int i = from; i < to; i++) ConvTranspose2d.forwardPhaseAt(i, x, weight, 0, y, cin, h, w, cout, k, s, p, op);
        });
    }

    /**
     * ConvTranspose2d's forward by zero-insertion (output_padding included), its stride-1 Conv2d run by conv: this
     * backend, or one that computes Conv2d its own way and uses this for the rest (the fast backend).
     */
    public void zeroInsertionForward(Backend conv, float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                                     int k, int s, int p, int op) {
        if (p > k - 1) throw new IllegalArgumentException("ConvTranspose2d by zero-insertion needs padding <= k-1");
        Backend.checkOutputPadding(s, op);
        int hz = ConvTranspose2d.dilatedSize(h, k, s, p, op), wz = ConvTranspose2d.dilatedSize(w, k, s, p, op);
        float[] z = dilated(n * cin * hz * wz);
        float[] wf = flipped(cin * cout * k * k);
        par.run(n * cin * hz * wz, 256, (from, to) -> {
            for (int i = from; i < to; i++) ConvTranspose2d.dilateAt(i, x, z, h, w, k, s, p, op);
        });
        ConvTranspose2d.flipKernel(weight, 0, wf, cin, cout, k);
        conv.conv2dForward(z, wf, y, n, cin, hz, wz, cout, k, 1, 0);
    }

    @Override
    public void convTranspose2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout,
                                             int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardInput(this, dy, weight, dx, n, cin, h, w, cout, k, s, p, op);
    }

    @Override
    public void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout,
                                              int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardWeight(this, x, dy, dweight, n, cin, h, w, cout, k, s, p, op);
    }

    private float[] dilated(int size) {
        if (dilated.length < size) dilated = new float[size];
        return dilated;
    }

    /** The scratch buffer of the two-level reductions' partial sums (one call's; the next call overwrites it). */
    private float[] partials(int size) {
        if (partials.length < size) partials = new float[size];
        return partials;
    }

    private float[] flipped(int size) {
        if (flipped.length < size) flipped = new float[size];
        return flipped;
    }

    @Override
    public void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w) {
        par.run(n * c * 4 * h * w, 1024, (from, to) -> {
            for (int i = from; i < to; i++) Upsample.nearest2xAt(i, x, y, h, w);
        });
    }

    @Override
    public void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        par.run(n * c * h * w, 1024, (from, to) -> {
            for (int i = from; i < to; i++) Upsample.nearest2xBackwardAt(i, dy, dx, h, w);
        });
    }

    @Override
    public void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w) {
        par.run(n * c * 4 * h * w, 512, (from, to) -> {
            for (int i = from; i < to; i++) Upsample.bilinear2xAt(i, x, y, h, w);
        });
    }

    @Override
    public void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        par.run(n * c * h * w, 128, (from, to) -> {
            for (int i = from; i < to; i++) Upsample.bilinear2xBackwardAt(i, dy, dx, h, w);
        });
    }

    @Override
    public void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r) {
        par.run(n * c * r * r * h * w, 1024, (from, to) -> {
            for (int i = from; i < to; i++) PixelShuffle.forwardAt(i, x, y, c, h, w, r);
        });
    }

    @Override
    public void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {
        par.run(n * c * r * r * h * w, 1024, (from, to) -> {
            for (int i = from; i < to; i++) PixelShuffle.backwardAt(i, dy, dx, c, h, w, r);
        });
    }

    /** Two levels: partial sums per segment of each (image, channel) plane, then an ordered sum per channel. */
    @Override
    public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        float[] part = partials(BatchNorm2d.partialsLength(n, c, hw));
        int total = n * c * BatchNorm2d.segments(hw);
        par.run(total, 8, (from, to) -> {
            for (int j = from; j < to; j++) BatchNorm2d.statsPartialAt(j, x, part, total, hw);
        });
        par.run(c, 16, (from, to) -> {
            for (int ch = from; ch < to; ch++) BatchNorm2d.statsCombineAt(ch, part, mean, invstd, runMean, runVar, n, c, hw);
        });
    }

    @Override
    public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        BatchNorm2d.normalizeAffine(x, y, mean, invstd, gamma, 0, beta, 0, n, c, hw);
    }

    @Override
    public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                             float slope, int n, int c, int hw) {
        BatchNorm2d.normalizeAffineLeaky(x, y, mean, invstd, gamma, 0, beta, 0, slope, n, c, hw);
    }

    @Override
    public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        BatchNorm2d.forwardEval(x, y, runMean, runVar, gamma, 0, beta, 0, n, c, hw);
    }

    @Override
    public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        float[] part = partials(BatchNorm2d.partialsLength(n, c, hw));
        int total = n * c * BatchNorm2d.segments(hw);
        par.run(total, 8, (from, to) -> {
            for (int j = from; j < to; j++) BatchNorm2d.backwardPartialAt(j, x, dy, mean, invstd, part, total, c, hw);
        });
        par.run(c, 16, (from, to) -> {
            for (int ch = from; ch < to; ch++) BatchNorm2d.backwardCombineAt(ch, part, sumDy, sumDyXhat, dgamma, 0, dbeta, 0, n, c, hw);
        });
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        BatchNorm2d.backwardInput(x, dy, dx, mean, invstd, gamma, 0, sumDy, sumDyXhat, n, c, hw);
    }

    @Override public void relu(float[] x, float[] y, int len) { Activations.reluForward(x, y, len); }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) { Activations.reluBackward(y, dy, dx, len); }

    @Override public void leakyRelu(float[] x, float[] y, int len) { Activations.leakyReluForward(x, y, len); }

    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) { Activations.leakyReluBackward(y, dy, dx, len); }

    @Override public void tanh(float[] x, float[] y, int len) { Activations.tanhForward(x, y, len); }

    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) { Activations.tanhBackward(y, dy, dx, len); }

    @Override public void sigmoid(float[] x, float[] y, int len) { Activations.sigmoidForward(x, y, len); }

    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) { Activations.sigmoidBackward(y, dy, dx, len); }

    @Override
    public void linearForward(float[] x, float[] weight, float[] bias, float[] y, int n, int in, int out) {
        par.run(n * out, 16, (from, to) -> {
            for (int i = from; i < to; i++) Linear.forwardAt(i, x, weight, 0, bias, 0, y, in, out);
        });
    }

    @Override
    public void linearBackwardInput(float[] dy, float[] weight, float[] dx, int n, int in, int out) {
        par.run(n * in, 64, (from, to) -> {
            for (int i = from; i < to; i++) Linear.backwardInputAt(i, dy, weight, 0, dx, in, out);
        });
    }

    @Override
    public void linearBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int in, int out) {
        par.run(out * in, 64, (from, to) -> {
            for (int i = from; i < to; i++) Linear.backwardWeightAt(i, x, dy, dweight, 0, n, in, out);
        });
    }

    @Override public void linearBackwardBias(float[] dy, float[] dbias, int n, int out) { Linear.backwardBias(dy, dbias, 0, n, out); }

    @Override public void softmax(float[] logits, float[] probs, int n, int k) {
        par.run(n, 16, (from, to) -> {
            for (int r = from; r < to; r++) SoftmaxCrossEntropy.softmaxAt(r, logits, probs, k);
        });
    }

    @Override public void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k) {
        SoftmaxCrossEntropy.loss(logits, labels, out, n, k);
    }

    @Override public void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k) {
        SoftmaxCrossEntropy.backward(probs, labels, dlogits, n, k);
    }

    @Override public void bceForward(float[] p, float[] out, float label, int n) {
        float[] terms = partials(n);
        BCELoss.forwardTerms(p, terms, label, n);
        BCELoss.forwardSum(terms, p, out, n);
    }

    @Override public void bceBackward(float[] p, float[] dp, float label, int n) { BCELoss.backward(p, dp, label, n); }

    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {
        Adam.update(param, grad, m, v, hp, 0, len);
    }

    @Override public void fill(float[] a, float value, int len) { Fill.fill(a, 0, value, len); }

    @Override public void close() { par.close(); }
}
