package dcgan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dcgan.backend.Backend;
import dcgan.backend.FlopCounter;
import dcgan.backend.jvm.JvmBackend;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ConvTranspose2d with output_padding (PyTorch semantics), checked against identities that define it rather
 * than against our own code:
 * <ul>
 *   <li>PyTorch's output is the unpadded transposed convolution (p = 0, size s(h−1) + k) cropped to rows and
 *       columns [p, p + oh) with oh = s(h−1) − 2p + k + op: output_padding moves the end of that window (past
 *       the full output where op &gt; p: zeros there, since no tap lands);</li>
 *   <li>k3 s2 p1 op1 equals k4 s2 p1 with the 3×3 kernel padded by a zero row and column at the end (both
 *       read input row i at output rows 2i − 1 + ky);</li>
 *   <li>the zero-insertion route (dilate with op extra zeros at the bottom/right), the direct scatter form and
 *       the backends' default adjoint form (Conv2d's backward input) all agree.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConvTransposeOutputPaddingTest {
    private final JvmBackend be = new JvmBackend(2);
    private final Random rnd = new Random(11);

    @AfterAll
    void close() {
        be.close();
    }

    private float[] gaussian(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian();
        return a;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    /** (n, cin, h, w, cout, k, s, p, op) */
    private static final int[][] CASES = {
        {2, 3, 4, 4, 2, 3, 2, 1, 1}, {1, 2, 5, 3, 3, 5, 2, 2, 1}, {2, 2, 3, 4, 2, 2, 3, 0, 2},
        {1, 3, 4, 5, 2, 4, 3, 1, 1}, {2, 2, 4, 4, 3, 3, 2, 0, 1}, {1, 2, 3, 3, 2, 4, 2, 1, 0},
    };

    @Test
    void equalsTheUnpaddedTransposedConvolutionCroppedToPyTorchsWindow() {
        for (int[] c : CASES) {
            int n = c[0], cin = c[1], h = c[2], w = c[3], cout = c[4], k = c[5], s = c[6], p = c[7], op = c[8];
            int oh = ConvTranspose2d.outSize(h, k, s, p, op), ow = ConvTranspose2d.outSize(w, k, s, p, op);
            int fh = ConvTranspose2d.outSize(h, k, s, 0), fw = ConvTranspose2d.outSize(w, k, s, 0);
            float[] x = gaussian(n * cin * h * w), wt = gaussian(cin * cout * k * k);
            float[] full = new float[n * cout * fh * fw], y = new float[n * cout * oh * ow];
            ConvTranspose2d.forwardScatter(x, wt, full, n, cin, h, w, cout, k, s, 0);
            float[] want = new float[y.length];
            for (int plane = 0; plane < n * cout; plane++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        // Where op > p the window runs past the full output: no tap lands there, so zero.
                        int fy = oy + p, fx = ox + p;
                        want[(plane * oh + oy) * ow + ox] = fy < fh && fx < fw ? full[(plane * fh + fy) * fw + fx] : 0f;
                    }
                }
            }
            String tag = java.util.Arrays.toString(c);
            be.convTranspose2dForward(x, wt, y, n, cin, h, w, cout, k, s, p, op);
            assertTrue(maxDiff(y, want) <= 1e-5, tag + " zero-insertion vs cropped full: " + maxDiff(y, want));
            float[] scatter = new float[y.length];
            java.util.Arrays.fill(scatter, Float.NaN);
            ConvTranspose2d.forwardScatter(x, wt, scatter, n, cin, h, w, cout, k, s, p, op);
            assertTrue(maxDiff(scatter, want) <= 1e-5, tag + " scatter vs cropped full");
            // The default (adjoint) form every Backend inherits: Conv2d's input gradient from [cout, oh, ow].
            float[] adjoint = new float[y.length];
            be.conv2dBackwardInput(x, wt, adjoint, n, cout, oh, ow, cin, k, s, p);
            assertTrue(maxDiff(adjoint, want) <= 1e-5, tag + " adjoint form vs cropped full");
        }
    }

    @Test
    void k3s2p1WithOutputPaddingIsK4s2p1WithAZeroPaddedKernel() {
        int n = 2, cin = 3, h = 5, cout = 4;
        float[] x = gaussian(n * cin * h * h), w3 = gaussian(cin * cout * 9), w4 = new float[cin * cout * 16];
        for (int i = 0; i < cin * cout; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) w4[i * 16 + a * 4 + b] = w3[i * 9 + a * 3 + b];
            }
        }
        assertEquals(2 * h, ConvTranspose2d.outSize(h, 3, 2, 1, 1));
        float[] y3 = new float[n * cout * 4 * h * h], y4 = new float[y3.length];
        be.convTranspose2dForward(x, w3, y3, n, cin, h, h, cout, 3, 2, 1, 1);
        be.convTranspose2dForward(x, w4, y4, n, cin, h, h, cout, 4, 2, 1, 0);
        assertTrue(maxDiff(y3, y4) <= 1e-5, "max diff " + maxDiff(y3, y4));
        // and the gradients: dx equal, dW3 = dW4 restricted to the 3×3 taps
        float[] dy = gaussian(y3.length), dx3 = new float[x.length], dx4 = new float[x.length];
        float[] dw3 = new float[w3.length], dw4 = new float[w4.length];
        be.convTranspose2dBackwardInput(dy, w3, dx3, n, cin, h, h, cout, 3, 2, 1, 1);
        be.convTranspose2dBackwardInput(dy, w4, dx4, n, cin, h, h, cout, 4, 2, 1, 0);
        assertTrue(maxDiff(dx3, dx4) <= 1e-5, "dx");
        be.convTranspose2dBackwardWeight(x, dy, dw3, n, cin, h, h, cout, 3, 2, 1, 1);
        be.convTranspose2dBackwardWeight(x, dy, dw4, n, cin, h, h, cout, 4, 2, 1, 0);
        for (int i = 0; i < cin * cout; i++) {
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++) {
                    assertEquals(dw4[i * 16 + a * 4 + b], dw3[i * 9 + a * 3 + b], 1e-4, "dW[" + i + "][" + a + "][" + b + "]");
                }
            }
        }
    }

    @Test
    void outputPaddingMustBeBelowTheStride() {
        float[] x = new float[4], w = new float[9], y = new float[64];
        assertThrows(IllegalArgumentException.class, () -> be.convTranspose2dForward(x, w, y, 1, 1, 2, 2, 1, 3, 2, 1, 2));
        assertThrows(IllegalArgumentException.class, () -> be.convTranspose2dBackwardInput(y, w, x, 1, 1, 2, 2, 1, 3, 2, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> Backend.checkOutputPadding(1, 1));
    }

    @Test
    void flopsDoNotDependOnOutputPadding() {
        FlopCounter a = new FlopCounter(), b = new FlopCounter();
        a.convTranspose2dForward(null, null, null, 2, 3, 4, 4, 5, 3, 2, 1, 1);
        b.convTranspose2dForward(null, null, null, 2, 3, 4, 4, 5, 3, 2, 1, 0);
        assertEquals(2L * 2 * 3 * 4 * 4 * 5 * 9, a.flops());
        assertEquals(a.flops(), b.flops());
    }
}
