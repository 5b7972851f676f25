package dcgan.cli;

import dcgan.backend.Backend;
import dcgan.checkerboard.Overlap;
import dcgan.checkerboard.QualityScorer;
import dcgan.checkerboard.SeedStudy;
import dcgan.checkerboard.StudyReport;
import dcgan.eval.ClassifierNetwork;
import dcgan.checkerboard.UpsamplingComparison;
import dcgan.figures.Heatmap;
import dcgan.figures.Png;
import dcgan.figures.RowFigure;
import dcgan.io.AtomicFiles;
import dcgan.model.Upsampling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** The checkerboard-artifact experiments (Odena et al. 2016; Aitken et al. 2017): overlap maps and a training comparison. */
@Command(name = "checkerboard", mixinStandardHelpOptions = true,
        description = "Checkerboard artifacts of generator upsampling: overlap maps and a training comparison.",
        subcommands = {CheckerboardCommand.OverlapCommand.class, CheckerboardCommand.CompareCommand.class})
public final class CheckerboardCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Splits a comma list, dropping blanks; an empty list is an error. */
    static List<String> list(String option, String value) {
        List<String> out = new ArrayList<>();
        for (String s : value.split(",")) if (!s.isBlank()) out.add(s.trim());
        if (out.isEmpty()) throw new IllegalArgumentException(option + " needs at least one entry");
        return out;
    }

    // ------------------------------------------------------------------ overlap

    @Command(name = "overlap", mixinStandardHelpOptions = true,
            description = {"Overlap maps of upsampling layers: how many (input pixel, kernel tap) paths reach each output pixel, "
                    + "for one layer and for a stack, with all-ones weights on an all-ones input.",
                    "Writes overlap.md, overlap.csv, overlap.png and a heatmap per choice and depth (edge-free maps)."})
    public static final class OverlapCommand implements Callable<Integer> {
        @Option(names = "--choices", paramLabel = "LIST",
                description = "Comma list of layers: kKsSpP (e.g. k4s2p1; output_padding s+2p-k, or kKsSpPopO), "
                        + "resize-nearest, resize-bilinear, pixel-shuffle (default: k4s2p1,k3s2p1,k2s2p0,k5s2p2,"
                        + "resize-nearest,resize-bilinear,pixel-shuffle).")
        String choices;
        @Option(names = "--layers", defaultValue = "4", description = "Layers in the stack (default: ${DEFAULT-VALUE}).")
        int layers;
        @Option(names = "--input-size", defaultValue = "4", description = "Side of the input map (default: ${DEFAULT-VALUE}).")
        int inputSize;
        @Mixin OutputFolder output = new OutputFolder("checkerboard");

        @Override
        public Integer call() throws IOException {
            if (layers < 1 || layers > 8) throw new IllegalArgumentException("--layers must be 1..8, got " + layers);
            if (inputSize < 1 || inputSize > 64) throw new IllegalArgumentException("--input-size must be 1..64, got " + inputSize);
            List<Overlap.Choice> cs = new ArrayList<>();
            if (choices == null) {
                cs.addAll(Overlap.standardChoices());
            } else {
                for (String label : list("--choices", choices)) cs.add(Overlap.Choice.parse(label));
            }
            for (Overlap.Choice c : cs) {
                if (c.k() > 16 || c.s() > 8) throw new IllegalArgumentException(c.label() + ": kernel up to 16 and stride up to 8, please");
                int sz = inputSize;
                for (int l = 0; l < layers; l++) {
                    sz = c.outSize(sz);
                    if (sz < 1) throw new IllegalArgumentException(c.label() + " shrinks a " + inputSize + "x" + inputSize + " input to nothing");
                    if (sz > 4096) throw new IllegalArgumentException(c.label() + ": " + layers + " layers make maps over 4096 pixels wide; use fewer --layers");
                }
            }
            Path out = output.create();
            List<Overlap.Result> results = new ArrayList<>();
            List<RowFigure.Row> rows = new ArrayList<>();
            List<String> files = new ArrayList<>();
            for (Overlap.Choice c : cs) {
                List<BufferedImage> panels = new ArrayList<>();
                List<Overlap.Result> pair = layers == 1
                        ? List.of(Overlap.analyse(c, 1, inputSize))
                        : List.of(Overlap.analyse(c, 1, inputSize), Overlap.analyse(c, layers, inputSize));
                for (Overlap.Result r : pair) {
                    results.add(r);
                    float[] range = Heatmap.range(r.edgeFreeMap(), r.size() * r.size());
                    BufferedImage img = Heatmap.render(r.edgeFreeMap(), r.size(), r.size(), range[0], range[1],
                            Heatmap.Colormap.VIRIDIS, Heatmap.defaultScale(r.size(), r.size()), true);
                    String name = "overlap-" + c.label() + "-" + r.layers() + (r.layers() == 1 ? "layer" : "layers") + ".png";
                    Png.write(out.resolve(name), img);
                    files.add(name);
                    panels.add(img);
                }
                Overlap.Result last = pair.getLast();
                rows.add(new RowFigure.Row(List.of(c.label(), c.describe(),
                        "edge-free max/min " + num(pair.getFirst().edgeFree().ratio()) + " (1 layer), "
                                + num(last.edgeFree().ratio()) + " (" + last.layers() + ")"), panels));
            }
            String table = Overlap.table(results);
            System.out.print(table);
            AtomicFiles.write(out.resolve("overlap.md"), markdown(table, files).getBytes(StandardCharsets.UTF_8));
            AtomicFiles.write(out.resolve("overlap.csv"), csv(results).getBytes(StandardCharsets.UTF_8));
            RowFigure.write(out.resolve("overlap.png"), "Overlap maps (edge-free), input " + inputSize + "x" + inputSize,
                    layers == 1 ? List.of("1 layer") : List.of("1 layer", layers + " layers"), rows);
            System.out.println("wrote " + out.resolve("overlap.md") + ", overlap.csv, overlap.png and " + files.size() + " heatmaps");
            return 0;
        }

        private String markdown(String table, List<String> files) {
            StringBuilder sb = new StringBuilder("# Overlap of generator upsampling layers\n\n");
            sb.append(String.format(Locale.ROOT, "Input %dx%d, all-ones weights and input, one channel; 1 layer and %d stacked layers."
                    + " A map with max/min 1 (CV 0) is even: uniform weights give a uniform output. A map that alternates with"
                    + " the stride is the checkerboard's cause (Odena, Dumoulin & Olah 2016).%n%n", inputSize, inputSize, layers));
            sb.append(table).append('\n');
            sb.append("Heatmaps (edge-free maps, viridis from each map's min to its max; a constant map is one colour):\n\n");
            for (String f : files) sb.append("- `").append(f).append("`\n");
            sb.append("- `overlap.png`: all of them, one row per choice\n");
            return sb.toString();
        }

        private static String csv(List<Overlap.Result> results) {
            StringBuilder sb = new StringBuilder("choice,description,layers,input_size,output_size,edge_free_min,edge_free_max,"
                    + "edge_free_ratio,edge_free_cv,border,interior_ratio,interior_cv,whole_ratio,whole_cv\n");
            for (Overlap.Result r : results) {
                sb.append(String.join(",", r.choice().label(), '"' + r.choice().describe() + '"', Integer.toString(r.layers()),
                        Integer.toString(r.inputSize()), Integer.toString(r.size()), num(r.edgeFree().min()), num(r.edgeFree().max()),
                        num(r.edgeFree().ratio()), num(r.edgeFree().cv()), Integer.toString(r.border()),
                        num(r.interior().ratio()), num(r.interior().cv()), num(r.whole().ratio()), num(r.whole().cv()))).append('\n');
            }
            return sb.toString();
        }
    }

    /** 6 significant digits without trailing zeros; "" for NaN, "inf" for infinity. */
    static String num(double v) {
        if (Double.isNaN(v)) return "";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) return s;
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    // ------------------------------------------------------------------ compare

    @Command(name = "compare", mixinStandardHelpOptions = true,
            description = {"Trains the DCGAN once per generator upsampling variant (same seed, data order and noise) and "
                    + "scores the spectral checkerboard artifacts of its samples at init and after training.",
                    "Writes report.md (ranking), report.csv, compare.png and sample grids. Image sizes: 32 or 64.",
                    "With --seeds K each variant is trained K times (seeds --seed, --seed+1, ...); with --metric fid|kid each trained "
                            + "generator's samples are scored through --classifier. The report then gives mean and std per variant; "
                            + "also summary.csv, report.json and quality.png (quality against the period-2 artifact score)."})
    public static final class CompareCommand implements Callable<Integer> {
        @Option(names = "--variants", paramLabel = "LIST",
                description = "Comma list of upsampling variants (default: all seven: convt-k4s2, convt-k3s2, convt-k2s2, "
                        + "resize-nearest, resize-bilinear, pixel-shuffle, pixel-shuffle-icnr).")
        String variants;
        @Option(names = "--iters", defaultValue = "300", description = "Training iterations per variant (default: ${DEFAULT-VALUE}).")
        int iters;
        @Mixin DatasetOptions data = new DatasetOptions("synthetic");
        @Mixin ModelOptions sizes = new ModelOptions(64, 32, 100, 32, 32, new ModelOptions.Channels(3));
        @Option(names = "--seed", defaultValue = "999", description = "Seed of weights, noise and data order (default: ${DEFAULT-VALUE}).")
        long seed;
        @Mixin BackendOptions compute = new BackendOptions();
        @Mixin OutputFolder output = new OutputFolder("checkerboard");
        @CommandLine.Spec CommandLine.Model.CommandSpec spec;
        @Option(names = "--seeds", defaultValue = "1", paramLabel = "K",
                description = "Train each variant K times, from seeds --seed, --seed+1, ...; the report gives mean ± std over them (default: ${DEFAULT-VALUE}).")
        int seeds;
        @Option(names = "--metric", defaultValue = "none", paramLabel = "none|fid|kid",
                description = "Also score each trained generator's sample quality (FID and KID through --classifier); the report ranks "
                        + "by this one and quality.png plots it against the period-2 artifact score (default: ${DEFAULT-VALUE}).")
        String metric;
        @Option(names = "--classifier", paramLabel = "FILE",
                description = "With --metric: the feature network, a classifier saved by `dcgan evaluate --train-classifier` on this dataset at this image size.")
        Path classifier;
        @Option(names = "--num", defaultValue = "2000", description = "With --metric: generated samples per run (default: ${DEFAULT-VALUE}).")
        int num;
        @Option(names = "--real-num", description = "With --metric: real images of the training split, shared by every run (default: as --num).")
        Integer realNum;

        @Override
        public Integer call() throws IOException {
            if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
            if (!List.of("none", "fid", "kid").contains(metric))
                throw new IllegalArgumentException("--metric must be none, fid or kid, got '" + metric + "'");
            boolean scored = !metric.equals("none");
            if (scored && classifier == null)
                throw new IllegalArgumentException("--metric " + metric + " needs --classifier FILE (a classifier saved by dcgan evaluate --train-classifier)");
            if (!scored && classifier != null) throw new IllegalArgumentException("--classifier is used only with --metric fid or kid");
            if (num < 2) throw new IllegalArgumentException("--num must be >= 2, got " + num);
            if (realNum != null && realNum < 2) throw new IllegalArgumentException("--real-num must be >= 2, got " + realNum);
            List<Upsampling> vs = variants == null ? Arrays.asList(Upsampling.values())
                    : list("--variants", variants).stream().map(Upsampling::parse).toList();
            if (sizes.imageSize != 32 && sizes.imageSize != 64) {
                throw new IllegalArgumentException("--image-size must be 32 or 64, got " + sizes.imageSize);
            }
            var settings = new UpsamplingComparison.Settings(vs, iters, data.name(), data.dataroot, sizes.imageSize, sizes.nc(), sizes.batchSize,
                    sizes.nz, sizes.ngf, sizes.ndf, seed);
            ClassifierNetwork net = null;
            if (scored) {
                Cli.requireFile(classifier, "--classifier");
                net = ClassifierNetwork.load(classifier);
                if (net.channels() != settings.nc() || net.imageSize() != settings.imageSize())
                    throw new IllegalArgumentException(String.format(Locale.ROOT, "--classifier takes %dx%dx%d images, the generators make %dx%dx%d "
                                    + "(set --nc and --image-size, or train a classifier at this size)", net.channels(), net.imageSize(), net.imageSize(),
                            settings.nc(), settings.imageSize(), settings.imageSize()));
            }
            java.io.PrintWriter stdout = spec.commandLine().getOut();
            Consumer<String> log = line -> {
                stdout.println(line);
                stdout.flush();
            };
            int nThreads = compute.threads();
            Path out = output.create();
            try (Backend be = compute.create()) {
                String name = be.name() + (be.onHost() ? ", " + nThreads + " thread" + (nThreads == 1 ? "" : "s") : "");
                if (seeds == 1 && !scored) {   // the single comparison, as before --seeds and --metric
                    var result = UpsamplingComparison.run(settings, be, name, log);
                    UpsamplingComparison.write(result, out);
                    log.accept("wrote " + out.resolve("report.md") + ", report.csv, compare.png and sample grids");
                    return 0;
                }
                QualityScorer scorer = null;
                if (scored) {
                    long t0 = System.nanoTime();
                    scorer = new QualityScorer(be, net, settings.dataset(), settings.dataroot(), num, realNum != null ? realNum : num, seed);
                    stdout.printf(Locale.ROOT, "Sample quality: %s (real features in %.1f s)%n", scorer.describe(), (System.nanoTime() - t0) / 1e9);
                }
                SeedStudy.Study study = SeedStudy.run(settings, seeds, metric, scorer, be, name, log);
                StudyReport.write(study, out);
                SeedStudy.lines(study).forEach(log);
            }
            log.accept("wrote " + out.resolve("report.md") + ", report.csv, summary.csv, report.json, "
                    + (scored ? "quality.png, " : "") + "compare.png and sample grids (of seed " + seed + ")");
            return 0;
        }
    }
}
