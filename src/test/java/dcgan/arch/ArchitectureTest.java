package dcgan.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keeps the production code (src/main/java, kernels/ and the TornadoVM backend's src/tornado/java, read as source
 * whether or not this build compiles it) free of dependency cycles, between files and between
 * packages (a package's subpackages, e.g. dcgan.backend.jvm, count as part of it), and each package to the
 * packages ARCHITECTURE.md lets it use. A file depends on the classes it imports, names fully qualified, or
 * names by simple name from its own package; comments and string literals do not count.
 */
class ArchitectureTest {
    static final List<Path> ROOTS = List.of(Path.of("src/main/java"), Path.of("kernels"), Path.of("src/tornado/java"));

    /** Which package may use which, as ARCHITECTURE.md draws it (subpackages belong to their package). */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "dcgan.kernels", Set.of(),
            "dcgan.backend", Set.of("dcgan.kernels"),
            "dcgan.model", Set.of("dcgan.backend", "dcgan.kernels"),
            "dcgan.data", Set.of(),
            "dcgan.io", Set.of("dcgan.model"),
            "dcgan.figures", Set.of("dcgan.io"),
            "dcgan.eval", Set.of("dcgan.kernels", "dcgan.backend", "dcgan.model", "dcgan.data", "dcgan.io"),
            "dcgan.train", Set.of("dcgan.kernels", "dcgan.backend", "dcgan.model", "dcgan.data", "dcgan.io", "dcgan.figures"),
            "dcgan.checkerboard", Set.of("dcgan.kernels", "dcgan.backend", "dcgan.model", "dcgan.data", "dcgan.io", "dcgan.figures",
                    "dcgan.train", "dcgan.eval"),
            "dcgan.cli", Set.of("dcgan.kernels", "dcgan.backend", "dcgan.model", "dcgan.data", "dcgan.io", "dcgan.figures",
                    "dcgan.train", "dcgan.eval", "dcgan.checkerboard"));

    /**
     * Inside dcgan.backend, which backend package may use which other part of it (besides the kernels): each uses
     * the package itself (Backend, ConvTransposeAsAdjoint); the fast backend also composes the reference one, and the
     * TornadoVM backend reads the reference's -Ddcgan.convt switch. The TornadoVM-only kernels use nothing of ours
     * but the kernels, like kernels/.
     */
    static final Map<String, Set<String>> BACKEND_ALLOWED = Map.of(
            "dcgan.backend.jvm", Set.of("dcgan.backend"),
            "dcgan.backend.fast", Set.of("dcgan.backend", "dcgan.backend.jvm"),
            "dcgan.backend.tornado", Set.of("dcgan.backend", "dcgan.backend.jvm", "dcgan.backend.tornado.kernels"),
            "dcgan.backend.tornado.kernels", Set.of());

    /** Cycles known and to be broken (issue 11); each entry is a cycle's files, sorted. Keep this list short. */
    static final Set<Set<String>> KNOWN_FILE_CYCLES = Set.of();

    @Test
    void noCyclesBetweenFiles() {
        Map<String, Set<String>> deps = fileDependencies();
        assertTrue(deps.size() > 40, "found only " + deps.size() + " files under " + ROOTS);
        assertTrue(deps.containsKey("dcgan.backend.tornado.TornadoBackend"), "the TornadoVM backend's sources are checked too");
        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> scc : stronglyConnected(deps)) if (scc.size() > 1 && !KNOWN_FILE_CYCLES.contains(scc)) cycles.add(scc);
        assertEquals(List.of(), cycles, "files that depend on each other (in a cycle)");
    }

    @Test
    void noCyclesBetweenPackages() {
        Map<String, Set<String>> deps = new TreeMap<>();
        fileDependencies().forEach((file, uses) -> {
            String from = topPackage(file);
            Set<String> to = deps.computeIfAbsent(from, k -> new TreeSet<>());
            for (String u : uses) if (!topPackage(u).equals(from)) to.add(topPackage(u));
        });
        List<Set<String>> cycles = new ArrayList<>();
        for (Set<String> scc : stronglyConnected(deps)) if (scc.size() > 1) cycles.add(scc);
        assertEquals(List.of(), cycles, "packages that depend on each other (in a cycle): " + deps);
    }

    @Test
    void eachPackageUsesOnlyWhatItMay() {
        List<String> wrong = new ArrayList<>();
        fileDependencies().forEach((file, uses) -> {
            String from = topPackage(file);
            Set<String> may = ALLOWED.get(from);
            if (may == null) {
                wrong.add(file + ": package " + from + " is not in ALLOWED (add it there and to ARCHITECTURE.md)");
                return;
            }
            for (String u : uses) {
                String to = topPackage(u);
                if (!to.equals(from) && !may.contains(to)) wrong.add(file + " uses " + u);
            }
        });
        assertEquals(List.of(), wrong, "dependencies that ARCHITECTURE.md does not allow");
    }

    @Test
    void eachBackendUsesOnlyWhatItMay() {
        List<String> wrong = new ArrayList<>();
        fileDependencies().forEach((file, uses) -> {
            String from = file.substring(0, file.lastIndexOf('.'));
            if (!from.startsWith("dcgan.backend.")) return;
            Set<String> may = BACKEND_ALLOWED.get(from);
            if (may == null) {
                wrong.add(file + ": package " + from + " is not in BACKEND_ALLOWED (add it there and to ARCHITECTURE.md)");
                return;
            }
            for (String u : uses) {
                String to = u.substring(0, u.lastIndexOf('.'));
                if (to.startsWith("dcgan.backend") && !to.equals(from) && !may.contains(to)) wrong.add(file + " uses " + u);
            }
        });
        assertEquals(List.of(), wrong, "dependencies between backends that ARCHITECTURE.md does not allow");
    }

    @Test
    void theKnownCyclesAreStillThere() {
        // When a known cycle is broken, remove it from KNOWN_FILE_CYCLES so that it cannot come back.
        List<Set<String>> all = stronglyConnected(fileDependencies());
        for (Set<String> known : KNOWN_FILE_CYCLES) assertTrue(all.contains(known), "no longer a cycle, remove it from the list: " + known);
    }

    /** dcgan.backend.fast.FastBackend -> dcgan.backend */
    static String topPackage(String className) {
        String[] parts = className.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : parts[0];
    }

    private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern QUALIFIED = Pattern.compile("\\b(dcgan(?:\\.[a-z]\\w*)+\\.[A-Z]\\w*)");
    private static final Pattern IDENTIFIER = Pattern.compile("\\b[A-Z]\\w*");

    /** Top-level class (file) -> the classes of src/main/java it uses, itself excluded. */
    static Map<String, Set<String>> fileDependencies() {
        Map<String, String> sources = new TreeMap<>();
        for (Path root : ROOTS) try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String code = stripCommentsAndStrings(Files.readString(f));
                Matcher m = PACKAGE.matcher(code);
                String pkg = m.find() ? m.group(1) : "";
                String name = f.getFileName().toString().replace(".java", "");
                sources.put(pkg.isEmpty() ? name : pkg + "." + name, code);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Set<String>> deps = new TreeMap<>();
        sources.forEach((cls, code) -> {
            String pkg = cls.contains(".") ? cls.substring(0, cls.lastIndexOf('.')) : "";
            Set<String> uses = new TreeSet<>();
            Matcher imp = IMPORT.matcher(code);
            while (imp.find()) uses.add(owner(imp.group(2), sources.keySet()));
            Matcher q = QUALIFIED.matcher(code);
            while (q.find()) uses.add(owner(q.group(1), sources.keySet()));
            Matcher id = IDENTIFIER.matcher(code);
            while (id.find()) {
                String sibling = pkg + "." + id.group();
                if (sources.containsKey(sibling)) uses.add(sibling);
            }
            uses.remove(cls);
            uses.retainAll(sources.keySet());
            deps.put(cls, uses);
        });
        return deps;
    }

    /** The top-level class of a (possibly nested or static-member) name, if it is one of ours. */
    private static String owner(String name, Set<String> classes) {
        String s = name;
        while (!classes.contains(s) && s.contains(".")) s = s.substring(0, s.lastIndexOf('.'));
        return s;
    }

    /** Java source without comments, string and char literals (text blocks included). */
    static String stripCommentsAndStrings(String src) {
        StringBuilder out = new StringBuilder(src.length());
        int i = 0, n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') i++;
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (src.startsWith("\"\"\"", i)) {
                int end = src.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && src.charAt(i) != c) i += src.charAt(i) == '\\' ? 2 : 1;
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Tarjan's strongly connected components (iterative), each as a sorted set. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String root : graph.keySet()) {
            if (index.containsKey(root)) continue;
            Deque<Object[]> work = new ArrayDeque<>();
            work.push(new Object[] {root, graph.getOrDefault(root, Set.of()).iterator()});
            index.put(root, counter[0]);
            low.put(root, counter[0]++);
            stack.push(root);
            onStack.add(root);
            while (!work.isEmpty()) {
                Object[] frame = work.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked") var it = (java.util.Iterator<String>) frame[1];
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        index.put(w, counter[0]);
                        low.put(w, counter[0]++);
                        stack.push(w);
                        onStack.add(w);
                        work.push(new Object[] {w, graph.getOrDefault(w, Set.of()).iterator()});
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                } else {
                    work.pop();
                    if (!work.isEmpty()) {
                        String parent = (String) work.peek()[0];
                        low.put(parent, Math.min(low.get(parent), low.get(v)));
                    }
                    if (low.get(v).equals(index.get(v))) {
                        Set<String> scc = new TreeSet<>();
                        String w;
                        do {
                            w = stack.pop();
                            onStack.remove(w);
                            scc.add(w);
                        } while (!w.equals(v));
                        out.add(scc);
                    }
                }
            }
        }
        return out;
    }
}
