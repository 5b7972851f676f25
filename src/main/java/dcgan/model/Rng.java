package dcgan.model;

/**
 * Seeded random numbers whose whole state is one long (SplitMix64), so a checkpoint can save and
 * restore it exactly. Gaussians by Box–Muller in double, with no cached second value.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    public long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1). */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound). */
    public int nextInt(int bound) {
        return (int) Math.floorMod(nextLong(), (long) bound);
    }

    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();  // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Fills a with N(mean, std²), like torch.Tensor.normal_. */
    public void fillGaussian(float[] a, double mean, double std) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (mean + std * nextGaussian());
        }
    }
}
