package dcgan.backend.fast;

import dcgan.backend.Backend;
import dcgan.backend.ConvTransposeAsAdjoint;
import dcgan.backend.jvm.JvmBackend;
import dcgan.backend.jvm.ParallelFor;
import dcgan.kernels.Activations;

/**
 * The fast CPU backend ("jvm"). The convolutions run as cache-blocked, register-blocked single-precision GEMMs
 * ({@link Gemm}): A operands packed into panels of the {@link Tile}'s rows, B operands into strips of its
 * vectors, the tile's FMA micro-kernel ({@link Kernels}: {@link VectorKernels} on jdk.incubator.vector, or
 * {@link ScalarKernels}), work split into items that the threads claim one by one ({@link Workers}).
 * Convolutions are lowered through stride-phase planes ({@link ConvGeometry}, {@link PhasePlanes}):
 * {@link ConvForward}, {@link ConvBackwardInput}, {@link ConvBackwardWeight}; ConvTranspose2d is their adjoint
 * ({@link ConvTransposeAsAdjoint}), except the forward with output_padding, which stays the reference's
 * zero-insertion over this backend's Conv2d. BatchNorm ({@link BatchNormOps}), the activations' gradients,
 * ReLU/LeakyReLU, Adam and fill ({@link ElementwiseOps}) are vectorised and split over the threads; the linear
 * layer's three products are GEMMs. Everything else (upsampling, pixel shuffle, BCE, softmax and cross-entropy, the
 * linear bias, tanh and sigmoid, and every element-wise op without the
 * Vector API) is the reference {@link JvmBackend}, held here and run on the same threads.
 *
 * <p>Results do not depend on the thread count: every output element is summed by one thread, in an
 * order fixed by the shapes alone (K blocks, image groups of split-K partials and their reduction order
 * never depend on threads). Workspaces ({@link Workspaces}) grow on first use and are reused afterwards (only
 * a few small objects are allocated per call). Not safe for concurrent calls (like {@link JvmBackend}).
 *
 * <p>JIT note: the Vector API is fast only once C2 has compiled the kernels; interpreted or C1-compiled
 * Vector API code is one to two orders of magnitude slower, so the first calls (about one training
 * iteration) are slow. Keep the micro-kernels small: a method too big for C1 (tier 3 bails out with "out
 * of virtual registers") may run interpreted for a very long time.
 */
public final class FastBackend implements Backend {
    private final ParallelFor par;
    /** The reference, on the same threads: the ops this backend does not accelerate. */
    private final JvmBackend ref;
    private final Tile tile;
    private final Kernels kern;
    /** Whether kern (and the element-wise code) use the Vector API. */
    private final boolean vector;
    private final Workspaces ws;
    private final ConvGeometry geo = new ConvGeometry();
    private final Gemm gemm;
    private final ConvForward convForward;
    private final ConvBackwardInput convBackwardInput;
    private final ConvBackwardWeight convBackwardWeight;
    private final ElementwiseOps elementwise;
    private final BatchNormOps batchNorm;

    /** The backend on this JVM's {@link Tile#selected() tile}. */
    public FastBackend(int threads) {
        this(threads, Tile.selected());
    }

    /** The backend on the given tile (its lanes must be the Vector API species' or 0 for the scalar kernels). */
    public FastBackend(int threads, Tile tile) {
        this.par = new ParallelFor(threads);
        this.ref = new JvmBackend(par);
        if (!tile.scalar() && !VectorUnit.MODULE) {
            throw new IllegalStateException("jdk.incubator.vector is not in the boot layer: start java with --add-modules jdk.incubator.vector");
        }
        this.kern = tile.scalar() ? new ScalarKernels(tile.rows()) : newVectorKernels(tile);
        this.tile = tile;
        this.vector = !tile.scalar();
        Workers workers = new Workers(par);
        this.ws = new Workspaces(threads, kern.mr * kern.nr);
        this.gemm = new Gemm(kern, workers, ws);
        PhasePlanes planes = new PhasePlanes(kern);
        this.convForward = new ConvForward(kern, workers, ws, gemm, planes);
        this.convBackwardInput = new ConvBackwardInput(kern, workers, ws, gemm, planes);
        this.convBackwardWeight = new ConvBackwardWeight(kern, workers, ws, gemm, planes);
        this.elementwise = new ElementwiseOps(workers);
        this.batchNorm = new BatchNormOps(workers, ws);
    }

    private static Kernels newVectorKernels(Tile tile) {
        if (tile.lanes() != VectorKernels.VL) {
            throw new IllegalArgumentException("tile of " + tile.lanes() + " lanes, but the Vector API species has " + VectorKernels.VL);
        }
        return new VectorKernels(tile.rows());
    }

