package dcgan.checkerboard;

import dcgan.checkerboard.SeedStudy.Stat;
import dcgan.checkerboard.SeedStudy.Study;
import dcgan.checkerboard.SeedStudy.Summary;
import dcgan.checkerboard.UpsamplingComparison.Result;
import dcgan.checkerboard.UpsamplingComparison.Settings;
import dcgan.checkerboard.UpsamplingComparison.VariantResult;
import dcgan.figures.QualityPlot;
import dcgan.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The files of a {@link SeedStudy}: report.md, report.csv (per run), summary.csv (per variant), report.json, quality.png. */
public final class StudyReport {
    private StudyReport() {}

    /**
     * Writes the first seed's pictures and grids ({@link UpsamplingComparison#write}), then report.md (the study),
     * report.csv (one row per variant and seed, with fid, kid, kid_std), summary.csv (mean and std per variant),
     * report.json, and with a metric quality.png (quality against the period-2 score, error bars ± 1 std).
     */
    public static void write(Study st, Path dir) throws IOException {
        UpsamplingComparison.write(st.runs().getFirst(), dir);
        writeReports(st, dir);
        if (!st.metric().equals("none")) {
            List<QualityPlot.Point> pts = new ArrayList<>();
            for (Summary s : st.summaries()) {
                Stat q = st.metric().equals("kid") ? s.kid() : s.fid();
                pts.add(new QualityPlot.Point(s.variant().id, s.period2().mean(), s.period2().std(), q.mean(), q.std()));
            }
            Settings s = st.settings();
            QualityPlot.write(dir.resolve("quality.png"), String.format(Locale.ROOT,
                            "Sample quality vs checkerboard artifacts (%s %dx%d, %d iterations, %d seed%s; mean ± std)",
                            s.dataset(), s.imageSize(), s.imageSize(), s.iters(), st.seeds(), st.seeds() == 1 ? "" : "s"),
                    "period-2 artifact score after training (1 = as real images)",
                    (st.metric().equals("kid") ? "KID" : "FID") + " (classifier features, lower is better)", pts);
        }
    }


