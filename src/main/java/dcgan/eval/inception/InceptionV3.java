package dcgan.eval.inception;

import dcgan.eval.inception.InceptionArchitecture.ConvSpec;
import dcgan.eval.inception.InceptionWeights.Folded;

/**
 * The forward pass of pytorch-fid's FID Inception-v3 up to pool3, block by block as its InceptionV3 module:
 * bilinear resize to 299×299 ({@link #input}); block 0 ({@link #stem0}: Conv2d_1a/2a/2b, 3×3 max pool stride 2);
 * block 1 ({@link #stem1}: Conv2d_3b/4a, max pool); blocks 2 and 3 ({@link #mixed}: Mixed_5b … Mixed_7c); the
 * adaptive average pool to 1×1 ({@link #pool}). Each BasicConv2d is one {@link InceptionOps#conv} (BatchNorm
 * folded, ReLU fused); the branches of a block write into channel ranges of one output buffer (torch.cat(…, 1)).
 *
 * <p>FID blocks (pytorch-fid's FIDInceptionA/C/E_1): the pool branch averages a 3×3 window, stride 1, padding 1,
 * over the taps inside the image only (count_include_pad=False); FIDInceptionE_2 (Mixed_7c) max-pools it
 * instead. Mixed_6a and Mixed_7a (InceptionB, D) are torchvision's, with a 3×3 stride-2 max pool branch.
 */
public final class InceptionV3 {
    /** An activation [n, c, h, w]. */
    public record Act(float[] data, int n, int c, int h, int w) {
        public Act {
            if (data.length < n * c * h * w) throw new IllegalArgumentException("activation of " + data.length + " floats, expected " + n * c * h * w);
        }
    }

    private final InceptionWeights weights;
    private final InceptionOps ops;

    InceptionV3(InceptionWeights weights, InceptionOps ops) {
        this.weights = weights;
        this.ops = ops;
    }

    /** Images [n, cin, h, w] (cin 1 or 3; pytorch-fid's 2x − 1 already applied, i.e. in [-1, 1]) resized to [n, 3, 299, 299]. */
    public Act input(float[] images, int n, int cin, int h, int w) {
        int s = InceptionArchitecture.SIZE;
        float[] y = new float[n * 3 * s * s];
        ops.resize(images, y, n, cin, h, w, 3, s, s);
        return new Act(y, n, 3, s, s);
    }

    /** pool3 features [n, 2048] of images as {@link #input} takes them. */
    public float[] features(float[] images, int n, int cin, int h, int w) {
        Act x = stem1(stem0(input(images, n, cin, h, w)));
        for (String m : MIXED) x = mixed(m, x);
        return pool(x);
    }

    /** The Mixed blocks in order. */
    public static final String[] MIXED = {"Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c",
            "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"};

    /** Block 0: Conv2d_1a_3x3 (stride 2), Conv2d_2a_3x3, Conv2d_2b_3x3 (padding 1), max pool 3/2. */
    public Act stem0(Act x) {
        Act t = conv("Conv2d_2b_3x3", conv("Conv2d_2a_3x3", conv("Conv2d_1a_3x3", x)));
        return maxPool(t, 3, 2, 0);
    }

    /** Block 1: Conv2d_3b_1x1, Conv2d_4a_3x3, max pool 3/2. */
    public Act stem1(Act x) {
        return maxPool(conv("Conv2d_4a_3x3", conv("Conv2d_3b_1x1", x)), 3, 2, 0);
    }

    /** One Mixed block by its state_dict name. */
    public Act mixed(String name, Act x) {
        return switch (name) {
            case "Mixed_5b", "Mixed_5c", "Mixed_5d" -> blockA(name, x);
            case "Mixed_6a" -> blockB(name, x);
            case "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e" -> blockC(name, x);
            case "Mixed_7a" -> blockD(name, x);
            case "Mixed_7b" -> blockE(name, x, false);
            case "Mixed_7c" -> blockE(name, x, true);
            default -> throw new IllegalArgumentException("no block " + name);
        };
    }

