package dcgan.eval.inception;

import dcgan.backend.Backend;
import dcgan.backend.fast.FastBackend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.eval.inception.InceptionV3.Act;
import dcgan.io.SafeTensors;
import dcgan.io.SafeTensors.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pytorch-fid's FID Inception-v3 against PyTorch/torchvision with random weights (fixtures/inception.safetensors,
 * scripts/make_inception_fixtures.py): the resize, the poolings, both stems, every Mixed block (each on the
 * fixture's input, so errors do not compound) and the whole network at 299×299, through the plain kernels and
 * through the fast backend's GEMM. Error: max |java − torch| / max |torch| over the tensor, at most 1e-4.
 */
class InceptionTest {
    private static final double TOL = 1e-4;
    private static Map<String, Tensor> fx;
    private static JvmBackend plain;
    private static FastBackend fast;

    @BeforeAll
    static void load() throws Exception {
        URL url = InceptionTest.class.getResource("/fixtures/inception.safetensors");
        if (url == null) throw new IllegalStateException("missing fixture inception.safetensors; run scripts/make_inception_fixtures.py");
        fx = SafeTensors.read(Path.of(url.toURI()));
        plain = new JvmBackend(2);
        fast = new FastBackend(2);
    }

    @AfterAll
    static void close() {
        plain.close();
        fast.close();
    }

    private static Act act(String name) {
        return act(fx, name);
    }

    private static Act act(Map<String, Tensor> f, String name) {
        Tensor t = f.get(name);
        int[] s = t.shape();
        return new Act(t.data(), s[0], s[1], s[2], s[3]);
    }

    /** max |a − b| / max |b|; asserts it is at most TOL and prints it. */
    static double check(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
        }
        double rel = maxDiff / maxRef;
        System.out.printf(Locale.ROOT, "inception %-24s max|diff| %.3g  relative %.3g%n", what, maxDiff, rel);
        assertTrue(rel <= TOL, what + ": relative error " + rel + " > " + TOL);
        return rel;
    }

    /** CPU time of this JVM (all threads), for timings on a shared machine. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static InceptionV3 model(Backend be, boolean gemm) {
        return new InceptionNetwork(InceptionTestWeights.weights(), 3, 32, gemm).model(be);
    }

    @Test
    void resizeAndPooling() {
        InceptionOps ops = new InceptionOps(plain, false);
        Act x = act("resize.x");
        for (String name : new String[] {"resize.up", "resize.down"}) {
            int[] s = fx.get(name).shape();
            float[] y = new float[s[0] * s[1] * s[2] * s[3]];
            ops.resize(x.data(), y, x.n(), 3, x.h(), x.w(), 3, s[2], s[3]);
            check(name, fx.get(name).data(), y);
        }
        Act p = act("pool.x");
        float[] avg = new float[p.data().length];
        ops.avgPool(p.data(), avg, p.n(), p.c(), p.h(), p.w(), 3, 1, 1);
        check("avg pool (no pad count)", fx.get("pool.avg").data(), avg);
        float[] max = new float[fx.get("pool.max").numel()];
        ops.maxPool(p.data(), max, p.n(), p.c(), p.h(), p.w(), 3, 2, 0, p.c(), 0);
        check("max pool 3/2", fx.get("pool.max").data(), max);
        float[] maxPad = new float[p.data().length];
        ops.maxPool(p.data(), maxPad, p.n(), p.c(), p.h(), p.w(), 3, 1, 1, p.c(), 0);
        check("max pool 3/1 pad 1", fx.get("pool.max_pad").data(), maxPad);
        ops.close();
    }

    @Test
    void everyBlockPlainKernels() {
        blocks(model(plain, false), "plain");
    }

    @Test
    void everyBlockFastGemm() {
        blocks(model(fast, true), "gemm");
    }

    private static void blocks(InceptionV3 net, String how) {
        blocks(net, fx, how);
    }

    private static void blocks(InceptionV3 net, Map<String, Tensor> fx, String how) {
        check(how + " stem0", fx.get("stem0.y").data(), net.stem0(act(fx, "stem0.x")).data());
        check(how + " stem1", fx.get("stem1.y").data(), net.stem1(act(fx, "stem1.x")).data());
        String in = "Mixed_5b.x";
        for (String m : InceptionV3.MIXED) {
            Act y = net.mixed(m, act(fx, in));
            Act expected = act(fx, m + ".y");
            assertEquals(expected.c(), y.c(), m + " channels");
            assertEquals(expected.h(), y.h(), m + " height");
            check(how + " " + m, expected.data(), y.data());
            in = m + ".y";
        }
        check(how + " adaptive avg pool", fx.get("pool.y").data(), net.pool(act(fx, "Mixed_7c.y")));
    }

    /** [0, 1] as pytorch-fid takes it → [-1, 1] as FeatureNetwork takes it. */
    private static float[] minusOneToOne(float[] x01) {
        float[] x = new float[x01.length];
        for (int i = 0; i < x.length; i++) x[i] = 2 * x01[i] - 1;
        return x;
    }

    @Test
    void wholeNetworkFastGemm() {
        InceptionNetwork net = new InceptionNetwork(InceptionTestWeights.weights(), 3, 32);
        assertEquals(2048, net.dimension());
        assertEquals(1008, net.classes());
        float[] features = new float[2 * 2048], probs = new float[2 * 1008];
        long t0 = System.nanoTime(), c0 = cpuNanos();
        net.run(fast, minusOneToOne(fx.get("net.x").data()), 2, features, probs);
        System.out.printf(Locale.ROOT, "inception: 2 images through %s in %.2f s (process CPU %.2f s)%n", net.runsOn(fast),
                (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
        check("gemm pool3 features", fx.get("net.features").data(), features);
        check("gemm probs (no fc bias)", fx.get("net.probs_unbiased").data(), probs);
        float[] withBias = new float[2 * 1008];
        new InceptionOps(plain, false).linearSoftmax(fx.get("net.features").data(), InceptionTestWeights.weights().fcWeight(),
                InceptionTestWeights.weights().fcBias(), withBias, 2, 2048, 1008);
        check("fc + softmax", fx.get("net.probs").data(), withBias);

        InceptionNetwork grey = new InceptionNetwork(InceptionTestWeights.weights(), 1, 28);
        float[] g = new float[2048];
        grey.run(fast, minusOneToOne(fx.get("grey.x").data()), 1, g, null);
        check("gemm grey pool3 features", fx.get("grey.features").data(), g);
    }

    /**
     * pytorch-fid's real weights, where the user has them: -Ddcgan.inceptionWeights=the converted .safetensors and
     * -Ddcgan.inceptionFixture=the fixture scripts/make_inception_fixtures.py --weights the .pth --out FILE wrote.
     */
    @Test
    @EnabledIfSystemProperty(named = "dcgan.inceptionFixture", matches = ".+")
    void realWeights() throws IOException {
        Map<String, Tensor> f = SafeTensors.read(Path.of(System.getProperty("dcgan.inceptionFixture")));
        InceptionNetwork net = InceptionNetwork.load(Path.of(System.getProperty("dcgan.inceptionWeights")), 3, 32);
        blocks(net.model(fast), f, "real-weights gemm");
        blocks(new InceptionNetwork(InceptionWeights.load(Path.of(System.getProperty("dcgan.inceptionWeights"))), 3, 32, false)
                .model(plain), f, "real-weights plain");
        float[] features = new float[2 * 2048], probs = new float[2 * 1008];
        net.run(fast, minusOneToOne(f.get("net.x").data()), 2, features, probs);
        check("real-weights pool3 features", f.get("net.features").data(), features);
        check("real-weights probs (no fc bias)", f.get("net.probs_unbiased").data(), probs);
        InceptionNetwork grey = InceptionNetwork.load(Path.of(System.getProperty("dcgan.inceptionWeights")), 1, 28);
        float[] g = new float[2048];
        grey.run(fast, minusOneToOne(f.get("grey.x").data()), 1, g, null);
        check("real-weights grey features", f.get("grey.features").data(), g);
    }

    /** Minutes on a small machine (the blocks above already check the plain kernels): -Ddcgan.slowTests=true. */
    @Test
    @EnabledIfSystemProperty(named = "dcgan.slowTests", matches = "true")
    void wholeNetworkPlainKernels() {
        InceptionNetwork net = new InceptionNetwork(InceptionTestWeights.weights(), 3, 32, false);
        float[] x = minusOneToOne(fx.get("net.x").data());
        float[] features = new float[2048];
        long t0 = System.nanoTime(), c0 = cpuNanos();
        net.run(plain, Arrays.copyOf(x, 3 * 32 * 32), 1, features, null);
        System.out.printf(Locale.ROOT, "inception: 1 image through %s in %.2f s (process CPU %.2f s)%n", net.runsOn(plain),
                (System.nanoTime() - t0) / 1e9, (cpuNanos() - c0) / 1e9);
        check("plain pool3 features", Arrays.copyOf(fx.get("net.features").data(), 2048), features);
    }

    /**
     * Seconds per image after a warm-up batch, on the fast backend's GEMM (a batch of 8) and the plain kernels
     * (one image): -Ddcgan.inceptionBench=true.
     */
    @Test
    @EnabledIfSystemProperty(named = "dcgan.inceptionBench", matches = "true")
    void speed() {
        float[] x = new float[8 * 3 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (i * 0.37f) % 2f - 1f;
        float[] f = new float[8 * 2048], p = new float[8 * 1008];
        for (boolean gemm : new boolean[] {true, false}) {
            Backend be = gemm ? fast : plain;
            int n = gemm ? 8 : 1;
            InceptionNetwork net = new InceptionNetwork(InceptionTestWeights.weights(), 3, 32, gemm);
            net.run(be, x, n, f, p);
            long t0 = System.nanoTime(), c0 = cpuNanos();
            net.run(be, x, n, f, p);
            double wall = (System.nanoTime() - t0) / 1e9, cpu = (cpuNanos() - c0) / 1e9;
            System.out.printf(Locale.ROOT, "inception speed: %s (%s): %.3f s/image wall, %.3f CPU s/image (batch %d)%n",
                    be.describe(), net.runsOn(be), wall / n, cpu / n, n);
        }
    }

    @Test
    void badWeightsFilesAreOneLine(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class, () -> InceptionWeights.load(dir.resolve("nope.safetensors")));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
        Path junk = dir.resolve("junk.safetensors");
        Files.writeString(junk, "not a safetensors file at all");
        IOException notSt = assertThrows(IOException.class, () -> InceptionWeights.load(junk));
        assertTrue(notSt.getMessage().contains("convert_inception_weights.py"), notSt.getMessage());
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, Map.of("main.0.weight", Tensor.of(new float[4], 2, 2)));
        IOException wrong = assertThrows(IOException.class, () -> InceptionWeights.load(other));
        assertTrue(wrong.getMessage().contains("not pytorch-fid's Inception weights"), wrong.getMessage());
        Map<String, Tensor> t = new LinkedHashMap<>(InceptionTestWeights.stateDict());
        t.put("Mixed_6b.branch7x7_2.conv.weight", Tensor.of(new float[128 * 128 * 7], 128, 128, 7, 1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> InceptionWeights.fromStateDict(t, "t"));
        assertEquals("Mixed_6b.branch7x7_2.conv.weight has shape [128, 128, 7, 1], expected [128, 128, 1, 7]", shape.getMessage());
        t.remove("Mixed_7c.branch_pool.bn.running_var");
        t.put("Mixed_6b.branch7x7_2.conv.weight", InceptionTestWeights.stateDict().get("Mixed_6b.branch7x7_2.conv.weight"));
        IllegalArgumentException gone = assertThrows(IllegalArgumentException.class, () -> InceptionWeights.fromStateDict(t, "t"));
        assertEquals("missing tensor Mixed_7c.branch_pool.bn.running_var [192]", gone.getMessage());
        for (String m : new String[] {missing.getMessage(), notSt.getMessage(), wrong.getMessage()}) {
            assertTrue(!m.contains("\n"), "one line: " + m);
        }
    }

    /**
     * scripts/convert_inception_weights.py on a .pth of the fixture network's state_dict (torch.save of
     * make_inception_fixtures.fid_inception().state_dict()) gives the same folded weights as the generator:
     * -Ddcgan.convertedTestWeights=FILE.safetensors.
     */
    @Test
    @EnabledIfSystemProperty(named = "dcgan.convertedTestWeights", matches = ".+")
    void convertedStateDictLoads() throws IOException {
        InceptionWeights w = InceptionWeights.load(Path.of(System.getProperty("dcgan.convertedTestWeights")));
        InceptionWeights expected = InceptionTestWeights.weights();
        for (InceptionArchitecture.ConvSpec s : InceptionArchitecture.convs()) {
            assertArrayEquals(expected.conv(s.name()).weight(), w.conv(s.name()).weight(), s.name());
            assertArrayEquals(expected.conv(s.name()).bias(), w.conv(s.name()).bias(), s.name());
        }
        assertArrayEquals(expected.fcWeight(), w.fcWeight());
        assertArrayEquals(expected.fcBias(), w.fcBias());
    }

    @Test
    void withoutFcThereAreNoClasses() {
        Map<String, Tensor> t = new LinkedHashMap<>(InceptionTestWeights.stateDict());
        t.remove("fc.weight");
        t.remove("fc.bias");
        InceptionNetwork net = new InceptionNetwork(InceptionWeights.fromStateDict(t, "t"), 3, 32);
        assertEquals(0, net.classes());
        assertArrayEquals(new int[] {3, 32, 2048}, new int[] {net.channels(), net.imageSize(), net.dimension()});
    }
}
