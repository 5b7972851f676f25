package dcgan.backend.jvm;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs an index range on a fixed number of threads. Each index is computed by exactly one thread with the
 * same code, so results do not depend on the thread count or the split.
 */
public final class ParallelFor implements AutoCloseable {

    /** Body over a half-open index range. */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    public ParallelFor(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, count) in chunks of at least minChunk indices. */
    public void run(int count, int minChunk, Range body) {
        if (count <= 0) return;
        int chunks = Math.min(threads * 4, Math.max(1, count / Math.max(1, minChunk)));
        if (pool == null || chunks == 1) {
            body.run(0, count);
            return;
        }
        pool.invoke(new Split(body, count, chunks, 0, chunks));
    }

    public void run(int count, Range body) {
        run(count, 1, body);
    }

    private static final class Split extends RecursiveAction {
        private final Range body;
        private final int count, chunks, lo, hi;

        Split(Range body, int count, int chunks, int lo, int hi) {
            this.body = body;
            this.count = count;
            this.chunks = chunks;
            this.lo = lo;
            this.hi = hi;
        }

        @Override
        protected void compute() {
            if (hi - lo == 1) {
                body.run((int) ((long) count * lo / chunks), (int) ((long) count * hi / chunks));
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Split(body, count, chunks, lo, mid), new Split(body, count, chunks, mid, hi));
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdown();
    }
}
