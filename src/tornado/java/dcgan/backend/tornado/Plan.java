package dcgan.backend.tornado;

import dcgan.backend.tornado.Recorder.Op;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * One recorded op sequence as TaskGraphs in one TornadoVM execution plan, kept and re-executed while the backend
 * records the same sequence: the graphs, the device buffers (which graph sends each, keeps it, hands it on and
 * brings it back) and the executions' results.
 *
 * <p>The sequence becomes one graph per phase of the training step (D on real, G, D on fake, D step, G through D,
 * G step; {@code Backend.phase}), in one plan, run in order. TornadoVM bounds the tasks of one TaskGraph (its graph
 * bytecode buffer holds about a hundred), so a phase longer than {@value #TASKS_PER_GRAPH} tasks is cut again; a buffer goes
 * to the device in the first graph that uses it and stays there (persistOnDevice), each later graph taking it from
 * the one before (consumeFromDevice). Results come back from the last graph that uses them.
 */
final class Plan {
    /** Tasks per TaskGraph: TornadoVM's graph bytecode buffer (8 KiB) holds about a hundred of ours. */
    static final int TASKS_PER_GRAPH = 64;

    private final Recorder.Signature signature;
    private final TornadoExecutionPlan plan;
    private final TornadoExecutionResult[] results;
    private final Profiler profiler;
    private final Predicate<float[]> scratch;
    /** Every buffer of the plan, and the graph that brings each back (the last that uses it). */
    private final Set<float[]> arrays;
    private final Map<float[], Integer> owner;
    private final Set<float[]> everyIn;
    private final Set<float[]> everyOut;
    private final List<float[]> everyOutList = new ArrayList<>();
    private final Map<String, Integer> tasksByKernel = new TreeMap<>();

    /**
     * Builds the plan for ops; its graphs are named "dcgan" + firstGraph, firstGraph + 1, ...
     *
     * @param inputs  buffers the host changed, sent on every execution
     * @param outputs buffers the host asked back, returned on every execution
     * @param scratch the recorder's scratch buffers: device-only, never copied back
     */
    Plan(int firstGraph, Recorder.Signature signature, List<Op> ops, java.util.BitSet phaseStarts, Set<float[]> inputs,
         float[][] outputs, Predicate<float[]> scratch, TornadoDevice device, Profiler profiler) {
        this.signature = signature;
        this.profiler = profiler;
        this.scratch = scratch;
        Set<float[]> all = Collections.newSetFromMap(new IdentityHashMap<>());
        List<float[]> ordered = new ArrayList<>();
        Map<float[], Integer> firstUse = new IdentityHashMap<>(), lastUse = new IdentityHashMap<>();
        // graph c runs ops [start[c], start[c + 1]): a new graph at each phase and after TASKS_PER_GRAPH tasks
        List<Integer> starts = new ArrayList<>();
        int[] graphOf = new int[ops.size()];
        for (int i = 0, inGraph = 0; i < ops.size(); i++, inGraph++) {
            if (i == 0 || phaseStarts.get(i) || inGraph == TASKS_PER_GRAPH) {
                starts.add(i);
                inGraph = 0;
            }
            graphOf[i] = starts.size() - 1;
        }
        int chunks = starts.size();
        starts.add(ops.size());
        for (int i = 0; i < ops.size(); i++) {
            int c = graphOf[i];
            for (Object a : ops.get(i).args()) {
                if (a instanceof float[] f) {
                    if (all.add(f)) ordered.add(f);
                    firstUse.putIfAbsent(f, c);
                    lastUse.put(f, c);
                }
            }
        }
        // Per execution only what the host marked (toDevice) goes in and what it asked for (toHost) comes back; the rest
        // stays on the device and travels on demand. A small marked buffer may be one the device also writes (BatchNorm's
        // running statistics, restored by the sampler), so it comes back too and the next send cannot undo the device's
        // writes; large marked buffers are the host's data (batches, noise), which no kernel writes.
        Set<float[]> in = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<float[]> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] a : inputs) {
            if (!all.contains(a)) continue;
            in.add(a);
            if (a.length <= Recorder.SMALL) out.add(a);
        }
        for (float[] a : outputs) if (all.contains(a)) out.add(a);

        ImmutableTaskGraph[] graphs = new ImmutableTaskGraph[chunks];
        // The launch grids of the KernelContext tasks, by "graph.task"; the others keep TornadoVM's own.
        GridScheduler scheduler = new GridScheduler();
        int grids = 0;
        String[] names = new String[chunks];
        for (int c = 0; c < chunks; c++) {
            names[c] = "dcgan" + (firstGraph + c);
            TaskGraph graph = new TaskGraph(names[c]);
            int from = starts.get(c), to = starts.get(c + 1);
            List<Object> first = new ArrayList<>(), every = new ArrayList<>(), persist = new ArrayList<>();
            List<Object> demand = new ArrayList<>(), liveIn = new ArrayList<>();
            for (float[] a : ordered) {
                int fu = firstUse.get(a), lu = lastUse.get(a);
                // TornadoVM hands persisted buffers from the last executed graph to the next one only, so a
                // buffer alive across graph c is relayed through it even when none of c's tasks touches it.
                if (fu < c && lu >= c) liveIn.add(a);
                if (fu == c) (in.contains(a) ? every : first).add(a);
                if (fu <= c && lu > c) persist.add(a);
                // Results come back on demand through the last graph that uses the buffer (a graph does
                // not copy out buffers it consumed, even when asked to on every execution).
                if (lu == c) demand.add(a);
            }
            if (!liveIn.isEmpty()) graph.consumeFromDevice(names[c - 1], liveIn.toArray());
            if (!first.isEmpty()) graph.transferToDevice(DataTransferMode.FIRST_EXECUTION, first.toArray());
            if (!every.isEmpty()) graph.transferToDevice(DataTransferMode.EVERY_EXECUTION, every.toArray());
            for (int i = from; i < to; i++) {
                Op op = ops.get(i);
                String id = "t" + i + "_" + op.kernel();
                op.adder().add(graph, id);
                if (op.grid() != null) {
                    WorkerGrid2D grid = new WorkerGrid2D(op.grid().globalX(), op.grid().globalY());
                    grid.setLocalWork(op.grid().localX(), op.grid().localY(), 1);
                    scheduler.addWorkerGrid(names[c] + "." + id, grid);
                    grids++;
                }
            }
            if (!persist.isEmpty()) graph.persistOnDevice(persist.toArray());
            if (!demand.isEmpty()) graph.transferToHost(DataTransferMode.UNDER_DEMAND, demand.toArray());
            graphs[c] = graph.snapshot();
        }
        plan = new TornadoExecutionPlan(graphs);
        if (device != null) plan.withDevice(device);
        if (grids > 0) plan.withGridScheduler(scheduler);
        if (profiler.enabled()) plan.withProfiler(ProfilerMode.SILENT);
        profiler.newPlan(chunks);
        results = new TornadoExecutionResult[chunks];
        arrays = all;
        owner = lastUse;
        for (float[] a : ordered) if (out.contains(a)) everyOutList.add(a);
        for (Op op : ops) tasksByKernel.merge(op.kernel(), 1, Integer::sum);
        everyIn = in;
        everyOut = out;
    }

    Recorder.Signature signature() {
        return signature;
    }

    /** How many TaskGraphs the plan holds. */
    int graphs() {
        return results.length;
    }

    boolean executed() {
        return results[0] != null;
    }

    /** The plan's tasks by kernel name. */
    Map<String, Integer> tasksByKernel() {
        return tasksByKernel;
    }

    /** How many buffers go to the device on every execution. */
    int sentPerExecution() {
        return everyIn.size();
    }

    /** How many buffers come back on every execution. */
    int returnedPerExecution() {
        return everyOut.size();
    }

    /** The plan's buffers. */
    Set<float[]> buffers() {
        return arrays;
    }

    /** Whether a is one of the plan's buffers. */
    boolean holds(float[] a) {
        return arrays.contains(a);
    }

    /** Whether a goes to the device on every execution (so the host's copy is always the one used). */
    boolean sentEveryExecution(float[] a) {
        return everyIn.contains(a);
    }

    /** Whether a comes back on every execution (so the host's copy is always current). */
    boolean returnedEveryExecution(float[] a) {
        return everyOut.contains(a);
    }

    void enableProfiler() {
        plan.withProfiler(ProfilerMode.SILENT);
    }

    /** Runs the graphs in order, then brings back the buffers returned on every execution. */
    void execute() {
        for (int c = 0; c < results.length; c++) {
            results[c] = results.length == 1 ? plan.execute() : plan.withGraph(c).execute();
            if (profiler.enabled()) profiler.collect(c, results[c].getProfilerResult().getProfileLog());
        }
        transferBack(everyOutList);
    }

    /** Copies buffers of the plan back to the host, each through the graph that owns it. */
    void transferBack(List<float[]> buffers) {
        Map<Integer, List<Object>> byGraph = new TreeMap<>();
        for (float[] b : buffers) byGraph.computeIfAbsent(owner.get(b), c -> new ArrayList<>()).add(b);
        for (var e : byGraph.entrySet()) {
            // A result copies through the plan's selected graph, so select the graph first.
            if (results.length > 1) plan.withGraph(e.getKey());
            results[e.getKey()].transferToHost(e.getValue().toArray());
        }
    }

    /** Frees the plan after bringing its device-resident buffers, but those in keep, back to the host. */
    void close(Set<float[]> keep) {
        if (executed()) {
            List<float[]> resident = new ArrayList<>();
            for (float[] a : arrays) {
                if (!everyOut.contains(a) && !keep.contains(a) && !scratch.test(a)) resident.add(a);
            }
            if (!resident.isEmpty()) transferBack(resident);
        }
        try {
            plan.close();
        } catch (Exception e) {
            throw new IllegalStateException("TornadoVM could not free its plan: " + e.getMessage(), e);
        }
    }
}
