package dcgan.eval;

import dcgan.backend.Backend;
import dcgan.data.BatchLoader;
import dcgan.data.LabelledImages;
import dcgan.kernels.Adam;
import dcgan.model.Classifier;
import dcgan.model.Dcgan;
import dcgan.model.Rng;

import java.io.IOException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Trains the `classifier` feature network on the training split of a labelled dataset with our kernels (through a
 * {@link Backend}): mini-batches reshuffled every epoch from the seed (the last partial batch dropped, so every
 * BatchNorm sees a full batch), softmax cross-entropy, Adam (betas 0.9, 0.999, eps 1e-8) with the learning rate
 * divided by 10 for the last epoch when there are at least 3. After each epoch it measures the accuracy on the test
 * split, in eval mode (running statistics).
 */
public final class ClassifierTraining {
    /** epochs, batch size, Adam's learning rate, the network's width and features; at most maxImages training images (0: all). */
    public record Options(int epochs, int batchSize, double lr, int width, int features, int maxImages, long seed) {
        /** The default budget: 3 epochs of batches of 64, lr 1e-3; width 32, 128 features; all images. */
        public static final Options DEFAULT = new Options(3, 64, 1e-3, 32, 128, 0, 1);

        public Options {
            if (epochs < 1) throw new IllegalArgumentException("classifier epochs must be >= 1, got " + epochs);
            if (batchSize < 2) throw new IllegalArgumentException("classifier batch size must be >= 2 (BatchNorm), got " + batchSize);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("classifier learning rate must be > 0, got " + lr);
            if (maxImages < 0) throw new IllegalArgumentException("classifier training images must be >= 0 (0: all), got " + maxImages);
        }
    }

    /** Loss and accuracy over a set of images. */
    public record Score(double loss, double accuracy, int images) {}

    /** The trained network, its last epoch's training score and its test score. */
    public record Result(ClassifierNetwork network, Score train, Score test, long iterations, double seconds) {}

    private ClassifierTraining() {}

