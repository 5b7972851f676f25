package dcgan.train;

/** Test access to the phases of {@link Trainer#step}, to compare gradients where PyTorch's loop exposes them. */
public final class TrainerPhases {
    private TrainerPhases() {}

    public static void discriminatorGradients(Trainer t, float[] real, float[] noise) {
        t.discriminatorGradients(real, noise);
    }

    public static void stepDiscriminator(Trainer t) {
        t.stepDiscriminator();
    }

    public static void generatorGradients(Trainer t) {
        t.generatorGradients();
    }

    public static void stepGenerator(Trainer t) {
        t.stepGenerator();
    }

    public static Trainer.Stats stats(Trainer t) {
        return t.stats();
    }
}
