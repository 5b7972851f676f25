package dcgan.backend;

import dcgan.kernels.BatchNorm2d;
import dcgan.kernels.Conv2d;
import dcgan.kernels.ConvTranspose2d;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backend that computes nothing and lists the tasks its calls launch: for every {@code @Parallel} loop that the
 * reference backend ({@code jvm-plain}) runs and TornadoVM compiles, in the default (phase-split) forms, the kernel,
 * the shape, the number of work-items (the loop's range, one GPU thread each) and the serial loop of one work-item
 * (the multiply-adds or elements it sums; for convolutions the upper bound over its taps). Computed from the shapes
 * alone, so it needs no device. Running one training step through it lists the tasks of an iteration.
 */
public final class WorkItemCounter implements Backend {
    /** A task is heavy when its work-items times their serial loop reach this (4 Mi steps). */
    public static final long HEAVY = 1L << 22;

    /** One launched task: kernel name (as TornadoBackend names its tasks), shape, work-items, serial steps per work-item. */
    public record Task(String kernel, String shape, long workItems, long loop) {
        public long work() {
            return workItems * loop;
        }

        public boolean heavy() {
            return work() >= HEAVY;
        }
    }

    private final List<Task> tasks = new ArrayList<>();

    public List<Task> tasks() {
        return tasks;
    }

    @Override public String name() {
        return "work-item-counter";
    }

    private void task(String kernel, String shape, long items, long loop) {
        tasks.add(new Task(kernel, shape, items, loop));
    }

    private static String conv(int n, int cin, int h, int w, int cout, int k, int s, int p) {
        return String.format(Locale.ROOT, "n%d %d->%d %dx%d k%d s%d p%d", n, cin, cout, h, w, k, s, p);
    }

    private static String planes(int n, int c, int hw) {
        return String.format(Locale.ROOT, "n%d c%d hw%d", n, c, hw);
    }

    private static long ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override public void conv2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        task("conv2dForward", conv(n, cin, h, w, cout, k, s, p),
                (long) n * cout * Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p), (long) cin * k * k);
    }

    @Override public void conv2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        task("conv2dBackwardInputPhase", conv(n, cin, h, w, cout, k, s, p), (long) n * cin * h * w,
                cout * ceilDiv(k, s) * ceilDiv(k, s));
    }

    @Override public void conv2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p) {
        long outputs = (long) Conv2d.outSize(h, k, s, p) * Conv2d.outSize(w, k, s, p);
        long weights = (long) cout * cin * k * k;
        String shape = conv(n, cin, h, w, cout, k, s, p);
        if (Conv2d.twoLevelWeightGradient(cout, cin, k)) {
            task("conv2dBackwardWeightPartials", shape, n * weights, outputs);
            task("conv2dBackwardWeightSum", shape, weights, n);
        } else {
            task("conv2dBackwardWeight", shape, weights, n * outputs);
        }
    }

    @Override public void convTranspose2dForward(float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        task("convTranspose2dForwardPhase", conv(n, cin, h, w, cout, k, s, p) + (op > 0 ? " op" + op : ""),
                (long) n * cout * ConvTranspose2d.outSize(h, k, s, p, op) * ConvTranspose2d.outSize(w, k, s, p, op),
                cin * ceilDiv(k, s) * ceilDiv(k, s));
    }

    @Override public void convTranspose2dBackwardInput(float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardInput(this, dy, weight, dx, n, cin, h, w, cout, k, s, p, op);
    }

    @Override public void convTranspose2dBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout, int k, int s, int p, int op) {
        ConvTransposeAsAdjoint.backwardWeight(this, x, dy, dweight, n, cin, h, w, cout, k, s, p, op);
    }

    @Override public void upsampleNearest2x(float[] x, float[] y, int n, int c, int h, int w) {
        task("upNearest", planes(n, c, h * w), 4L * n * c * h * w, 1);
    }

    @Override public void upsampleNearest2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        task("upNearestBackward", planes(n, c, h * w), (long) n * c * h * w, 4);
    }

    @Override public void upsampleBilinear2x(float[] x, float[] y, int n, int c, int h, int w) {
        task("upBilinear", planes(n, c, h * w), 4L * n * c * h * w, 4);
    }

    @Override public void upsampleBilinear2xBackward(float[] dy, float[] dx, int n, int c, int h, int w) {
        task("upBilinearBackward", planes(n, c, h * w), (long) n * c * h * w, 16);
    }

    @Override public void pixelShuffle(float[] x, float[] y, int n, int c, int h, int w, int r) {
        task("pixelShuffle", planes(n, c * r * r, h * w), (long) n * c * r * r * h * w, 1);
    }

    @Override public void pixelShuffleBackward(float[] dy, float[] dx, int n, int c, int h, int w, int r) {
        task("pixelShuffleBackward", planes(n, c * r * r, h * w), (long) n * c * r * r * h * w, 1);
    }

    @Override public void batchNormStats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        long segments = (long) n * c * BatchNorm2d.segments(hw);
        task("bnStatsPartials", planes(n, c, hw), segments, 2L * Math.min(hw, BatchNorm2d.SEGMENT));
        task("bnStatsCombine", planes(n, c, hw), c, 2 * segments / c);
    }

    @Override public void batchNormNormalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        task("bnNormalize", planes(n, c, hw), (long) n * c * hw, 1);
    }

    @Override public void batchNormNormalizeActivation(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta,
                                                       float slope, int n, int c, int hw) {
        task("bnNormalizeAct", planes(n, c, hw), (long) n * c * hw, 1);
    }

    @Override public void batchNormForwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        task("bnEval", planes(n, c, hw), (long) n * c * hw, 1);
    }

    @Override public void batchNormBackwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                                                  float[] dgamma, float[] dbeta, int n, int c, int hw) {
        long segments = (long) n * c * BatchNorm2d.segments(hw);
        task("bnBackwardPartials", planes(n, c, hw), segments, Math.min(hw, BatchNorm2d.SEGMENT));
        task("bnBackwardCombine", planes(n, c, hw), c, segments / c);
    }

    @Override public void batchNormBackwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                                                 float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        task("bnBackwardInput", planes(n, c, hw), (long) n * c * hw, 1);
    }

    private void elementwise(String kernel, int len) {
        task(kernel, "len " + len, len, 1);
    }

    @Override public void relu(float[] x, float[] y, int len) { elementwise("relu", len); }
    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int len) { elementwise("reluBackward", len); }
    @Override public void leakyRelu(float[] x, float[] y, int len) { elementwise("leakyRelu", len); }
    @Override public void leakyReluBackward(float[] y, float[] dy, float[] dx, int len) { elementwise("leakyReluBackward", len); }
    @Override public void tanh(float[] x, float[] y, int len) { elementwise("tanh", len); }
    @Override public void tanhBackward(float[] y, float[] dy, float[] dx, int len) { elementwise("tanhBackward", len); }
    @Override public void sigmoid(float[] x, float[] y, int len) { elementwise("sigmoid", len); }
    @Override public void sigmoidBackward(float[] y, float[] dy, float[] dx, int len) { elementwise("sigmoidBackward", len); }

    @Override public void bceForward(float[] p, float[] out, float label, int n) {
        task("bceForwardTerms", "n" + n, n, 1);
        task("bceForwardSum", "n" + n, 1, n);
    }

    @Override public void bceBackward(float[] p, float[] dp, float label, int n) { elementwise("bceBackward", n); }

    private static String linear(int n, int in, int out) {
        return String.format(Locale.ROOT, "n%d %d->%d", n, in, out);
    }

    @Override public void linearForward(float[] x, float[] weight, float[] bias, float[] y, int n, int in, int out) {
        task("linearForward", linear(n, in, out), (long) n * out, in);
    }

    @Override public void linearBackwardInput(float[] dy, float[] weight, float[] dx, int n, int in, int out) {
        task("linearBackwardInput", linear(n, in, out), (long) n * in, out);
    }

    @Override public void linearBackwardWeight(float[] x, float[] dy, float[] dweight, int n, int in, int out) {
        task("linearBackwardWeight", linear(n, in, out), (long) out * in, n);
    }

    @Override public void linearBackwardBias(float[] dy, float[] dbias, int n, int out) {
        task("linearBackwardBias", "n" + n + " " + out, out, n);
    }

    @Override public void softmax(float[] logits, float[] probs, int n, int k) {
        task("softmax", "n" + n + " k" + k, n, 3L * k);   // max, sum of exponentials, normalise
    }

    @Override public void crossEntropyLoss(float[] logits, float[] labels, float[] out, int n, int k) {
        task("crossEntropyLoss", "n" + n + " k" + k, 1, (long) n * k);
    }

    @Override public void crossEntropyBackward(float[] probs, float[] labels, float[] dlogits, int n, int k) {
        elementwise("crossEntropyBackward", n * k);
    }
    @Override public void adamStep(float[] param, float[] grad, float[] m, float[] v, float[] hp, int len) { elementwise("adam", len); }
    @Override public void fill(float[] a, float value, int len) { elementwise("fill", len); }
    // one launch per net, as the TornadoVM backend keeps each net's parameters in one buffer
    @Override public void adamStep(NetParams net, float[] hp) { elementwise("adam", net.length()); }
    @Override public void zeroGrad(NetParams net) { elementwise("zeroGrad", net.length()); }

    /**
     * The tasks as a Markdown table, one row per distinct (kernel, shape) in the order of their first launch, with
     * launches per iteration, work-items, the serial loop of one work-item and whether the task is heavy
     * ({@link #HEAVY}).
     */
    public static String table(List<Task> tasks) {
        Map<Task, Integer> calls = new LinkedHashMap<>();
        for (Task t : tasks) calls.merge(t, 1, Integer::sum);
        StringBuilder sb = new StringBuilder();
        sb.append("| kernel | shape | launches | work-items | serial loop | heavy |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | --- |\n");
        calls.forEach((t, c) -> sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %,d | %,d | %s |%n",
                t.kernel(), t.shape(), c, t.workItems(), t.loop(), t.heavy() ? "yes" : "")));
        return sb.toString();
    }

    /** The smallest work-item count among the heavy tasks (Long.MAX_VALUE when there are none). */
    public static long fewestHeavyWorkItems(List<Task> tasks) {
        return tasks.stream().filter(Task::heavy).mapToLong(Task::workItems).min().orElse(Long.MAX_VALUE);
    }
}
