package dcgan.eval;

import dcgan.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What `dcgan evaluate` reports: the metrics, the feature network they were computed with (numbers from different
 * networks are not comparable), and both image sets. As text lines, one machine-readable {@code key=value} line,
 * and JSON.
 */
public record EvaluationReport(String network, String networkDescription, int dimension, String generated, int generatedCount,
                               String real, int realCount, Evaluation.Metrics metrics, Evaluation.Settings settings) {

    /** The human-readable lines: FID, KID, IS, each with what it means. */
    public List<String> lines() {
        Evaluation.Metrics m = metrics;
        List<String> out = new ArrayList<>();
        out.add(String.format(Locale.ROOT, "FID  %.4f   (Frechet distance between Gaussians fitted to the %d %s features of each set; 0 = same statistics, lower is better)",
                m.fid(), dimension, network));
        out.add(String.format(Locale.ROOT, "KID  %.6f +- %.6f   (squared MMD, cubic kernel, mean +- std over %d subsets of %d; about 0 for the same distribution, lower is better)",
                m.kid().mean(), m.kid().std(), m.kid().subsets(), m.kid().subsetSize()));
        if (m.isGenerated() != null) {
            out.add(String.format(Locale.ROOT, "IS   %.4f +- %.4f   (Inception Score from the %s's class probabilities over %d splits; real images: %.4f +- %.4f; higher is better)",
                    m.isGenerated().mean(), m.isGenerated().std(), network, m.isGenerated().splits(), m.isReal().mean(), m.isReal().std()));
        } else {
            out.add("IS   -   (the " + network + " network has no class outputs)");
        }
        return out;
    }

    /** One line of key=value pairs, for scripts. */
    public String keyValues() {
        Evaluation.Metrics m = metrics;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fid=%.6f kid=%.8f kid_std=%.8f", m.fid(), m.kid().mean(), m.kid().std()));
        if (m.isGenerated() != null) {
            sb.append(String.format(Locale.ROOT, " is=%.6f is_std=%.6f real_is=%.6f real_is_std=%.6f", m.isGenerated().mean(), m.isGenerated().std(),
                    m.isReal().mean(), m.isReal().std()));
        }
        sb.append(String.format(Locale.ROOT, " network=%s dims=%d generated=%d real=%d", network, dimension, generatedCount, realCount));
        return sb.toString();
    }

    /** The report as a JSON object. */
    public String json() {
        Evaluation.Metrics m = metrics;
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"network\": {\"id\": ").append(quote(network)).append(", \"description\": ").append(quote(networkDescription))
                .append(", \"dimension\": ").append(dimension).append("},\n");
        sb.append("  \"generated\": {\"images\": ").append(generatedCount).append(", \"source\": ").append(quote(generated)).append("},\n");
        sb.append("  \"real\": {\"images\": ").append(realCount).append(", \"source\": ").append(quote(real)).append("},\n");
        sb.append("  \"fid\": ").append(number(m.fid())).append(",\n");
        sb.append("  \"kid\": {\"mean\": ").append(number(m.kid().mean())).append(", \"std\": ").append(number(m.kid().std()))
                .append(", \"subsets\": ").append(m.kid().subsets()).append(", \"subset_size\": ").append(m.kid().subsetSize())
                .append(", \"seed\": ").append(settings.seed()).append("},\n");
        if (m.isGenerated() != null) {
            sb.append("  \"is\": {\"mean\": ").append(number(m.isGenerated().mean())).append(", \"std\": ").append(number(m.isGenerated().std()))
                    .append(", \"splits\": ").append(m.isGenerated().splits()).append("},\n");
            sb.append("  \"real_is\": {\"mean\": ").append(number(m.isReal().mean())).append(", \"std\": ").append(number(m.isReal().std()))
                    .append(", \"splits\": ").append(m.isReal().splits()).append("}\n");
        } else {
            sb.append("  \"is\": null,\n  \"real_is\": null\n");
        }
        return sb.append("}\n").toString();
    }

    /** Writes {@link #json} to file, atomically. */
    public void writeJson(Path file) throws IOException {
        AtomicFiles.write(file, json().getBytes(StandardCharsets.UTF_8));
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    private static String quote(String s) {
        return dcgan.io.Json.quote(s);
    }
}
