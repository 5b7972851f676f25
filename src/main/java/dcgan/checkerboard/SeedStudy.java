package dcgan.checkerboard;

import dcgan.backend.Backend;
import dcgan.checkerboard.UpsamplingComparison.Quality;
import dcgan.checkerboard.UpsamplingComparison.Result;
import dcgan.checkerboard.UpsamplingComparison.Settings;
import dcgan.checkerboard.UpsamplingComparison.VariantResult;
import dcgan.model.Upsampling;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * The checkerboard comparison repeated over seeds, with sample quality: {@link UpsamplingComparison#run} once per
 * seed (seed, seed + 1, …, every variant trained from that seed's weights, data order and noise), each trained
 * generator scored by a {@link QualityScorer} (FID, KID) when one is given; then per variant the mean and sample
 * standard deviation (n − 1) over seeds of the artifact scores, FID and KID.
 */
public final class SeedStudy {
    private SeedStudy() {}

    /** Mean and sample standard deviation (NaN for fewer than 2 values) of n values. */
    public record Stat(double mean, double std, int n) {
        static Stat of(List<Double> v) {
            int n = v.size();
            if (n == 0) return new Stat(Double.NaN, Double.NaN, 0);
            double m = 0;
            for (double x : v) m += x;
            m /= n;
            if (n < 2) return new Stat(m, Double.NaN, n);
            double ss = 0;
            for (double x : v) ss += (x - m) * (x - m);
            return new Stat(m, Math.sqrt(ss / (n - 1)), n);
        }

        /** "m ± s" with the given decimals ("m" alone for one value, "-" for none). */
        public String format(int decimals) {
            if (n == 0 || Double.isNaN(mean)) return "-";
            String f = "%." + decimals + "f";
            String m = String.format(Locale.ROOT, f, mean);
            return Double.isNaN(std) ? m : m + " ± " + String.format(Locale.ROOT, f, std);
        }
    }

    /** One variant over all seeds. fid and kid have n = 0 without a scorer. */
    public record Summary(Upsampling variant, long generatorParams, Stat period2, Stat period4, Stat initPeriod2,
                          Stat fid, Stat kid, Stat lossD, Stat lossG, Stat secondsPerIter) {}

    /** The study: settings of the first seed, the number of seeds, the results per seed (in seed order), the scorer's line. */
    public record Study(Settings settings, int seeds, List<Result> runs, String metric, String quality) {
        public List<Summary> summaries() {
            List<Summary> out = new ArrayList<>();
            for (int i = 0; i < settings.variants().size(); i++) {
                int k = i;
                List<VariantResult> vs = runs.stream().map(r -> r.variants().get(k)).toList();
                out.add(new Summary(vs.getFirst().variant(), vs.getFirst().generatorParams(),
                        stat(vs, v -> v.trained().period2Ratio()), stat(vs, v -> v.trained().period4Ratio()),
                        stat(vs, v -> v.init().period2Ratio()), qstat(vs, Quality::fid), qstat(vs, Quality::kid),
                        stat(vs, VariantResult::lossD), stat(vs, VariantResult::lossG), stat(vs, VariantResult::secondsPerIter)));
            }
            return out;
        }

        /** Summaries ranked by the chosen metric's mean (lowest first), else by the mean period-2 score. */
        public List<Summary> ranked() {
            List<Summary> s = new ArrayList<>(summaries());
            Comparator<Summary> by = switch (metric) {
                case "fid" -> Comparator.comparingDouble(x -> x.fid().mean());
                case "kid" -> Comparator.comparingDouble(x -> x.kid().mean());
                default -> Comparator.comparingDouble(x -> x.period2().mean());
            };
            s.sort(by);
            return s;
        }
    }

    private static Stat stat(List<VariantResult> vs, ToDoubleFunction<VariantResult> f) {
        return Stat.of(vs.stream().map(f::applyAsDouble).toList());
    }

    private static Stat qstat(List<VariantResult> vs, ToDoubleFunction<Quality> f) {
        return Stat.of(vs.stream().filter(v -> v.quality() != null).map(v -> f.applyAsDouble(v.quality())).toList());
    }

    /**
     * Runs every variant once per seed. metric: none, fid or kid (the ranking and the figure's y axis); scorer null
     * for none.
     */
    public static Study run(Settings s, int seeds, String metric, QualityScorer scorer, Backend be, String backendName,
                            Consumer<String> log) throws IOException {
        if (seeds < 1) throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        List<Result> runs = new ArrayList<>();
        for (int k = 0; k < seeds; k++) {
            Settings sk = new Settings(s.variants(), s.iters(), s.dataset(), s.dataroot(), s.imageSize(), s.nc(), s.batchSize(),
                    s.nz(), s.ngf(), s.ndf(), s.seed() + k);
            log.accept(String.format(Locale.ROOT, "== seed %d (%d of %d)", sk.seed(), k + 1, seeds));
            runs.add(UpsamplingComparison.run(sk, be, backendName, log, scorer));
        }
        return new Study(s, seeds, runs, metric, scorer == null ? null : scorer.describe());
    }

    /** The summary as text lines for the terminal. */
    public static List<String> lines(Study st) {
        List<String> out = new ArrayList<>();
        boolean q = !st.metric().equals("none");
        out.add(String.format(Locale.ROOT, "%-20s %-20s %-20s%s", "variant", "period-2 score", "period-4 score",
                q ? String.format(Locale.ROOT, " %-20s %-22s", "FID", "KID") : ""));
        for (Summary s : st.ranked()) {
            out.add(String.format(Locale.ROOT, "%-20s %-20s %-20s%s", s.variant().id, s.period2().format(3), s.period4().format(3),
                    q ? String.format(Locale.ROOT, " %-20s %-22s", s.fid().format(3), s.kid().format(4)) : ""));
        }
        out.add(String.format(Locale.ROOT, "(mean ± sample std over %d seed%s, %d to %d)", st.seeds(), st.seeds() == 1 ? "" : "s",
                st.settings().seed(), st.settings().seed() + st.seeds() - 1));
        return out;
    }
}
