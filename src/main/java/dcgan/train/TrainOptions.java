package dcgan.train;

import dcgan.model.Upsampling;

import java.nio.file.Path;

/** Everything `dcgan train` was asked for, validated (names follow pytorch/examples' dcgan). */
public record TrainOptions(String dataset, Path dataroot, int workers, int batchSize, int imageSize, int nz, int ngf,
                           int ndf, int nc, int epochs, long maxIters, double lr, double beta1, long seed, Path out,
                           Path resume, int logEvery, int sampleEvery, String backend, int threads, String device,
                           Upsampling upsampling, boolean progress) {
    public TrainOptions {
        if (workers < 0) throw new IllegalArgumentException("--workers must be >= 0, got " + workers);
        positive("--batch-size", batchSize);
        positive("--nz", nz);
        positive("--ngf", ngf);
        positive("--ndf", ndf);
        positive("--epochs", epochs);
        positive("--log-every", logEvery);
        positive("--sample-every", sampleEvery);
        positive("--threads", threads);
        if (maxIters < 0) throw new IllegalArgumentException("--max-iters must be >= 0 (0 = no limit), got " + maxIters);
        if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("--beta1 must be in [0, 1), got " + beta1);
        if (out == null) throw new IllegalArgumentException("--out must be given");
    }

    private static void positive(String name, long v) {
        if (v < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
}
