package dcgan.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** --dataset and --dataroot, declared once for train, checkerboard compare and evaluate, each with its own default. */
final class DatasetOptions {
    @Option(names = "--dataset", description = "synthetic | folder | mnist | cifar10 | fake (default: ${DEFAULT-VALUE}).")
    String dataset;
    @Option(names = "--dataroot", description = "Folder of the dataset (folder, mnist, cifar10).")
    Path dataroot;

    DatasetOptions(String defaultDataset) {
        this.dataset = defaultDataset;
    }

    /** --dataset, checked against the known names. */
    String name() {
        if (!dcgan.data.Datasets.NAMES.contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "' (choose from " + String.join(", ", dcgan.data.Datasets.NAMES) + ")");
        }
        return dataset;
    }
}
