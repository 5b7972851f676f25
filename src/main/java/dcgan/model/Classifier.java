package dcgan.model;

import dcgan.model.Dcgan.Act;
import dcgan.model.Dcgan.ActKind;
import dcgan.model.Dcgan.BatchNorm;
import dcgan.model.Dcgan.Conv;
import dcgan.model.Dcgan.Layer;

import java.util.ArrayList;
import java.util.List;

/**
 * A small image classifier, the feature network `dcgan evaluate` trains on a labelled dataset: DCGAN's
 * discriminator body, then two linear layers. As a PyTorch {@code nn.Sequential} named {@code main} (for 32x32):
 * <pre>
 *  0 Conv2d(nc, w, 4, 2, 1, bias=False)  1 LeakyReLU(0.2)                                   32 -> 16
 *  2 Conv2d(w, 2w, 4, 2, 1, bias=False)  3 BatchNorm2d(2w)  4 LeakyReLU(0.2)                16 -> 8
 *  5 Conv2d(2w, 4w, 4, 2, 1, bias=False) 6 BatchNorm2d(4w)  7 LeakyReLU(0.2)                 8 -> 4
 *  8 Flatten()  9 Linear(4w*16, f, bias=False)  10 BatchNorm1d(f)  11 LeakyReLU(0.2)  12 Linear(f, classes)
 * </pre>
 * (64 and 128 add one or two stride-2 blocks, as the discriminator does). The output of 11, f values per
 * image, are the features for FID and KID; the softmax of 12's logits are the class probabilities for the
 * Inception Score. The Flatten takes an index but no layer here: the linear layer reads the NCHW activation as
 * it is, in {@code torch.flatten}'s order.
 */
public final class Classifier {

    /** nc: image channels; imageSize: 32, 64 or 128; width: the first convolution's channels; features: f; classes. */
    public record Config(int nc, int imageSize, int width, int features, int classes) {
        public Config {
            if (nc != 1 && nc != 3) throw new IllegalArgumentException("classifier: nc must be 1 or 3, got " + nc);
            if (imageSize != 32 && imageSize != 64 && imageSize != 128)
                throw new IllegalArgumentException("classifier: image size must be 32, 64 or 128, got " + imageSize);
            if (width < 1 || width > 1024) throw new IllegalArgumentException("classifier: width must be 1..1024, got " + width);
            if (features < 1 || features > 65536)
                throw new IllegalArgumentException("classifier: features must be 1..65536, got " + features);
            if (classes < 2 || classes > 65536) throw new IllegalArgumentException("classifier: classes must be 2..65536, got " + classes);
        }

        public int imageElements() {
            return nc * imageSize * imageSize;
        }
    }

    public final Config config;
    public final Dcgan.Net net;
    /** The index in {@code net.layers} of the layer whose output is the features (the last LeakyReLU). */
    public final int featureLayer;

    public Classifier(Config config) {
        this.config = config;
        this.net = build(config);
        this.featureLayer = net.layers.size() - 2;
    }

    private static Dcgan.Net build(Config c) {
        List<Layer> layers = new ArrayList<>();
        int index = 0, size = c.imageSize(), ch = c.width();
        layers.add(new Conv(name(index++), c.nc(), size, ch, 4, 2, 1));
        size /= 2;
        layers.add(new Act(ActKind.LEAKY_RELU, ch, size));
        index++;
        while (size > 4) {
            layers.add(new Conv(name(index++), ch, size, ch * 2, 4, 2, 1));
            ch *= 2;
            size /= 2;
            layers.add(new BatchNorm(name(index++), ch, size));
            layers.add(new Act(ActKind.LEAKY_RELU, ch, size));
            index++;
        }
        index++;   // nn.Flatten: no parameters, no copy
        layers.add(new LinearLayer(name(index++), ch * size * size, c.features(), false));   // BatchNorm follows
        layers.add(new BatchNorm(name(index++), c.features(), 1));
        layers.add(new Act(ActKind.LEAKY_RELU, c.features(), 1));
        index++;
        layers.add(new LinearLayer(name(index), c.features(), c.classes(), true));
        return new Dcgan.Net("classifier", layers);
    }

    private static String name(int index) {
        return "main." + index;
    }

    /**
     * PyTorch's default initialisation: convolution and linear weights uniform in +-1/sqrt(fan_in) (kaiming_uniform
     * with a = sqrt(5)), linear biases likewise; BatchNorm weight 1, bias 0.
     */
    public void init(Rng rng) {
        for (Layer l : net.layers) {
            switch (l) {
                case Conv t -> uniform(t.weight.data, 1 / Math.sqrt(t.cin * t.k * t.k), rng);
                case LinearLayer t -> {
                    uniform(t.weight.data, 1 / Math.sqrt(t.cin), rng);
                    if (t.bias != null) uniform(t.bias.data, 1 / Math.sqrt(t.cin), rng);
                }
                case BatchNorm bn -> {
                    java.util.Arrays.fill(bn.weight.data, 1f);
                    java.util.Arrays.fill(bn.bias.data, 0f);
                }
                default -> { }
            }
        }
    }

    private static void uniform(float[] a, double bound, Rng rng) {
        for (int i = 0; i < a.length; i++) a[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
    }

    /** E.g. "classifier 1x32x32, width 32, 128 features, 10 classes, 251,786 parameters". */
    public String describe() {
        long params = 0;
        for (Dcgan.Param p : net.params()) params += p.data.length;
        return String.format(java.util.Locale.ROOT, "classifier %dx%dx%d, width %d, %d features, %d classes, %,d parameters",
                config.nc(), config.imageSize(), config.imageSize(), config.width(), config.features(), config.classes(), params);
    }
}
