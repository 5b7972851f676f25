package dcgan.cli;

import dcgan.eval.ClassifierTraining;
import picocli.CommandLine.Option;

/** evaluate --train-classifier's budget and network size; the defaults are {@link ClassifierTraining.Options#DEFAULT}. */
final class ClassifierOptions {
    private static final ClassifierTraining.Options D = ClassifierTraining.Options.DEFAULT;

    @Option(names = "--classifier-epochs", description = "Training epochs (default: ${DEFAULT-VALUE}; the last at a tenth of the learning rate).")
    int epochs = D.epochs();
    @Option(names = "--classifier-batch-size", description = "Training batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = D.batchSize();
    @Option(names = "--classifier-lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = D.lr();
    @Option(names = "--classifier-width", description = "Channels of the first convolution, doubled per block (default: ${DEFAULT-VALUE}).")
    int width = D.width();
    @Option(names = "--classifier-features", description = "Features (the penultimate layer's width) (default: ${DEFAULT-VALUE}).")
    int features = D.features();
    @Option(names = "--classifier-train-images", description = "Train on at most this many images (default: all of the training split).")
    int trainImages = D.maxImages();
    @Option(names = "--classifier-image-size", description = "Its input size, 32, 64 or 128 (default: the generator's, else 32).")
    Integer imageSize;
    @Option(names = "--classifier-seed", description = "Seed of its initial weights and data order (default: ${DEFAULT-VALUE}).")
    long seed = D.seed();

    ClassifierTraining.Options options() {
        return new ClassifierTraining.Options(epochs, batchSize, lr, width, features, trainImages, seed);
    }
}
