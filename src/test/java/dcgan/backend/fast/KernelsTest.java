package dcgan.backend.fast;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Vector API primitives against the scalar ones: every length and offset, up to the end of the arrays;
 * the micro-kernel of every tile shape (vector and scalar) against plain sums.
 */
class KernelsTest {
    final Kernels vec = new VectorKernels(12), ref = new ScalarKernels(12);

    /** Every micro-kernel body: each row count of the tile table, on the Vector API species and scalar. */
    static java.util.List<Kernels> allMicroKernels() {
        java.util.List<Kernels> l = new java.util.ArrayList<>();
        for (int rows : Tile.ROWS) {
            l.add(new VectorKernels(rows));
            l.add(new ScalarKernels(rows));
        }
        return l;
    }
    final SplittableRandom r = new SplittableRandom(11);

    float[] rnd(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble();
        return a;
    }

    @Test
    void copyAddZero() {
        for (int len = 0; len <= 70; len++) {
            for (int off : new int[]{0, 3, 17}) {
                float[] src = rnd(off + len), d1 = rnd(off + len + 5), d2 = d1.clone();
                vec.copy(src, off, d1, 5, len);
                ref.copy(src, off, d2, 5, len);
                assertArrayEquals(d2, d1, "copy " + len);
                vec.add(src, off, d1, 5, len);
                ref.add(src, off, d2, 5, len);
                assertArrayEquals(d2, d1, "add " + len);
                vec.zero(d1, 2, len);
                ref.zero(d2, 2, len);
                assertArrayEquals(d2, d1, "zero " + len);
            }
        }
    }

    @Test
    void gatherStridedAndInterleave() {
        for (int len = 0; len <= 70; len++) {
            for (int stride = 1; stride <= 3; stride++) {
                for (int tail = 0; tail <= 2; tail++) {   // how far the run ends before the end of src
                    int off = 5;
                    float[] src = rnd(off + Math.max(0, stride * (len - 1) + 1) + tail);
                    float[] d1 = rnd(len + 4), d2 = d1.clone();
                    vec.gatherStrided(src, off, stride, d1, 2, len);
                    ref.gatherStrided(src, off, stride, d2, 2, len);
                    assertArrayEquals(d2, d1, "gatherStrided len " + len + " stride " + stride + " tail " + tail);
                }
            }
            for (int tail = 0; tail <= 17; tail += 17) {   // the pairs end at the end of src, or well before it
                float[] src = rnd(3 + 2 * len + tail), a1 = rnd(len + 2), b1 = rnd(len + 5), a2 = a1.clone(), b2 = b1.clone();
                vec.deinterleave2(src, 3, a1, 2, b1, 5, len);
                ref.deinterleave2(src, 3, a2, 2, b2, 5, len);
                assertArrayEquals(a2, a1, "deinterleave2 even " + len + " tail " + tail);
                assertArrayEquals(b2, b1, "deinterleave2 odd " + len + " tail " + tail);
            }
            float[] a = rnd(len + 3), b = rnd(len + 1), d1 = rnd(2 * len + 7), d2 = d1.clone();
            vec.interleave2(a, 3, b, 1, d1, 4, len);
            ref.interleave2(a, 3, b, 1, d2, 4, len);
            assertArrayEquals(d2, d1, "interleave2 " + len);
        }
    }

    @Test
    void transposeEveryBlockShape() {
        float[] tt = new float[512];
        for (int rows = 1; rows <= 16; rows++) {
            for (int cols = 1; cols <= 16; cols++) {
                int srcStride = 19, dstStride = 16 + 3;
                float[] src = rnd(3 + (rows - 1) * srcStride + cols);   // the block ends at the end of src
                float[] d1 = new float[dstStride * 16 + 20], d2 = new float[d1.length];
                vec.transpose(src, 3, srcStride, d1, 2, dstStride, rows, cols, tt);
                ref.transpose(src, 3, srcStride, d2, 2, dstStride, rows, cols, tt);
                for (int c = 0; c < cols; c++) {
                    for (int rr = 0; rr < rows; rr++) {
                        assertEquals(d2[2 + c * dstStride + rr], d1[2 + c * dstStride + rr], "transpose " + rows + "x" + cols);
                    }
                }
            }
        }
    }

