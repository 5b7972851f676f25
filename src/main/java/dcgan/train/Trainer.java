package dcgan.train;

import dcgan.backend.Backend;
import dcgan.backend.FlopCounter;
import dcgan.backend.WorkItemCounter;
import dcgan.kernels.Adam;
import dcgan.model.Dcgan;
import dcgan.model.Dcgan.Net;
import dcgan.model.Dcgan.Pass;

/**
 * One training iteration exactly as the PyTorch DCGAN tutorial's loop:
 * (1) update D: maximise log D(x) + log(1 − D(G(z))) — D on the real batch against label 1, G(z),
 * D on fake.detach() against label 0, D step; (2) update G: maximise log D(G(z)) — D on the same fake
 * against label 1, backward through D into G, G step.
 */
public final class Trainer {
    public static final float REAL_LABEL = 1f, FAKE_LABEL = 0f;

    /** The tutorial's stats line values. dGz1 is D(G(z)) before the D step, dGz2 after. */
    public record Stats(float lossD, float lossG, float dX, float dGz1, float dGz2) {}

    public final Dcgan model;
    private final Backend be;
    private final int batch;
    private final double lr, beta1, beta2 = 0.999, eps = 1e-8;
    private final Pass gPass, dPass;
    private final float[] dOut;                    // dL/d D(.) for the batch
    private final float[] lossReal = new float[2], lossFake = new float[2], lossG = new float[2];
    private final float[] hpD = new float[Adam.HP_LEN], hpG = new float[Adam.HP_LEN];
    private long stepsD, stepsG;

    public Trainer(Dcgan model, Backend be, int batch, double lr, double beta1) {
        this.model = model;
        this.be = be;
        this.batch = batch;
        this.lr = lr;
        this.beta1 = beta1;
        this.gPass = model.generator.pass(batch);
        this.dPass = model.discriminator.pass(batch);
        this.dOut = new float[batch];
        // a device backend keeps each net's values, gradients and moments in one buffer each: one Adam and one
        // zero_grad launch per net
        be.declare(model.discriminator.arrays());
        be.declare(model.generator.arrays());
    }

    /**
     * FLOPs of one training iteration of a model of cfg at this batch size (2 per multiply-add of the
     * convolutions), counted by running a step through {@link FlopCounter}.
     */
    public static long iterationFlops(Dcgan.Config cfg, int batch) {
        FlopCounter counter = new FlopCounter();
        new Trainer(new Dcgan(cfg), counter, batch, 2e-4, 0.5)
                .step(new float[batch * cfg.imageElements()], new float[batch * cfg.nz()]);
        return counter.flops();
    }

    /** The tasks (work-items and serial loops, from the shapes) of one iteration, as {@link WorkItemCounter} lists them. */
    public static java.util.List<WorkItemCounter.Task> iterationTasks(Dcgan.Config cfg, int batch) {
        WorkItemCounter counter = new WorkItemCounter();
        new Trainer(new Dcgan(cfg), counter, batch, 2e-4, 0.5)
                .step(new float[batch * cfg.imageElements()], new float[batch * cfg.nz()]);
        return counter.tasks();
    }

    public int batch() {
        return batch;
    }

    public Backend backend() {
        return be;
    }

    /** Adam step counts of D and G (saved in checkpoints). */
    public long stepsD() {
        return stepsD;
    }

    public long stepsG() {
        return stepsG;
    }

    public void setSteps(long stepsD, long stepsG) {
        this.stepsD = stepsD;
        this.stepsG = stepsG;
    }

    /** The generator's output of the last step (batch × nc × size × size). */
    public float[] fake() {
        return gPass.output();
    }

    /** One iteration. real: batch images in [−1, 1]; noise: batch × nz. */
    public Stats step(float[] real, float[] noise) {
        discriminatorGradients(real, noise);
        stepDiscriminator();
        generatorGradients();
        stepGenerator();
        return stats();
    }

    /** The stats line of the last iteration (brings the loss scalars to the host). */
    Stats stats() {
        be.toHost(lossReal, lossFake, lossG);
        return new Stats(lossReal[0] + lossFake[0], lossG[0], lossReal[1], lossFake[1], lossG[1]);
    }

    /** (1) D's gradients: all-real batch against label 1, then G(noise).detach() against label 0. */
    void discriminatorGradients(float[] real, float[] noise) {
        Net d = model.discriminator;
        be.toDevice(real, noise);
        be.phase("D on real");
        d.zeroGrad(be);
        float[] out = dPass.forward(be, real, true);
        be.bceForward(out, lossReal, REAL_LABEL, batch);
        be.bceBackward(out, dOut, REAL_LABEL, batch);
        dPass.backward(be, dOut, false);

        be.phase("G");
        float[] fake = gPass.forward(be, noise, true);
        be.phase("D on fake");
        out = dPass.forward(be, fake, true);            // fake.detach(): no gradient into G here
        be.bceForward(out, lossFake, FAKE_LABEL, batch);
        be.bceBackward(out, dOut, FAKE_LABEL, batch);
        dPass.backward(be, dOut, false);
    }

    /** (2) G's gradients: the just-updated D on the same fake batch, labelled real, backpropagated into G. */
    void generatorGradients() {
        be.phase("G through D");
        model.generator.zeroGrad(be);
        float[] out = dPass.forward(be, gPass.output(), true);
        be.bceForward(out, lossG, REAL_LABEL, batch);
        be.bceBackward(out, dOut, REAL_LABEL, batch);
        // Through D for its input gradient only: D's weight gradients here would be PyTorch's accumulated,
        // never-read ones (netD.zero_grad() clears them before D's next step), about 8 % of an iteration.
        float[] dFake = dPass.backward(be, dOut, true, false);
        gPass.backward(be, dFake, false);
    }

    void stepDiscriminator() {
        be.phase("D step");
        adam(model.discriminator, hpD, ++stepsD);
    }

    void stepGenerator() {
        be.phase("G step");
        adam(model.generator, hpG, ++stepsG);
    }

    private void adam(Net net, float[] hp, long t) {
        Adam.hyper(hp, lr, beta1, beta2, eps, t);
        be.toDevice(hp);
        be.adamStep(net.arrays(), hp);
    }
}
