package dcgan.data;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers shuffled batches of a {@link Dataset}, decoding in background threads, like PyTorch's
 * {@code DataLoader(dataset, batch_size, shuffle=True, num_workers=workers, drop_last=True)}.
 *
 * <ul>
 *   <li><b>Order.</b> Every epoch visits the images in a fresh order: the permutation of epoch {@code e} is a
 *       Fisher–Yates shuffle driven by a {@link SplittableRandom} seeded from ({@code seed}, {@code e}) only
 *       ({@link #permutation}), so the same seed always gives the same batches, whatever the number of workers.</li>
 *   <li><b>drop_last.</b> An epoch has {@code size / batchSize} batches ({@link #batchesPerEpoch()}); the last
 *       {@code size % batchSize} images of each epoch's order are left out of that epoch (they are other images in
 *       the next epoch). The tutorial's DataLoader keeps a smaller last batch; a fixed-size engine wants every
 *       batch full, hence drop_last=True.</li>
 *   <li><b>Memory.</b> At most {@code prefetch} batches exist at once (being decoded or waiting).</li>
 *   <li><b>Resume.</b> {@link Builder#startAt(int, int)} starts at a given epoch and batch index; the batches are
 *       then exactly those an uninterrupted run would have given from there. Save {@link #nextEpoch()} and
 *       {@link #nextBatchIndex()} in a checkpoint and pass them back to resume.</li>
 *   <li><b>Threads.</b> {@code workers} daemon threads call {@link Dataset#load} concurrently; with 0 workers
 *       images are loaded in the caller's thread inside {@link #next}. {@link #next} is for one consumer thread.</li>
 * </ul>
 */
public final class BatchLoader implements AutoCloseable {
    private final Dataset dataset;
    private final int batchSize, batchesPerEpoch, imageFloats, workers;
    private final long seed, endSeq;
    private long nextSeq;            // sequence number (epoch * batchesPerEpoch + batch) of the next batch
    private long lastSeq = -1;
    private final ExecutorService pool;
    private final Thread coordinator;
    private final BlockingQueue<float[]> free;
    private final BlockingQueue<Pending> ready;
    private final AtomicReference<Throwable> coordinatorError = new AtomicReference<>();
    private volatile boolean closed;
    private IOException failure;     // a batch failed: every later next() fails the same way
    private int[] perm;
    private int permEpoch = -1;

    private record Pending(long seq, float[] buffer, CountDownLatch done, AtomicReference<Throwable> error) {}

    /** Options for a {@link BatchLoader}; start with {@link BatchLoader#builder}. */
    public static final class Builder {
        private final Dataset dataset;
        private final int batchSize;
        private long seed = 0;
        private int workers = 2, prefetch = 0, startEpoch = 0, startBatch = 0, epochs = Integer.MAX_VALUE;

        private Builder(Dataset dataset, int batchSize) {
            this.dataset = dataset;
            this.batchSize = batchSize;
        }

        /** Seed of the per-epoch shuffles (default 0). */
        public Builder seed(long seed) { this.seed = seed; return this; }

        /** Background decoding threads (default 2); 0 loads in the caller's thread. */
        public Builder workers(int workers) { this.workers = workers; return this; }

        /** Batches in memory at once, at least 1 (default: max(2, workers + 1)). */
        public Builder prefetch(int batches) { this.prefetch = batches; return this; }

        /** First batch to deliver: batch {@code batch} (0-based) of epoch {@code epoch} (0-based). */
        public Builder startAt(int epoch, int batch) { this.startEpoch = epoch; this.startBatch = batch; return this; }

        /** Number of epochs in all (counting from epoch 0); no batch is made past the last. Default: unlimited. */
        public Builder epochs(int epochs) { this.epochs = epochs; return this; }

        /**
         * @throws IllegalArgumentException if the batch size is not positive or larger than the dataset, or an
         *                                  option is out of range (one-line message)
         */
        public BatchLoader build() { return new BatchLoader(this); }
    }

    public static Builder builder(Dataset dataset, int batchSize) {
        return new Builder(dataset, batchSize);
    }

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        if (dataset.size() < batchSize)
            throw new IllegalArgumentException("dataset has " + dataset.size() + " images, fewer than one batch of " + batchSize);
        if (b.workers < 0 || b.workers > 256) throw new IllegalArgumentException("workers must be 0..256, got " + b.workers);
        if (b.prefetch < 0 || b.prefetch > 1024) throw new IllegalArgumentException("prefetch must be 1..1024 batches, got " + b.prefetch);
        if (b.epochs < 1) throw new IllegalArgumentException("epochs must be positive, got " + b.epochs);
        this.batchesPerEpoch = dataset.size() / batchSize;
        if (b.startEpoch < 0 || b.startBatch < 0 || b.startBatch >= batchesPerEpoch)
            throw new IllegalArgumentException("cannot start at epoch " + b.startEpoch + ", batch " + b.startBatch
                    + " (an epoch has batches 0.." + (batchesPerEpoch - 1) + ")");
        long floats = (long) batchSize * dataset.imageFloats();
        if (floats > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("a batch of " + batchSize + " images is too large (" + floats + " floats)");
        this.imageFloats = dataset.imageFloats();
        this.seed = b.seed;
        this.workers = b.workers;
        this.nextSeq = (long) b.startEpoch * batchesPerEpoch + b.startBatch;
        this.endSeq = (long) b.epochs * batchesPerEpoch;
        int prefetch = b.prefetch == 0 ? Math.max(2, workers + 1) : b.prefetch;
        if (workers == 0) {
            pool = null;
            coordinator = null;
            free = null;
            ready = null;
            return;
        }
        free = new ArrayBlockingQueue<>(prefetch);
        ready = new ArrayBlockingQueue<>(prefetch);
        for (int i = 0; i < prefetch; i++) free.add(new float[(int) floats]);
        AtomicInteger tid = new AtomicInteger();
        pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "dcgan-loader-" + tid.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        coordinator = new Thread(this::produce, "dcgan-loader-coordinator");
        coordinator.setDaemon(true);
        coordinator.start();
    }

    /** The image order of epoch {@code epoch}: a permutation of 0..n-1 that depends only on (seed, epoch, n). */
    public static int[] permutation(long seed, int epoch, int n) {
        SplittableRandom r = new SplittableRandom(SyntheticFaces.mix(seed * 0x9E3779B97F4A7C15L + SyntheticFaces.mix(epoch + 0x1234567L)));
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i]; p[i] = p[j]; p[j] = t;
        }
        return p;
    }

    /** Dataset indices of the batch with sequence number {@code seq}, written to {@code dst}. */
    private void indices(long seq, int[] dst) {
        int epoch = (int) (seq / batchesPerEpoch), batch = (int) (seq % batchesPerEpoch);
        if (epoch != permEpoch) {
            perm = permutation(seed, epoch, dataset.size());
            permEpoch = epoch;
        }
        System.arraycopy(perm, batch * batchSize, dst, 0, batchSize);
    }

    private void produce() {
        long seq = nextSeq;
        int chunks = Math.min(batchSize, workers * 4);
        try {
            while (!closed && seq < endSeq) {
                float[] buf = free.take();
                int[] idx = new int[batchSize];
                indices(seq, idx);
                Pending p = new Pending(seq, buf, new CountDownLatch(chunks), new AtomicReference<>());
                for (int c = 0; c < chunks; c++) {
                    int from = (int) ((long) c * batchSize / chunks), to = (int) ((long) (c + 1) * batchSize / chunks);
                    pool.execute(() -> {
                        try {
                            for (int i = from; i < to && !closed && p.error.get() == null; i++)
                                dataset.load(idx[i], buf, i * imageFloats);
                        } catch (Throwable t) {
                            p.error.compareAndSet(null, t);
                        } finally {
                            p.done.countDown();
                        }
                    });
                }
                ready.put(p);
                seq++;
            }
        } catch (InterruptedException e) {
            // closed
        } catch (Throwable t) {
            coordinatorError.set(t);
        }
    }

    /** Whether another batch follows (false only after the last of {@link Builder#epochs} epochs). */
    public boolean hasNext() {
        return nextSeq < endSeq;
    }

    /**
     * Fills {@code dst[0 .. batchSize * imageFloats)} with the next batch (NCHW) and advances the counters.
     *
     * @throws IOException            if the dataset failed to produce an image (its message says why)
     * @throws NoSuchElementException after the last epoch
     * @throws IllegalStateException  if the loader is closed
     */
    public void next(float[] dst) throws IOException {
        if (closed) throw new IllegalStateException("batch loader is closed");
        if (!hasNext()) throw new NoSuchElementException("no batch after the last epoch (" + (endSeq / batchesPerEpoch) + ")");
        int n = batchSize * imageFloats;
        if (dst.length < n) throw new IllegalArgumentException("batch buffer holds " + dst.length + " floats, needs " + n);
        if (failure != null) throw new IOException(failure.getMessage(), failure);
        if (workers == 0) {
            int[] idx = new int[batchSize];
            indices(nextSeq, idx);
            for (int i = 0; i < batchSize; i++) dataset.load(idx[i], dst, i * imageFloats);
        } else {
            try {
                Pending p;
                while ((p = ready.poll(100, TimeUnit.MILLISECONDS)) == null) {
                    Throwable t = coordinatorError.get();
                    if (t != null) throw rethrow(t);
                    if (closed) throw new IllegalStateException("batch loader is closed");
                }
                p.done.await();
                Throwable t = p.error.get();
                if (t != null) {
                    free.put(p.buffer);
                    IOException e = rethrow(t);
                    failure = e;
                    throw e;
                }
                System.arraycopy(p.buffer, 0, dst, 0, n);
                free.put(p.buffer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a batch");
            }
        }
        lastSeq = nextSeq++;
    }

    private static IOException rethrow(Throwable t) {
        if (t instanceof IOException e) return new IOException(e.getMessage(), e);
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
        return new IOException(t.toString(), t);
    }

    public Dataset dataset() { return dataset; }
    public int batchSize() { return batchSize; }
    /** Full batches per epoch: {@code size / batchSize} (drop_last). */
    public int batchesPerEpoch() { return batchesPerEpoch; }
    /** Floats in one batch: batchSize x channels x imageSize x imageSize. */
    public int batchFloats() { return batchSize * imageFloats; }

    /** Epoch of the batch last returned by {@link #next} (before the first: the start epoch). */
    public int epoch() { return (int) ((lastSeq < 0 ? nextSeq : lastSeq) / batchesPerEpoch); }
    /** Index within its epoch of the batch last returned (-1 before the first). */
    public int batchIndex() { return lastSeq < 0 ? -1 : (int) (lastSeq % batchesPerEpoch); }
    /** Global iteration of the batch last returned: epoch x batchesPerEpoch + batch index (-1 before the first). */
    public long iteration() { return lastSeq; }
    /** Epoch of the batch {@link #next} returns next: with {@link #nextBatchIndex()}, where to resume. */
    public int nextEpoch() { return (int) (nextSeq / batchesPerEpoch); }
    /** Batch index of the batch {@link #next} returns next. */
    public int nextBatchIndex() { return (int) (nextSeq % batchesPerEpoch); }
    /** Files skipped so far by the dataset (unreadable images). */
    public long skipped() { return dataset.skipped(); }

    /**
     * Stops the background threads (images being decoded finish first; waits up to 5 s) and frees the batches.
     * Does not close the dataset.
     */
    @Override public void close() {
        if (closed) return;
        closed = true;
        if (coordinator != null) {
            coordinator.interrupt();   // it only waits on queues; workers are not interrupted (that would close files)
            pool.shutdown();
            try {
                coordinator.join(5000);
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ready.clear();
            free.clear();
        }
    }
}
