package dcgan.eval.inception;

import dcgan.eval.inception.InceptionArchitecture.ConvSpec;
import dcgan.io.SafeTensors.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The random Inception weights of scripts/make_inception_fixtures.py, computed the same way here: element i of
 * tensor N is lo + (hi − lo)·u_i in double, rounded to float, u_i = (splitmix64(fnv1a64(N) + (i + 1)·γ) >>> 40) / 2²⁴.
 */
public final class InceptionTestWeights {
    private InceptionTestWeights() {}

    static long fnv1a64(String name) {
        long h = 0xCBF29CE484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001B3L;
        }
        return h;
    }

    static float[] uniform(String name, int count, double lo, double hi) {
        long s = fnv1a64(name);
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            long z = s + (i + 1L) * 0x9E3779B97F4A7C15L;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            double u = (z >>> 40) / (double) (1 << 24);
            out[i] = (float) (lo + (hi - lo) * u);
        }
        return out;
    }

    /** The whole state_dict (conv and BatchNorm of every BasicConv2d, fc). */
    public static Map<String, Tensor> stateDict() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        for (ConvSpec s : InceptionArchitecture.convs()) {
            double b = Math.sqrt(6.0 / (s.cin() * s.kh() * s.kw()));
            put(t, s.name() + ".conv.weight", -b, b, s.cout(), s.cin(), s.kh(), s.kw());
            put(t, s.name() + ".bn.weight", 0.8, 1.2, s.cout());
            put(t, s.name() + ".bn.bias", -0.1, 0.1, s.cout());
            put(t, s.name() + ".bn.running_mean", -0.1, 0.1, s.cout());
            put(t, s.name() + ".bn.running_var", 0.8, 1.2, s.cout());
        }
        double b = Math.sqrt(3.0 / InceptionArchitecture.FEATURES);
        put(t, "fc.weight", -b, b, InceptionArchitecture.CLASSES, InceptionArchitecture.FEATURES);
        put(t, "fc.bias", -0.1, 0.1, InceptionArchitecture.CLASSES);
        return t;
    }

    private static void put(Map<String, Tensor> t, String name, double lo, double hi, int... shape) {
        int count = 1;
        for (int d : shape) count *= d;
        t.put(name, Tensor.of(uniform(name, count, lo, hi), shape));
    }

    private static InceptionWeights cached;

    static synchronized InceptionWeights weights() {
        if (cached == null) cached = InceptionWeights.fromStateDict(stateDict(), "random test weights");
        return cached;
    }
}