    /**
     * Trains a classifier for images of train's size and channels.
     *
     * @param progress told the iterations done so far after each one (for a progress bar)
     * @param log      one line per epoch
     */
    public static Result train(Backend be, LabelledImages train, LabelledImages test, Options o, String datasetName,
                               LongConsumer progress, Consumer<String> log) throws IOException {
        if (test.classes() != train.classes())
            throw new IllegalArgumentException("train and test splits have " + train.classes() + " and " + test.classes() + " classes");
        int n = o.maxImages() > 0 ? Math.min(o.maxImages(), train.size()) : train.size();
        if (n < o.batchSize())
            throw new IllegalArgumentException("the classifier needs at least one batch of " + o.batchSize() + " training images, got " + n);
        Classifier.Config cfg = new Classifier.Config(train.images().channels(), train.images().imageSize(), o.width(), o.features(),
                train.classes());
        Classifier model = new Classifier(cfg);
        model.init(new Rng(o.seed()));
        int batch = o.batchSize(), perEpoch = n / batch, k = cfg.classes(), img = cfg.imageElements();
        // The subset: the first n of one seeded permutation, then each epoch a seeded order of that subset.
        int[] subset = java.util.Arrays.copyOf(BatchLoader.permutation(o.seed(), -1, train.size()), n);
        Dcgan.Pass pass = model.net.pass(batch);
        float[] x = new float[batch * img], labels = new float[batch], probs = new float[batch * k], dlogits = new float[batch * k];
        float[] lossOut = new float[2], hp = new float[Adam.HP_LEN];
        long total = (long) o.epochs() * perEpoch, t = 0, t0 = System.nanoTime();
        Score trainScore = null, testScore = null;
        be.declare(model.net.arrays());
        for (int epoch = 0; epoch < o.epochs(); epoch++) {
            double lr = o.epochs() >= 3 && epoch == o.epochs() - 1 ? o.lr() / 10 : o.lr();
            int[] order = BatchLoader.permutation(o.seed(), epoch, n);
            double lossSum = 0, correct = 0;
            for (int b = 0; b < perEpoch; b++) {
                for (int i = 0; i < batch; i++) {
                    int idx = subset[order[b * batch + i]];
                    train.images().load(idx, x, i * img);
                    labels[i] = train.label(idx);
                }
                be.toDevice(x, labels);
                model.net.zeroGrad(be);
                float[] logits = pass.forward(be, x, true);
                be.crossEntropyLoss(logits, labels, lossOut, batch, k);
                be.softmax(logits, probs, batch, k);
                be.crossEntropyBackward(probs, labels, dlogits, batch, k);
                pass.backward(be, dlogits, false);
                Adam.hyper(hp, lr, 0.9, 0.999, 1e-8, ++t);
                be.toDevice(hp);
                be.adamStep(model.net.arrays(), hp);
                be.toHost(lossOut);
                if (!Float.isFinite(lossOut[0]))
                    throw new IllegalStateException("classifier training diverged at iteration " + t + " (loss " + lossOut[0] + "); try a smaller --classifier-lr");
                lossSum += lossOut[0];
                correct += lossOut[1];
                progress.accept(t);
            }
            trainScore = new Score(lossSum / perEpoch, correct / perEpoch, perEpoch * batch);
            bringHome(be, model);
            ClassifierNetwork net = new ClassifierNetwork(model, java.util.Map.of(), "training");
            testScore = score(be, net, test);
            log.accept(String.format(Locale.ROOT, "[classifier %d/%d] lr %.0e  train loss %.4f  train accuracy %.2f%%  test loss %.4f  test accuracy %.2f%% (%d test images)",
                    epoch + 1, o.epochs(), lr, trainScore.loss(), 100 * trainScore.accuracy(), testScore.loss(), 100 * testScore.accuracy(),
                    testScore.images()));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        java.util.Map<String, String> info = new java.util.LinkedHashMap<>();
        info.put("dataset", datasetName);
        info.put("test_accuracy", String.format(Locale.ROOT, "%.6f", testScore.accuracy()));
        info.put("test_loss", String.format(Locale.ROOT, "%.6f", testScore.loss()));
        info.put("test_images", Integer.toString(testScore.images()));
        info.put("train_images", Integer.toString(n));
        info.put("epochs", Integer.toString(o.epochs()));
        info.put("batch_size", Integer.toString(batch));
        info.put("lr", Double.toString(o.lr()));
        info.put("iterations", Long.toString(t));
        info.put("seed", Long.toString(o.seed()));
        return new Result(new ClassifierNetwork(model, info, "training"), trainScore, testScore, t, seconds);
    }

    /** Loss and accuracy of the network on every image of set, in eval mode. */
    public static Score score(Backend be, ClassifierNetwork net, LabelledImages set) throws IOException {
        int k = net.classes(), img = net.imageElements(), n = set.size();
        double loss = 0;
        int correct = 0;
        for (int from = 0; from < n; from += net.maxBatch()) {
            int b = Math.min(net.maxBatch(), n - from);
            float[] x = new float[b * img], feats = new float[b * net.dimension()], probs = new float[b * k];
            for (int i = 0; i < b; i++) set.images().load(from + i, x, i * img);
            net.run(be, x, b, feats, probs);
            for (int i = 0; i < b; i++) {
                int label = set.label(from + i), best = 0;
                for (int c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
                if (best == label) correct++;
                loss -= Math.log(Math.max(probs[i * k + label], 1e-30));
            }
        }
        return new Score(loss / n, (double) correct / n, n);
    }

    /** A device backend's weights and running statistics, back on the host. */
    private static void bringHome(Backend be, Classifier model) {
        if (be.onHost()) return;
        java.util.List<float[]> arrays = new java.util.ArrayList<>();
        for (Dcgan.Buffer b : model.net.state()) arrays.add(b.data());
        be.toHost(arrays.toArray(float[][]::new));
    }
}