    /** nn.AdaptiveAvgPool2d((1, 1)), flattened: [n, c]. */
    public float[] pool(Act x) {
        float[] y = new float[x.n() * x.c()];
        ops.globalAvgPool(x.data(), y, x.n() * x.c(), x.h() * x.w());
        return y;
    }

    // ---- blocks

    /** FIDInceptionA: 1x1 | 1x1, 5x5 | 1x1, 3x3, 3x3 | avg pool (count_include_pad=False), 1x1. */
    private Act blockA(String p, Act x) {
        Cat y = new Cat(x, x.h(), x.w(), p + ".branch1x1", p + ".branch5x5_2", p + ".branch3x3dbl_3", p + ".branch_pool");
        y.conv(p + ".branch1x1", x);
        y.conv(p + ".branch5x5_2", conv(p + ".branch5x5_1", x));
        y.conv(p + ".branch3x3dbl_3", conv(p + ".branch3x3dbl_2", conv(p + ".branch3x3dbl_1", x)));
        y.conv(p + ".branch_pool", avgPool3(x));
        return y.act;
    }

    /** InceptionB: 3x3 stride 2 | 1x1, 3x3, 3x3 stride 2 | max pool 3/2. */
    private Act blockB(String p, Act x) {
        int oh = (x.h() - 3) / 2 + 1, ow = (x.w() - 3) / 2 + 1;
        Cat y = new Cat(x, oh, ow, x.c(), p + ".branch3x3", p + ".branch3x3dbl_3");
        y.conv(p + ".branch3x3", x);
        y.conv(p + ".branch3x3dbl_3", conv(p + ".branch3x3dbl_2", conv(p + ".branch3x3dbl_1", x)));
        y.maxPool(x);
        return y.act;
    }

    /** FIDInceptionC: 1x1 | 1x1, 1x7, 7x1 | 1x1, 7x1, 1x7, 7x1, 1x7 | avg pool (count_include_pad=False), 1x1. */
    private Act blockC(String p, Act x) {
        Cat y = new Cat(x, x.h(), x.w(), p + ".branch1x1", p + ".branch7x7_3", p + ".branch7x7dbl_5", p + ".branch_pool");
        y.conv(p + ".branch1x1", x);
        y.conv(p + ".branch7x7_3", conv(p + ".branch7x7_2", conv(p + ".branch7x7_1", x)));
        Act d = conv(p + ".branch7x7dbl_1", x);
        for (int i = 2; i <= 4; i++) d = conv(p + ".branch7x7dbl_" + i, d);
        y.conv(p + ".branch7x7dbl_5", d);
        y.conv(p + ".branch_pool", avgPool3(x));
        return y.act;
    }

    /** InceptionD: 1x1, 3x3 stride 2 | 1x1, 1x7, 7x1, 3x3 stride 2 | max pool 3/2. */
    private Act blockD(String p, Act x) {
        int oh = (x.h() - 3) / 2 + 1, ow = (x.w() - 3) / 2 + 1;
        Cat y = new Cat(x, oh, ow, x.c(), p + ".branch3x3_2", p + ".branch7x7x3_4");
        y.conv(p + ".branch3x3_2", conv(p + ".branch3x3_1", x));
        Act d = conv(p + ".branch7x7x3_1", x);
        for (int i = 2; i <= 3; i++) d = conv(p + ".branch7x7x3_" + i, d);
        y.conv(p + ".branch7x7x3_4", d);
        y.maxPool(x);
        return y.act;
    }

