package dcgan.model;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How the generator's stride-2 blocks double the image size (the checkerboard-artifact experiments).
 * CONVT_K4S2 is DCGAN's (and the tutorial's) own.
 */
public enum Upsampling {
    CONVT_K4S2("convt-k4s2", "transposed convolution k4 s2 p1 (DCGAN's default; even overlap)"),
    CONVT_K3S2("convt-k3s2", "transposed convolution k3 s2 p1, output padding 1 (uneven overlap)"),
    CONVT_K2S2("convt-k2s2", "transposed convolution k2 s2 p0 (no overlap)"),
    RESIZE_NEAREST("resize-nearest", "nearest-neighbour x2 then 3x3 convolution (distill.pub's remedy)"),
    RESIZE_BILINEAR("resize-bilinear", "bilinear x2 then 3x3 convolution"),
    PIXEL_SHUFFLE("pixel-shuffle", "3x3 convolution to 4x channels then pixel shuffle x2"),
    PIXEL_SHUFFLE_ICNR("pixel-shuffle-icnr", "pixel shuffle with ICNR initialisation (Aitken et al. 2017)");

    public final String id;
    public final String description;

    Upsampling(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public static Upsampling parse(String id) {
        for (Upsampling u : values()) if (u.id.equals(id)) return u;
        throw new IllegalArgumentException("unknown upsampling '" + id + "' (choose from " + ids() + ")");
    }

    public static String ids() {
        return Arrays.stream(values()).map(u -> u.id).collect(Collectors.joining(", "));
    }

    @Override public String toString() {
        return id;
    }
}
