package dcgan.parity;

import dcgan.io.SafeTensors;
import dcgan.io.SafeTensors.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A golden fixture written by scripts/make_fixtures.py, read from src/test/resources/fixtures. */
final class Fixture {
    final String file;
    final Map<String, Tensor> tensors;
    final Map<String, String> metadata;

    private Fixture(String file, SafeTensors.Contents c) {
        this.file = file;
        this.tensors = c.tensors();
        this.metadata = c.metadata();
    }

    static Fixture load(String name) {
        URL url = Fixture.class.getResource("/fixtures/" + name);
        if (url == null) throw new IllegalStateException("missing fixture " + name + "; run scripts/make_fixtures.py");
        try {
            return new Fixture(name, SafeTensors.readAll(Path.of(url.toURI())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    int cases() {
        return Integer.parseInt(metadata.get("cases"));
    }

    /** The hyperparameters of case i ("k=v,k=v" in the metadata). */
    Map<String, String> params(int i) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : metadata.get("case" + i).split(",")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    int param(int i, String key) {
        return Integer.parseInt(params(i).get(key));
    }

    float[] get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalArgumentException(file + " has no tensor " + name);
        return t.data();
    }

    /** A fresh copy, for buffers the kernels write into. */
    float[] copy(String name) {
        return get(name).clone();
    }

    /** Norm-wise relative error ‖a − ref‖ / ‖ref‖ in double (absolute when ref is all zeros). */
    static double relErr(float[] actual, float[] ref) {
        if (actual.length != ref.length) throw new IllegalArgumentException(actual.length + " vs " + ref.length);
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = (double) actual[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
        }
        if (Double.isNaN(num)) return Double.POSITIVE_INFINITY;
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    /** Worst relative error per (layer, tensor), printed as PARITY lines. */
    static final class Report {
        private final Map<String, Double> worst = new TreeMap<>();

        double record(String layer, String tensor, float[] actual, float[] ref) {
            double e = relErr(actual, ref);
            worst.merge("layer=" + layer + " tensor=" + tensor, e, Math::max);
            return e;
        }

        void print() {
            worst.forEach((k, v) -> System.out.printf("PARITY %s worst_rel_err=%.2e%n", k, v));
        }
    }
}
