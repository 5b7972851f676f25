package dcgan.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
    /** Image i is filled with the value i, so a batch tells which indices it holds. */
    static final class IndexDataset implements Dataset {
        final int n;
        final AtomicInteger loads = new AtomicInteger();
        volatile int failAt = -1;

        IndexDataset(int n) { this.n = n; }
        @Override public String name() { return "index"; }
        @Override public int size() { return n; }
        @Override public int channels() { return 1; }
        @Override public int imageSize() { return 2; }

        @Override public void load(int index, float[] dst, int offset) throws IOException {
            if (index == failAt) throw new IOException("image " + index + " is broken");
            loads.incrementAndGet();
            for (int i = 0; i < 4; i++) dst[offset + i] = index;
        }
    }

    static int[] ids(float[] batch, int b) {
        int[] r = new int[b];
        for (int i = 0; i < b; i++) r[i] = (int) batch[i * 4];
        return r;
    }

    static List<int[]> run(Dataset ds, int batch, long seed, int workers, int startEpoch, int startBatch, int count) throws IOException {
        List<int[]> out = new ArrayList<>();
        try (BatchLoader l = BatchLoader.builder(ds, batch).seed(seed).workers(workers).startAt(startEpoch, startBatch).build()) {
            float[] buf = new float[l.batchFloats()];
            for (int i = 0; i < count; i++) {
                l.next(buf);
                out.add(ids(buf, batch));
            }
        }
        return out;
    }

    @Test
    void sameSeedSameOrderWhateverTheWorkers() throws Exception {
        IndexDataset ds = new IndexDataset(103);
        List<int[]> a = run(ds, 10, 42, 0, 0, 0, 25), b = run(ds, 10, 42, 3, 0, 0, 25), c = run(ds, 10, 42, 1, 0, 0, 25);
        for (int i = 0; i < 25; i++) {
            assertArrayEquals(a.get(i), b.get(i), "batch " + i);
            assertArrayEquals(a.get(i), c.get(i), "batch " + i);
        }
        List<int[]> d = run(ds, 10, 43, 2, 0, 0, 1);
        assertFalse(java.util.Arrays.equals(a.get(0), d.get(0)), "another seed, another order");
    }

    @Test
    void everyEpochIsAFreshShuffleAndDropsTheIncompleteLastBatch() throws Exception {
        IndexDataset ds = new IndexDataset(103);
        try (BatchLoader l = BatchLoader.builder(ds, 10).seed(1).workers(2).build()) {
            assertEquals(10, l.batchesPerEpoch());
            float[] buf = new float[l.batchFloats()];
            List<Integer> epoch0 = new ArrayList<>(), epoch1 = new ArrayList<>();
            for (int e = 0; e < 2; e++) {
                BitSet seen = new BitSet();
                for (int b = 0; b < 10; b++) {
                    l.next(buf);
                    assertEquals(e, l.epoch());
                    assertEquals(b, l.batchIndex());
                    assertEquals(e * 10L + b, l.iteration());
                    for (int id : ids(buf, 10)) {
                        assertFalse(seen.get(id), "image " + id + " twice in one epoch");
                        seen.set(id);
                        (e == 0 ? epoch0 : epoch1).add(id);
                    }
                }
                assertEquals(100, seen.cardinality());   // 3 of 103 left out (drop_last)
            }
            assertNotEquals(epoch0, epoch1);
            assertEquals(2, l.nextEpoch());
            assertEquals(0, l.nextBatchIndex());
        }
    }

    @Test
    void resumingAtEpochAndBatchGivesExactlyTheSameBatches() throws Exception {
        IndexDataset ds = new IndexDataset(57);
        List<int[]> full = run(ds, 8, 9, 2, 0, 0, 7 * 3);   // 7 batches per epoch, 3 epochs
        List<int[]> resumed = run(ds, 8, 9, 2, 1, 4, 10);
        for (int i = 0; i < 10; i++) assertArrayEquals(full.get(7 + 4 + i), resumed.get(i), "batch " + i + " after resume");
        assertArrayEquals(BatchLoader.permutation(9, 1, 57), BatchLoader.permutation(9, 1, 57));
    }

    @Test
    void keepsOnlyAFewBatchesInFlight() throws Exception {
        IndexDataset ds = new IndexDataset(1000);
        try (BatchLoader l = BatchLoader.builder(ds, 10).workers(3).prefetch(2).build()) {
            float[] buf = new float[l.batchFloats()];
            l.next(buf);
            Thread.sleep(300);   // give the workers time to run ahead as far as they may
            assertTrue(ds.loads.get() <= (1 + 2) * 10, "loaded " + ds.loads.get() + " images with 1 batch consumed and prefetch 2");
        }
    }

    @Test
    void epochLimitAndCounters() throws Exception {
        IndexDataset ds = new IndexDataset(20);
        try (BatchLoader l = BatchLoader.builder(ds, 5).workers(2).epochs(2).build()) {
            assertEquals(-1, l.iteration());
            assertEquals(-1, l.batchIndex());
            assertEquals(0, l.epoch());
            float[] buf = new float[l.batchFloats()];
            for (int i = 0; i < 8; i++) l.next(buf);
            assertFalse(l.hasNext());
            assertThrows(NoSuchElementException.class, () -> l.next(buf));
        }
    }

    @Test
    void datasetErrorsReachTheCallerAndCloseStopsThreads() throws Exception {
        IndexDataset ds = new IndexDataset(50);
        ds.failAt = BatchLoader.permutation(0, 0, 50)[12];   // in batch 1
        BatchLoader l = BatchLoader.builder(ds, 10).workers(2).build();
        float[] buf = new float[l.batchFloats()];
        l.next(buf);
        IOException e = assertThrows(IOException.class, () -> l.next(buf));
        assertEquals("image " + ds.failAt + " is broken", e.getMessage());
        assertThrows(IOException.class, () -> l.next(buf), "a failed loader stays failed");
        l.close();
        assertThrows(IllegalStateException.class, () -> l.next(buf));
        // close() joined the coordinator and shut the pool down: no loader thread is left (all loaders here are closed)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("dcgan-loader") && t.isAlive())) {
            assertTrue(System.nanoTime() < deadline, "loader threads still alive after close");
            Thread.sleep(20);
        }
    }

    @Test
    void badOptionsAreRejected() {
        IndexDataset ds = new IndexDataset(10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder(ds, 11).build());
        assertEquals("dataset has 10 images, fewer than one batch of 11", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder(ds, 5).startAt(0, 2).build());
        assertTrue(e.getMessage().contains("batches 0..1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchLoader.builder(ds, 0).build());
    }

    @Test
    void realDatasetThroughTheLoader() throws Exception {
        Dataset ds = new SyntheticFaces(0, 64, 32, 3);
        try (BatchLoader l = BatchLoader.builder(ds, 16).seed(5).workers(2).build()) {
            float[] a = new float[l.batchFloats()];
            l.next(a);
            float[] one = new float[ds.imageFloats()];
            ds.load(BatchLoader.permutation(5, 0, 64)[3], one, 0);
            assertArrayEquals(one, java.util.Arrays.copyOfRange(a, 3 * one.length, 4 * one.length));
        }
    }
}
