package dcgan.backend;

import dcgan.backend.jvm.JvmBackend;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import dcgan.model.Sampler;
import dcgan.model.Upsampling;
import dcgan.train.BackendCheck;
import dcgan.train.Trainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import dcgan.kernels.ConvTranspose2d;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every kernel through TornadoVM equals the JVM backend, and so do three training iterations. Runs only when
 * the build has a TornadoVM SDK (TORNADOVM_HOME): the tornado Maven profile then runs the tests on
 * TornadoVM's JVM with -Dtornado.recover.bailout=False, so a silent fallback to plain Java fails.
 */
class TornadoBackendTest {
    static final double TOL = 1e-5;
    static Backend tornado;
    static JvmBackend jvm;

    @org.junit.jupiter.api.BeforeEach
    void needsTornado() {
        String reason = Backends.tornadoUnavailableReason();
        if (reason != null) System.out.println("SKIPPED TornadoBackendTest: " + reason);
        assumeTrue(reason == null, reason);
    }

    @BeforeAll
    static void start() {
        if (Backends.tornadoUnavailableReason() != null) return;
        assertTrue("False".equalsIgnoreCase(System.getProperty("tornado.recover.bailout")),
                "tests must run with -Dtornado.recover.bailout=False");
        // The GPU's convolutions (the tiled kernels) even on a CPU device, where auto would pick the plain ones.
        if (System.getProperty(CONV) == null) {
            System.setProperty(CONV, "tiled");
            setConv = true;
        }
        tornado = Backends.create(Backends.TORNADO, 1, System.getProperty("dcgan.test.device"));
        jvm = new JvmBackend(2);
    }

    static final String CONV = "dcgan.tornado.conv";
    static boolean setConv;

    @AfterAll
    static void stop() {
        if (tornado != null) tornado.close();
        if (jvm != null) jvm.close();
        if (setConv) System.clearProperty(CONV);
    }

    static float[] rand(Rng rng, int n) {
        float[] a = new float[n];
        rng.fillGaussian(a, 0, 1);
        return a;
    }

    static double relErr(float[] a, float[] b) {
        return BackendCheck.relErr(a, b);
    }

    /** Runs op on both backends over copies of the same buffers, and compares every buffer afterwards. */
    static void same(String name, List<float[]> buffers, BiConsumer<Backend, float[][]> op) {
        float[][] a = buffers.stream().map(float[]::clone).toArray(float[][]::new);
        float[][] b = buffers.stream().map(float[]::clone).toArray(float[][]::new);
        op.accept(jvm, a);
        tornado.toDevice(b);
        op.accept(tornado, b);
        tornado.toHost(b);
        for (int i = 0; i < a.length; i++) {
            double e = relErr(b[i], a[i]);
            System.out.printf("TORNADO kernel=%s buffer=%d rel_err=%.2e%n", name, i, e);
            assertTrue(e <= TOL, name + " buffer " + i + ": relative error " + e);
        }
    }