    @Test
    void microScatterAddsRowsAtTheirOffsets() {
        for (Kernels vec : allMicroKernels()) {
            int kc = 29, mr = vec.mr, nr = vec.nr, vl = vec.vl;
            float[] ap = rnd(kc * mr), bp = rnd(kc * nr);
            int[] rowOff = new int[mr + 3];
            for (int i = 0; i < rowOff.length; i++) rowOff[i] = 7 * i + (i % 3) * 40;   // overlapping, unordered rows
            float[] c1 = rnd(700), c2 = c1.clone();
            vec.microScatter(kc, ap, 0, bp, 0, c1, rowOff, 3, 5, 5 + vl + 9);
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < nr; j++) {
                    float sum = 0;
                    for (int k = 0; k < kc; k++) sum += ap[k * mr + i] * bp[k * nr + j];
                    c2[rowOff[3 + i] + (j < vl ? 5 + j : 5 + vl + 9 + j - vl)] += sum;
                }
            }
            for (int i = 0; i < c1.length; i++) assertEquals(c2[i], c1[i], 1e-4f * (1 + Math.abs(c2[i])), vec.describe() + " microScatter at " + i);
        }
    }

    @Test
    void microGatherReadsRowsInPlace() {
        for (Kernels vec : allMicroKernels()) {
            int kc = 23, mr = vec.mr, nr = vec.nr, vl = vec.vl, ldc = nr + 5;
            float[] ap = rnd(kc * mr), src = rnd(900);
            int[] rowOff = new int[kc + 4];
            for (int i = 0; i < rowOff.length; i++) rowOff[i] = (i * 37) % 500;
            int v0 = 11, v1 = 11 + vl + 17;
            for (boolean acc : new boolean[]{true, false}) {
                float[] c1 = rnd(mr * ldc + 10), c2 = c1.clone();
                vec.microGather(kc, ap, 0, src, rowOff, 4, v0, v1, c1, 3, 3 + vl, ldc, acc);
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        float sum = 0;
                        for (int k = 0; k < kc; k++) sum += ap[k * mr + i] * src[rowOff[4 + k] + (j < vl ? v0 + j : v1 + j - vl)];
                        int d = 3 + j + i * ldc;
                        c2[d] = (acc ? c2[d] : 0) + sum;
                    }
                }
                for (int i = 0; i < c1.length; i++) {
                    assertEquals(c2[i], c1[i], 1e-4f * (1 + Math.abs(c2[i])), vec.describe() + " microGather acc=" + acc + " at " + i);
                }
            }
        }
    }

    @Test
    void microKernelAccumulatesAndOverwrites() {
        for (Kernels vec : allMicroKernels()) {
            int kc = 37, mr = vec.mr, nr = vec.nr;
            float[] ap = rnd(kc * mr), bp = rnd(kc * nr);
            float[] c1 = rnd(mr * nr + 7), c2 = c1.clone();
            for (boolean acc : new boolean[]{true, false}) {
                vec.micro(kc, ap, 0, bp, 0, c1, 3, 3 + vec.vl, nr, acc);
                for (int i = 0; i < mr; i++) {
                    for (int j = 0; j < nr; j++) {
                        float sum = 0;
                        for (int k = 0; k < kc; k++) sum += ap[k * mr + i] * bp[k * nr + j];
                        c2[3 + i * nr + j] = (acc ? c2[3 + i * nr + j] : 0) + sum;
                    }
                }
                for (int i = 0; i < c1.length; i++) assertEquals(c2[i], c1[i], 1e-4f * (1 + Math.abs(c2[i])), vec.describe() + " micro acc=" + acc);
            }
        }
    }
}
