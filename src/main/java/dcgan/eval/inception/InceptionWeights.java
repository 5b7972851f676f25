package dcgan.eval.inception;

import dcgan.eval.inception.InceptionArchitecture.ConvSpec;
import dcgan.io.SafeTensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pytorch-fid's Inception weights, checked against {@link InceptionArchitecture} and with each BasicConv2d's
 * BatchNorm (eval mode, eps 0.001) folded into its convolution: with scale = γ / √(running_var + eps),
 * conv(x, w)·scale + (β − running_mean·scale) = conv(x, w·scale) + bias, computed in double and rounded once
 * (the same function as PyTorch's conv-then-BatchNorm, up to float rounding). The fc layer (1008 classes) is
 * kept when the file has it.
 */
public final class InceptionWeights {
    /** Metadata "format" written by scripts/convert_inception_weights.py. */
    public static final String FORMAT = "pytorch-fid inception";

    /** A BasicConv2d with its BatchNorm folded in: weight [cout, cin, kh, kw], bias [cout]. */
    public record Folded(ConvSpec spec, float[] weight, float[] bias) {}

    private final Map<String, Folded> convs;
    private final float[] fcWeight, fcBias;
    private final String source;

    private InceptionWeights(Map<String, Folded> convs, float[] fcWeight, float[] fcBias, String source) {
        this.convs = convs;
        this.fcWeight = fcWeight;
        this.fcBias = fcBias;
        this.source = source;
    }

    /** Reads a file written by scripts/convert_inception_weights.py; a missing or wrong file is an IOException of one line. */
    public static InceptionWeights load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("--inception-weights " + file + " does not exist or is not a file");
        SafeTensors.Contents c;
        try {
            c = SafeTensors.readAll(file);
        } catch (IOException e) {
            throw new IOException("--inception-weights " + file + ": not a safetensors file (" + e.getMessage()
                    + "); convert pytorch-fid's weights with scripts/convert_inception_weights.py", e);
        }
        try {
            return fromStateDict(c.tensors(), file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException("--inception-weights " + file + ": " + e.getMessage(), e);
        }
    }

    /** From pytorch-fid's state_dict (tensor name → tensor); throws IllegalArgumentException naming the first problem. */
    public static InceptionWeights fromStateDict(Map<String, SafeTensors.Tensor> t, String source) {
        if (!t.containsKey("Conv2d_1a_3x3.conv.weight"))
            throw new IllegalArgumentException("not pytorch-fid's Inception weights (no Conv2d_1a_3x3.conv.weight)");
        Map<String, Folded> convs = new LinkedHashMap<>();
        for (ConvSpec s : InceptionArchitecture.convs()) {
            float[] w = get(t, s.name() + ".conv.weight", s.cout(), s.cin(), s.kh(), s.kw());
            float[] gamma = get(t, s.name() + ".bn.weight", s.cout());
            float[] beta = get(t, s.name() + ".bn.bias", s.cout());
            float[] mean = get(t, s.name() + ".bn.running_mean", s.cout());
            float[] var = get(t, s.name() + ".bn.running_var", s.cout());
            float[] fw = new float[w.length], fb = new float[s.cout()];
            int per = s.cin() * s.kh() * s.kw();
            for (int co = 0; co < s.cout(); co++) {
                double scale = gamma[co] / Math.sqrt(var[co] + InceptionArchitecture.BN_EPS);
                for (int j = co * per; j < (co + 1) * per; j++) fw[j] = (float) (w[j] * scale);
                fb[co] = (float) (beta[co] - mean[co] * scale);
            }
            convs.put(s.name(), new Folded(s, fw, fb));
        }
        float[] fcW = null, fcB = null;
        if (t.containsKey("fc.weight")) {
            fcW = get(t, "fc.weight", InceptionArchitecture.CLASSES, InceptionArchitecture.FEATURES);
            fcB = get(t, "fc.bias", InceptionArchitecture.CLASSES);
        }
        return new InceptionWeights(convs, fcW, fcB, source);
    }

    private static float[] get(Map<String, SafeTensors.Tensor> t, String name, int... shape) {
        SafeTensors.Tensor x = t.get(name);
        if (x == null) throw new IllegalArgumentException("missing tensor " + name + " " + Arrays.toString(shape));
        if (!Arrays.equals(x.shape(), shape))
            throw new IllegalArgumentException(name + " has shape " + Arrays.toString(x.shape()) + ", expected " + Arrays.toString(shape));
        for (float v : x.data()) {
            if (!Float.isFinite(v)) throw new IllegalArgumentException(name + " holds " + v);
        }
        return x.data();
    }

    public Folded conv(String name) {
        Folded f = convs.get(name);
        if (f == null) throw new IllegalArgumentException("no layer " + name);
        return f;
    }

    /** True when the file has the fc layer (class probabilities for the Inception Score). */
    public boolean hasClasses() {
        return fcWeight != null;
    }

    /** fc.weight [1008, 2048], or null. */
    public float[] fcWeight() {
        return fcWeight;
    }

    /** fc.bias [1008], or null. */
    public float[] fcBias() {
        return fcBias;
    }

    public String source() {
        return source;
    }
}
