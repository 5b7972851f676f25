package dcgan.cli;

import dcgan.model.Dcgan;
import dcgan.model.Upsampling;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The model's sizes and the batch size, declared once for train, bench and checkerboard compare; each command
 * makes its instance with its own defaults, which --help shows.
 */
final class ModelOptions {
    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;
    @Option(names = "--image-size", description = "32, 64 or 128 (default: ${DEFAULT-VALUE}).")
    int imageSize;
    @Option(names = "--nz", description = "Size of the latent vector (default: ${DEFAULT-VALUE}).")
    int nz;
    @Option(names = "--ngf", description = "Generator feature maps (default: ${DEFAULT-VALUE}).")
    int ngf;
    @Option(names = "--ndf", description = "Discriminator feature maps (default: ${DEFAULT-VALUE}).")
    int ndf;
    @Option(names = "--nc", converter = Channels.Converter.class, description = "Image channels, 1 or 3 (default: ${DEFAULT-VALUE}).")
    Channels nc;

    /** --nc's value; {@link #BY_DATASET} (train's default) is 1 for mnist, else 3. */
    record Channels(int n) {
        static final Channels BY_DATASET = new Channels(0);

        /** What --help shows as the default. */
        @Override public String toString() {
            return n == 0 ? "1 for mnist, else 3" : Integer.toString(n);
        }

        /** As picocli reads an int (same message for a bad value). */
        static final class Converter implements CommandLine.ITypeConverter<Channels> {
            @Override public Channels convert(String value) {
                try {
                    return new Channels(Integer.valueOf(value));
                } catch (NumberFormatException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not an int");
                }
            }
        }
    }

    ModelOptions(int batchSize, int imageSize, int nz, int ngf, int ndf, Channels nc) {
        this.batchSize = batchSize;
        this.imageSize = imageSize;
        this.nz = nz;
        this.ngf = ngf;
        this.ndf = ndf;
        this.nc = nc;
    }

    /** The tutorial's sizes: batch 128, 64x64, nz 100, ngf = ndf = 64, with the given --nc default. */
    static ModelOptions tutorial(Channels nc) {
        return new ModelOptions(128, 64, 100, 64, 64, nc);
    }

    /** --nc as given, checked: 1 or 3 (0 only as {@link Channels#BY_DATASET}, where the command allows it). */
    int nc() {
        if (nc.n() != 0 && nc.n() != 1 && nc.n() != 3) throw new IllegalArgumentException("--nc must be 1 or 3, got " + nc.n());
        return nc.n();
    }

    Dcgan.Config config(Upsampling upsampling) {
        return new Dcgan.Config(nz, ngf, ndf, nc(), imageSize, upsampling);
    }
}
