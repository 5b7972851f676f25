package dcgan.cli;

import dcgan.io.Checkpoint;
import dcgan.io.ModelCheckpoint;
import dcgan.io.PyTorchWeights;
import dcgan.model.Dcgan;
import dcgan.model.Rng;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Builds a dcgan checkpoint from PyTorch state_dicts (safetensors). */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Build a dcgan checkpoint from PyTorch weights (netG/netD state_dicts as safetensors).", "",
                "Takes the tutorial's Generator (and Discriminator) saved as safetensors, e.g. "
                        + "safetensors.torch.save_file(netG.state_dict(), 'netG.safetensors'). Sizes not given are read "
                        + "from the tensors' shapes. Every tensor is checked (names, shapes, dtypes, finite values) before "
                        + "anything is written. The checkpoint holds no optimiser state. Then: dcgan generate --checkpoint PATH.", ""})
public final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--generator", required = true, paramLabel = "FILE", description = "netG's state_dict as safetensors.")
    Path generator;
    @Option(names = "--discriminator", paramLabel = "FILE",
            description = "netD's state_dict as safetensors (default: a fresh D from the tutorial's weights_init with --seed).")
    Path discriminator;
    @Mixin WeightSizes weightSizes = new WeightSizes();
    @Option(names = "--ndf", description = "D's feature maps (default: from the shapes; --ngf without --discriminator).") Integer ndf;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the fresh D's weights_init without --discriminator (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--out", required = true, paramLabel = "PATH", description = "The checkpoint to write.")
    Path out;
    @Option(names = "--force", description = "Replace --out if it exists.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        Cli.requireFile(generator, "--generator");
        if (discriminator != null) Cli.requireFile(discriminator, "--discriminator");
        if (Files.isDirectory(out)) throw new IOException("--out " + out + " is a folder; give a file name for the checkpoint");
        if (Files.exists(out) && !force) throw new IOException("--out " + out + " exists; add --force to replace it");
        PyTorchWeights.StateFile g = PyTorchWeights.StateFile.read(generator);
        PyTorchWeights.StateFile d = discriminator != null ? PyTorchWeights.StateFile.read(discriminator) : null;
        Dcgan.Config cfg = PyTorchWeights.config(weightSizes.sizes(ndf), g, d);
        Dcgan model = new Dcgan(cfg);
        PyTorchWeights.load(model.generator, g, PyTorchWeights.describeGenerator(cfg));
        if (d != null) PyTorchWeights.load(model.discriminator, d, PyTorchWeights.describeDiscriminator(cfg));
        else Dcgan.weightsInit(model.discriminator, new Rng(seed));
        Checkpoint ckpt = new Checkpoint();
        ModelCheckpoint.put(ckpt, model, false);
        ckpt.write(out);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("wrote %s: %s; G from %s; D %s%n", out, ModelCheckpoint.describe(cfg), generator,
                d != null ? "from " + discriminator : "freshly initialised (weights_init, seed " + seed + ")");
        pw.flush();
        return 0;
    }
}
