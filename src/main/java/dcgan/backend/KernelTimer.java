package dcgan.backend;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.TreeMap;

/**
 * Wraps a host backend and times every kernel call by name (wall clock around the call), for per-kernel
 * breakdowns of an iteration. Device backends defer their calls, so they report through their own
 * profiler instead (see {@code TornadoBackend#kernelTimes}).
 */
public final class KernelTimer implements InvocationHandler {
    private final Backend target;
    private final Map<String, long[]> totals = new TreeMap<>();

    private KernelTimer(Backend target) {
        this.target = target;
    }

    /** A backend that runs target's kernels and records their times in timer. */
    public static Backend wrap(Backend target, KernelTimer[] timer) {
        KernelTimer t = new KernelTimer(target);
        timer[0] = t;
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, t);
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
        boolean kernel = method.getReturnType() == void.class && args != null && args.length > 2
                && !method.getName().startsWith("to");
        long t0 = System.nanoTime();
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            if (kernel) {
                long[] t = totals.computeIfAbsent(method.getName(), k -> new long[2]);
                t[0]++;
                t[1] += System.nanoTime() - t0;
            }
        }
    }

    public Map<String, Backend.KernelTime> totals() {
        Map<String, Backend.KernelTime> out = new TreeMap<>();
        totals.forEach((k, v) -> out.put(k, new Backend.KernelTime(v[0], v[1])));
        return out;
    }

    public void reset() {
        totals.clear();
    }
}