    /** Whether jdk.incubator.vector is in the boot layer (java ran with --add-modules jdk.incubator.vector). */
    public static boolean vectorApiAvailable() {
        return VectorUnit.MODULE;
    }

    public Tile tile() {
        return tile;
    }

    public int threads() {
        return par.threads();
    }

    @Override public String name() {
        return "jvm";
    }

    /** One line on the kernels in use. */
    public String kernelInfo() {
        return kern.describe() + ", " + threads() + " thread(s)";
    }

    /** E.g. "jvm (AVX2+FMA: 256-bit vectors (8 floats), 6x2-vector tile (6x16), 2 threads)". */
    @Override public String describe() {
        String why = tile.scalar() ? ": " + (Tile.scalarReason() != null ? Tile.scalarReason() : "scalar tile requested") : "";
        return name() + " (" + VectorUnit.isa() + ": " + tile.describe() + why + ", " + threads() + " thread" + (threads() == 1 ? "" : "s") + ")";
    }

    /** Bytes held in workspaces (they grow to the largest call seen and are then reused). */
    public long workspaceBytes() {
        return ws.bytes() + geo.bytes();
    }

    /** Forces one weight-gradient strategy (tests): 0 splits N (taps) always, Integer.MAX_VALUE splits K (images). */
    void splitKMax(int max) {
        convBackwardWeight.splitKMax = max;
    }

    // ---- GEMM

    /** C = A B, or C += A B when accumulate; row-major with leading dimensions. */
    public void sgemm(int m, int n, int k, float[] a, int lda, float[] b, int ldb, float[] c, int ldc, boolean accumulate) {
        gemm.sgemm(false, false, m, n, k, a, 0, lda, b, 0, ldb, c, 0, ldc, accumulate);
    }

