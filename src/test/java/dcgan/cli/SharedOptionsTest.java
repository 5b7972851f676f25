package dcgan.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared options (ModelOptions, BackendOptions, OutputFolder, DatasetOptions) show each command's own defaults. */
class SharedOptionsTest {
    static String help(String... command) {
        String[] args = java.util.Arrays.copyOf(command, command.length + 1);
        args[command.length] = "--help";
        return CliRun.of(args).ok().out().replaceAll("\\s+", " ");
    }

    @Test
    void eachCommandShowsItsOwnDefaults() {
        String train = help("train");
        for (String want : new String[] {"--batch-size=<batchSize> Batch size (default: 128).", "Image channels, 1 or 3 (default: 1 for mnist, else 3).",
                "Discriminator feature maps (default: 64).", "--out=<out> Output folder (default: out).",
                "auto | jvm | jvm-plain | tornado (default: auto: TornadoVM when run under TornadoVM with a GPU as its default device or with --device, else jvm).", "JVM compute threads (default: all cores)."}) {
            assertTrue(train.contains(want), () -> "train --help lacks '" + want + "': " + train);
        }
        String compare = help("checkerboard", "compare");
        for (String want : new String[] {"Batch size (default: 64).", "Image channels, 1 or 3 (default: 3).", "Generator feature maps (default: 32).",
                "Output folder (default: checkerboard).", "auto | jvm | jvm-plain | tornado (default: auto: TornadoVM when run under TornadoVM with a GPU as its default device or with --device, else jvm)."}) {
            assertTrue(compare.contains(want), () -> "checkerboard compare --help lacks '" + want + "': " + compare);
        }
        String evaluate = help("evaluate");
        for (String want : new String[] {"--dataset=<dataset> synthetic | folder | mnist | cifar10 | fake (default: the classifier's dataset).",
                "Output folder (default: eval).", "JVM compute threads (default: all cores).", "--checkpoint=PATH", "--batch-stats"}) {
            assertTrue(evaluate.contains(want), () -> "evaluate --help lacks '" + want + "': " + evaluate);
        }
        assertTrue(help("train").contains("--dataset=<dataset> synthetic | folder | mnist | cifar10 | fake (default: synthetic)."), train);
        String bench = help("bench");
        for (String want : new String[] {"Size of the latent vector (default: 100).", "Image channels, 1 or 3 (default: 3)."}) {
            assertTrue(bench.contains(want), () -> "bench --help lacks '" + want + "': " + bench);
        }
    }

    @Test
    void badValuesOfSharedOptionsGiveOneLine() {
        CliRun.of("train", "--nc", "x").fails("Invalid value for option '--nc': 'x' is not an int");
        CliRun.of("bench", "--nc", "2").fails("--nc must be 1 or 3, got 2");
        CliRun.of("bench", "--threads", "0").fails("--threads must be >= 1, got 0");
        CliRun.of("checkerboard", "compare", "--image-size", "128").fails("--image-size must be 32 or 64, got 128");
    }
}
