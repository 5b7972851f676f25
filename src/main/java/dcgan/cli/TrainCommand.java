package dcgan.cli;

import dcgan.model.Upsampling;
import dcgan.train.TrainOptions;
import dcgan.train.Training;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `dcgan train`: the PyTorch DCGAN tutorial's training run; options named like pytorch/examples' dcgan. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a DCGAN exactly as the PyTorch tutorial does (Adam 2e-4, beta1 0.5, BCE, D then G).",
                "With no options: the built-in synthetic faces, 64x64, batch 128, 5 epochs, outputs in ./out."})
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin DatasetOptions data = new DatasetOptions("synthetic");
    @Option(names = "--workers", defaultValue = "2", description = "Background decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;
    @Mixin ModelOptions model = ModelOptions.tutorial(ModelOptions.Channels.BY_DATASET);
    @Option(names = "--epochs", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--max-iters", defaultValue = "0", description = "Stop after this many iterations (default: no limit).")
    long maxIters;
    @Option(names = "--lr", defaultValue = "0.0002", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--beta1", defaultValue = "0.5", description = "Adam beta1 (default: ${DEFAULT-VALUE}).")
    double beta1;
    @Option(names = "--seed", defaultValue = "999", description = "Random seed, as the tutorial's manualSeed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Mixin OutputFolder output = new OutputFolder("out");
    @Option(names = "--resume", description = "Continue from a checkpoint file, or an output folder holding checkpoint.ckpt.")
    Path resume;
    @Option(names = "--log-every", defaultValue = "50", description = "Stats line every N batches (default: ${DEFAULT-VALUE}).")
    int logEvery;
    @Option(names = "--sample-every", defaultValue = "500",
            description = "Fixed-noise grid and checkpoint every N iterations, and at the end (default: ${DEFAULT-VALUE}).")
    int sampleEvery;
    @Mixin BackendOptions compute = new BackendOptions();
    @Option(names = "--upsample", defaultValue = "convt-k4s2",
            description = "Generator upsampling: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
            completionCandidates = UpsampleIds.class)
    String upsample;
    @Option(names = "--progress", negatable = true, description = "Progress bar with ETA and images/s (default: on a terminal).")
    Boolean progress;

    /** Lists the --upsample choices in --help. */
    static final class UpsampleIds implements Iterable<String> {
        @Override public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(Upsampling.values()).map(u -> u.id).iterator();
        }
    }

    @Override
    public Integer call() throws Exception {
        String dataset = data.name();
        boolean bar = progress != null ? progress : System.console() != null && System.console().isTerminal();
        TrainOptions options = new TrainOptions(dataset, data.dataroot, workers, model.batchSize, model.imageSize, model.nz, model.ngf,
                model.ndf, model.nc(), epochs, maxIters, lr, beta1, seed, output.out, resume, logEvery, sampleEvery,
                compute.backend, compute.threads(), compute.device, Upsampling.parse(upsample), bar);
        new Training(options, System.out, System.err).run();
        return 0;
    }
}
