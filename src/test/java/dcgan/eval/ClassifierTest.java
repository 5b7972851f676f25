package dcgan.eval;

import dcgan.backend.Backend;
import dcgan.backend.jvm.JvmBackend;
import dcgan.data.Datasets;
import dcgan.data.LabelledImages;
import dcgan.data.Split;
import dcgan.io.PyTorchWeights;
import dcgan.io.SafeTensors;
import dcgan.model.Classifier;
import dcgan.model.Dcgan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier feature network: its layout, training on a tiny labelled set, saving and loading. */
class ClassifierTest {
    @TempDir static Path tmp;
    static Backend be;
    static ClassifierTraining.Result trained;
    static final ClassifierTraining.Options TINY = new ClassifierTraining.Options(3, 32, 3e-3, 8, 16, 0, 5);

    @BeforeAll
    static void train() throws IOException {
        be = new JvmBackend(2);
        Path root = TinyMnist.write(tmp.resolve("tiny"), 640, 320, 1);
        try (LabelledImages tr = Datasets.openLabelled("mnist", root, 32, 1, Split.TRAIN);
             LabelledImages te = Datasets.openLabelled("mnist", root, 32, 1, Split.TEST)) {
            List<String> log = new ArrayList<>();
            long[] last = {0};
            trained = ClassifierTraining.train(be, tr, te, TINY, "mnist", t -> last[0] = t, log::add);
            assertEquals(3, log.size(), "one line per epoch: " + log);
            assertEquals(3 * (640 / 32), last[0], "progress reached every iteration");
        }
    }

    @AfterAll
    static void close() {
        be.close();
    }

