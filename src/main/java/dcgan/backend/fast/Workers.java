package dcgan.backend.fast;

import dcgan.backend.jvm.ParallelFor;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out work items [0, items) to the threads of a {@link ParallelFor}, which claim them one by one
 * (dynamic balance on a busy machine). Each thread runs with a slot number in [0, threads) that owns a
 * set of workspaces. Items must not depend on each other, and an item's result must not depend on which
 * slot runs it: then results are independent of the thread count.
 */
final class Workers {
    /**
     * One call's work, usually a lambda over the call's arguments: {@code workers.run(items, (item, slot) -> ...)}
     * (one small object per call, none per item).
     */
    @FunctionalInterface
    interface Job {
        void item(int item, int slot);
    }

    private final ParallelFor par;
    private final int threads;
    private final AtomicInteger next = new AtomicInteger();
    private Job job;
    private int items;
    private final ParallelFor.Range body = (from, to) -> {
        for (int slot = from; slot < to; slot++) drain(slot);
    };

    Workers(ParallelFor par) {
        this.par = par;
        this.threads = par.threads();
    }

    int threads() {
        return threads;
    }

    void run(int items, Job job) {
        if (items <= 0) return;
        if (items == 1 || threads == 1) {
            for (int i = 0; i < items; i++) job.item(i, 0);
            return;
        }
        this.job = job;
        this.items = items;
        next.set(0);
        try {
            par.run(Math.min(threads, items), 1, body);
        } finally {
            this.job = null;
        }
    }

    private void drain(int slot) {
        Job j = job;
        int n = items;
        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) j.item(i, slot);
    }
}
