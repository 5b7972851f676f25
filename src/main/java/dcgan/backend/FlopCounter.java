package dcgan.backend;

import dcgan.kernels.Conv2d;
import dcgan.kernels.ConvTranspose2d;

/**
 * A backend that computes nothing and counts the floating-point operations (2 per multiply-add) of the
 * convolutions (and linear layers) it is asked for, the work that dominates DCGAN. Running one training step through it gives
 * the exact FLOPs of an iteration, for GFLOP/s figures.
 */
public final class FlopCounter implements Backend {
    private long flops;

    public long flops() {
        return flops;
    }

    @Override public String name() {
        return "flop-counter";
    }

    private void conv(int n, int cin, int cout, int k, int oh, int ow) {
        flops += 2L * n * cout * oh * ow * cin * k * k;
    }

    @Override public void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        conv(n, cin, cout, k, Conv2d.outSize(h, k, s, p), Conv2d.outSize(w, k, s, p));
    }

    @Override public void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        conv(n, cin, cout, k, Conv2d.outSize(h, k, s, p), Conv2d.outSize(w, k, s, p));
    }

    @Override public void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        conv(n, cin, cout, k, Conv2d.outSize(h, k, s, p), Conv2d.outSize(w, k, s, p));
    }

    // A transposed convolution does the multiply-adds of the Conv2d it is the adjoint of (h × w outputs);
    // output_padding adds output pixels but no multiply-adds.
    @Override public void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        conv(n, cout, cin, k, h, w);
    }

    @Override public void convTranspose2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        conv(n, cout, cin, k, h, w);
    }

    @Override public void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        conv(n, cout, cin, k, h, w);
    }

    // Resizing and pixel shuffle are data movement (bilinear: 3 multiply-adds per output, negligible next to
    // the 3×3 convolutions that follow them, which are counted through conv2dForward).
    @Override public void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w) {}
    @Override public void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {}
    @Override public void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w) {}
    @Override public void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {}
    @Override public void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r) {}
    @Override public void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {}
    @Override public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {}
    @Override public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {}
    @Override public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {}
    @Override public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat, float[] dgamma, float[] dbeta, int n, int c, int hw) {}
    @Override public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma, float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {}
    @Override public void relu(float[] x, float[] y, int len) {}
    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) {}
    @Override public void leakyRelu(float[] x, float[] y, int len) {}
    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) {}
    @Override public void tanh(float[] x, float[] y, int len) {}
    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) {}
    @Override public void sigmoid(float[] x, float[] y, int len) {}
    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) {}
    @Override public void linearForward(float[] x, float[] weight, float[] bias, float[] y, int n, int in, int out) { flops += 2L * n * in * out; }
    @Override public void linearBackwardInput(float[] dy, float[] weight, float[] dx, int n, int in, int out) { flops += 2L * n * in * out; }
    @Override public void linearBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int in, int out) { flops += 2L * n * in * out; }
    @Override public void linearBackwardBias(float[] dy, float[] dbias, int n, int out) {}
    @Override public void softmax(float[] logits, float[] probs, int n, int k) {}
    @Override public void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k) {}
    @Override public void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k) {}
    @Override public void bceForward(float[] p, float[] out, float label, int n) {}
    @Override public void bceBackward(float[] p, float[] dp, float label, int n) {}
    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) {}
    @Override public void fill(float[] a, float value, int len) {}
}
