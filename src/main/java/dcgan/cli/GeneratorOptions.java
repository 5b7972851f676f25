package dcgan.cli;

import dcgan.io.ModelCheckpoint;
import dcgan.io.PyTorchWeights;
import dcgan.model.Dcgan;
import dcgan.model.Sampler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Where a trained generator comes from (a checkpoint or PyTorch weights) and how it samples, for generate and evaluate. */
final class GeneratorOptions {
    @Option(names = "--checkpoint", paramLabel = "PATH", description = "A dcgan checkpoint (from train or import).")
    Path checkpoint;
    @Option(names = "--generator", paramLabel = "FILE",
            description = "PyTorch weights of the tutorial's Generator (netG state_dict as safetensors), instead of --checkpoint.")
    Path generatorFile;
    @Mixin WeightSizes weightSizes = new WeightSizes();
    @Option(names = "--batch-stats", description = "BatchNorm with the batch's statistics (train mode, as the tutorial "
            + "samples without netG.eval()) instead of the running statistics. Batches hold at most "
            + Sampler.MAX_BATCH + " samples, split evenly.")
    boolean batchStats;

    /** Whether --checkpoint or --generator was given. */
    boolean given() {
        return checkpoint != null || generatorFile != null;
    }

    /** "out/checkpoint.ckpt" or "netG.safetensors". */
    String source() {
        return String.valueOf(checkpoint != null ? checkpoint : generatorFile);
    }

    /** The model whose generator samples; with --generator, D is left untouched (not used). */
    Dcgan load() throws IOException {
        if ((checkpoint == null) == (generatorFile == null)) {
            throw new IllegalArgumentException("give either --checkpoint or --generator (PyTorch weights)");
        }
        if (checkpoint != null) {
            if (weightSizes.anyGiven()) {
                throw new IllegalArgumentException("--nz, --ngf, --nc and --image-size go with --generator; a checkpoint holds its configuration");
            }
            Cli.requireFile(checkpoint, "--checkpoint");
            return ModelCheckpoint.readModel(checkpoint);
        }
        Cli.requireFile(generatorFile, "--generator");
        PyTorchWeights.StateFile f = PyTorchWeights.StateFile.read(generatorFile);
        Dcgan.Config config = PyTorchWeights.config(weightSizes.sizes(null), f, null);
        Dcgan model = new Dcgan(config);
        PyTorchWeights.load(model.generator, f, PyTorchWeights.describeGenerator(config));
        return model;
    }
}
