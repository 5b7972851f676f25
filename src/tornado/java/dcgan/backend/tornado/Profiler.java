package dcgan.backend.tornado;

import dcgan.backend.Backend;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Device time per kernel, read from TornadoVM's profiler log after each execution of a graph (when the profiler is
 * on): the kernel time of every task, by the kernel name in its task id ({@code t<i>_<kernel>}), and the copy-in and
 * copy-out times.
 */
final class Profiler {
    private static final Pattern TASK_TIME = Pattern.compile(
            "\"[^\"]*\\.t\\d+_(\\w+)\": \\{[^}]*?\"TASK_KERNEL_TIME\": \"(\\d+)\"");
    private static final Pattern COPY_TIME = Pattern.compile(
            "\"(COPY_IN_TIME|COPY_OUT_TIME)\": \"(\\d+)\"");

    private boolean on;
    /** Per graph of the current plan: how much of its (growing) log has been read. */
    private int[] logSeen = new int[0];
    private final Map<String, long[]> kernelNanos = new TreeMap<>();

    void enable() {
        on = true;
    }

    boolean enabled() {
        return on;
    }

    /** A new plan of this many graphs: its logs start empty. */
    void newPlan(int graphs) {
        logSeen = new int[graphs];
    }

    /** Adds the device kernel time of each task (and copy times) of graph c's last execution, by kernel name. */
    void collect(int c, String log) {
        if (log == null) return;
        String fresh = log.length() >= logSeen[c] ? log.substring(logSeen[c]) : log;
        logSeen[c] = log.length();
        Matcher m = TASK_TIME.matcher(fresh);
        while (m.find()) add(m.group(1), Long.parseLong(m.group(2)));
        Matcher copies = COPY_TIME.matcher(fresh);
        while (copies.find()) add("(" + copies.group(1).toLowerCase(Locale.ROOT) + ")", Long.parseLong(copies.group(2)));
    }

    private void add(String name, long nanos) {
        long[] t = kernelNanos.computeIfAbsent(name, k -> new long[2]);
        t[0]++;
        t[1] += nanos;
    }

    Map<String, Backend.KernelTime> kernelTimes(boolean reset) {
        Map<String, Backend.KernelTime> out = new TreeMap<>();
        kernelNanos.forEach((k, v) -> out.put(k, new Backend.KernelTime(v[0], v[1])));
        if (reset) kernelNanos.clear();
        return out;
    }
}
