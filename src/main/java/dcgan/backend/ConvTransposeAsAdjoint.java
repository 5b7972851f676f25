package dcgan.backend;

import dcgan.kernels.ConvTranspose2d;

/**
 * ConvTranspose2d through a backend's Conv2d methods, for backends without kernels of their own for it.
 * ConvTranspose2d(k, s, p, output_padding=op) from [cin, h, w] to [cout, oh, ow] is the adjoint of
 * Conv2d(k, s, p) from [cout, oh, ow] to [cin, h, w] with the same weight read as [out = cin, in = cout, k, k];
 * that Conv2d's output size floor((oh + 2p - k)/s) + 1 is h for every op &lt; s, so the Conv2d kernels need
 * nothing new. Hence:
 * <ul>
 *   <li>forward = Conv2d's input gradient (cin and cout swapped, oh × ow from {@link ConvTranspose2d#outSize});
 *   <li>input gradient = Conv2d's forward;
 *   <li>weight gradient = Conv2d's weight gradient with x and dy swapped (accumulates, as Conv2d's does).
 * </ul>
 * Arguments as {@link Backend#convTranspose2dForward}: x [n,cin,h,w], weight [cin,cout,k,k], y [n,cout,oh,ow].
 */
public final class ConvTransposeAsAdjoint {
    private ConvTransposeAsAdjoint() {}

    public static void forward(Backend be, float[] x, float[] weight, float[] y, int n, int cin, int h, int w, int cout,
                               int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        be.conv2dBackwardInput(x, weight, y, n, cout, ConvTranspose2d.outSize(h, k, s, p, op), ConvTranspose2d.outSize(w, k, s, p, op),
                cin, k, s, p);
    }

    public static void backwardInput(Backend be, float[] dy, float[] weight, float[] dx, int n, int cin, int h, int w, int cout,
                                     int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        be.conv2dForward(dy, weight, dx, n, cout, ConvTranspose2d.outSize(h, k, s, p, op), ConvTranspose2d.outSize(w, k, s, p, op),
                cin, k, s, p);
    }

    public static void backwardWeight(Backend be, float[] x, float[] dy, float[] dweight, int n, int cin, int h, int w, int cout,
                                      int k, int s, int p, int op) {
        Backend.checkOutputPadding(s, op);
        be.conv2dBackwardWeight(dy, x, dweight, n, cout, ConvTranspose2d.outSize(h, k, s, p, op), ConvTranspose2d.outSize(w, k, s, p, op),
                cin, k, s, p);
    }
}
