package dcgan.model;

import dcgan.backend.Backend;

import java.util.List;

/**
 * nn.Linear(in, out) with bias, on the flattened activation of the layer before it (NCHW per sample, which is
 * {@code torch.flatten(x, 1)}'s order): in features in, out features out, each as channels of a 1x1 image so that
 * a BatchNorm after it ({@link Dcgan.BatchNorm} of out channels, 1x1) is PyTorch's BatchNorm1d. Weight [out, in]
 * and bias [out], named as PyTorch's state_dict.
 */
public final class LinearLayer extends Dcgan.Layer {
    final Dcgan.Param weight, bias;

    LinearLayer(String prefix, int in, int out) {
        super(in, 1, 1, out, 1, 1);
        this.weight = new Dcgan.Param(prefix + ".weight", out, in);
        this.bias = new Dcgan.Param(prefix + ".bias", out);
    }

    @Override void forward(Backend be, int n, float[] x, float[] y, boolean train) {
        be.linearForward(x, weight.data, bias.data, y, n, cin, cout);
    }

    @Override void backward(Backend be, int n, float[] x, float[] y, float[] dy, float[] dx) {
        be.linearBackwardWeight(x, dy, weight.grad, n, cin, cout);
        be.linearBackwardBias(dy, bias.grad, n, cout);
        if (dx != null) be.linearBackwardInput(dy, weight.data, dx, n, cin, cout);
    }

    @Override List<Dcgan.Param> params() {
        return List.of(weight, bias);
    }
}