    /**
     * C (m x n, at cOff, row stride ldc) = or += op(A) op(B), row-major: op(A)(i, kk) is a[aOff + i*lda + kk],
     * or a[aOff + kk*lda + i] when transA; op(B)(kk, j) is b[bOff + kk*ldb + j], or b[bOff + j*ldb + kk] when transB.
     */
    public void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        gemm.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
    }

    // ---- Conv2d and ConvTranspose2d

    @Override
    public void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        geo.set(n, cin, h, w, cout, k, s, p);
        convForward.run(geo, x, weight, y);
    }

    @Override
    public void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        geo.set(n, cin, h, w, cout, k, s, p);
        convBackwardInput.run(geo, dy, weight, dx);
    }

    @Override
    public void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        geo.set(n, cin, h, w, cout, k, s, p);
        convBackwardWeight.run(geo, x, dy, dweight);
    }

    @Override
    public void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                                       int k, int s, int p, int op) {
        if (op == 0) ConvTransposeAsAdjoint.forward(this, x, weight, y, n, cin, h, w, cout, k, s, p, op);
        else ref.zeroInsertionForward(this, x, weight, y, n, cin, h, w, cout, k, s, p, op);
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

    // ---- Upsampling and pixel shuffle: the reference's

    @Override public void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w) { ref.upsampleNearest2x(x, y, n, c, h, w); }

    @Override public void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        ref.upsampleNearest2xBackward(dy, dx, n, c, h, w);
    }

    @Override public void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w) { ref.upsampleBilinear2x(x, y, n, c, h, w); }

    @Override public void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        ref.upsampleBilinear2xBackward(dy, dx, n, c, h, w);
    }

    @Override public void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r) { ref.pixelShuffle(x, y, n, c, h, w, r); }

    @Override public void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {
        ref.pixelShuffleBackward(dy, dx, n, c, h, w, r);
    }

    // ---- BatchNorm2d: vectorised and multi-threaded with the Vector API, else the reference's

    @Override
    public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        if (vector) batchNorm.stats(x, mean, invstd, runMean, runVar, n, c, hw);
        else ref.batchNormStats(x, mean, invstd, runMean, runVar, n, c, hw);
    }

    @Override
    public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        if (vector) batchNorm.normalize(x, y, mean, invstd, gamma, beta, n, c, hw);
        else ref.batchNormNormalize(x, y, mean, invstd, gamma, beta, n, c, hw);
    }

    /** BatchNorm then its activation in place, both vectorised and multi-threaded (the same floats as fused). */
    @Override
    public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                             float slope, int n, int c, int hw) {
        if (!vector) {
            ref.batchNormNormalizeActivation(x, y, mean, invstd, gamma, beta, slope, n, c, hw);
            return;
        }
        batchNorm.normalize(x, y, mean, invstd, gamma, beta, n, c, hw);
        if (slope == 0f) elementwise.apply(VectorElementwise.RELU, y, null, y, 0f, n * c * hw);
        else elementwise.apply(VectorElementwise.LRELU, y, null, y, slope, n * c * hw);
    }

    @Override
    public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        if (vector) batchNorm.forwardEval(x, y, runMean, runVar, gamma, beta, n, c, hw);
        else ref.batchNormForwardEval(x, y, runMean, runVar, gamma, beta, n, c, hw);
    }

    @Override
    public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        if (vector) batchNorm.backwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, c, hw);
        else ref.batchNormBackwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, dgamma, dbeta, n, c, hw);
    }

    @Override
    public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        if (vector) batchNorm.backwardInput(x, dy, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, c, hw);
        else ref.batchNormBackwardInput(x, dy, dx, mean, invstd, gamma, sumDy, sumDyXhat, n, c, hw);
    }

    // ---- Activations, loss, Adam, fill: vectorised with the Vector API (tanh and sigmoid excepted), else the reference's

    @Override public void relu(float[] x, float[] y, int len) {
        if (vector) elementwise.apply(VectorElementwise.RELU, x, null, y, 0f, len); else ref.relu(x, y, len);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vector) elementwise.apply(VectorElementwise.RELU_B, y, dy, dx, 0f, len); else ref.reluBackward(y, dy, dx, len);
    }

    @Override public void leakyRelu(float[] x, float[] y, int len) {
        if (vector) elementwise.apply(VectorElementwise.LRELU, x, null, y, Activations.LEAKY_SLOPE, len); else ref.leakyRelu(x, y, len);
    }

    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vector) elementwise.apply(VectorElementwise.LRELU_B, y, dy, dx, Activations.LEAKY_SLOPE, len);
        else ref.leakyReluBackward(y, dy, dx, len);
    }

    // tanh and sigmoid stay scalar (Math.tanh / Math.exp): the Vector API's TANH and EXP give different
    // floats compiled (C2's intrinsics) and interpreted, so results would depend on JIT timing.
    @Override public void tanh(float[] x, float[] y, int len) { ref.tanh(x, y, len); }

    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vector) elementwise.apply(VectorElementwise.TANH_B, y, dy, dx, 0f, len); else ref.tanhBackward(y, dy, dx, len);
    }

    @Override public void sigmoid(float[] x, float[] y, int len) { ref.sigmoid(x, y, len); }

    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {
        if (vector) elementwise.apply(VectorElementwise.SIGMOID_B, y, dy, dx, 0f, len); else ref.sigmoidBackward(y, dy, dx, len);
    }

    // ---- Linear: three GEMMs (y = x W^T, dx = dy W, dW += dy^T x), the bias in a loop of its own.
    //      Softmax and cross-entropy: the reference's.

    @Override public void linearForward(float[] x, float[] weight, float[] bias, float[] y, int n, int in, int out) {
        gemm.sgemm(false, true, n, out, in, x, 0, in, weight, 0, in, y, 0, out, false);
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < out; o++) y[b * out + o] += bias[o];
        }
    }

    @Override public void linearBackwardInput(float[] dy, float[] weight, float[] dx, int n, int in, int out) {
        gemm.sgemm(false, false, n, in, out, dy, 0, out, weight, 0, in, dx, 0, in, false);
    }

    @Override public void linearBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int in, int out) {
        gemm.sgemm(true, false, out, in, n, dy, 0, out, x, 0, in, dweight, 0, in, true);
    }

    @Override public void linearBackwardBias(float[] dy, float[] dbias, int n, int out) { ref.linearBackwardBias(dy, dbias, n, out); }

    @Override public void softmax(float[] logits, float[] probs, int n, int k) { ref.softmax(logits, probs, n, k); }

    @Override public void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k) {
        ref.crossEntropyLoss(logits, labels, out, n, k);
    }

    @Override public void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k) {
        ref.crossEntropyBackward(probs, labels, dlogits, n, k);
    }

    @Override public void bceForward(float[] p, float[] out, float label, int n) { ref.bceForward(p, out, label, n); }

    @Override public void bceBackward(float[] p, float[] dp, float label, int n) { ref.bceBackward(p, dp, label, n); }

    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {
        if (vector) elementwise.adam(param, grad, m, v, hp, len); else ref.adamStep(param, grad, m, v, hp, len);
    }

    @Override public void fill(float[] a, float value, int len) {
        if (vector) elementwise.apply(VectorElementwise.FILL, null, null, a, value, len); else ref.fill(a, value, len);
    }

    /** Ends the threads (shared with the reference). */
    @Override public void close() {
        ref.close();
    }
}
