package dcgan.backend;

/**
 * Where the kernels run. One method per kernel invocation, over flat NCHW float[] buffers, with the
 * kernels' own argument order (see kernels/dcgan/kernels). The model calls only these, so a backend can
 * run each call at once (JVM) or record it as a task of a device-resident graph (TornadoVM).
 *
 * <p>Gradients of weights and BatchNorm affine parameters accumulate (+=), like PyTorch's .grad;
 * every other output is overwritten.
 */
public interface Backend extends AutoCloseable {

    String name();

    /** The name and what runs it (e.g. the CPU's vector ISA and the kernels' tile), for the first lines of a run. */
    default String describe() {
        return name();
    }

    /** True when buffers are computed in place in the host arrays (no copies between calls). */
    default boolean onHost() {
        return true;
    }

    // ---- Conv2d, no bias. x [n,cin,h,w], weight [cout,cin,k,k], y [n,cout,oh,ow]
    void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p);

    void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p);

    void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p);

    // ---- ConvTranspose2d(k, s, p, output_padding=op), no bias (see dcgan.kernels.ConvTranspose2d).
    //      x [n,cin,h,w], weight [cin,cout,k,k], y [n,cout,oh,ow] with oh = s(h-1) - 2p + k + op, 0 <= op < s
    //      (checkOutputPadding); the op extra rows/columns at the bottom/right receive the taps that land there.
    //      ConvTransposeAsAdjoint runs them through the Conv2d methods above, for backends without kernels of their own.
    void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                                int k, int s, int p, int op);

    void convTranspose2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout,
                                      int k, int s, int p, int op);

    void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout,
                                       int k, int s, int p, int op);

    /** PyTorch's rule: output_padding must be smaller than the stride. */
    static void checkOutputPadding(int s, int op) {
        if (op < 0 || op >= s) {
            throw new IllegalArgumentException("ConvTranspose2d output_padding must be in [0, stride " + s + "), got " + op);
        }
    }

    // ---- Upsampling for the generator's checkerboard-free alternatives (see dcgan.checkerboard).
    //      Backward ops overwrite dx.
    /** nn.Upsample(scale_factor=2, mode='nearest'). x [n,c,h,w], y [n,c,2h,2w] */
    void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w);

    /** dx [n,c,h,w] = sum of dy [n,c,2h,2w] over each 2x2 block. */
    void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w);

    /** nn.Upsample(scale_factor=2, mode='bilinear', align_corners=False). x [n,c,h,w], y [n,c,2h,2w] */
    void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w);

    void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w);

    /** nn.PixelShuffle(r). x [n,c*r*r,h,w], y [n,c,h*r,w*r]; c counts output channels. */
    void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r);

    /** Inverse permutation: dy [n,c,h*r,w*r] to dx [n,c*r*r,h,w]. */
    void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r);

    // ---- BatchNorm2d. x, y [n,c,hw]
    void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw);

    void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw);

    /**
     * BatchNorm with batch statistics fused with the ReLU (slope 0) or LeakyReLU (slope 0.2) after it: y is
     * the activation's output. Backends without a fused kernel run the two steps.
     */
    default void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                              float slope, int n, int c, int hw) {
        batchNormNormalize(x, y, mean, invstd, gamma, beta, n, c, hw);
        if (slope == 0f) relu(y, y, n * c * hw);
        else if (slope == dcgan.kernels.Activations.LEAKY_SLOPE) leakyRelu(y, y, n * c * hw);
        else throw new IllegalArgumentException("no activation with slope " + slope);
    }

    void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw);

    void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                 float[] dgamma, float[] dbeta, int n, int c, int hw);

    void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                float[] sumDy, float[] sumDyXhat, int n, int c, int hw);

    // ---- Activations: forward x -> y; backward reads y
    void relu(float[] x, float[] y, int len);

    void reluBackward(float[] y, float[] dy, float[] dx, int len);

    void leakyRelu(float[] x, float[] y, int len);

    void leakyReluBackward(float[] y, float[] dy, float[] dx, int len);

    void tanh(float[] x, float[] y, int len);

    void tanhBackward(float[] y, float[] dy, float[] dx, int len);

    void sigmoid(float[] x, float[] y, int len);

    void sigmoidBackward(float[] y, float[] dy, float[] dx, int len);

    // ---- Linear (nn.Linear, see dcgan.kernels.Linear). x [n,in], weight [out,in], bias [out], y [n,out]
    void linearForward(float[] x, float[] weight, float[] bias, float[] y, int n, int in, int out);

    void linearBackwardInput(float[] dy, float[] weight, float[] dx, int n, int in, int out);

    void linearBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int in, int out);

    void linearBackwardBias(float[] dy, float[] dbias, int n, int out);

    // ---- Softmax and cross-entropy over k classes (see dcgan.kernels.SoftmaxCrossEntropy); labels are whole floats
    /** probs [n,k] = softmax of each row of logits [n,k]. */
    void softmax(float[] logits, float[] probs, int n, int k);

    /** out[0] = mean cross-entropy of logits against labels, out[1] = share of rows whose argmax is the label. */
    void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k);

    /** dlogits = (probs - onehot(labels)) / n: the gradient of the mean cross-entropy, given the softmax. */
    void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k);

    // ---- Loss and optimiser
    /** out[0] = mean BCE against a constant label, out[1] = mean prediction. */
    void bceForward(float[] p, float[] out, float label, int n);

    void bceBackward(float[] p, float[] dp, float label, int n);

    /** One Adam step on a tensor; hp from {@link dcgan.kernels.Adam#hyper}. */
    void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len);

    void fill(float[] a, float value, int len);

    /** dst[0, len) = src[0, len), where the buffers are (a device backend copies on the device). */
    default void copy(float[] src, float[] dst, int len) {
        if (!onHost()) throw new UnsupportedOperationException(name() + " has no copy kernel");
        System.arraycopy(src, 0, dst, 0, len);
    }

    /**
     * One net's learnable tensors, in the net's order: values, gradients and Adam's two moments (tensor i of each has
     * the same length). bias[i] marks a shift (BatchNorm's bias, Linear's bias): kernels take it beside its layer's
     * weight, so a device backend keeps shifts in buffers of their own (a TornadoVM task must not get one array twice).
     */
    record NetParams(String net, float[][] data, float[][] grad, float[][] m, float[][] v, boolean[] bias) {
        /** Floats in all tensors of one kind. */
        public int length() {
            int n = 0;
            for (float[] d : data) n += d.length;
            return n;
        }
    }

    /**
     * Declares a net's tensors before a call uses them. A device backend (TornadoVM) then keeps each kind in one buffer
     * (the shifts in a second one), the tensors back to back, so that {@link #adamStep(NetParams, float[])} and
     * {@link #zeroGrad(NetParams)} are one launch each; the host's arrays stay the model's. Host backends ignore it.
     */
    default void declare(NetParams net) {}

    /** One Adam step on every tensor of a net (torch.optim.Adam.step()); hp from {@link dcgan.kernels.Adam#hyper}. */
    default void adamStep(NetParams net, float[] hp) {
        for (int i = 0; i < net.data().length; i++) {
            adamStep(net.data()[i], net.grad()[i], net.m()[i], net.v()[i], hp, net.data()[i].length);
        }
    }

    /** PyTorch's zero_grad(): zeroes every gradient of a net. */
    default void zeroGrad(NetParams net) {
        for (float[] g : net.grad()) fill(g, 0f, g.length);
    }

    /**
     * Makes host arrays current: a device backend copies the named buffers back. A host backend does
     * nothing. Called before the host reads results (stats, samples, checkpoints).
     */
    default void toHost(float[]... buffers) {}

    /** The host changed these arrays (e.g. a new batch, loaded weights): a device backend copies them in. */
    default void toDevice(float[]... buffers) {}

    /**
     * Marks the start of a phase of the training step (D on real, G, D on fake, D step, G through D, G step). A
     * backend that batches its calls (TornadoVM) cuts its task graphs there; the others ignore it.
     */
    default void phase(String name) {}

    /**
     * Device backends that batch calls into a plan: what the kept plan holds (graphs, tasks, distinct kernels, buffers
     * moved per execution), for bench output; null elsewhere.
     */
    default String planSummary() {
        return null;
    }

    /** Device backends: turn on the device profiler (for {@link #kernelTimes}). */
    default void enableProfiler() {}

    /**
     * Device backends: the device time of each kernel since the last reset, by kernel name (empty where the
     * backend has no profiler). With reset, clears the totals.
     */
    default java.util.Map<String, KernelTime> kernelTimes(boolean reset) {
        return java.util.Map.of();
    }

    /** One kernel's calls and their total time in nanoseconds (see {@link #kernelTimes}, {@link KernelTimer}). */
    record KernelTime(long calls, long nanos) {}

    @Override
    default void close() {}
}
