package dcgan.eval.inception;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The layers of pytorch-fid's FID Inception-v3 (torchvision's Inception3 with 1008 classes, no aux classifier,
 * and pytorch-fid's FID blocks), named as its state_dict: every BasicConv2d is {@code <name>.conv.weight}
 * [cout, cin, kh, kw] (no bias) and {@code <name>.bn.{weight, bias, running_mean, running_var}} [cout], BatchNorm
 * with eps 0.001; then {@code fc.weight} [1008, 2048], {@code fc.bias} [1008].
 */
public final class InceptionArchitecture {
    private InceptionArchitecture() {}

    /** pytorch-fid's input size (bilinear resize), pool3 features, classes of the fc layer. */
    public static final int SIZE = 299, FEATURES = 2048, CLASSES = 1008;
    /** BasicConv2d's BatchNorm eps. */
    public static final double BN_EPS = 0.001;

    /** One BasicConv2d: conv (kh × kw, stride sh × sw, zero padding ph × pw, no bias), BatchNorm, ReLU. */
    public record ConvSpec(String name, int cin, int cout, int kh, int kw, int sh, int sw, int ph, int pw) {
        public int outH(int h) {
            return (h + 2 * ph - kh) / sh + 1;
        }

        public int outW(int w) {
            return (w + 2 * pw - kw) / sw + 1;
        }

        public int weightSize() {
            return cout * cin * kh * kw;
        }
    }

    private static final List<ConvSpec> CONVS = build();

    /** Every BasicConv2d, in the order the network runs them. */
    public static List<ConvSpec> convs() {
        return CONVS;
    }

    private static List<ConvSpec> build() {
        List<ConvSpec> l = new ArrayList<>();
        sq(l, "Conv2d_1a_3x3", 3, 32, 3, 2, 0);
        sq(l, "Conv2d_2a_3x3", 32, 32, 3, 1, 0);
        sq(l, "Conv2d_2b_3x3", 32, 64, 3, 1, 1);
        sq(l, "Conv2d_3b_1x1", 64, 80, 1, 1, 0);
        sq(l, "Conv2d_4a_3x3", 80, 192, 3, 1, 0);
        a(l, "Mixed_5b", 192, 32);
        a(l, "Mixed_5c", 256, 64);
        a(l, "Mixed_5d", 288, 64);
        b(l, "Mixed_6a", 288);
        c(l, "Mixed_6b", 768, 128);
        c(l, "Mixed_6c", 768, 160);
        c(l, "Mixed_6d", 768, 160);
        c(l, "Mixed_6e", 768, 192);
        d(l, "Mixed_7a", 768);
        e(l, "Mixed_7b", 1280);
        e(l, "Mixed_7c", 2048);
        return Collections.unmodifiableList(l);
    }

    private static void sq(List<ConvSpec> l, String name, int cin, int cout, int k, int s, int p) {
        l.add(new ConvSpec(name, cin, cout, k, k, s, s, p, p));
    }

    /** 1×7 (padding 0×3) when wide, else 7×1 (padding 3×0). */
    private static void seven(List<ConvSpec> l, String name, int cin, int cout, boolean wide) {
        l.add(wide ? new ConvSpec(name, cin, cout, 1, 7, 1, 1, 0, 3) : new ConvSpec(name, cin, cout, 7, 1, 1, 1, 3, 0));
    }

    private static void three(List<ConvSpec> l, String name, int cin, int cout, boolean wide) {
        l.add(wide ? new ConvSpec(name, cin, cout, 1, 3, 1, 1, 0, 1) : new ConvSpec(name, cin, cout, 3, 1, 1, 1, 1, 0));
    }

    /** InceptionA: 64 + 64 + 96 + pool channels out. */
    private static void a(List<ConvSpec> l, String p, int in, int pool) {
        sq(l, p + ".branch1x1", in, 64, 1, 1, 0);
        sq(l, p + ".branch5x5_1", in, 48, 1, 1, 0);
        sq(l, p + ".branch5x5_2", 48, 64, 5, 1, 2);
        sq(l, p + ".branch3x3dbl_1", in, 64, 1, 1, 0);
        sq(l, p + ".branch3x3dbl_2", 64, 96, 3, 1, 1);
        sq(l, p + ".branch3x3dbl_3", 96, 96, 3, 1, 1);
        sq(l, p + ".branch_pool", in, pool, 1, 1, 0);
    }

    /** InceptionB: 384 + 96 + in channels out, stride 2. */
    private static void b(List<ConvSpec> l, String p, int in) {
        sq(l, p + ".branch3x3", in, 384, 3, 2, 0);
        sq(l, p + ".branch3x3dbl_1", in, 64, 1, 1, 0);
        sq(l, p + ".branch3x3dbl_2", 64, 96, 3, 1, 1);
        sq(l, p + ".branch3x3dbl_3", 96, 96, 3, 2, 0);
    }

    /** InceptionC: 4 × 192 channels out. */
    private static void c(List<ConvSpec> l, String p, int in, int c7) {
        sq(l, p + ".branch1x1", in, 192, 1, 1, 0);
        sq(l, p + ".branch7x7_1", in, c7, 1, 1, 0);
        seven(l, p + ".branch7x7_2", c7, c7, true);
        seven(l, p + ".branch7x7_3", c7, 192, false);
        sq(l, p + ".branch7x7dbl_1", in, c7, 1, 1, 0);
        seven(l, p + ".branch7x7dbl_2", c7, c7, false);
        seven(l, p + ".branch7x7dbl_3", c7, c7, true);
        seven(l, p + ".branch7x7dbl_4", c7, c7, false);
        seven(l, p + ".branch7x7dbl_5", c7, 192, true);
        sq(l, p + ".branch_pool", in, 192, 1, 1, 0);
    }

    /** InceptionD: 320 + 192 + in channels out, stride 2. */
    private static void d(List<ConvSpec> l, String p, int in) {
        sq(l, p + ".branch3x3_1", in, 192, 1, 1, 0);
        sq(l, p + ".branch3x3_2", 192, 320, 3, 2, 0);
        sq(l, p + ".branch7x7x3_1", in, 192, 1, 1, 0);
        seven(l, p + ".branch7x7x3_2", 192, 192, true);
        seven(l, p + ".branch7x7x3_3", 192, 192, false);
        sq(l, p + ".branch7x7x3_4", 192, 192, 3, 2, 0);
    }

    /** InceptionE: 320 + 2 × 384 + 2 × 384 + 192 = 2048 channels out. */
    private static void e(List<ConvSpec> l, String p, int in) {
        sq(l, p + ".branch1x1", in, 320, 1, 1, 0);
        sq(l, p + ".branch3x3_1", in, 384, 1, 1, 0);
        three(l, p + ".branch3x3_2a", 384, 384, true);
        three(l, p + ".branch3x3_2b", 384, 384, false);
        sq(l, p + ".branch3x3dbl_1", in, 448, 1, 1, 0);
        sq(l, p + ".branch3x3dbl_2", 448, 384, 3, 1, 1);
        three(l, p + ".branch3x3dbl_3a", 384, 384, true);
        three(l, p + ".branch3x3dbl_3b", 384, 384, false);
        sq(l, p + ".branch_pool", in, 192, 1, 1, 0);
    }
}
