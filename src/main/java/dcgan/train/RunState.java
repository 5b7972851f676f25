package dcgan.train;

import dcgan.io.Checkpoint;

import java.io.IOException;

/**
 * Where a training run stands: the iterations done, where the data continues, the noise generator's state,
 * Adam's step counts and the time spent. It alone writes and reads the {@code train.*} keys of a checkpoint.
 *
 * @param iteration  iterations done (0 for a fresh run; a checkpoint always holds at least 1)
 * @param nextEpoch  epoch of the next batch
 * @param nextBatch  index of the next batch in that epoch
 * @param rng        state of the run's random generator (the per-iteration noise)
 * @param adamStepsD Adam steps taken by D
 * @param adamStepsG Adam steps taken by G
 * @param elapsed    seconds of training so far
 */
record RunState(long iteration, int nextEpoch, int nextBatch, long rng, long adamStepsD, long adamStepsG, double elapsed) {
    private static final String ITERATION = "train.iteration";

    /** A fresh run whose random generator is in state rng. */
    static RunState fresh(long rng) {
        return new RunState(0, 0, 0, rng, 0, 0, 0);
    }

    boolean isFresh() {
        return iteration == 0;
    }

    /** Whether the checkpoint holds a run's state (not only weights, as `dcgan import` writes). */
    static boolean isIn(Checkpoint c) {
        return c.has(ITERATION);
    }

    static RunState read(Checkpoint c) throws IOException {
        return new RunState(c.getLong(ITERATION), (int) c.getLong("train.next_epoch"), (int) c.getLong("train.next_batch"),
                c.getLong("train.rng"), c.getLong("train.adam_steps_d"), c.getLong("train.adam_steps_g"),
                Double.longBitsToDouble(c.getLong("train.elapsed_bits")));
    }

    void write(Checkpoint c) {
        c.putLong(ITERATION, iteration)
                .putLong("train.next_epoch", nextEpoch)
                .putLong("train.next_batch", nextBatch)
                .putLong("train.rng", rng)
                .putLong("train.adam_steps_d", adamStepsD)
                .putLong("train.adam_steps_g", adamStepsG)
                .putLong("train.elapsed_bits", Double.doubleToLongBits(elapsed));
    }
}
