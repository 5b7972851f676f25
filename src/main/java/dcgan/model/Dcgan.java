package dcgan.model;

import dcgan.backend.Backend;
import dcgan.kernels.Conv2d;
import dcgan.kernels.ConvTranspose2d;

import java.util.ArrayList;
import java.util.List;

/**
 * The DCGAN of the PyTorch tutorial: a Generator and a Discriminator as sequences of layers whose
 * indices match PyTorch's {@code nn.Sequential} named {@code main}, so tensor names are the tutorial's
 * state_dict keys (main.0.weight, main.1.running_mean, ...).
 *
 * <p>64×64 is the tutorial's model. 32 and 128 use one stride-2 block fewer or more, and the widest
 * layer has (imageSize / 8) × ngf (resp. ndf) channels, as DCGAN implementations commonly do.
 */
public final class Dcgan {

    /**
     * nz: latent size; ngf/ndf: feature maps in G/D; nc: image channels; imageSize: 32, 64 or 128;
     * upsampling: how G's stride-2 blocks upsample (DCGAN's transposed convolution k4 s2 by default).
     */
    public record Config(int nz, int ngf, int ndf, int nc, int imageSize, Upsampling upsampling) {
        public Config(int nz, int ngf, int ndf, int nc, int imageSize) {
            this(nz, ngf, ndf, nc, imageSize, Upsampling.CONVT_K4S2);
        }

        public Config {
            if (upsampling == null) throw new IllegalArgumentException("upsampling must be given");
            if (nz < 1) throw new IllegalArgumentException("nz must be >= 1, got " + nz);
            if (ngf < 1) throw new IllegalArgumentException("ngf must be >= 1, got " + ngf);
            if (ndf < 1) throw new IllegalArgumentException("ndf must be >= 1, got " + ndf);
            if (nc != 1 && nc != 3) throw new IllegalArgumentException("nc must be 1 or 3, got " + nc);
            if (imageSize != 32 && imageSize != 64 && imageSize != 128) {
                throw new IllegalArgumentException("image size must be 32, 64 or 128, got " + imageSize);
            }
        }

        public static Config tutorial() {
            return new Config(100, 64, 64, 3, 64);
        }

        /** Stride-2 blocks between 4×4 and the image: 3 at 32, 4 at 64, 5 at 128. */
        int upBlocks() {
            return Integer.numberOfTrailingZeros(imageSize) - 2;
        }

        public int imageElements() {
            return nc * imageSize * imageSize;
        }
    }

    /** A learnable tensor with its gradient and Adam moments. */
    public static final class Param {
        public final String name;
        public final int[] shape;
        public final float[] data, grad, m, v;

        Param(String name, int... shape) {
            int size = 1;
            for (int d : shape) size *= d;
            this.name = name;
            this.shape = shape;
            this.data = new float[size];
            this.grad = new float[size];
            this.m = new float[size];
            this.v = new float[size];
        }
    }

    /** A state tensor that is not learned (BatchNorm's running statistics). */
    public record Buffer(String name, int[] shape, float[] data) {}

    /** One module of the Sequential. Shapes are per image: [c, h, w] in and out. */
    public abstract static class Layer {
        public final int cin, hin, win, cout, hout, wout;

        Layer(int cin, int hin, int win, int cout, int hout, int wout) {
            this.cin = cin;
            this.hin = hin;
            this.win = win;
            this.cout = cout;
            this.hout = hout;
            this.wout = wout;
        }

        int inSize() {
            return cin * hin * win;
        }

        int outSize() {
            return cout * hout * wout;
        }

        /** y = layer(x) for a batch of n images. */
        abstract void forward(Backend be, int n, float[] x, float[] y, boolean train);

        /**
         * Given dy, accumulates parameter gradients (a convolution or linear layer skips its weight gradient when weightGrad is
         * false) and, when dx is not null, writes dx.
         */
        abstract void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad);

        List<Param> params() {
            return List.of();
        }