    @Test
    void layoutIsPyTorchsSequentialWithAFlattenAtIndex8() {
        Classifier c = new Classifier(new Classifier.Config(1, 32, 8, 16, 10));
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Dcgan.Buffer b : c.net.state()) shapes.put(b.name(), b.shape());
        assertArrayEquals(new int[] {8, 1, 4, 4}, shapes.get("main.0.weight"));
        assertArrayEquals(new int[] {16, 8, 4, 4}, shapes.get("main.2.weight"));
        assertArrayEquals(new int[] {16}, shapes.get("main.3.running_var"));
        assertArrayEquals(new int[] {32, 16, 4, 4}, shapes.get("main.5.weight"));
        assertArrayEquals(new int[] {16, 32 * 4 * 4}, shapes.get("main.9.weight"));
        assertArrayEquals(new int[] {16}, shapes.get("main.10.weight"));
        assertArrayEquals(new int[] {10, 16}, shapes.get("main.12.weight"));
        assertArrayEquals(new int[] {10}, shapes.get("main.12.bias"));
        assertEquals(c.net.layers.size() - 2, c.featureLayer);
        assertEquals(16, c.net.layers.get(c.featureLayer).cout);
        // 64x64 adds one stride-2 block, as the discriminator does
        Classifier big = new Classifier(new Classifier.Config(3, 64, 8, 16, 10));
        int[] fc = null;
        for (Dcgan.Buffer b : big.net.state()) if (b.name().equals("main.12.weight")) fc = b.shape();
        assertArrayEquals(new int[] {16, 64 * 4 * 4}, fc);
    }

    @Test
    void learnsTheTinyDatasetWellAboveChance() {
        // four classes: chance is 25 %
        assertTrue(trained.test().accuracy() >= 0.9, "test accuracy " + trained.test().accuracy());
        assertTrue(trained.train().loss() < Math.log(4) / 2, "training loss " + trained.train().loss());
        assertEquals(320, trained.test().images());
    }

    @Test
    void savesAndLoadsExactlyWithItsRecord() throws IOException {
        Path file = tmp.resolve("clf.safetensors");
        trained.network().save(file);
        ClassifierNetwork back = ClassifierNetwork.load(file);
        assertEquals(trained.network().model().config, back.model().config);
        List<Dcgan.Buffer> a = trained.network().model().net.state(), b = back.model().net.state();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i).data(), b.get(i).data(), a.get(i).name());
        assertEquals("mnist", back.info().get("dataset"));
        assertEquals(trained.test().accuracy(), Double.parseDouble(back.info().get("test_accuracy")), 1e-6);
        assertTrue(back.describe().contains("test accuracy"), back.describe());
        // The same images give the same features and probabilities.
        float[] x = new float[5 * 32 * 32];
        for (int i = 0; i < x.length; i++) x[i] = (float) Math.sin(i * 0.37);
        int k = back.classes();   // mnist's 10 label values, of which the tiny set uses 4
        assertEquals(10, k);
        float[] f1 = new float[5 * 16], f2 = new float[5 * 16], p1 = new float[5 * k], p2 = new float[5 * k];
        trained.network().run(be, x, 5, f1, p1);
        back.run(be, x, 5, f2, p2);
        assertArrayEquals(f1, f2);
        assertArrayEquals(p1, p2);
        for (int i = 0; i < 5; i++) {
            float sum = 0;
            for (int c = 0; c < k; c++) sum += p1[i * k + c];
            assertEquals(1, sum, 1e-5, "probabilities of image " + i);
        }
    }

    @Test
    void aFileWithOtherShapesOrNotAClassifierIsRejectedInOneLine() throws IOException {
        Path file = tmp.resolve("wrong.safetensors");
        trained.network().save(file);
        SafeTensors.TypedContents c = SafeTensors.readTyped(file);
        Map<String, SafeTensors.AnyTensor> t = new LinkedHashMap<>(c.tensors());
        t.put("main.12.weight", SafeTensors.Tensor.of(new float[5 * 16], 5, 16));   // 5 classes, metadata says 10
        SafeTensors.writeTyped(file, t, c.metadata());
        IOException e = assertThrows(IOException.class, () -> ClassifierNetwork.load(file));
        assertTrue(e.getMessage().contains("main.12.weight has shape [5, 16], expected [10, 16]"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        Path gan = tmp.resolve("netG.safetensors");
        SafeTensors.writeTyped(gan, PyTorchWeights.stateDict(new Dcgan(new Dcgan.Config(8, 4, 4, 1, 32)).generator), Map.of("nz", "8"));
        e = assertThrows(IOException.class, () -> ClassifierNetwork.load(gan));
        assertTrue(e.getMessage().contains("is not a dcgan classifier"), e.getMessage());

        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.remove("width");
        SafeTensors.writeTyped(file, c.tensors(), meta);
        e = assertThrows(IOException.class, () -> ClassifierNetwork.load(file));
        assertTrue(e.getMessage().contains("lacks 'width'"), e.getMessage());
    }

    @Test
    void realVersusRealIsSmallAndNoiseIsLarge() throws IOException {
        Path root = tmp.resolve("tiny");
        ClassifierNetwork net = trained.network();
        try (LabelledImages tr = Datasets.openLabelled("mnist", root, 32, 1, Split.TRAIN);
             LabelledImages te = Datasets.openLabelled("mnist", root, 32, 1, Split.TEST)) {
            Evaluation.Extracted train = Evaluation.extract(be, net, ImageSource.dataset(tr.images(), 320, 3, "train"), d -> { });
            Evaluation.Extracted test = Evaluation.extract(be, net, ImageSource.dataset(te.images(), 320, 3, "test"), d -> { });
            Evaluation.Extracted noise = Evaluation.extract(be, net, ImageSource.noise(320, 1, 32, 3), d -> { });
            Evaluation.Metrics real = Evaluation.compare(test, train, Evaluation.Settings.DEFAULT);
            Evaluation.Metrics far = Evaluation.compare(noise, train, Evaluation.Settings.DEFAULT);
            assertTrue(far.fid() > 20 * real.fid(), "noise FID " + far.fid() + " vs real-vs-real " + real.fid());
            assertTrue(far.kid().mean() > 100 * Math.abs(real.kid().mean()),
                    "noise KID " + far.kid() + " vs real-vs-real " + real.kid());
            System.out.printf("tiny classifier: real-vs-real FID %.4f KID %s IS %s; noise FID %.4f KID %s IS %s%n", real.fid(), real.kid(),
                    real.isGenerated(), far.fid(), far.kid(), far.isGenerated());
            // Real images spread over the 4 classes score well above 1 (4 at most); noise, all alike, scores lower.
            assertTrue(real.isGenerated().mean() > 1.5, "IS of the test split " + real.isGenerated());
            assertTrue(far.isGenerated().mean() < real.isGenerated().mean() - 0.3, "IS of noise " + far.isGenerated());
            // the same set twice: FID 0
            assertEquals(0, Evaluation.compare(train, train, Evaluation.Settings.DEFAULT).fid(), 1e-6);
        }
    }

    @Test
    void tooFewImagesAreRejectedBeforeAnyWork() {
        Evaluation.Settings s = Evaluation.Settings.DEFAULT;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Evaluation.check(1, 100, true, s));
        assertTrue(e.getMessage().contains("too few generated images for a covariance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.check(100, 5, true, s));
        assertTrue(e.getMessage().contains("too few real images for the Inception Score"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Evaluation.check(100, 50, false, new Evaluation.Settings(10, 60, 10, 0)));
        assertTrue(e.getMessage().contains("KID subset size 60 is larger"), e.getMessage());
        assertEquals(50, Evaluation.check(100, 50, false, s));
    }
}
