package dcgan.eval;

import dcgan.backend.Backend;
import dcgan.io.PyTorchWeights;
import dcgan.io.SafeTensors;
import dcgan.model.Classifier;
import dcgan.model.Dcgan;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The `classifier` feature network: a {@link Classifier} trained on a labelled dataset ({@link ClassifierTraining}),
 * run in eval mode (BatchNorm with running statistics); its features are the penultimate layer's activations and
 * its class probabilities the softmax of its logits.
 *
 * <p>Saved as a safetensors file holding the PyTorch state_dict ({@code main.0.weight}, ...) and metadata: the
 * configuration ({@code nc}, {@code image_size}, {@code width}, {@code features}, {@code classes}) and how it was
 * trained (dataset, test accuracy, ...). Loading checks every tensor's name and shape against the configuration.
 */
public final class ClassifierNetwork implements FeatureNetwork {
    public static final String FORMAT = "dcgan classifier";
    static final int MAX_BATCH = 100;

    private final Classifier model;
    private final Map<String, String> info;
    private final String source;
    private final Map<Integer, Dcgan.Pass> passes = new HashMap<>();

    /** info: the metadata to save or show (how it was trained); source: where it came from, for messages. */
    public ClassifierNetwork(Classifier model, Map<String, String> info, String source) {
        this.model = model;
        this.info = new LinkedHashMap<>(info);
        this.source = source;
    }

    public Classifier model() {
        return model;
    }

    /** The metadata (configuration and training record). */
    public Map<String, String> info() {
        return Map.copyOf(info);
    }

    /** Writes the state_dict and metadata to file, atomically. */
    public void save(Path file) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        Classifier.Config c = model.config;
        meta.put("nc", Integer.toString(c.nc()));
        meta.put("image_size", Integer.toString(c.imageSize()));
        meta.put("width", Integer.toString(c.width()));
        meta.put("features", Integer.toString(c.features()));
        meta.put("classes", Integer.toString(c.classes()));
        info.forEach(meta::putIfAbsent);
        SafeTensors.writeTyped(file, PyTorchWeights.stateDict(model.net), meta);
    }

    /**
     * Reads a classifier saved by {@link #save}.
     *
     * @throws IOException one line, for a missing or damaged file, a file that is not a dcgan classifier, or tensors
     *                     whose names or shapes do not match its configuration
     */
    public static ClassifierNetwork load(Path file) throws IOException {
        PyTorchWeights.StateFile f = PyTorchWeights.StateFile.read(file);
        Map<String, String> meta = f.contents().metadata();
        if (!FORMAT.equals(meta.get("format")))
            throw new IOException(file + " is not a dcgan classifier (its metadata has no format '" + FORMAT + "'; make one with dcgan evaluate --train-classifier)");
        Classifier.Config c;
        try {
            c = new Classifier.Config(intOf(meta, "nc", file), intOf(meta, "image_size", file), intOf(meta, "width", file),
                    intOf(meta, "features", file), intOf(meta, "classes", file));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
        Classifier model = new Classifier(c);
        PyTorchWeights.load(model.net, f, "the state_dict of a " + model.describe());
        Map<String, String> info = new LinkedHashMap<>(meta);
        for (String k : new String[] {"format", "nc", "image_size", "width", "features", "classes"}) info.remove(k);
        return new ClassifierNetwork(model, info, file.toString());
    }

    private static int intOf(Map<String, String> meta, String key, Path file) throws IOException {
        String v = meta.get(key);
        if (v == null) throw new IOException(file + ": classifier metadata lacks '" + key + "'");
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IOException(file + ": classifier metadata '" + key + "' is not an integer: '" + v + "'");
        }
    }

    @Override public String id() {
        return "classifier";
    }

    /** E.g. "classifier 1x32x32, width 32, 128 features, 10 classes, ... (trained on mnist, test accuracy 91.20%) from clf.safetensors". */
    @Override public String describe() {
        StringBuilder sb = new StringBuilder(model.describe());
        String dataset = info.get("dataset"), acc = info.get("test_accuracy");
        if (dataset != null || acc != null) {
            sb.append(" (trained on ").append(dataset != null ? dataset : "an unnamed dataset");
            if (info.get("dataroot") != null) sb.append(' ').append(info.get("dataroot"));
            if (acc != null) {
                try {
                    sb.append(String.format(Locale.ROOT, ", test accuracy %.2f%%", 100 * Double.parseDouble(acc)));
                } catch (NumberFormatException e) {
                    sb.append(", test accuracy ").append(acc);
                }
            }
            sb.append(')');
        }
        return sb.append(" from ").append(source).toString();
    }

    @Override public int channels() {
        return model.config.nc();
    }

    @Override public int imageSize() {
        return model.config.imageSize();
    }

    @Override public int dimension() {
        return model.config.features();
    }

    @Override public int classes() {
        return model.config.classes();
    }

    @Override public int maxBatch() {
        return MAX_BATCH;
    }

    @Override
    public void run(Backend be, float[] images, int n, float[] features, float[] probs) {
        if (n < 1 || n > MAX_BATCH) throw new IllegalArgumentException("batch of " + n + " is not in [1, " + MAX_BATCH + "]");
        Dcgan.Pass pass = passes.computeIfAbsent(n, model.net::pass);
        float[] in = images.length == n * imageElements() ? images : java.util.Arrays.copyOf(images, n * imageElements());
        be.toDevice(in);
        float[] logits = pass.forward(be, in, false);
        float[] feats = pass.layerOutput(model.featureLayer);
        int k = classes(), d = dimension();
        float[] p = probs != null ? new float[n * k] : null;
        if (p != null) be.softmax(logits, p, n, k);
        be.toHost(p != null ? new float[][] {feats, p} : new float[][] {feats});
        System.arraycopy(feats, 0, features, 0, n * d);
        if (p != null) System.arraycopy(p, 0, probs, 0, n * k);
    }
}