    /**
     * FIDInceptionE_1 (maxPool false) and E_2 (true): 1x1 | 1x1, (1x3 ‖ 3x1) | 1x1, 3x3, (1x3 ‖ 3x1) | 3×3 pool
     * (average with count_include_pad=False, or max), 1x1.
     */
    private Act blockE(String p, Act x, boolean maxPool) {
        Cat y = new Cat(x, x.h(), x.w(), p + ".branch1x1", p + ".branch3x3_2a", p + ".branch3x3_2b",
                p + ".branch3x3dbl_3a", p + ".branch3x3dbl_3b", p + ".branch_pool");
        y.conv(p + ".branch1x1", x);
        Act t = conv(p + ".branch3x3_1", x);
        y.conv(p + ".branch3x3_2a", t);
        y.conv(p + ".branch3x3_2b", t);
        Act d = conv(p + ".branch3x3dbl_2", conv(p + ".branch3x3dbl_1", x));
        y.conv(p + ".branch3x3dbl_3a", d);
        y.conv(p + ".branch3x3dbl_3b", d);
        y.conv(p + ".branch_pool", maxPool ? maxPool(x, 3, 1, 1) : avgPool3(x));
        return y.act;
    }

    // ---- ops

    private Act conv(String name, Act x) {
        Folded l = weights.conv(name);
        ConvSpec s = l.spec();
        check(s, x);
        int oh = s.outH(x.h()), ow = s.outW(x.w());
        float[] y = new float[x.n() * s.cout() * oh * ow];
        ops.conv(l, x.data(), x.n(), x.h(), x.w(), y, s.cout(), 0);
        return new Act(y, x.n(), s.cout(), oh, ow);
    }

    private static void check(ConvSpec s, Act x) {
        if (x.c() != s.cin()) throw new IllegalArgumentException(s.name() + " takes " + s.cin() + " channels, got " + x.c());
        if (s.outH(x.h()) < 1 || s.outW(x.w()) < 1)
            throw new IllegalArgumentException(s.name() + ": input " + x.h() + "x" + x.w() + " is too small");
    }

    private Act maxPool(Act x, int k, int s, int p) {
        int oh = (x.h() + 2 * p - k) / s + 1, ow = (x.w() + 2 * p - k) / s + 1;
        float[] y = new float[x.n() * x.c() * oh * ow];
        ops.maxPool(x.data(), y, x.n(), x.c(), x.h(), x.w(), k, s, p, x.c(), 0);
        return new Act(y, x.n(), x.c(), oh, ow);
    }

    /** 3×3 average pool, stride 1, padding 1, count_include_pad=False. */
    private Act avgPool3(Act x) {
        float[] y = new float[x.data().length];
        ops.avgPool(x.data(), y, x.n(), x.c(), x.h(), x.w(), 3, 1, 1);
        return new Act(y, x.n(), x.c(), x.h(), x.w());
    }

    /** A block's output: its branches' channels side by side (torch.cat(…, 1)), filled in order. */
    private final class Cat {
        final Act act;
        int next;

        /** Channels: the named convolutions' outputs, plus extra (a max-pool branch's input channels). */
        Cat(Act x, int oh, int ow, int extra, String... convs) {
            int c = extra;
            for (String name : convs) c += weights.conv(name).spec().cout();
            act = new Act(new float[x.n() * c * oh * ow], x.n(), c, oh, ow);
        }

        Cat(Act x, int oh, int ow, String... convs) {
            this(x, oh, ow, 0, convs);
        }

        void conv(String name, Act in) {
            Folded l = weights.conv(name);
            check(l.spec(), in);
            if (l.spec().outH(in.h()) != act.h() || l.spec().outW(in.w()) != act.w())
                throw new IllegalStateException(name + ": branch output size differs from the block's");
            ops.conv(l, in.data(), in.n(), in.h(), in.w(), act.data(), act.c(), next);
            next += l.spec().cout();
        }

        /** The 3×3 stride-2 max pool branch of InceptionB/D. */
        void maxPool(Act in) {
            ops.maxPool(in.data(), act.data(), in.n(), in.c(), in.h(), in.w(), 3, 2, 0, act.c(), next);
            next += in.c();
        }
    }
}