        List<Buffer> buffers() {
            return List.of();
        }
    }

    /** nn.ConvTranspose2d(cin, cout, k, s, p, output_padding=op, bias=False). */
    public static final class ConvT extends Layer {
        final int k, s, p, op;
        final Param weight;

        ConvT(String prefix, int cin, int h, int cout, int k, int s, int p) {
            this(prefix, cin, h, cout, k, s, p, 0);
        }

        ConvT(String prefix, int cin, int h, int cout, int k, int s, int p, int op) {
            super(cin, h, h, cout, ConvTranspose2d.outSize(h, k, s, p, op), ConvTranspose2d.outSize(h, k, s, p, op));
            if (op < 0 || op >= s) throw new IllegalArgumentException("output_padding must be in [0, stride), got " + op);
            this.k = k;
            this.s = s;
            this.p = p;
            this.op = op;
            this.weight = new Param(prefix + ".weight", cin, cout, k, k);
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            be.convTranspose2dForward(x, weight.data, y, n, cin, hin, win, cout, k, s, p, op);
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            if (weightGrad) be.convTranspose2dBackwardWeight(x, dy, weight.grad, n, cin, hin, win, cout, k, s, p, op);
            if (dx != null) be.convTranspose2dBackwardInput(dy, weight.data, dx, n, cin, hin, win, cout, k, s, p, op);
        }

        @Override List<Param> params() {
            return List.of(weight);
        }
    }

    /**
     * nn.Conv2d(cin, cout, k, s, p, bias=False). icnr &gt; 0 marks the convolution in front of a
     * PixelShuffle(icnr) that {@link #weightsInit} gives ICNR weights (Aitken et al. 2017).
     */
    public static final class Conv extends Layer {
        final int k, s, p, icnr;
        final Param weight;

        Conv(String prefix, int cin, int h, int cout, int k, int s, int p) {
            this(prefix, cin, h, cout, k, s, p, 0);
        }

        Conv(String prefix, int cin, int h, int cout, int k, int s, int p, int icnr) {
            super(cin, h, h, cout, Conv2d.outSize(h, k, s, p), Conv2d.outSize(h, k, s, p));
            if (icnr < 0 || (icnr > 0 && cout % (icnr * icnr) != 0)) {
                throw new IllegalArgumentException("ICNR factor " + icnr + " does not divide " + cout + " channels");
            }
            this.k = k;
            this.s = s;
            this.p = p;
            this.icnr = icnr;
            this.weight = new Param(prefix + ".weight", cout, cin, k, k);
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            be.conv2dForward(x, weight.data, y, n, cin, hin, win, cout, k, s, p);
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            if (weightGrad) be.conv2dBackwardWeight(x, dy, weight.grad, n, cin, hin, win, cout, k, s, p);
            if (dx != null) be.conv2dBackwardInput(dy, weight.data, dx, n, cin, hin, win, cout, k, s, p);
        }

        @Override List<Param> params() {
            return List.of(weight);
        }
    }

    /** nn.BatchNorm2d(c): batch statistics in training, running statistics in eval. */
    public static final class BatchNorm extends Layer {
        final Param weight, bias;
        final Buffer runningMean, runningVar;
        // Saved by the last training forward for its backward, like autograd's saved tensors.
        final float[] mean, invstd, sumDy, sumDyXhat;
        /** PyTorch's num_batches_tracked: training forwards so far. */
        public long batchesTracked;

        BatchNorm(String prefix, int c, int h) {
            super(c, h, h, c, h, h);
            weight = new Param(prefix + ".weight", c);
            bias = new Param(prefix + ".bias", c);
            runningMean = new Buffer(prefix + ".running_mean", new int[] {c}, new float[c]);
            runningVar = new Buffer(prefix + ".running_var", new int[] {c}, new float[c]);
            java.util.Arrays.fill(runningVar.data(), 1f);
            mean = new float[c];
            invstd = new float[c];
            sumDy = new float[c];
            sumDyXhat = new float[c];
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            int hw = hin * win;
            if (train) {
                batchesTracked++;
                be.batchNormStats(x, mean, invstd, runningMean.data(), runningVar.data(), n, cin, hw);
                be.batchNormNormalize(x, y, mean, invstd, weight.data, bias.data, n, cin, hw);
            } else {
                be.batchNormForwardEval(x, y, runningMean.data(), runningVar.data(), weight.data, bias.data, n, cin, hw);
            }
        }

        /** Training forward fused with the activation after it; y is that activation's output. */
        void forwardActivated(Backend be, int n, float[] x, float[] y, float slope) {
            int hw = hin * win;
            batchesTracked++;
            be.batchNormStats(x, mean, invstd, runningMean.data(), runningVar.data(), n, cin, hw);
            be.batchNormNormalizeActivation(x, y, mean, invstd, weight.data, bias.data, slope, n, cin, hw);
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            int hw = hin * win;
            be.batchNormBackwardReduce(x, dy, mean, invstd, sumDy, sumDyXhat, weight.grad, bias.grad, n, cin, hw);
            if (dx != null) be.batchNormBackwardInput(x, dy, dx, mean, invstd, weight.data, sumDy, sumDyXhat, n, cin, hw);
        }

        @Override List<Param> params() {
            return List.of(weight, bias);
        }

        @Override List<Buffer> buffers() {
            return List.of(runningMean, runningVar);
        }

        public String weightName() {
            return weight.name;
        }
    }

    /** nn.Upsample(scale_factor=2, mode='nearest' or 'bilinear', align_corners=False): no parameters. */
    public static final class Upsample extends Layer {
        final boolean bilinear;

        Upsample(boolean bilinear, int c, int h) {
            super(c, h, h, c, 2 * h, 2 * h);
            this.bilinear = bilinear;
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            if (bilinear) be.upsampleBilinear2x(x, y, n, cin, hin, win);
            else be.upsampleNearest2x(x, y, n, cin, hin, win);
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            if (dx == null) return;
            if (bilinear) be.upsampleBilinear2xBackward(dy, dx, n, cin, hin, win);
            else be.upsampleNearest2xBackward(dy, dx, n, cin, hin, win);
        }
    }

    /** nn.PixelShuffle(r): [c·r², h, w] to [c, h·r, w·r]; no parameters. */
    public static final class PixelShuffle extends Layer {
        final int r;

        PixelShuffle(int c, int h, int r) {
            super(c * r * r, h, h, c, h * r, h * r);
            this.r = r;
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            be.pixelShuffle(x, y, n, cout, hin, win, r);
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            if (dx != null) be.pixelShuffleBackward(dy, dx, n, cout, hin, win, r);
        }
    }

    public enum ActKind { RELU, LEAKY_RELU, TANH, SIGMOID }

    /** ReLU, LeakyReLU(0.2), Tanh or Sigmoid. */
    public static final class Act extends Layer {
        final ActKind kind;

        Act(ActKind kind, int c, int h) {
            super(c, h, h, c, h, h);
            this.kind = kind;
        }

        /** The negative slope when this is a ReLU (0) or LeakyReLU (0.2), which fuse into a BatchNorm before them. */
        float fusableSlope() {
            return switch (kind) {
                case RELU -> 0f;
                case LEAKY_RELU -> dcgan.kernels.Activations.LEAKY_SLOPE;
                default -> Float.NaN;
            };
        }

        @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
            int len = n * inSize();
            switch (kind) {
                case RELU -> be.relu(x, y, len);
                case LEAKY_RELU -> be.leakyRelu(x, y, len);
                case TANH -> be.tanh(x, y, len);
                case SIGMOID -> be.sigmoid(x, y, len);
            }
        }

        @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
            if (dx == null) return;
            int len = n * inSize();
            switch (kind) {
                case RELU -> be.reluBackward(y, dy, dx, len);
                case LEAKY_RELU -> be.leakyReluBackward(y, dy, dx, len);
                case TANH -> be.tanhBackward(y, dy, dx, len);
                case SIGMOID -> be.sigmoidBackward(y, dy, dx, len);
            }
        }
    }

    /** A Sequential: layers plus, per batch size, the activation and gradient buffers of one pass. */
    public static final class Net {
        public final String name;
        public final List<Layer> layers;

        Net(String name, List<Layer> layers) {
            this.name = name;
            this.layers = List.copyOf(layers);
        }

        /** The parameters' arrays as a backend takes them (one instance per net, so a backend can recognise it). */
        public Backend.NetParams arrays() {
            if (arrays == null) {
                List<Param> ps = params();
                arrays = new Backend.NetParams(name, ps.stream().map(p -> p.data).toArray(float[][]::new),
                        ps.stream().map(p -> p.grad).toArray(float[][]::new), ps.stream().map(p -> p.m).toArray(float[][]::new),
                        ps.stream().map(p -> p.v).toArray(float[][]::new), new boolean[ps.size()]);
                for (int i = 0; i < ps.size(); i++) arrays.bias()[i] = ps.get(i).name.endsWith(".bias");
            }
            return arrays;
        }

        private Backend.NetParams arrays;

        public int inputSize() {
            return layers.getFirst().inSize();
        }

        public int outputSize() {
            return layers.getLast().outSize();
        }

        public List<Param> params() {
            List<Param> out = new ArrayList<>();
            for (Layer l : layers) out.addAll(l.params());
            return out;
        }

        public List<Buffer> buffers() {
            List<Buffer> out = new ArrayList<>();
            for (Layer l : layers) out.addAll(l.buffers());
            return out;
        }

        /**
         * Every tensor of the state_dict, in PyTorch's order (per module: weight, bias, running_mean,
         * running_var), sharing the model's arrays. num_batches_tracked is {@link BatchNorm#batchesTracked}.
         */
        public List<Buffer> state() {
            List<Buffer> out = new ArrayList<>();
            for (Layer l : layers) {
                for (Param p : l.params()) out.add(new Buffer(p.name, p.shape, p.data));
                out.addAll(l.buffers());
            }
            return out;
        }

        public List<BatchNorm> batchNorms() {
            List<BatchNorm> out = new ArrayList<>();
            for (Layer l : layers) if (l instanceof BatchNorm bn) out.add(bn);
            return out;
        }

        public Pass pass(int batch) {
            return new Pass(this, batch);
        }

        /** PyTorch's zero_grad(): zeroes every parameter gradient. */
        public void zeroGrad(Backend be) {
            be.zeroGrad(arrays());
        }
    }

    /** Buffers for a forward and backward pass of a Net at a fixed batch size. */
    public static final class Pass {
        public final Net net;
        public final int batch;
        final float[][] out;   // out[i]: output of layer i
        final float[][] grad;  // grad[i]: dL/d out[i-1] (input of layer i); grad[0] is dL/d input
        float[] input;

        Pass(Net net, int batch) {
            this.net = net;
            this.batch = batch;
            int n = net.layers.size();
            out = new float[n][];
            grad = new float[n][];
            for (int i = 0; i < n; i++) {
                grad[i] = new float[batch * net.layers.get(i).inSize()];
            }
        }

        /** Output buffer of layer i, allocated on first use (a fused BatchNorm's own output never is). */
        private float[] out(int i) {
            if (out[i] == null) out[i] = new float[batch * net.layers.get(i).outSize()];
            return out[i];
        }

        /** Runs the net on x (batch × input size); returns the output buffer (owned by this pass). */
        public float[] forward(Backend be, float[] x, boolean train) {
            input = x;
            float[] cur = x;
            for (int i = 0; i < net.layers.size(); i++) {
                Layer l = net.layers.get(i);
                // BatchNorm + ReLU/LeakyReLU run as one fused kernel in training; the BatchNorm's own output
                // is then never written (its backward needs only its input and statistics).
                if (train && l instanceof BatchNorm bn && i + 1 < net.layers.size()
                        && net.layers.get(i + 1) instanceof Act act && !Float.isNaN(act.fusableSlope())) {
                    bn.forwardActivated(be, batch, cur, out(i + 1), act.fusableSlope());
                    cur = out(++i);
                    continue;
                }
                l.forward(be, batch, cur, out(i), train);
                cur = out(i);
            }
            return cur;
        }

        /**
         * Backpropagates dOut through the last forward, accumulating parameter gradients. Returns dL/d input
         * when wanted, else null (the first layer then skips its input gradient).
         */
        public float[] backward(Backend be, float[] dOut, boolean wantInputGrad) {
            return backward(be, dOut, wantInputGrad, true);
        }

        /**
         * As {@link #backward(Backend, float[], boolean)}; with weightGrads false the convolutions skip their
         * weight gradients (for the input gradient alone, as through D in G's step, whose D gradients PyTorch
         * computes and the next netD.zero_grad() discards unread).
         */
        public float[] backward(Backend be, float[] dOut, boolean wantInputGrad, boolean weightGrads) {
            float[] dy = dOut;
            for (int i = net.layers.size() - 1; i >= 0; i--) {
                float[] x = i == 0 ? input : out[i - 1];
                float[] dx = (i > 0 || wantInputGrad) ? grad[i] : null;
                net.layers.get(i).backward(be, batch, x, out[i], dy, dx, weightGrads);  // a fused BatchNorm reads no y
                dy = dx;
            }
            return wantInputGrad ? grad[0] : null;
        }

        public float[] output() {
            return out(out.length - 1);
        }

        /** The output of layer i of the last forward (e.g. a classifier's penultimate features), owned by this pass. */
        public float[] layerOutput(int i) {
            return out(i);
        }
    }

    public final Config config;
    public final Net generator;
    public final Net discriminator;

    public Dcgan(Config config) {
        this.config = config;
        this.generator = buildGenerator(config);
        this.discriminator = buildDiscriminator(config);
    }

    /**
     * ConvT(nz → ngf·m, 4, 1, 0), then [up ×2, BN, ReLU] halving m, then up ×2 to nc and Tanh, where "up ×2" is
     * the config's {@link Upsampling}:
     * <ul>
     *   <li>convt-k4s2: ConvTranspose2d(k4, s2, p1) — the tutorial's, one module;</li>
     *   <li>convt-k3s2: ConvTranspose2d(k3, s2, p1, output_padding=1); convt-k2s2: ConvTranspose2d(k2, s2, p0);</li>
     *   <li>resize-nearest / resize-bilinear: Upsample(×2) then Conv2d(k3, s1, p1) — two modules;</li>
     *   <li>pixel-shuffle(-icnr): Conv2d(k3, s1, p1) to 4·cout channels then PixelShuffle(2) — two modules.</li>
     * </ul>
     * Every module takes one index of the Sequential, parameterless ones included, so state names are those of
     * the same nn.Sequential in PyTorch ("main.&lt;index&gt;.weight").
     */
    static Net buildGenerator(Config c) {
        List<Layer> layers = new ArrayList<>();
        int mult = c.imageSize() / 8;
        int ch = c.ngf() * mult, size = 4;
        layers.add(new ConvT(name(layers), c.nz(), 1, ch, 4, 1, 0));
        layers.add(new BatchNorm(name(layers), ch, size));
        layers.add(new Act(ActKind.RELU, ch, size));
        for (int b = 1; b < c.upBlocks(); b++) {
            int next = ch / 2;
            addUpsampling(layers, c.upsampling(), ch, size, next);
            size *= 2;
            ch = next;
            layers.add(new BatchNorm(name(layers), ch, size));
            layers.add(new Act(ActKind.RELU, ch, size));
        }
        addUpsampling(layers, c.upsampling(), ch, size, c.nc());
        layers.add(new Act(ActKind.TANH, c.nc(), size * 2));
        Layer last = layers.getLast();
        if (last.cout != c.nc() || last.hout != c.imageSize() || last.wout != c.imageSize()) {
            throw new IllegalStateException("generator makes " + last.cout + "x" + last.hout + "x" + last.wout
                    + ", not " + c.nc() + "x" + c.imageSize() + "x" + c.imageSize());
        }
        return new Net("netG", layers);
    }

    /** Appends the modules that take [cin, size, size] to [cout, 2·size, 2·size]. */
    private static void addUpsampling(List<Layer> layers, Upsampling u, int cin, int size, int cout) {
        switch (u) {
            case CONVT_K4S2 -> layers.add(new ConvT(name(layers), cin, size, cout, 4, 2, 1));
            case CONVT_K3S2 -> layers.add(new ConvT(name(layers), cin, size, cout, 3, 2, 1, 1));
            case CONVT_K2S2 -> layers.add(new ConvT(name(layers), cin, size, cout, 2, 2, 0));
            case RESIZE_NEAREST, RESIZE_BILINEAR -> {
                layers.add(new Upsample(u == Upsampling.RESIZE_BILINEAR, cin, size));
                layers.add(new Conv(name(layers), cin, 2 * size, cout, 3, 1, 1));
            }
            case PIXEL_SHUFFLE, PIXEL_SHUFFLE_ICNR -> {
                layers.add(new Conv(name(layers), cin, size, 4 * cout, 3, 1, 1, u == Upsampling.PIXEL_SHUFFLE_ICNR ? 2 : 0));
                layers.add(new PixelShuffle(cout, size, 2));
            }
        }
    }

    /** Conv(nc → ndf, k4 s2 p1), LeakyReLU; then [Conv, BN, LeakyReLU] doubling; then Conv(→ 1, 4, 1, 0), Sigmoid. */
    static Net buildDiscriminator(Config c) {
        List<Layer> layers = new ArrayList<>();
        int size = c.imageSize(), ch = c.ndf();
        layers.add(new Conv(name(layers), c.nc(), size, ch, 4, 2, 1));
        size /= 2;
        layers.add(new Act(ActKind.LEAKY_RELU, ch, size));
        for (int b = 1; b < c.upBlocks(); b++) {
            layers.add(new Conv(name(layers), ch, size, ch * 2, 4, 2, 1));
            ch *= 2;
            size /= 2;
            layers.add(new BatchNorm(name(layers), ch, size));
            layers.add(new Act(ActKind.LEAKY_RELU, ch, size));
        }
        layers.add(new Conv(name(layers), ch, size, 1, 4, 1, 0));
        layers.add(new Act(ActKind.SIGMOID, 1, 1));
        return new Net("netD", layers);
    }

    private static String name(List<Layer> layers) {
        return "main." + layers.size();
    }

    /**
     * The tutorial's weights_init: conv weights N(0, 0.02); BatchNorm weight N(1, 0.02), bias 0. A Conv marked
     * for ICNR (pixel-shuffle-icnr) gets its sub-kernels [cout/r², cin, k, k] from N(0, 0.02), each copied to
     * the r² channels that PixelShuffle(r) interleaves into one output channel ({@link dcgan.kernels.PixelShuffle#icnr}),
     * so that conv + shuffle starts as nearest-neighbour upsampling of a convolution.
     */
    public static void weightsInit(Net net, Rng rng) {
        for (Layer l : net.layers) {
            switch (l) {
                case ConvT t -> rng.fillGaussian(t.weight.data, 0.0, 0.02);
                case Conv t when t.icnr > 0 -> {
                    int r = t.icnr, c = t.cout / (r * r);
                    float[] base = new float[c * t.cin * t.k * t.k];
                    rng.fillGaussian(base, 0.0, 0.02);
                    dcgan.kernels.PixelShuffle.icnr(base, t.weight.data, c, t.cin, t.k, r);
                }
                case Conv t -> rng.fillGaussian(t.weight.data, 0.0, 0.02);
                case BatchNorm bn -> {
                    rng.fillGaussian(bn.weight.data, 1.0, 0.02);
                    java.util.Arrays.fill(bn.bias.data, 0f);
                }
                default -> { }
            }
        }
    }
}
