package dcgan.model;

import dcgan.backend.Backend;

import java.util.List;

/**
 * nn.Linear(in, out) with bias, on the flattened activation of the layer before it (NCHW per sample, which is
 * {@code torch.flatten(x, 1)}'s order): in features in, out features out, each as channels of a 1x1 image so that
 * a BatchNorm after it ({@link Dcgan.BatchNorm} of out channels, 1x1) is PyTorch's BatchNorm1d. Weight [out, in]
 * and bias [out], named as PyTorch's state_dict; without a bias ({@code bias=False}, as before a BatchNorm, which
 * would cancel it) the kernels add zeros.
 */
public final class LinearLayer extends Dcgan.Layer {
    final Dcgan.Param weight;
    /** null without a bias. */
    final Dcgan.Param bias;
    private final float[] zeros;

    LinearLayer(String prefix, int in, int out, boolean withBias) {
        super(in, 1, 1, out, 1, 1);
        this.weight = new Dcgan.Param(prefix + ".weight", out, in);
        this.bias = withBias ? new Dcgan.Param(prefix + ".bias", out) : null;
        this.zeros = withBias ? null : new float[out];
    }

    @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
        be.linearForward(x, weight.data, bias != null ? bias.data : zeros, y, n, cin, cout);
    }

    @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx, boolean weightGrad) {
        if (weightGrad) {
            be.linearBackwardWeight(x, dy, weight.grad, n, cin, cout);
            if (bias != null) be.linearBackwardBias(dy, bias.grad, n, cout);
        }
        if (dx != null) be.linearBackwardInput(dy, weight.data, dx, n, cin, cout);
    }

    @Override List<Dcgan.Param> params() {
        return bias != null ? List.of(weight, bias) : List.of(weight);
    }
}