    /**
     * On the device too, the phase-split ConvTranspose2d forward and Conv2d input gradient (the default) give the very
     * floats of the explicit zero-insertion forms (-Ddcgan.convt=explicit), on the tutorial's k4 s2 p1 and on k3 s2 p1
     * with output padding.
     */
    @Test
    void phaseSplitIsBitIdenticalToZeroInsertionOnTheDevice() {
        Rng r = new Rng(7);
        int n = 2, cin = 6, cout = 5, h = 5, w = 4;
        float[] x = rand(r, n * cin * h * w), w4 = rand(r, cin * cout * 16), w3 = rand(r, cin * cout * 9);
        int th = ConvTranspose2d.outSize(h, 4, 2, 1), tw = ConvTranspose2d.outSize(w, 4, 2, 1);
        int th3 = ConvTranspose2d.outSize(h, 3, 2, 1, 1), tw3 = ConvTranspose2d.outSize(w, 3, 2, 1, 1);
        float[] dy = rand(r, n * cout * th * tw);
        List<float[][]> runs = new java.util.ArrayList<>();
        for (String form : new String[] {"phase", "explicit"}) {
            String old = System.setProperty(JvmBackend.CONVT_PROPERTY, form);
            float[][] b = {x.clone(), w4.clone(), new float[n * cout * th * tw], w3.clone(), new float[n * cout * th3 * tw3],
                    dy.clone(), new float[n * cin * h * w]};
            try (Backend be = Backends.create(Backends.TORNADO, 1, System.getProperty("dcgan.test.device"))) {
                be.toDevice(b);
                be.convTranspose2dForward(b[0], b[1], b[2], n, cin, h, w, cout, 4, 2, 1, 0);
                be.convTranspose2dForward(b[0], b[3], b[4], n, cin, h, w, cout, 3, 2, 1, 1);
                be.conv2dBackwardInput(b[5], b[1], b[6], n, cin, h, w, cout, 4, 2, 1);   // k4 s2 p1 from th x tw back to h x w
                be.toHost(b);
            } finally {
                if (old == null) System.clearProperty(JvmBackend.CONVT_PROPERTY); else System.setProperty(JvmBackend.CONVT_PROPERTY, old);
            }
            runs.add(b);
        }
        for (int i : new int[] {2, 4, 6}) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(runs.get(1)[i], runs.get(0)[i], "buffer " + i + ": phase split vs zero insertion on the device");
        }
    }

    /** One convolution call of the tiled-kernel test: its label, shape, and the buffers' sizes. */
    record ConvCase(String op, int[] shape, int inSize, int wSize, int outSize) {
        void run(Backend be, float[] in, float[] w, float[] out) {
            int[] c = shape;
            switch (op) {
                case "conv2dForward" -> be.conv2dForward(in, w, out, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
                case "conv2dBackwardInput" -> be.conv2dBackwardInput(in, w, out, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
                case "convTranspose2dForward" -> be.convTranspose2dForward(in, w, out, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
                // in = x, w = dy, out = the weight gradient (accumulated onto the zeros it starts as)
                case "conv2dBackwardWeight" -> be.conv2dBackwardWeight(in, w, out, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
                default -> throw new IllegalArgumentException(op);
            }
        }

        /** n, cin, h, w, cout, k, s, p: x [n,cin,h,w], weight [cout,cin,k,k], y [n,cout,oh,ow]. */
        static ConvCase conv(String op, int... c) {
            int oh = dcgan.kernels.Conv2d.outSize(c[2], c[5], c[6], c[7]), ow = dcgan.kernels.Conv2d.outSize(c[3], c[5], c[6], c[7]);
            int x = c[0] * c[1] * c[2] * c[3], y = c[0] * c[4] * oh * ow, w = c[4] * c[1] * c[5] * c[5];
            if (op.equals("conv2dBackwardWeight")) return new ConvCase(op, c, x, y, w);
            return op.equals("conv2dForward") ? new ConvCase(op, c, x, w, y) : new ConvCase(op, c, y, w, x);
        }

        /** n, cin, h, w, cout, k, s, p, op: x [n,cin,h,w], weight [cin,cout,k,k], y [n,cout,oh,ow]. */
        static ConvCase transposed(int... c) {
            int oh = ConvTranspose2d.outSize(c[2], c[5], c[6], c[7], c[8]), ow = ConvTranspose2d.outSize(c[3], c[5], c[6], c[7], c[8]);
            return new ConvCase("convTranspose2dForward", c, c[0] * c[1] * c[2] * c[3], c[1] * c[4] * c[5] * c[5], c[0] * c[4] * oh * ow);
        }
    }

    /**
     * The tiled convolutions (KernelContext implicit GEMMs, -Ddcgan.tornado.conv=tiled: Conv2d forward, per output
     * phase Conv2d's input gradient and ConvTranspose2d's forward, and per image Conv2d's weight gradient) and the plain
     * kernels through TornadoVM equal the reference kernels on the JVM: the tutorial's layers at batch 2 (D's five
     * convolutions, four input gradients and five weight gradients, G's five transposed convolutions and its first
     * weight gradient; D's last input gradient and G's first layer, whose input is smaller than the kernel, stay
     * plain), and odd shapes with partial tiles in M, N and K (N = 1, 3, 5, 7, 70; K = 45; 1x1 kernels; stride 3;
     * output padding).
     */
    @Test
    void tiledConvolutionMatchesTheReference() {
        List<ConvCase> cases = List.of(
                ConvCase.conv("conv2dForward", 2, 3, 64, 64, 64, 4, 2, 1), ConvCase.conv("conv2dForward", 2, 64, 32, 32, 128, 4, 2, 1),
                ConvCase.conv("conv2dForward", 2, 128, 16, 16, 256, 4, 2, 1), ConvCase.conv("conv2dForward", 2, 256, 8, 8, 512, 4, 2, 1),
                ConvCase.conv("conv2dForward", 2, 512, 4, 4, 1, 4, 1, 0), ConvCase.conv("conv2dForward", 3, 5, 7, 9, 3, 3, 1, 1),
                ConvCase.conv("conv2dForward", 1, 3, 11, 5, 70, 4, 2, 1), ConvCase.conv("conv2dForward", 2, 7, 6, 6, 33, 1, 1, 0),
                ConvCase.conv("conv2dForward", 2, 4, 13, 10, 17, 3, 3, 2),
                ConvCase.conv("conv2dBackwardInput", 2, 3, 64, 64, 64, 4, 2, 1), ConvCase.conv("conv2dBackwardInput", 2, 64, 32, 32, 128, 4, 2, 1),
                ConvCase.conv("conv2dBackwardInput", 2, 128, 16, 16, 256, 4, 2, 1), ConvCase.conv("conv2dBackwardInput", 2, 256, 8, 8, 512, 4, 2, 1),
                ConvCase.conv("conv2dBackwardInput", 2, 512, 4, 4, 1, 4, 1, 0), ConvCase.conv("conv2dBackwardInput", 3, 5, 9, 7, 6, 3, 2, 1),
                ConvCase.conv("conv2dBackwardInput", 2, 4, 13, 10, 17, 3, 3, 2), ConvCase.conv("conv2dBackwardInput", 1, 70, 8, 8, 5, 4, 2, 1),
                ConvCase.transposed(2, 100, 1, 1, 512, 4, 1, 0, 0), ConvCase.transposed(2, 512, 4, 4, 256, 4, 2, 1, 0),
                ConvCase.transposed(2, 256, 8, 8, 128, 4, 2, 1, 0), ConvCase.transposed(2, 128, 16, 16, 64, 4, 2, 1, 0),
                ConvCase.transposed(2, 64, 32, 32, 3, 4, 2, 1, 0), ConvCase.transposed(2, 5, 5, 4, 7, 3, 2, 1, 1),
                ConvCase.transposed(1, 6, 6, 7, 70, 5, 3, 2, 0), ConvCase.transposed(2, 3, 4, 4, 1, 4, 2, 1, 0),
                // weight gradients: D's five layers (G's last four run as these very shapes, as Conv2d adjoints), G's first, odd shapes
                ConvCase.conv("conv2dBackwardWeight", 2, 3, 64, 64, 64, 4, 2, 1), ConvCase.conv("conv2dBackwardWeight", 2, 64, 32, 32, 128, 4, 2, 1),
                ConvCase.conv("conv2dBackwardWeight", 2, 128, 16, 16, 256, 4, 2, 1), ConvCase.conv("conv2dBackwardWeight", 2, 256, 8, 8, 512, 4, 2, 1),
                ConvCase.conv("conv2dBackwardWeight", 2, 512, 4, 4, 1, 4, 1, 0), ConvCase.conv("conv2dBackwardWeight", 2, 512, 4, 4, 100, 4, 1, 0),
                ConvCase.conv("conv2dBackwardWeight", 3, 5, 7, 9, 3, 3, 1, 1),
                ConvCase.conv("conv2dBackwardWeight", 1, 3, 11, 5, 70, 4, 2, 1), ConvCase.conv("conv2dBackwardWeight", 2, 7, 6, 6, 33, 1, 1, 0),
                ConvCase.conv("conv2dBackwardWeight", 2, 4, 13, 10, 17, 3, 3, 2));
        Rng r = new Rng(11);
        List<float[]> ins = new java.util.ArrayList<>(), ws = new java.util.ArrayList<>(), want = new java.util.ArrayList<>();
        for (ConvCase c : cases) {
            float[] in = rand(r, c.inSize()), w = rand(r, c.wSize()), out = new float[c.outSize()];
            c.run(jvm, in, w, out);
            ins.add(in);
            ws.add(w);
            want.add(out);
        }
        List<List<float[]>> results = new java.util.ArrayList<>();
        for (String form : new String[] {"tiled", "plain"}) {
            String old = System.setProperty("dcgan.tornado.conv", form);
            List<float[]> got = new java.util.ArrayList<>();
            results.add(got);
            try (Backend be = Backends.create(Backends.TORNADO, 1, System.getProperty("dcgan.test.device"))) {
                be.enableProfiler();
                for (int i = 0; i < cases.size(); i++) {
                    float[] in = ins.get(i).clone(), w = ws.get(i).clone(), out = new float[want.get(i).length];
                    got.add(out);
                    be.toDevice(in, w, out);
                    cases.get(i).run(be, in, w, out);
                }
                be.toHost(got.toArray(float[][]::new));
                var ran = be.kernelTimes(false);
                System.out.println("TORNADO convolutions-" + form + " ran " + ran);
                for (String tiled : new String[] {"conv2dForwardTiled", "conv2dBackwardInputTiled", "convTranspose2dForwardTiled",
                        "conv2dBackwardWeightTiled"}) {
                    assertTrue(ran.containsKey(tiled) == form.equals("tiled"), form + ": ran " + ran.keySet());
                }
                if (form.equals("tiled")) {
                    // all nine forwards, the input gradients but D's last, the transposed convolutions but G's first
                    assertTrue(ran.get("conv2dForwardTiled").calls() == 9 && ran.get("conv2dBackwardInputTiled").calls() == 7
                            && ran.get("convTranspose2dForwardTiled").calls() == 7 && ran.get("conv2dBackwardWeightTiled").calls() == 10,
                            "tiled launches: " + ran);
                }
            } finally {
                if (old == null) System.clearProperty("dcgan.tornado.conv"); else System.setProperty("dcgan.tornado.conv", old);
            }
            for (int i = 0; i < cases.size(); i++) {
                double e = relErr(got.get(i), want.get(i));
                System.out.printf("TORNADO %s-%s shape=%s rel_err=%.2e%n", cases.get(i).op(), form,
                        java.util.Arrays.toString(cases.get(i).shape()), e);
                assertTrue(e <= TOL, form + " " + cases.get(i).op() + " " + java.util.Arrays.toString(cases.get(i).shape())
                        + ": relative error " + e);
            }
        }
        for (int i = 0; i < cases.size(); i++) {
            System.out.printf("TORNADO %s tiled vs plain shape=%s same_floats=%b%n", cases.get(i).op(),
                    java.util.Arrays.toString(cases.get(i).shape()), java.util.Arrays.equals(results.get(0).get(i), results.get(1).get(i)));
        }
    }

    @Test
    void everyKernelMatchesTheJvmBackend() {
        Rng r = new Rng(7);
        int n = 2, cin = 3, h = 7, w = 6, cout = 4, k = 4, s = 2, p = 1;
        int oh = (h + 2 * p - k) / s + 1, ow = (w + 2 * p - k) / s + 1;
        same("conv2dForward", List.of(rand(r, n * cin * h * w), rand(r, cout * cin * k * k), new float[n * cout * oh * ow]),
                (be, t) -> be.conv2dForward(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p));
        same("conv2dBackwardInput", List.of(rand(r, n * cout * oh * ow), rand(r, cout * cin * k * k), new float[n * cin * h * w]),
                (be, t) -> be.conv2dBackwardInput(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p));
        same("conv2dBackwardWeight", List.of(rand(r, n * cin * h * w), rand(r, n * cout * oh * ow), rand(r, cout * cin * k * k)),
                (be, t) -> be.conv2dBackwardWeight(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p));
        // 16 Ki weights and more: one level (one work-item per weight) instead of per-image partials and their sum
        int wide = 32;
        assertTrue(!dcgan.kernels.Conv2d.twoLevelWeightGradient(wide, wide, k) && dcgan.kernels.Conv2d.twoLevelWeightGradient(cout, cin, k));
        same("conv2dBackwardWeight-oneLevel", List.of(rand(r, n * wide * h * w), rand(r, n * wide * oh * ow), rand(r, wide * wide * k * k)),
                (be, t) -> be.conv2dBackwardWeight(t[0], t[1], t[2], n, wide, h, w, wide, k, s, p));
        int th = 2 * (h - 1) - 2 * p + k, tw = 2 * (w - 1) - 2 * p + k;
        same("convTranspose2dForward", List.of(rand(r, n * cin * h * w), rand(r, cin * cout * k * k), new float[n * cout * th * tw]),
                (be, t) -> be.convTranspose2dForward(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p, 0));
        same("convTranspose2dBackwardInput", List.of(rand(r, n * cout * th * tw), rand(r, cin * cout * k * k), new float[n * cin * h * w]),
                (be, t) -> be.convTranspose2dBackwardInput(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p, 0));
        same("convTranspose2dBackwardWeight", List.of(rand(r, n * cin * h * w), rand(r, n * cout * th * tw), rand(r, cin * cout * k * k)),
                (be, t) -> be.convTranspose2dBackwardWeight(t[0], t[1], t[2], n, cin, h, w, cout, k, s, p, 0));
        // output_padding (convt-k3s2's k3 s2 p1 op1)
        int k3 = 3, oh3 = 2 * h, ow3 = 2 * w;
        same("convTranspose2dForward-op1", List.of(rand(r, n * cin * h * w), rand(r, cin * cout * k3 * k3), new float[n * cout * oh3 * ow3]),
                (be, t) -> be.convTranspose2dForward(t[0], t[1], t[2], n, cin, h, w, cout, k3, 2, 1, 1));
        same("convTranspose2dBackwardInput-op1", List.of(rand(r, n * cout * oh3 * ow3), rand(r, cin * cout * k3 * k3), new float[n * cin * h * w]),
                (be, t) -> be.convTranspose2dBackwardInput(t[0], t[1], t[2], n, cin, h, w, cout, k3, 2, 1, 1));
        same("convTranspose2dBackwardWeight-op1", List.of(rand(r, n * cin * h * w), rand(r, n * cout * oh3 * ow3), rand(r, cin * cout * k3 * k3)),
                (be, t) -> be.convTranspose2dBackwardWeight(t[0], t[1], t[2], n, cin, h, w, cout, k3, 2, 1, 1));
        // upsampling ops of the resize-convolution and pixel-shuffle generators
        same("upsampleNearest2x", List.of(rand(r, n * cin * h * w), new float[n * cin * 4 * h * w], rand(r, n * cin * 4 * h * w),
                        new float[n * cin * h * w]), (be, t) -> {
                    be.upsampleNearest2x(t[0], t[1], n, cin, h, w);
                    be.upsampleNearest2xBackward(t[2], t[3], n, cin, h, w);
                });
        same("upsampleBilinear2x", List.of(rand(r, n * cin * h * w), new float[n * cin * 4 * h * w], rand(r, n * cin * 4 * h * w),
                        new float[n * cin * h * w]), (be, t) -> {
                    be.upsampleBilinear2x(t[0], t[1], n, cin, h, w);
                    be.upsampleBilinear2xBackward(t[2], t[3], n, cin, h, w);
                });
        same("pixelShuffle", List.of(rand(r, n * cin * 4 * h * w), new float[n * cin * 4 * h * w], rand(r, n * cin * 4 * h * w),
                        new float[n * cin * 4 * h * w]), (be, t) -> {
                    be.pixelShuffle(t[0], t[1], n, cin, h, w, 2);
                    be.pixelShuffleBackward(t[2], t[3], n, cin, h, w, 2);
                });
        int c = 3, hw = 10;
        float[] x = rand(r, n * c * hw), gamma = rand(r, c), beta = rand(r, c), runMean = rand(r, c), runVar = new float[c];
        java.util.Arrays.fill(runVar, 1.5f);
        same("batchNormStats", List.of(x, new float[c], new float[c], runMean, runVar),
                (be, t) -> be.batchNormStats(t[0], t[1], t[2], t[3], t[4], n, c, hw));
        float[] mean = new float[c], invstd = new float[c];
        jvm.batchNormStats(x, mean, invstd, runMean.clone(), runVar.clone(), n, c, hw);
        same("batchNormNormalize", List.of(x, new float[n * c * hw], mean, invstd, gamma, beta),
                (be, t) -> be.batchNormNormalize(t[0], t[1], t[2], t[3], t[4], t[5], n, c, hw));
        same("batchNormNormalizeActivation", List.of(x, new float[n * c * hw], mean, invstd, gamma, beta),
                (be, t) -> be.batchNormNormalizeActivation(t[0], t[1], t[2], t[3], t[4], t[5], 0.2f, n, c, hw));
        same("batchNormForwardEval", List.of(x, new float[n * c * hw], runMean, runVar, gamma, beta),
                (be, t) -> be.batchNormForwardEval(t[0], t[1], t[2], t[3], t[4], t[5], n, c, hw));
        float[] dy = rand(r, n * c * hw);
        same("batchNormBackward", List.of(x, dy, mean, invstd, new float[c], new float[c], rand(r, c), rand(r, c),
                        new float[n * c * hw], gamma),
                (be, t) -> {
                    be.batchNormBackwardReduce(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], n, c, hw);
                    be.batchNormBackwardInput(t[0], t[1], t[8], t[2], t[3], t[9], t[4], t[5], n, c, hw);
                });
        // planes of more than one segment, the last one short: 300 = 256 + 44 elements
        int hwLong = 300;
        float[] xl = rand(r, n * c * hwLong), dyl = rand(r, n * c * hwLong);
        float[] meanL = new float[c], invstdL = new float[c];
        jvm.batchNormStats(xl, meanL, invstdL, runMean.clone(), runVar.clone(), n, c, hwLong);
        same("batchNormStats-segments", List.of(xl, new float[c], new float[c], runMean, runVar),
                (be, t) -> be.batchNormStats(t[0], t[1], t[2], t[3], t[4], n, c, hwLong));
        same("batchNormBackwardReduce-segments", List.of(xl, dyl, meanL, invstdL, new float[c], new float[c], rand(r, c), rand(r, c)),
                (be, t) -> be.batchNormBackwardReduce(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], n, c, hwLong));
        int len = 37;
        float[] in = rand(r, len), g = rand(r, len);
        same("relu", List.of(in, new float[len], g, new float[len]), (be, t) -> {
            be.relu(t[0], t[1], len);
            be.reluBackward(t[1], t[2], t[3], len);
        });
        same("leakyRelu", List.of(in, new float[len], g, new float[len]), (be, t) -> {
            be.leakyRelu(t[0], t[1], len);
            be.leakyReluBackward(t[1], t[2], t[3], len);
        });
        same("tanh", List.of(in, new float[len], g, new float[len]), (be, t) -> {
            be.tanh(t[0], t[1], len);
            be.tanhBackward(t[1], t[2], t[3], len);
        });
        same("sigmoid", List.of(in, new float[len], g, new float[len]), (be, t) -> {
            be.sigmoid(t[0], t[1], len);
            be.sigmoidBackward(t[1], t[2], t[3], len);
        });
        float[] prob = new float[len];
        jvm.sigmoid(in, prob, len);
        same("bce", List.of(prob, new float[2], new float[len], new float[2], new float[len]), (be, t) -> {
            be.bceForward(t[0], t[1], 1f, len);
            be.bceBackward(t[0], t[2], 1f, len);
            be.bceForward(t[0], t[3], 0f, len);
            be.bceBackward(t[0], t[4], 0f, len);
        });
        float[] hp = new float[dcgan.kernels.Adam.HP_LEN];
        dcgan.kernels.Adam.hyper(hp, 2e-4, 0.5, 0.999, 1e-8, 3);
        same("adam", List.of(rand(r, len), g, rand(r, len), new float[len], hp),
                (be, t) -> be.adamStep(t[0], t[1], t[2], t[3], t[4], len));
        same("fill", List.of(rand(r, len)), (be, t) -> be.fill(t[0], 0.25f, len));
    }

    /**
     * One training iteration of G for each generator variant that uses other ops than the tutorial's (output
     * padding, resize, pixel shuffle) matches the JVM backend. PoCL compiles every graph afresh, so the
     * variants are a property: -Ddcgan.test.variants=all or a comma list of ids (default: convt-k3s2,
     * resize-bilinear, pixel-shuffle-icnr, which between them use every new op but nearest resizing, checked
     * above kernel by kernel).
     */
    @Test
    void oneTrainingIterationPerGeneratorVariantMatchesTheJvmBackend() {
        String spec = System.getProperty("dcgan.test.variants", "convt-k3s2,resize-bilinear,pixel-shuffle-icnr");
        List<Upsampling> variants = spec.equals("all") ? List.of(Upsampling.values())
                : java.util.Arrays.stream(spec.split(",")).map(String::trim).map(Upsampling::parse).toList();
        for (Upsampling u : variants) {
            Dcgan.Config cfg = new Dcgan.Config(8, 4, 4, 1, 32, u);
            int batch = 2;
            Dcgan a = new Dcgan(cfg), b = new Dcgan(cfg);
            Dcgan.weightsInit(a.generator, new Rng(3));
            Dcgan.weightsInit(a.discriminator, new Rng(4));
            Dcgan.weightsInit(b.generator, new Rng(3));
            Dcgan.weightsInit(b.discriminator, new Rng(4));
            Trainer ta = new Trainer(a, jvm, batch, 2e-4, 0.5), tb = new Trainer(b, tornado, batch, 2e-4, 0.5);
            Rng data = new Rng(5);
            float[] real = rand(data, batch * cfg.imageElements()), noise = rand(data, batch * cfg.nz());
            for (int i = 0; i < real.length; i++) real[i] = (float) Math.tanh(real[i]);
            long t0 = System.nanoTime();
            Trainer.Stats sa = ta.step(real, noise), sb = tb.step(real.clone(), noise.clone());
            System.out.printf("TORNADO variant %s (%.1f s) jvm=%s tornado=%s%n", u, (System.nanoTime() - t0) / 1e9, sa, sb);
            float[] va = BackendCheck.values(sa), vb = BackendCheck.values(sb);
            assertTrue(relErr(vb, va) <= 1e-4, u + ": stats differ: " + sa + " vs " + sb);
            var pa = a.generator.params();
            var pb = b.generator.params();
            for (int i = 0; i < pa.size(); i++) {
                tornado.toHost(pb.get(i).data);
                double e = relErr(pb.get(i).data, pa.get(i).data);
                assertTrue(e <= 1e-4, u + " " + pa.get(i).name + ": relative error " + e);
            }
        }
    }

    @Test
    void fourTrainingIterationsWithASampleGridMatchTheJvmBackend() throws ReflectiveOperationException {
        // nc = 3: the real batch (2 x 3 x 32 x 32) is larger than Recorder.SMALL, so, as in a real run, it goes in on
        // every execution and never comes back.
        Dcgan.Config cfg = new Dcgan.Config(8, 4, 4, 3, 32);
        int batch = 2;
        Dcgan a = new Dcgan(cfg), b = new Dcgan(cfg);
        Dcgan.weightsInit(a.generator, new Rng(3));
        Dcgan.weightsInit(a.discriminator, new Rng(4));
        Dcgan.weightsInit(b.generator, new Rng(3));
        Dcgan.weightsInit(b.discriminator, new Rng(4));
        Trainer ta = new Trainer(a, jvm, batch, 2e-4, 0.5), tb = new Trainer(b, tornado, batch, 2e-4, 0.5);
        Rng data = new Rng(5);
        // As Training does: the same real and noise arrays every iteration, refilled on the host, so the
        // backend keeps its plan and re-executes it (fresh arrays would make it build a new plan each time).
        float[] realB = new float[batch * cfg.imageElements()], noiseB = new float[batch * cfg.nz()];
        // And as Training does, a fixed-noise grid after the first iteration: the sampling plan replaces the
        // training plan, so iteration 2 builds the training plan again and iteration 3 re-executes that one.
        float[] fixedNoise = rand(new Rng(6), 4 * cfg.nz());
        for (int it = 0; it < 4; it++) {
            float[] real = rand(data, batch * cfg.imageElements()), noise = rand(data, batch * cfg.nz());
            for (int i = 0; i < real.length; i++) real[i] = (float) Math.tanh(real[i]);
            System.arraycopy(real, 0, realB, 0, real.length);
            System.arraycopy(noise, 0, noiseB, 0, noise.length);
            Trainer.Stats sa = ta.step(real, noise), sb = tb.step(realB, noiseB);
            System.out.println("TORNADO iteration " + (it + 1) + " jvm=" + sa + " tornado=" + sb);
            // One TaskGraph per phase of the step: D on real, G, D on fake, D step, G through D, G step.
            int graphs = (int) tornado.getClass().getMethod("graphsInPlan").invoke(tornado);
            System.out.println("TORNADO iteration " + (it + 1) + " graphs in plan: " + graphs);
            assertEquals(6, graphs, "TaskGraphs of a training step");
            // One Adam and one zero_grad launch per net; per execution only the real batch, the noise and the two Adam
            // step arrays go in, and the three loss pairs and the small ones among those inputs come back (here the noise
            // too: 16 floats; 12,800 at the tutorial's size), also after the sample grid (the sampler saves and restores
            // G's running statistics on the device).
            @SuppressWarnings("unchecked")
            var tasks = (java.util.Map<String, Integer>) tornado.getClass().getMethod("tasksInPlan").invoke(tornado);
            int[] transfers = (int[]) tornado.getClass().getMethod("transfersPerExecution").invoke(tornado);
            System.out.println("TORNADO iteration " + (it + 1) + " tasks " + tasks + " transfers in/out " + transfers[0] + "/" + transfers[1]);
            assertEquals(2, tasks.get("adam"), "Adam launches per step");
            assertEquals(2, tasks.get("zeroGrad"), "zero_grad launches per step");
            assertTrue(!tasks.containsKey("fill"), "no per-tensor fills: " + tasks);
            assertArrayEquals(new int[] {4, 6}, transfers, "buffers sent/returned per execution");
            String summary = tornado.planSummary();
            assertTrue(summary.startsWith("6 TaskGraphs") && summary.endsWith("4 buffers sent and 6 brought back per execution"),
                    "bench's plan line: " + summary);
            float[] va = BackendCheck.values(sa), vb = BackendCheck.values(sb);
            assertTrue(relErr(vb, va) <= 1e-4, "iteration " + (it + 1) + " stats differ: " + sa + " vs " + sb);
            if (it == 0) {
                float[] ga = new Sampler(jvm, a.generator, true).run(fixedNoise, 0, 4);
                float[] gb = new Sampler(tornado, b.generator, true).run(fixedNoise, 0, 4);
                double e = relErr(gb, ga);
                System.out.printf("TORNADO sample grid rel_err=%.2e%n", e);
                assertTrue(e <= 1e-4, "sample grid: relative error " + e);
            }
        }
        var pa = a.generator.params();
        var pb = b.generator.params();
        pa.addAll(a.discriminator.params());
        pb.addAll(b.discriminator.params());
        for (int i = 0; i < pa.size(); i++) {
            tornado.toHost(pb.get(i).data);
            double e = relErr(pb.get(i).data, pa.get(i).data);
            System.out.printf("TORNADO weights %s rel_err=%.2e%n", pa.get(i).name, e);
            assertTrue(e <= 1e-4, pa.get(i).name + ": relative error " + e);
        }
        // the running statistics too: the sample grid (batch statistics) saved and restored them on the device
        var ba = a.generator.buffers();
        var bb = b.generator.buffers();
        ba.addAll(a.discriminator.buffers());
        bb.addAll(b.discriminator.buffers());
        for (int i = 0; i < ba.size(); i++) {
            tornado.toHost(bb.get(i).data());
            double e = relErr(bb.get(i).data(), ba.get(i).data());
            System.out.printf("TORNADO state %s rel_err=%.2e%n", ba.get(i).name(), e);
            assertTrue(e <= 1e-4, ba.get(i).name() + ": relative error " + e);
        }
    }
}
