package dcgan.checkerboard;

import dcgan.kernels.PixelShuffle;
import java.util.random.RandomGenerator;

/**
 * ICNR initialisation (Aitken et al. 2017, "Checkerboard artifact free sub-pixel convolution") of the
 * Conv2d weight [c·r², cin, k, k] that feeds a PixelShuffle(r): one sub-kernel per output channel is drawn,
 * then copied to the r² convolution channels that PixelShuffle interleaves into that channel's r×r blocks
 * (see {@link PixelShuffle#icnr}). At initialisation conv + PixelShuffle(r) is then exactly nearest-neighbour
 * ×r upsampling of conv(x, base).
 */
public final class Icnr {
    private Icnr() {}

    /** A fresh ICNR weight [c·r², cin, k, k] whose sub-kernels base [c, cin, k, k] are drawn from N(0, std²). */
    public static float[] init(int c, int cin, int k, int r, float std, RandomGenerator rng) {
        float[] base = new float[c * cin * k * k];
        for (int i = 0; i < base.length; i++) base[i] = (float) (rng.nextGaussian() * std);
        float[] weight = new float[c * r * r * cin * k * k];
        PixelShuffle.icnr(base, weight, c, cin, k, r);
        return weight;
    }

    /** Fills weight [c·r², cin, k, k] from given sub-kernels base [c, cin, k, k]. */
    public static void fill(float[] base, float[] weight, int c, int cin, int k, int r) {
        if (base.length < c * cin * k * k || weight.length < c * r * r * cin * k * k) {
            throw new IllegalArgumentException("ICNR: base needs c*cin*k*k floats, weight c*r*r*cin*k*k");
        }
        PixelShuffle.icnr(base, weight, c, cin, k, r);
    }
}
