package dcgan.libtorch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch DCGAN tutorial's Generator and Discriminator (no biases), built the way this project's
 * {@code dcgan.model.Dcgan} builds them for image sizes 32, 64 and 128 (and scripts/pytorch_iteration.py):
 * <pre>
 * G: ConvT(nz → ngf·S/8, 4, 1, 0) BN ReLU, then [ConvT(c → c/2, 4, 2, 1) BN ReLU] until S/2, ConvT(→ nc, 4, 2, 1) Tanh
 * D: Conv(nc → ndf, 4, 2, 1) LReLU(0.2), then [Conv(c → 2c, 4, 2, 1) BN LReLU(0.2)] down to 4×4, Conv(→ 1, 4, 1, 0) Sigmoid
 * </pre>
 * At 64 this is the tutorial's model (5 + 5 layers); at 32 one stride-2 block fewer on each side (4 + 4), the
 * widest layer having S/8 · ngf (resp. ndf) channels. Weights are initialised as the tutorial's weights_init:
 * conv N(0, 0.02), BatchNorm weight N(1, 0.02), bias 0.
 */
final class Dcgan {
    /** A learnable tensor with its Adam moments. */
    static final class Param {
        final NDArray data, m, v;

        Param(NDArray data) {
            this.data = data;
            data.setRequiresGradient(true);
            this.m = data.zerosLike();
            this.v = data.zerosLike();
        }
    }

    /** One layer: a convolution (transposed or not), optionally a training-mode BatchNorm, then an activation. */
    record Layer(Kind kind, Param weight, Param gamma, Param beta, NDArray runMean, NDArray runVar, Act act) {}

    enum Kind { CONVT_1X1, CONVT_K4S2, CONV_K4S2, CONV_K4S1_VALID }

    enum Act { RELU, LEAKY_RELU, TANH, SIGMOID }

    static final class Net {
        final List<Layer> layers = new ArrayList<>();
        final List<Param> params = new ArrayList<>();
        final List<NDArray> buffers = new ArrayList<>();   // BatchNorm running statistics

        void add(NDManager mgr, Kind kind, int cin, int cout, boolean bn, Act act) {
            Shape ws = kind == Kind.CONVT_1X1 || kind == Kind.CONVT_K4S2
                    ? new Shape(cin, cout, 4, 4)   // nn.ConvTranspose2d weight layout
                    : new Shape(cout, cin, 4, 4);  // nn.Conv2d weight layout
            Param w = new Param(mgr.randomNormal(0f, 0.02f, ws, DataType.FLOAT32));
            params.add(w);
            Param g = null, b = null;
            NDArray rm = null, rv = null;
            if (bn) {
                g = new Param(mgr.randomNormal(1f, 0.02f, new Shape(cout), DataType.FLOAT32));
                b = new Param(mgr.zeros(new Shape(cout)));
                params.add(g);
                params.add(b);
                rm = mgr.zeros(new Shape(cout));
                rv = mgr.ones(new Shape(cout));
                buffers.add(rm);
                buffers.add(rv);
            }
            layers.add(new Layer(kind, w, g, b, rm, rv, act));
        }

        NDArray forward(NDArray x) {
            for (Layer l : layers) {
                NDArray w = l.weight().data;
                x = switch (l.kind()) {
                    case CONVT_1X1 -> Ops.convT1x1(x, w);
                    case CONVT_K4S2 -> Ops.convT4s2(x, w);
                    case CONV_K4S2 -> Ops.conv2d(x, w, 2, 1);
                    case CONV_K4S1_VALID -> Ops.conv2d(x, w, 1, 0);
                };
                if (l.gamma() != null) {
                    x = Ops.batchNormTrain(x, l.runMean(), l.runVar(), l.gamma().data, l.beta().data);
                }
                x = switch (l.act()) {
                    case RELU -> JniUtils.relu(Ops.pt(x));
                    case LEAKY_RELU -> JniUtils.leakyRelu(Ops.pt(x), 0.2);
                    case TANH -> x.tanh();
                    case SIGMOID -> x.getNDArrayInternal().sigmoid();
                };
            }
            return x;
        }

        void zeroGrad() {
            for (Param p : params) JniUtils.zeroGrad(Ops.pt(p.data));
        }

        /** requires_grad_(on) on every parameter: off, a backward through this net computes no weight gradient. */
        void requireGradients(boolean on) {
            for (Param p : params) p.data.setRequiresGradient(on);
        }

        /** Every array this net owns, to attach them to an iteration's scope temporarily. */
        List<NDArray> arrays() {
            List<NDArray> out = new ArrayList<>(buffers);
            for (Param p : params) {
                out.add(p.data);
                out.add(p.m);
                out.add(p.v);
            }
            return out;
        }

        long parameterCount() {
            long n = 0;
            for (Param p : params) n += p.data.size();
            return n;
        }
    }

    static Net generator(NDManager mgr, int nz, int ngf, int nc, int size) {
        checkSize(size);
        Net g = new Net();
        int ch = ngf * (size / 8);
        g.add(mgr, Kind.CONVT_1X1, nz, ch, true, Act.RELU);
        for (int s = 4; s * 2 < size; s *= 2, ch /= 2) {
            g.add(mgr, Kind.CONVT_K4S2, ch, ch / 2, true, Act.RELU);
        }
        g.add(mgr, Kind.CONVT_K4S2, ch, nc, false, Act.TANH);
        return g;
    }

    static Net discriminator(NDManager mgr, int ndf, int nc, int size) {
        checkSize(size);
        Net d = new Net();
        d.add(mgr, Kind.CONV_K4S2, nc, ndf, false, Act.LEAKY_RELU);
        int ch = ndf;
        for (int s = size / 2; s > 4; s /= 2, ch *= 2) {
            d.add(mgr, Kind.CONV_K4S2, ch, ch * 2, true, Act.LEAKY_RELU);
        }
        d.add(mgr, Kind.CONV_K4S1_VALID, ch, 1, false, Act.SIGMOID);
        return d;
    }

    private static void checkSize(int size) {
        if (size != 32 && size != 64 && size != 128) {
            throw new IllegalArgumentException("image size must be 32, 64 or 128, got " + size);
        }
    }

    /** torch.optim.Adam's single-tensor step (PyTorch's default on the CPU), run with autograd off. */
    static final class Adam {
        final float lr, beta1, beta2, eps;
        int step;

        Adam(float lr, float beta1, float beta2, float eps) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
        }

        void step(Net net) {
            step++;
            double bc1 = 1 - Math.pow(beta1, step);
            double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
            float stepSize = (float) (lr / bc1);
            for (Param p : net.params) {
                NDArray g = p.data.getGradient();
                // exp_avg.lerp_(grad, 1 - beta1)
                p.m.muli(beta1).addi(g.mul(1f - beta1));
                // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                p.v.muli(beta2).addi(g.mul(g).muli(1f - beta2));
                // denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
                NDArray denom = p.v.sqrt().divi((float) bc2Sqrt).addi(eps);
                // param.addcdiv_(exp_avg, denom, value=-step_size)
                p.data.subi(p.m.div(denom).muli(stepSize));
            }
        }
    }
}
