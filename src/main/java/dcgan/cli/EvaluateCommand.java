package dcgan.cli;

import dcgan.backend.Backend;
import dcgan.data.Dataset;
import dcgan.data.Datasets;
import dcgan.data.LabelledImages;
import dcgan.data.Split;
import dcgan.eval.ClassifierNetwork;
import dcgan.eval.ClassifierTraining;
import dcgan.eval.Evaluation;
import dcgan.eval.EvaluationReport;
import dcgan.eval.FeatureNetwork;
import dcgan.eval.ImageSource;
import dcgan.eval.inception.InceptionNetwork;
import dcgan.model.Dcgan;
import dcgan.model.Upsampling;
import dcgan.train.JitWarmup;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** `dcgan evaluate`: FID, KID and IS of generated images against real ones, through a feature network. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Sample quality: FID, KID and the Inception Score of generated images (a generator's samples, or a folder) "
                + "against real images of --dataset, computed on the features of a feature network.", "",
                "Feature network 'classifier': a small CNN trained here on a labelled dataset (--train-classifier: mnist or cifar10), "
                        + "saved as safetensors and given back with --classifier. Numbers from different feature networks are not comparable.", "",
                "Feature network 'inception' (--features inception --inception-weights FILE): pytorch-fid's Inception-v3 pool3 features, "
                        + "with its weights converted by scripts/convert_inception_weights.py.", "",
                "Prints the numbers, then one line of key=value pairs; writes evaluation.json to --out.", ""})
public final class EvaluateCommand implements Callable<Integer> {
    /** --dataset's default: the dataset the classifier was trained on. */
    static final String FROM_CLASSIFIER = "the classifier's dataset";

    @Spec CommandSpec spec;

    @Option(names = "--features", defaultValue = "classifier", paramLabel = "classifier|inception",
            description = "The feature network (default: ${DEFAULT-VALUE}).")
    String features;
    @Option(names = "--inception-weights", paramLabel = "FILE",
            description = "For --features inception: pytorch-fid's pt_inception-2015-12-05 weights converted by scripts/convert_inception_weights.py.")
    Path inceptionWeights;
    @Option(names = "--inception-image-size", paramLabel = "N",
            description = "For --features inception: the size images are read at before its 299x299 resize (default: the generator's, else 32).")
    Integer inceptionImageSize;
    @Option(names = "--classifier", paramLabel = "FILE",
            description = "The feature network: a classifier saved by --train-classifier (default with --train-classifier: classifier.safetensors in --out).")
    Path classifier;
    @Option(names = "--train-classifier", description = "First train the classifier on --dataset's training split (mnist or cifar10), "
            + "report its test accuracy and save it to --classifier; then evaluate, if there is something to evaluate.")
    boolean trainClassifier;
    @Mixin ClassifierOptions training = new ClassifierOptions();

    @Mixin GeneratorOptions generator = new GeneratorOptions();
    @Option(names = "--images", paramLabel = "DIR", description = "A folder of generated images (PNG, JPEG, BMP, GIF), instead of a generator.")
    Path images;
    @Option(names = "--baseline", paramLabel = "real|noise", description = "Instead of generated images: real = the dataset's test split "
            + "against its training split (for a dataset without one, two disjoint halves), noise = uniform noise; to calibrate the numbers.")
    String baseline;
    @Option(names = "--num", defaultValue = "10000", description = "Generated images (default: ${DEFAULT-VALUE}; from a folder or a test split: at most all of them).")
    int num;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the generated samples' noise, of the real images' choice and of KID's subsets (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin DatasetOptions data = new DatasetOptions(FROM_CLASSIFIER);
    @Option(names = "--real-num", description = "Real images (default: as many as generated, at most the split's).")
    Integer realNum;
    @Option(names = "--real-split", defaultValue = "train", description = "train | test: the split the real images come from, for mnist and cifar10 (default: ${DEFAULT-VALUE}).")
    String realSplit;

    @Option(names = "--kid-subsets", defaultValue = "100", description = "KID subsets (default: ${DEFAULT-VALUE}).")
    int kidSubsets;
    @Option(names = "--kid-subset-size", defaultValue = "0", description = "Images per KID subset (default: min(1000, the smaller set)).")
    int kidSubsetSize;
    @Option(names = "--is-splits", defaultValue = "10", description = "Inception Score splits (default: ${DEFAULT-VALUE}).")
    int isSplits;