    static void writeReports(Study st, Path dir) throws IOException {
        AtomicFiles.write(dir.resolve("report.md"), markdown(st).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.csv"), runsCsv(st).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("summary.csv"), summaryCsv(st).getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.json"), json(st).getBytes(StandardCharsets.UTF_8));
    }

    static String markdown(Study st) {
        Settings s = st.settings();
        boolean q = !st.metric().equals("none");
        StringBuilder sb = new StringBuilder("# Checkerboard artifacts and sample quality: generator upsampling compared over seeds\n\n");
        sb.append(String.format(Locale.ROOT, "DCGAN (image %dx%d, nc %d, nz %d, ngf %d, ndf %d), %d iterations of batch %d on %s, "
                        + "%d seed%s (%d to %d), backend %s. For each seed, every variant starts from that seed's D and trains on "
                        + "the same data order and noise.%n%n", s.imageSize(), s.imageSize(), s.nc(), s.nz(), s.ngf(), s.ndf(),
                s.iters(), s.batchSize(), s.dataset(), st.seeds(), st.seeds() == 1 ? "" : "s", s.seed(), s.seed() + st.seeds() - 1,
                st.runs().getFirst().backend()));
        if (q) sb.append("Sample quality: ").append(st.quality()).append(".\n\n");
        sb.append(switch (st.metric()) {
            case "fid" -> "Ranked by mean FID (lowest first).";
            case "kid" -> "Ranked by mean KID (lowest first).";
            default -> "Ranked by the mean period-2 artifact score after training (lowest first).";
        }).append(" Mean ± sample standard deviation over the seeds.\n\n");
        sb.append("| rank | variant | G params | period-2 score | period-4 score | period-2 at init |");
        if (q) sb.append(" FID | KID |");
        sb.append(" Loss_D | Loss_G | s/iter |\n|---:|:---|---:|---:|---:|---:|");
        if (q) sb.append("---:|---:|");
        sb.append("---:|---:|---:|\n");
        int rank = 1;
        for (Summary v : st.ranked()) {
            sb.append("| ").append(rank++).append(" | ").append(v.variant().id).append(" | ").append(v.generatorParams())
              .append(" | ").append(v.period2().format(3)).append(" | ").append(v.period4().format(3))
              .append(" | ").append(v.initPeriod2().format(3)).append(" |");
            if (q) sb.append(' ').append(v.fid().format(3)).append(" | ").append(v.kid().format(4)).append(" |");
            sb.append(' ').append(v.lossD().format(4)).append(" | ").append(v.lossG().format(4))
              .append(" | ").append(fmt(v.secondsPerIter().mean(), 3)).append(" |\n");
        }
        sb.append("\n## Every run\n\n| variant | seed | period-2 score | period-4 score |");
        if (q) sb.append(" FID | KID |");
        sb.append(" Loss_D | Loss_G |\n|:---|---:|---:|---:|");
        if (q) sb.append("---:|---:|");
        sb.append("---:|---:|\n");
        for (int i = 0; i < s.variants().size(); i++) {
            for (Result r : st.runs()) {
                VariantResult v = r.variants().get(i);
                sb.append("| ").append(v.variant().id).append(" | ").append(r.settings().seed()).append(" | ")
                  .append(fmt(v.trained().period2Ratio(), 3)).append(" | ").append(fmt(v.trained().period4Ratio(), 3)).append(" |");
                if (q) sb.append(' ').append(fmt(v.quality().fid(), 3)).append(" | ")
                        .append(fmt(v.quality().kid(), 4)).append(" ± ").append(fmt(v.quality().kidStd(), 4)).append(" |");
                sb.append(' ').append(fmt(v.lossD(), 4)).append(" | ").append(fmt(v.lossG(), 4)).append(" |\n");
            }
        }
        sb.append("\n## What the numbers are\n\n");
        sb.append("**Period-2 / period-4 score**: the share of the samples' non-DC spectral power at period 2 (the Nyquist row and "
                + "column) or period 4, over the same share in 64 real images; 1 = as real images, more = checkerboard energy "
                + "(64 samples from fixed noise, G in training mode). **At init**: the freshly initialised generator.\n\n");
        if (q) {
            sb.append("**FID** and **KID** (KID's ± in the per-run table: std over its 100 subsets) compare each run's generated "
                    + "samples with the real images through the classifier feature network named above, as `dcgan evaluate` does; "
                    + "lower is better. Numbers from another feature network, another image count or another dataset are not "
                    + "comparable with these.\n\n");
        }
        sb.append("Loss_D, Loss_G: means over the last 10% of iterations; s/iter: median time of one training step.\n\n");
        sb.append("## Files\n\n");
        if (q) sb.append("- `quality.png`: ").append(st.metric().toUpperCase(Locale.ROOT))
                .append(" against the period-2 score per variant, error bars ± 1 std over seeds.\n");
        sb.append("- `report.csv`: one row per variant and seed; `summary.csv`: mean and std per variant; `report.json`: both.\n");
        sb.append(String.format(Locale.ROOT, "- `compare.png`, `samples-<variant>.png`, `init-<variant>.png`, `real.png`: from the first seed (%d).%n",
                s.seed()));
        return sb.toString();
    }

    static String runsCsv(Study st) {
        StringBuilder sb = new StringBuilder("variant,seed,g_params,init_period2_ratio,init_period4_ratio,period2_ratio,period4_ratio,"
                + "loss_d,loss_g,s_per_iter,seconds_total,iters,fid,kid,kid_std\n");
        for (int i = 0; i < st.settings().variants().size(); i++) {
            for (Result r : st.runs()) {
                VariantResult v = r.variants().get(i);
                var qq = v.quality();
                sb.append(String.join(",", v.variant().id, Long.toString(r.settings().seed()), Long.toString(v.generatorParams()),
                        num(v.init().period2Ratio()), num(v.init().period4Ratio()), num(v.trained().period2Ratio()),
                        num(v.trained().period4Ratio()), num(v.lossD()), num(v.lossG()), num(v.secondsPerIter()),
                        num(v.secondsTotal()), Integer.toString(r.settings().iters()),
                        qq == null ? "" : num(qq.fid()), qq == null ? "" : num(qq.kid()), qq == null ? "" : num(qq.kidStd()))).append('\n');
            }
        }
        return sb.toString();
    }

    static String summaryCsv(Study st) {
        StringBuilder sb = new StringBuilder("variant,seeds,period2_mean,period2_std,period4_mean,period4_std,init_period2_mean,"
                + "fid_mean,fid_std,kid_mean,kid_std,loss_d_mean,loss_g_mean\n");
        for (Summary v : st.summaries()) {
            sb.append(String.join(",", v.variant().id, Integer.toString(v.period2().n()), num(v.period2().mean()), num(v.period2().std()),
                    num(v.period4().mean()), num(v.period4().std()), num(v.initPeriod2().mean()), num(v.fid().mean()), num(v.fid().std()),
                    num(v.kid().mean()), num(v.kid().std()), num(v.lossD().mean()), num(v.lossG().mean()))).append('\n');
        }
        return sb.toString();
    }

    static String json(Study st) {
        Settings s = st.settings();
        StringBuilder sb = new StringBuilder("{\n");
        sb.append(String.format(Locale.ROOT, "  \"dataset\": %s, \"image_size\": %d, \"nc\": %d, \"nz\": %d, \"ngf\": %d, \"ndf\": %d, "
                        + "\"batch_size\": %d, \"iters\": %d, \"first_seed\": %d, \"seeds\": %d, \"metric\": %s, \"quality\": %s,%n",
                quote(s.dataset()), s.imageSize(), s.nc(), s.nz(), s.ngf(), s.ndf(), s.batchSize(), s.iters(), s.seed(), st.seeds(),
                quote(st.metric()), st.quality() == null ? "null" : quote(st.quality())));
        sb.append("  \"variants\": [\n");
        List<Summary> sums = st.summaries();
        for (int i = 0; i < sums.size(); i++) {
            Summary v = sums.get(i);
            List<String> runs = new ArrayList<>();
            for (Result r : st.runs()) {
                VariantResult x = r.variants().get(i);
                var qq = x.quality();
                runs.add(String.format(Locale.ROOT, "{\"seed\": %d, \"period2\": %s, \"period4\": %s, \"fid\": %s, \"kid\": %s, \"kid_std\": %s}",
                        r.settings().seed(), json(x.trained().period2Ratio()), json(x.trained().period4Ratio()),
                        qq == null ? "null" : json(qq.fid()), qq == null ? "null" : json(qq.kid()), qq == null ? "null" : json(qq.kidStd())));
            }
            sb.append(String.format(Locale.ROOT, "    {\"variant\": %s, \"period2\": %s, \"period4\": %s, \"fid\": %s, \"kid\": %s,%n      \"runs\": [%s]}%s%n",
                    quote(v.variant().id), json(v.period2()), json(v.period4()), json(v.fid()), json(v.kid()),
                    String.join(", ", runs), i + 1 < sums.size() ? "," : ""));
        }
        return sb.append("  ]\n}\n").toString();
    }

    private static String json(Stat s) {
        return "{\"mean\": " + json(s.mean()) + ", \"std\": " + json(s.std()) + ", \"n\": " + s.n() + "}";
    }

    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static String num(double v) {
        return UpsamplingComparison.num(v);
    }

    private static String fmt(double v, int decimals) {
        return UpsamplingComparison.fmt(v, decimals);
    }
}
