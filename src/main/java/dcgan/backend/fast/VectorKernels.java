package dcgan.backend.fast;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Kernels} on jdk.incubator.vector. The species is a constant (C2 compiles Vector API code to
 * vector instructions only for constant species): the platform's preferred one, or the one
 * -Ddcgan.vector.bits=128|256|512 names (the tests run every shape on every machine that way; a species
 * wider than the hardware is slow but correct). The micro-tile's rows come from the {@link Tile}.
 * Loaded only when the module is in the boot layer (see {@link VectorUnit#MODULE}).
 */
final class VectorKernels extends Kernels {
    static final VectorSpecies<Float> S = species();
    static final int VL = S.length();

    private static VectorSpecies<Float> species() {
        String bits = System.getProperty("dcgan.vector.bits", "").trim();
        if (bits.matches("128|256|512")) return VectorSpecies.of(float.class, VectorShape.forBitSize(Integer.parseInt(bits)));
        return FloatVector.SPECIES_PREFERRED;
    }

    /** Two-vector select indexes for the 16 x 16 transpose (stage b swaps off-diagonal b x b blocks). */
    private static final FloatVector[] T_LO = new FloatVector[4], T_HI = new FloatVector[4];
    /** Two-vector select indexes: even / odd lanes of a 2-vector window; interleave of two vectors. */
    private static final FloatVector EVEN, ODD, ZIP_LO, ZIP_HI;

    static {
        if (VL == 16) {
            for (int st = 0; st < 4; st++) {
                int b = 8 >> st;
                float[] lo = new float[16], hi = new float[16];
                for (int l = 0; l < 16; l++) {
                    boolean upper = (l & b) != 0;
                    lo[l] = upper ? (l - b) + 16 : l;
                    hi[l] = upper ? l + 16 : l + b;
                }
                T_LO[st] = FloatVector.fromArray(S, lo, 0);
                T_HI[st] = FloatVector.fromArray(S, hi, 0);
            }
        }
        float[] ev = new float[VL], od = new float[VL], zl = new float[VL], zh = new float[VL];
        for (int l = 0; l < VL; l++) {
            ev[l] = 2 * l;
            od[l] = 2 * l + 1;
            zl[l] = (l % 2 == 0) ? l / 2 : VL + l / 2;
            zh[l] = (l % 2 == 0) ? VL / 2 + l / 2 : VL + VL / 2 + l / 2;
        }
        EVEN = FloatVector.fromArray(S, ev, 0);
        ODD = FloatVector.fromArray(S, od, 0);
        ZIP_LO = FloatVector.fromArray(S, zl, 0);
        ZIP_HI = FloatVector.fromArray(S, zh, 0);
    }

    VectorKernels(int rows) {
        super(VL, rows);
    }

    @Override String describe() {
        return "Vector API " + S.vectorBitSize() + "-bit, " + mr + "x" + nr + " micro-kernel";
    }

    @Override
    void micro(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int v0, int v1,
               float[] c, int[] cRow, int cR0, int ldc, int w0, int w1, boolean acc) {
        if (mr == 12) micro12(kc, ap, aOff, b, bRow, bR0, v0, v1, c, cRow, cR0, ldc, w0, w1, acc);
        else micro6(kc, ap, aOff, b, bRow, bR0, v0, v1, c, cRow, cR0, ldc, w0, w1, acc);
    }

    /**
     * The 12 x 2-vector body of {@link #micro}, k unrolled by two (measured: +30% on 256- and 128-bit
     * vectors, +9% on 512-bit; each accumulator still sums its k terms in order). Not by four as micro6: that
     * body is too large and the run stalled. Keep it small: C1 must compile it (tier 3 bails out on large Vector API methods, which then run interpreted for long). The
     * stores are written out here, not in a helper taking a FloatVector: a helper C2 does not inline gets
     * its vectors boxed and runs the Vector API's Java fallback (seen on AVX2).
     */
    private static void micro12(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int v0, int v1,
                                float[] c, int[] cRow, int cR0, int ldc, int w0, int w1, boolean acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z, c80 = z, c81 = z, c90 = z, c91 = z, ca0 = z, ca1 = z, cb0 = z, cb1 = z;
        FloatVector a, b0, b1;
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            int bo = bRow[bR0 + k];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[aOff + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[aOff + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[aOff + 8]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[aOff + 9]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, ap[aOff + 10]); ca0 = a.fma(b0, ca0); ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(S, ap[aOff + 11]); cb0 = a.fma(b0, cb0); cb1 = a.fma(b1, cb1);
            bo = bRow[bR0 + k + 1];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 12]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 13]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 14]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 15]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 16]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 17]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[aOff + 18]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[aOff + 19]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[aOff + 20]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[aOff + 21]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, ap[aOff + 22]); ca0 = a.fma(b0, ca0); ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(S, ap[aOff + 23]); cb0 = a.fma(b0, cb0); cb1 = a.fma(b1, cb1);
            aOff += 24;
        }
        if (k < kc) {
            int bo = bRow[bR0 + k];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(S, ap[aOff + 6]); c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(S, ap[aOff + 7]); c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(S, ap[aOff + 8]); c80 = a.fma(b0, c80); c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(S, ap[aOff + 9]); c90 = a.fma(b0, c90); c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(S, ap[aOff + 10]); ca0 = a.fma(b0, ca0); ca1 = a.fma(b1, ca1);
            a = FloatVector.broadcast(S, ap[aOff + 11]); cb0 = a.fma(b0, cb0); cb1 = a.fma(b1, cb1);
        }
        int o;
        o = cRow == null ? 0 * ldc : cRow[cR0 + 0];
        (acc ? c00.add(FloatVector.fromArray(S, c, o + w0)) : c00).intoArray(c, o + w0);
        (acc ? c01.add(FloatVector.fromArray(S, c, o + w1)) : c01).intoArray(c, o + w1);
        o = cRow == null ? 1 * ldc : cRow[cR0 + 1];
        (acc ? c10.add(FloatVector.fromArray(S, c, o + w0)) : c10).intoArray(c, o + w0);
        (acc ? c11.add(FloatVector.fromArray(S, c, o + w1)) : c11).intoArray(c, o + w1);
        o = cRow == null ? 2 * ldc : cRow[cR0 + 2];
        (acc ? c20.add(FloatVector.fromArray(S, c, o + w0)) : c20).intoArray(c, o + w0);
        (acc ? c21.add(FloatVector.fromArray(S, c, o + w1)) : c21).intoArray(c, o + w1);
        o = cRow == null ? 3 * ldc : cRow[cR0 + 3];
        (acc ? c30.add(FloatVector.fromArray(S, c, o + w0)) : c30).intoArray(c, o + w0);
        (acc ? c31.add(FloatVector.fromArray(S, c, o + w1)) : c31).intoArray(c, o + w1);
        o = cRow == null ? 4 * ldc : cRow[cR0 + 4];
        (acc ? c40.add(FloatVector.fromArray(S, c, o + w0)) : c40).intoArray(c, o + w0);
        (acc ? c41.add(FloatVector.fromArray(S, c, o + w1)) : c41).intoArray(c, o + w1);
        o = cRow == null ? 5 * ldc : cRow[cR0 + 5];
        (acc ? c50.add(FloatVector.fromArray(S, c, o + w0)) : c50).intoArray(c, o + w0);
        (acc ? c51.add(FloatVector.fromArray(S, c, o + w1)) : c51).intoArray(c, o + w1);
        o = cRow == null ? 6 * ldc : cRow[cR0 + 6];
        (acc ? c60.add(FloatVector.fromArray(S, c, o + w0)) : c60).intoArray(c, o + w0);
        (acc ? c61.add(FloatVector.fromArray(S, c, o + w1)) : c61).intoArray(c, o + w1);
        o = cRow == null ? 7 * ldc : cRow[cR0 + 7];
        (acc ? c70.add(FloatVector.fromArray(S, c, o + w0)) : c70).intoArray(c, o + w0);
        (acc ? c71.add(FloatVector.fromArray(S, c, o + w1)) : c71).intoArray(c, o + w1);
        o = cRow == null ? 8 * ldc : cRow[cR0 + 8];
        (acc ? c80.add(FloatVector.fromArray(S, c, o + w0)) : c80).intoArray(c, o + w0);
        (acc ? c81.add(FloatVector.fromArray(S, c, o + w1)) : c81).intoArray(c, o + w1);
        o = cRow == null ? 9 * ldc : cRow[cR0 + 9];
        (acc ? c90.add(FloatVector.fromArray(S, c, o + w0)) : c90).intoArray(c, o + w0);
        (acc ? c91.add(FloatVector.fromArray(S, c, o + w1)) : c91).intoArray(c, o + w1);
        o = cRow == null ? 10 * ldc : cRow[cR0 + 10];
        (acc ? ca0.add(FloatVector.fromArray(S, c, o + w0)) : ca0).intoArray(c, o + w0);
        (acc ? ca1.add(FloatVector.fromArray(S, c, o + w1)) : ca1).intoArray(c, o + w1);
        o = cRow == null ? 11 * ldc : cRow[cR0 + 11];
        (acc ? cb0.add(FloatVector.fromArray(S, c, o + w0)) : cb0).intoArray(c, o + w0);
        (acc ? cb1.add(FloatVector.fromArray(S, c, o + w1)) : cb1).intoArray(c, o + w1);
    }

    /**
     * The 6 x 2-vector body of {@link #micro}, k unrolled by four, then two, then one (by two: +30% on 256- and
     * 128-bit vectors; by four: a further 10% on the tutorial's iteration with AVX2; each accumulator still sums
     * its k terms in order). Keep it small: C1 must
     * compile it (tier 3 bails out on large Vector API methods, which then run interpreted for long). The
     * stores are written out here, not in a helper taking a FloatVector: a helper C2 does not inline gets
     * its vectors boxed and runs the Vector API's Java fallback (seen on AVX2).
     */
    private static void micro6(int kc, float[] ap, int aOff, float[] b, int[] bRow, int bR0, int v0, int v1,
                                float[] c, int[] cRow, int cR0, int ldc, int w0, int w1, boolean acc) {
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        FloatVector a, b0, b1;
        int k = 0;
        for (; k + 3 < kc; k += 4) {
            int bo = bRow[bR0 + k];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            bo = bRow[bR0 + k + 1];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 6]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 7]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 8]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 9]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 10]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 11]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            bo = bRow[bR0 + k + 2];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 12]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 13]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 14]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 15]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 16]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 17]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            bo = bRow[bR0 + k + 3];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 18]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 19]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 20]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 21]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 22]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 23]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            aOff += 24;
        }
        for (; k + 1 < kc; k += 2) {
            int bo = bRow[bR0 + k];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            bo = bRow[bR0 + k + 1];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 6]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 7]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 8]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 9]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 10]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 11]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            aOff += 12;
        }
        if (k < kc) {
            int bo = bRow[bR0 + k];
            b0 = FloatVector.fromArray(S, b, bo + v0);
            b1 = FloatVector.fromArray(S, b, bo + v1);
            a = FloatVector.broadcast(S, ap[aOff + 0]); c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(S, ap[aOff + 1]); c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(S, ap[aOff + 2]); c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(S, ap[aOff + 3]); c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(S, ap[aOff + 4]); c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(S, ap[aOff + 5]); c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
        }
        int o;
        o = cRow == null ? 0 * ldc : cRow[cR0 + 0];
        (acc ? c00.add(FloatVector.fromArray(S, c, o + w0)) : c00).intoArray(c, o + w0);
        (acc ? c01.add(FloatVector.fromArray(S, c, o + w1)) : c01).intoArray(c, o + w1);
        o = cRow == null ? 1 * ldc : cRow[cR0 + 1];
        (acc ? c10.add(FloatVector.fromArray(S, c, o + w0)) : c10).intoArray(c, o + w0);
        (acc ? c11.add(FloatVector.fromArray(S, c, o + w1)) : c11).intoArray(c, o + w1);
        o = cRow == null ? 2 * ldc : cRow[cR0 + 2];
        (acc ? c20.add(FloatVector.fromArray(S, c, o + w0)) : c20).intoArray(c, o + w0);
        (acc ? c21.add(FloatVector.fromArray(S, c, o + w1)) : c21).intoArray(c, o + w1);
        o = cRow == null ? 3 * ldc : cRow[cR0 + 3];
        (acc ? c30.add(FloatVector.fromArray(S, c, o + w0)) : c30).intoArray(c, o + w0);
        (acc ? c31.add(FloatVector.fromArray(S, c, o + w1)) : c31).intoArray(c, o + w1);
        o = cRow == null ? 4 * ldc : cRow[cR0 + 4];
        (acc ? c40.add(FloatVector.fromArray(S, c, o + w0)) : c40).intoArray(c, o + w0);
        (acc ? c41.add(FloatVector.fromArray(S, c, o + w1)) : c41).intoArray(c, o + w1);
        o = cRow == null ? 5 * ldc : cRow[cR0 + 5];
        (acc ? c50.add(FloatVector.fromArray(S, c, o + w0)) : c50).intoArray(c, o + w0);
        (acc ? c51.add(FloatVector.fromArray(S, c, o + w1)) : c51).intoArray(c, o + w1);
    }

    /**
     * Half and quarter vectors for the short runs of small layers (ow = 8 or 4): no lane masks needed.
     * Used only when narrower than S (so never wider than the hardware).
     */
    static final VectorSpecies<Float> S8 = FloatVector.SPECIES_256, S4 = FloatVector.SPECIES_128;

    @Override
    void copy(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        for (; i <= len - VL; i += VL) FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        if (i < len) {
            int r = len - i;
            if (r == 8 && VL > 8) {
                FloatVector.fromArray(S8, src, s + i).intoArray(dst, d + i);
            } else if (r == 4 && VL > 4) {
                FloatVector.fromArray(S4, src, s + i).intoArray(dst, d + i);
            } else {
                VectorMask<Float> m = S.indexInRange(i, len);
                FloatVector.fromArray(S, src, s + i, m).intoArray(dst, d + i, m);
            }
        }
    }

    @Override
    void add(float[] src, int s, float[] dst, int d, int len) {
        int i = 0;
        for (; i <= len - VL; i += VL) {
            FloatVector.fromArray(S, dst, d + i).add(FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        if (i < len) {
            int r = len - i;
            if (r == 8 && VL > 8) {
                FloatVector.fromArray(S8, dst, d + i).add(FloatVector.fromArray(S8, src, s + i)).intoArray(dst, d + i);
            } else if (r == 4 && VL > 4) {
                FloatVector.fromArray(S4, dst, d + i).add(FloatVector.fromArray(S4, src, s + i)).intoArray(dst, d + i);
            } else {
                VectorMask<Float> m = S.indexInRange(i, len);
                FloatVector.fromArray(S, dst, d + i, m).add(FloatVector.fromArray(S, src, s + i, m)).intoArray(dst, d + i, m);
            }
        }
    }

    @Override
    void zero(float[] dst, int d, int len) {
        FloatVector z = FloatVector.zero(S);
        int i = 0;
        for (; i <= len - VL; i += VL) z.intoArray(dst, d + i);
        for (; i < len; i++) dst[d + i] = 0f;
    }

    /**
     * 16 x 16 transpose in four stages of two-vector selects (stage b swaps the off-diagonal b x b blocks
     * of each 2b x 2b block). Two straight-line halves joined through a 512-float temporary: one method
     * with all four stages is too big for C1 (tier 3 bails out and the method then never reaches C2).
     */
    @Override
    void transpose(float[] src, int s, int srcStride, float[] dst, int d, int dstStride, int rows, int cols, float[] tmp) {
        if (VL != 16 || rows < 4 || cols < 4) {
            super.transpose(src, s, srcStride, dst, d, dstStride, rows, cols, tmp);
            return;
        }
        if (rows == 16 && cols == 16) {
            transposeFirstFull(src, s, srcStride, tmp);
        } else {
            // an edge block: zero-padded into the second half of tmp first (keeps the code small for C1)
            if (cols == 16) {
                for (int r = 0; r < rows; r++) FloatVector.fromArray(S, src, s + r * srcStride).intoArray(tmp, 256 + r * 16);
            } else {
                VectorMask<Float> m = S.indexInRange(0, cols);
                for (int r = 0; r < rows; r++) FloatVector.fromArray(S, src, s + r * srcStride, m).intoArray(tmp, 256 + r * 16);
            }
            FloatVector z = FloatVector.zero(S);
            for (int r = rows; r < 16; r++) z.intoArray(tmp, 256 + r * 16);
            transposeFirstFull(tmp, 256, 16, tmp);
        }
        transposeSecond(tmp, dst, d, dstStride, cols);
    }

    /** Loads 16 full rows, runs stages 8 and 4, stores into tmp. */
    private static void transposeFirstFull(float[] src, int s, int ss, float[] tmp) {
        FloatVector v0 = FloatVector.fromArray(S, src, s + 0 * ss), v1 = FloatVector.fromArray(S, src, s + 1 * ss), v2 = FloatVector.fromArray(S, src, s + 2 * ss), v3 = FloatVector.fromArray(S, src, s + 3 * ss), v4 = FloatVector.fromArray(S, src, s + 4 * ss), v5 = FloatVector.fromArray(S, src, s + 5 * ss), v6 = FloatVector.fromArray(S, src, s + 6 * ss), v7 = FloatVector.fromArray(S, src, s + 7 * ss), v8 = FloatVector.fromArray(S, src, s + 8 * ss), v9 = FloatVector.fromArray(S, src, s + 9 * ss), va = FloatVector.fromArray(S, src, s + 10 * ss), vb = FloatVector.fromArray(S, src, s + 11 * ss), vc = FloatVector.fromArray(S, src, s + 12 * ss), vd = FloatVector.fromArray(S, src, s + 13 * ss), ve = FloatVector.fromArray(S, src, s + 14 * ss), vf = FloatVector.fromArray(S, src, s + 15 * ss);
        FloatVector t0, t1, lo, hi;
        lo = T_LO[0];
        hi = T_HI[0];
        t0 = lo.selectFrom(v0, v8); t1 = hi.selectFrom(v0, v8); v0 = t0; v8 = t1;
        t0 = lo.selectFrom(v1, v9); t1 = hi.selectFrom(v1, v9); v1 = t0; v9 = t1;
        t0 = lo.selectFrom(v2, va); t1 = hi.selectFrom(v2, va); v2 = t0; va = t1;
        t0 = lo.selectFrom(v3, vb); t1 = hi.selectFrom(v3, vb); v3 = t0; vb = t1;
        t0 = lo.selectFrom(v4, vc); t1 = hi.selectFrom(v4, vc); v4 = t0; vc = t1;
        t0 = lo.selectFrom(v5, vd); t1 = hi.selectFrom(v5, vd); v5 = t0; vd = t1;
        t0 = lo.selectFrom(v6, ve); t1 = hi.selectFrom(v6, ve); v6 = t0; ve = t1;
        t0 = lo.selectFrom(v7, vf); t1 = hi.selectFrom(v7, vf); v7 = t0; vf = t1;
        lo = T_LO[1];
        hi = T_HI[1];
        t0 = lo.selectFrom(v0, v4); t1 = hi.selectFrom(v0, v4); v0 = t0; v4 = t1;
        t0 = lo.selectFrom(v1, v5); t1 = hi.selectFrom(v1, v5); v1 = t0; v5 = t1;
        t0 = lo.selectFrom(v2, v6); t1 = hi.selectFrom(v2, v6); v2 = t0; v6 = t1;
        t0 = lo.selectFrom(v3, v7); t1 = hi.selectFrom(v3, v7); v3 = t0; v7 = t1;
        t0 = lo.selectFrom(v8, vc); t1 = hi.selectFrom(v8, vc); v8 = t0; vc = t1;
        t0 = lo.selectFrom(v9, vd); t1 = hi.selectFrom(v9, vd); v9 = t0; vd = t1;
        t0 = lo.selectFrom(va, ve); t1 = hi.selectFrom(va, ve); va = t0; ve = t1;
        t0 = lo.selectFrom(vb, vf); t1 = hi.selectFrom(vb, vf); vb = t0; vf = t1;
        v0.intoArray(tmp, 0);
        v1.intoArray(tmp, 16);
        v2.intoArray(tmp, 32);
        v3.intoArray(tmp, 48);
        v4.intoArray(tmp, 64);
        v5.intoArray(tmp, 80);
        v6.intoArray(tmp, 96);
        v7.intoArray(tmp, 112);
        v8.intoArray(tmp, 128);
        v9.intoArray(tmp, 144);
        va.intoArray(tmp, 160);
        vb.intoArray(tmp, 176);
        vc.intoArray(tmp, 192);
        vd.intoArray(tmp, 208);
        ve.intoArray(tmp, 224);
        vf.intoArray(tmp, 240);
    }

    /** Runs stages 2 and 1 on tmp and stores the first cols result rows. */
    private static void transposeSecond(float[] tmp, float[] dst, int d, int ds, int cols) {
        FloatVector v0 = FloatVector.fromArray(S, tmp, 0), v1 = FloatVector.fromArray(S, tmp, 16), v2 = FloatVector.fromArray(S, tmp, 32), v3 = FloatVector.fromArray(S, tmp, 48), v4 = FloatVector.fromArray(S, tmp, 64), v5 = FloatVector.fromArray(S, tmp, 80), v6 = FloatVector.fromArray(S, tmp, 96), v7 = FloatVector.fromArray(S, tmp, 112), v8 = FloatVector.fromArray(S, tmp, 128), v9 = FloatVector.fromArray(S, tmp, 144), va = FloatVector.fromArray(S, tmp, 160), vb = FloatVector.fromArray(S, tmp, 176), vc = FloatVector.fromArray(S, tmp, 192), vd = FloatVector.fromArray(S, tmp, 208), ve = FloatVector.fromArray(S, tmp, 224), vf = FloatVector.fromArray(S, tmp, 240);
        FloatVector t0, t1, lo, hi;
        lo = T_LO[2];
        hi = T_HI[2];
        t0 = lo.selectFrom(v0, v2); t1 = hi.selectFrom(v0, v2); v0 = t0; v2 = t1;
        t0 = lo.selectFrom(v1, v3); t1 = hi.selectFrom(v1, v3); v1 = t0; v3 = t1;
        t0 = lo.selectFrom(v4, v6); t1 = hi.selectFrom(v4, v6); v4 = t0; v6 = t1;
        t0 = lo.selectFrom(v5, v7); t1 = hi.selectFrom(v5, v7); v5 = t0; v7 = t1;
        t0 = lo.selectFrom(v8, va); t1 = hi.selectFrom(v8, va); v8 = t0; va = t1;
        t0 = lo.selectFrom(v9, vb); t1 = hi.selectFrom(v9, vb); v9 = t0; vb = t1;
        t0 = lo.selectFrom(vc, ve); t1 = hi.selectFrom(vc, ve); vc = t0; ve = t1;
        t0 = lo.selectFrom(vd, vf); t1 = hi.selectFrom(vd, vf); vd = t0; vf = t1;
        lo = T_LO[3];
        hi = T_HI[3];
        t0 = lo.selectFrom(v0, v1); t1 = hi.selectFrom(v0, v1); v0 = t0; v1 = t1;
        t0 = lo.selectFrom(v2, v3); t1 = hi.selectFrom(v2, v3); v2 = t0; v3 = t1;
        t0 = lo.selectFrom(v4, v5); t1 = hi.selectFrom(v4, v5); v4 = t0; v5 = t1;
        t0 = lo.selectFrom(v6, v7); t1 = hi.selectFrom(v6, v7); v6 = t0; v7 = t1;
        t0 = lo.selectFrom(v8, v9); t1 = hi.selectFrom(v8, v9); v8 = t0; v9 = t1;
        t0 = lo.selectFrom(va, vb); t1 = hi.selectFrom(va, vb); va = t0; vb = t1;
        t0 = lo.selectFrom(vc, vd); t1 = hi.selectFrom(vc, vd); vc = t0; vd = t1;
        t0 = lo.selectFrom(ve, vf); t1 = hi.selectFrom(ve, vf); ve = t0; vf = t1;
        v0.intoArray(dst, d + 0 * ds);
        v1.intoArray(dst, d + 1 * ds);
        v2.intoArray(dst, d + 2 * ds);
        v3.intoArray(dst, d + 3 * ds);
        if (cols > 4) v4.intoArray(dst, d + 4 * ds);
        if (cols > 5) v5.intoArray(dst, d + 5 * ds);
        if (cols > 6) v6.intoArray(dst, d + 6 * ds);
        if (cols > 7) v7.intoArray(dst, d + 7 * ds);
        if (cols > 8) v8.intoArray(dst, d + 8 * ds);
        if (cols > 9) v9.intoArray(dst, d + 9 * ds);
        if (cols > 10) va.intoArray(dst, d + 10 * ds);
        if (cols > 11) vb.intoArray(dst, d + 11 * ds);
        if (cols > 12) vc.intoArray(dst, d + 12 * ds);
        if (cols > 13) vd.intoArray(dst, d + 13 * ds);
        if (cols > 14) ve.intoArray(dst, d + 14 * ds);
        if (cols > 15) vf.intoArray(dst, d + 15 * ds);
    }

    @Override
    void gatherStrided(float[] src, int s, int stride, float[] dst, int d, int len) {
        int j = 0;
        if (stride == 2) {
            for (; j + VL <= len; j += VL) {
                // the 2-vector window s + 2j .. s + 2j + 2VL - 1; its last (odd) lane may lie past the array
                int o = s + 2 * j;
                FloatVector a = FloatVector.fromArray(S, src, o), b;
                if (o + 2 * VL <= src.length) b = FloatVector.fromArray(S, src, o + VL);
                else b = FloatVector.fromArray(S, src, o + VL, S.indexInRange(0, VL - 1));
                EVEN.selectFrom(a, b).intoArray(dst, d + j);
            }
            int r = len - j;
            if (r > 0) {   // the even lanes 0, 2, .., 2r-2 of the window
                int o = s + 2 * j, n = 2 * r - 1;
                FloatVector a = FloatVector.fromArray(S, src, o, S.indexInRange(0, Math.min(VL, n)));
                FloatVector b = n > VL ? FloatVector.fromArray(S, src, o + VL, S.indexInRange(0, n - VL)) : FloatVector.zero(S);
                EVEN.selectFrom(a, b).intoArray(dst, d + j, S.indexInRange(0, r));
            }
            return;
        }
        for (; j < len; j++) dst[d + j] = src[s + stride * j];
    }

    @Override
    void deinterleave2(float[] src, int s, float[] a, int ao, float[] b, int bo, int pairs) {
        int j = 0;
        for (; j + VL <= pairs; j += VL) {
            FloatVector x = FloatVector.fromArray(S, src, s + 2 * j), y = FloatVector.fromArray(S, src, s + 2 * j + VL);
            EVEN.selectFrom(x, y).intoArray(a, ao + j);
            ODD.selectFrom(x, y).intoArray(b, bo + j);
        }
        int r = pairs - j;
        if (VL == 16 && (r == 8 || r == 4) && s + 2 * j + VL <= src.length) {
            // one 16-float window, no masks: even / odd lanes land in the low half
            FloatVector x = FloatVector.fromArray(S, src, s + 2 * j);
            FloatVector e = EVEN.selectFrom(x, x), od = ODD.selectFrom(x, x);
            if (r == 8) {
                ((FloatVector) e.reinterpretShape(S8, 0)).intoArray(a, ao + j);
                ((FloatVector) od.reinterpretShape(S8, 0)).intoArray(b, bo + j);
            } else {
                ((FloatVector) e.reinterpretShape(S4, 0)).intoArray(a, ao + j);
                ((FloatVector) od.reinterpretShape(S4, 0)).intoArray(b, bo + j);
            }
            return;
        }
        if (r > 0) {
            int o = s + 2 * j;
            FloatVector x = FloatVector.fromArray(S, src, o, S.indexInRange(0, Math.min(VL, 2 * r)));
            FloatVector y = 2 * r > VL ? FloatVector.fromArray(S, src, o + VL, S.indexInRange(0, 2 * r - VL)) : FloatVector.zero(S);
            VectorMask<Float> m = S.indexInRange(0, r);
            EVEN.selectFrom(x, y).intoArray(a, ao + j, m);
            ODD.selectFrom(x, y).intoArray(b, bo + j, m);
        }
    }

    @Override
    void interleave2(float[] a, int ao, float[] b, int bo, float[] dst, int d, int pairs) {
        int j = 0;
        for (; j + VL <= pairs; j += VL) {
            FloatVector x = FloatVector.fromArray(S, a, ao + j), y = FloatVector.fromArray(S, b, bo + j);
            ZIP_LO.selectFrom(x, y).intoArray(dst, d + 2 * j);
            ZIP_HI.selectFrom(x, y).intoArray(dst, d + 2 * j + VL);
        }
        int r = pairs - j;
        if (VL == 16 && (r == 8 || r == 4)) {
            // half / quarter vectors widened to 16 lanes (upper lanes zero), zipped, low 2r lanes stored
            FloatVector x, y;
            if (r == 8) {
                x = (FloatVector) FloatVector.fromArray(S8, a, ao + j).reinterpretShape(S, 0);
                y = (FloatVector) FloatVector.fromArray(S8, b, bo + j).reinterpretShape(S, 0);
                ZIP_LO.selectFrom(x, y).intoArray(dst, d + 2 * j);
            } else {
                x = (FloatVector) FloatVector.fromArray(S4, a, ao + j).reinterpretShape(S, 0);
                y = (FloatVector) FloatVector.fromArray(S4, b, bo + j).reinterpretShape(S, 0);
                ((FloatVector) ZIP_LO.selectFrom(x, y).reinterpretShape(S8, 0)).intoArray(dst, d + 2 * j);
            }
            return;
        }
        if (r > 0) {
            VectorMask<Float> m = S.indexInRange(0, r);
            FloatVector x = FloatVector.fromArray(S, a, ao + j, m), y = FloatVector.fromArray(S, b, bo + j, m);
            ZIP_LO.selectFrom(x, y).intoArray(dst, d + 2 * j, S.indexInRange(0, Math.min(VL, 2 * r)));
            if (2 * r > VL) ZIP_HI.selectFrom(x, y).intoArray(dst, d + 2 * j + VL, S.indexInRange(0, 2 * r - VL));
        }
    }
}
