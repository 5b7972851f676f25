package dcgan.checkerboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PyTorch fixtures written by scripts/make_checkerboard_fixtures.py from the test classpath
 * (fixtures/checkerboard/): NAME.bin holds little-endian float32, shapes.json maps NAME to its shape.
 */
final class CheckerboardFixtures {
    private static final String DIR = "/fixtures/checkerboard/";
    private static final Pattern ENTRY = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\\[([0-9,\\s]*)\\]");

    private final Map<String, int[]> shapes = new LinkedHashMap<>();

    record Tensor(int[] shape, float[] data) {
        int dim(int i) {
            return shape[i];
        }
    }

    CheckerboardFixtures() {
        String json = new String(bytes("shapes.json"), StandardCharsets.UTF_8);
        Matcher m = ENTRY.matcher(json);
        while (m.find()) {
            String[] parts = m.group(2).trim().split("\\s*,\\s*");
            int[] shape = new int[parts.length];
            for (int i = 0; i < parts.length; i++) shape[i] = Integer.parseInt(parts[i]);
            shapes.put(m.group(1), shape);
        }
        if (shapes.isEmpty()) throw new IllegalStateException("no tensors in " + DIR + "shapes.json");
    }

    /** Case names (the part before the '.') that start with prefix. */
    List<String> cases(String prefix) {
        TreeSet<String> names = new TreeSet<>();
        for (String k : shapes.keySet()) {
            String c = k.substring(0, k.indexOf('.'));
            if (c.startsWith(prefix)) names.add(c);
        }
        return new ArrayList<>(names);
    }

    Tensor get(String name) {
        int[] shape = shapes.get(name);
        if (shape == null) throw new IllegalArgumentException("no fixture tensor " + name);
        int count = 1;
        for (int d : shape) count *= d;
        byte[] raw = bytes(name + ".bin");
        if (raw.length != 4 * count) {
            throw new IllegalStateException(name + ".bin has " + raw.length + " bytes, shape needs " + 4 * count);
        }
        float[] data = new float[count];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Tensor(shape, data);
    }

    /** ‖a − b‖ / ‖b‖ in double. */
    static double relErr(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("lengths " + a.length + " vs " + b.length);
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            num += d * d;
            den += (double) b[i] * b[i];
        }
        return den == 0 ? Math.sqrt(num) : Math.sqrt(num / den);
    }

    private static byte[] bytes(String file) {
        try (InputStream in = CheckerboardFixtures.class.getResourceAsStream(DIR + file)) {
            if (in == null) throw new IllegalStateException("missing test resource " + DIR + file);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
