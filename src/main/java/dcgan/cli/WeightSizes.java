package dcgan.cli;

import dcgan.io.PyTorchWeights;
import picocli.CommandLine.Option;

/** The sizes of PyTorch weights (generate --generator, import), each read from the tensors' shapes unless given. */
final class WeightSizes {
    @Option(names = "--nz", description = "Latent size (default: from the weights' shapes).")
    Integer nz;
    @Option(names = "--ngf", description = "G's feature maps (default: from the weights' shapes).")
    Integer ngf;
    @Option(names = "--nc", description = "Image channels (default: from the weights' shapes).")
    Integer nc;
    @Option(names = "--image-size", description = "32, 64 or 128 (default: from the weights' shapes).")
    Integer imageSize;

    boolean anyGiven() {
        return nz != null || ngf != null || nc != null || imageSize != null;
    }

    /** With ndf, which only a command that reads D has. */
    PyTorchWeights.Sizes sizes(Integer ndf) {
        return new PyTorchWeights.Sizes(nz, ngf, ndf, nc, imageSize);
    }
}