    @Mixin OutputFolder output = new OutputFolder("eval");
    @Mixin BackendOptions compute = new BackendOptions();
    @Option(names = "--progress", negatable = true, description = "Progress bars (default: on a terminal).")
    Boolean progress;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        out = spec.commandLine().getOut();
        int sources = (generator.given() ? 1 : 0) + (images != null ? 1 : 0) + (baseline != null ? 1 : 0);
        if (sources > 1) throw new IllegalArgumentException("give one of --checkpoint, --generator, --images and --baseline");
        if (sources == 0 && !trainClassifier)
            throw new IllegalArgumentException("nothing to evaluate: give --checkpoint, --generator, --images or --baseline (or --train-classifier)");
        if (baseline != null && !baseline.equals("real") && !baseline.equals("noise"))
            throw new IllegalArgumentException("--baseline must be real or noise, got '" + baseline + "'");
        if (!features.equals("classifier") && !features.equals(InceptionNetwork.ID))
            throw new IllegalArgumentException("--features must be classifier or inception, got '" + features + "'");
        boolean inception = features.equals(InceptionNetwork.ID);
        if (inception && trainClassifier) throw new IllegalArgumentException("--train-classifier trains the classifier; not with --features inception");
        if (inception && inceptionWeights == null)
            throw new IllegalArgumentException("--features inception needs --inception-weights FILE (pytorch-fid's weights converted by scripts/convert_inception_weights.py)");
        if (!inception && !trainClassifier && classifier == null)
            throw new IllegalArgumentException("give --classifier FILE (a classifier saved by --train-classifier), or --train-classifier");
        if (num < 1) throw new IllegalArgumentException("--num must be >= 1, got " + num);
        if (realNum != null && realNum < 1) throw new IllegalArgumentException("--real-num must be >= 1, got " + realNum);
        Split split = Split.parse(realSplit);
        Evaluation.Settings settings = new Evaluation.Settings(kidSubsets, kidSubsetSize, isSplits, seed);
        Dcgan model = generator.given() ? generator.load() : null;
        if (!trainClassifier && !inception) Cli.requireFile(classifier, "--classifier");
        Path dir = output.create();
        try (Backend be = compute.create()) {
            out.println("Backend: " + be.describe() + compute.autoNote());
            warmUp(be, model, sources > 0 ? num : 0);
            FeatureNetwork net = inception ? inception(model) : trainClassifier ? train(be, dir, model) : ClassifierNetwork.load(classifier);
            out.println("Feature network: " + net.describe());
            if (net instanceof InceptionNetwork in) out.println("Inception runs as " + in.runsOn(be));
            if (sources == 0) return 0;
            java.util.Map<String, String> info = net instanceof ClassifierNetwork c ? c.info() : java.util.Map.of();
            String name = data.dataset.equals(FROM_CLASSIFIER) ? info.get("dataset") : data.name();
            Path root = data.dataset.equals(FROM_CLASSIFIER) ? pathOrNull(info.get("dataroot")) : data.dataroot;
            if (name == null) throw new IllegalArgumentException("give --dataset (and --dataroot): the " + net.id() + " network does not say which dataset to compare with");
            List<AutoCloseable> open = new ArrayList<>();
            try {
                ImageSource[] pair = sources(be, net, model, name, root, split, open);
                report(be, net, pair[0], pair[1], settings, dir);
            } finally {
                for (AutoCloseable c : open) {
                    try { c.close(); } catch (Exception ignored) { /* read-only datasets */ }
                }
            }
        }
        out.flush();
        return 0;
    }

    /** Evaluations of fewer generated images (and no classifier training) skip the JIT warm-up: it would cost more than it saves. */
    static final int WARMUP_MIN_IMAGES = 2000;

    /**
     * As train does ({@link JitWarmup}), before the big feature arrays exist: the generator's and the feature network's
     * convolutions (the classifier's, or Inception's im2col GEMM) are the fast backend's Vector API kernels, which box
     * every vector until C2 has compiled them. A tiny DCGAN of the images' channels runs those kernels on its own arrays.
     */
    private void warmUp(Backend be, Dcgan model, int images) {
        if (!trainClassifier && images < WARMUP_MIN_IMAGES) return;
        Dcgan.Config like = model != null ? model.config
                : new Dcgan.Config(100, 32, 32, "mnist".equals(data.dataset) ? 1 : 3, 32, Upsampling.CONVT_K4S2);
        JitWarmup.Result warm = JitWarmup.run(be, like, JitWarmup.BUDGET_MILLIS);
        if (warm != null && Boolean.getBoolean("dcgan.debug")) spec.commandLine().getErr().println(warm);
    }

    /** --features inception: images read at --inception-image-size (or the generator's size, else 32), grey for mnist or a grey generator. */
    private FeatureNetwork inception(Dcgan model) throws IOException {
        int size = inceptionImageSize != null ? inceptionImageSize : model != null ? model.config.imageSize() : 32;
        if (size < 1) throw new IllegalArgumentException("--inception-image-size must be >= 1, got " + size);
        int nc = model != null ? model.config.nc() : "mnist".equals(data.dataset) ? 1 : 3;
        return InceptionNetwork.load(inceptionWeights, nc, size);
    }

    /** --train-classifier: trains on the dataset's training split, reports, saves; the network. */
    private ClassifierNetwork train(Backend be, Path dir, Dcgan model) throws IOException {
        if (data.dataset.equals(FROM_CLASSIFIER))
            throw new IllegalArgumentException("--train-classifier needs --dataset (mnist or cifar10) and --dataroot");
        String name = data.name();
        if (!Datasets.hasLabels(name))
            throw new IllegalArgumentException("--train-classifier needs a labelled dataset (mnist or cifar10), not " + name);
        int size = training.imageSize != null ? training.imageSize : model != null ? model.config.imageSize() : 32;
        int nc = model != null ? model.config.nc() : name.equals("mnist") ? 1 : 3;
        Path file = classifier != null ? classifier : dir.resolve("classifier.safetensors");
        OutputFolder.check(file, "--classifier");
        ClassifierTraining.Options o = training.options();
        try (LabelledImages train = Datasets.openLabelled(name, data.dataroot, size, nc, Split.TRAIN);
             LabelledImages test = Datasets.openLabelled(name, data.dataroot, size, nc, Split.TEST)) {
            int n = o.maxImages() > 0 ? Math.min(o.maxImages(), train.size()) : train.size();
            long iterations = (long) o.epochs() * (n / Math.max(1, o.batchSize()));
            out.printf(Locale.ROOT, "Training the classifier on %s: %d training images, %d epochs of batches of %d (%d iterations), %d test images%n",
                    train.images().describe(), n, o.epochs(), o.batchSize(), iterations, test.size());
            out.flush();
            ClassifierTraining.Result r;
            try (ProgressBar bar = bar("classifier", iterations, " it")) {
                r = ClassifierTraining.train(be, train, test, o, name, t -> { if (bar != null) bar.stepTo(t); }, line -> {
                    if (bar != null) bar.pause();
                    out.println(line);
                    out.flush();
                    if (bar != null) bar.resume();
                });
            }
            ClassifierNetwork net = r.network();
            java.util.Map<String, String> info = new java.util.LinkedHashMap<>(net.info());
            info.put("dataroot", data.dataroot.toAbsolutePath().toString());
            info.put("seconds", String.format(Locale.ROOT, "%.1f", r.seconds()));
            net = new ClassifierNetwork(net.model(), info, file.toString());
            net.save(file);
            out.printf(Locale.ROOT, "Classifier: test accuracy %.2f%% (%d test images), after %d iterations in %.1f s; saved to %s%n",
                    100 * r.test().accuracy(), r.test().images(), r.iterations(), r.seconds(), file);
            out.println("classifier_test_accuracy=" + String.format(Locale.ROOT, "%.6f", r.test().accuracy()) + " classifier_iterations=" + r.iterations());
            return net;
        }
    }

    /** {generated, real}, opened at the network's image size and channels. */
    private ImageSource[] sources(Backend be, FeatureNetwork net, Dcgan model, String name, Path root, Split split,
                                  List<AutoCloseable> open) throws IOException {
        int size = net.imageSize(), nc = net.channels();
        String what = name + (root != null ? " " + root : "");
        if ("real".equals(baseline)) {
            if (Datasets.hasLabels(name)) {
                if (split == Split.TEST) throw new IllegalArgumentException("--baseline real compares the test split with --real-split train");
                Dataset test = opened(open, Datasets.openTest(name, root, size, nc));
                Dataset train = opened(open, Datasets.open(name, root, size, nc, seed, 0, System.err::println));
                int g = Math.min(num, test.size());
                ImageSource gen = ImageSource.dataset(test, g, seed, what + " (test split)");
                return new ImageSource[] {gen, ImageSource.dataset(train, realCount(g, train.size()), seed, what + " (train split)")};
            }
            Dataset all = opened(open, Datasets.open(name, root, size, nc, seed, 0, System.err::println));
            int g = Math.min(num, all.size() / 2);
            int r = realNum != null ? realNum : g;
            if (g < 1 || (long) g + r > all.size())
                throw new IllegalArgumentException("--baseline real needs two disjoint sets of " + what + ", which holds " + all.size() + " images");
            return new ImageSource[] {ImageSource.dataset(all, 0, g, seed, what + " (one part)"), ImageSource.dataset(all, g, r, seed, what + " (the rest)")};
        }
        Dataset real = opened(open, split == Split.TEST ? Datasets.openTest(name, root, size, nc)
                : Datasets.open(name, root, size, nc, seed, 0, System.err::println));
        ImageSource gen;
        if (model != null) {
            gen = ImageSource.generator(be, model.generator, generator.batchStats, seed, num, "G from " + generator.source());
        } else if (images != null) {
            Dataset folder;
            try {
                folder = opened(open, Datasets.open("folder", images, size, nc, seed, 0, System.err::println));
            } catch (IOException e) {
                throw new IOException("--images " + String.valueOf(e.getMessage()).replaceFirst("^dataroot ", ""), e);
            }
            gen = ImageSource.dataset(folder, Math.min(num, folder.size()), seed, "the folder " + images);
        } else {
            gen = ImageSource.noise(num, nc, size, seed);
        }
        String splitName = Datasets.hasLabels(name) ? " (" + split.id() + " split)" : "";
        return new ImageSource[] {gen, ImageSource.dataset(real, realCount(gen.count(), real.size()), seed, what + splitName)};
    }

    private int realCount(int generated, int available) {
        if (realNum == null) return Math.min(generated, available);
        if (realNum > available) throw new IllegalArgumentException("--real-num " + realNum + " is more than the " + available + " real images");
        return realNum;
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> open, T c) {
        open.add(c);
        return c;
    }

    private void report(Backend be, FeatureNetwork net, ImageSource gen, ImageSource real, Evaluation.Settings settings, Path dir) throws IOException {
        out.println("Generated: " + gen.describe());
        out.println("Real: " + real.describe());
        Evaluation.check(gen.count(), real.count(), net.classes() > 0, settings);
        Evaluation.Extracted g = extract(be, net, gen, "generated");
        Evaluation.Extracted r = extract(be, net, real, "real");
        for (var e : List.of(g, r)) {
            if (e.features().n() <= net.dimension()) {
                spec.commandLine().getErr().printf("warning: %d images for %d features: the covariance is singular and FID unreliable; use more images than features%n",
                        e.features().n(), net.dimension());
            }
        }
        Evaluation.Metrics m = Evaluation.compare(g, r, settings);
        EvaluationReport report = new EvaluationReport(net.id(), net.describe(), net.dimension(), gen.describe(), gen.count(),
                real.describe(), real.count(), m, settings);
        for (String line : report.lines()) out.println(line);
        Path json = dir.resolve("evaluation.json");
        report.writeJson(json);
        out.println("wrote " + json);
        out.println(report.keyValues());
    }

    private Evaluation.Extracted extract(Backend be, FeatureNetwork net, ImageSource source, String which) throws IOException {
        long t0 = System.nanoTime();
        Evaluation.Extracted e;
        try (ProgressBar bar = bar(which, source.count(), " img")) {
            e = Evaluation.extract(be, net, source, done -> { if (bar != null) bar.stepTo(done); });
        }
        out.printf(Locale.ROOT, "features: %d %s images through the %s in %.1f s%n", source.count(), which, net.id(), (System.nanoTime() - t0) / 1e9);
        out.flush();
        return e;
    }

    private ProgressBar bar(String task, long max, String unit) {
        boolean on = progress != null ? progress : System.console() != null && System.console().isTerminal();
        if (!on) return null;
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII).setUnit(unit, 1)
                .showSpeed().setUpdateIntervalMillis(500).build();
    }

    private static Path pathOrNull(String s) {
        return s == null ? null : Path.of(s);
    }
}
