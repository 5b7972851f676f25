package dcgan.cli;

import dcgan.io.ModelCheckpoint;
import dcgan.io.PyTorchWeights;
import dcgan.model.Dcgan;
import dcgan.model.Upsampling;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Writes a checkpoint's G and D as PyTorch state_dicts (safetensors). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a checkpoint's G and D as PyTorch state_dicts (netG/netD.safetensors).", "",
                "Tensors are named and shaped as the tutorial's netG.state_dict() and netD.state_dict() "
                        + "(num_batches_tracked as I64 scalars); the metadata holds nz, ngf, ndf, nc, image_size. In Python: "
                        + "netG.load_state_dict(safetensors.torch.load_file('netG.safetensors')), or see "
                        + "scripts/check_export_pytorch.py for a reader without the safetensors package.", ""})
public final class ExportCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH", description = "A dcgan checkpoint.")
    Path checkpoint;
    @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Folder for netG.safetensors and netD.safetensors (created if missing).")
    Path outDir;

    @Override
    public Integer call() throws IOException {
        Cli.requireFile(checkpoint, "--checkpoint");
        OutputFolder.check(outDir, "--out-dir");
        Dcgan model = ModelCheckpoint.readModel(checkpoint);
        List<Path> files = PyTorchWeights.export(model, outDir);
        PrintWriter out = spec.commandLine().getOut();
        out.printf("wrote %s (%d tensors) and %s (%d tensors) for %s%n", files.get(0), PyTorchWeights.stateDict(model.generator).size(),
                files.get(1), PyTorchWeights.stateDict(model.discriminator).size(), ModelCheckpoint.describe(model.config));
        if (model.config.upsampling() != Upsampling.CONVT_K4S2) {
            out.printf("note: upsampling %s is not the tutorial's; PyTorch needs a generator built with the same layers%n",
                    model.config.upsampling().id);
        }
        out.flush();
        return 0;
    }
}
