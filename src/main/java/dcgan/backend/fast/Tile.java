package dcgan.backend.fast;

/**
 * The GEMM micro-tile the fast backend runs: {@code rows} rows of A times {@code vectors} vectors of
 * {@code lanes} floats of B, held in rows x vectors accumulator registers. Packing (A panels of
 * {@code rows}, B strips of {@link #cols()}), the macro-kernel and the convolution lowering all read it.
 *
 * <p>The table of shapes (each has a straight-line body in {@link VectorKernels}, and each is tested):
 * <ul>
 * <li>12 x 2 vectors: 24 accumulators + 2 B vectors + 1 broadcast = 27 registers, for 32-register files
 *     (AVX-512, AArch64 NEON/SVE);</li>
 * <li>6 x 2 vectors: 12 + 2 + 1 = 15 registers, for 16-register files (AVX2, AVX, SSE); 12 x 2 would
 *     spill there.</li>
 * </ul>
 * {@code lanes == 0} means the scalar kernels (no Vector API, or one that is not compiled to vector code).
 */
public record Tile(int lanes, int rows, int vectors) {
    /** Micro-tile row counts that have a vector body. */
    static final int[] ROWS = {12, 6};

    public Tile {
        if (rows != 12 && rows != 6) throw new IllegalArgumentException("no micro-kernel with " + rows + " rows (have 12 and 6)");
        if (vectors != 2) throw new IllegalArgumentException("micro-kernels are 2 vectors wide");
    }

    /** Columns of a B strip. */
    public int cols() {
        return vectors * (lanes == 0 ? 8 : lanes);   // the scalar kernels work on 8-float "vectors"
    }

    public boolean scalar() {
        return lanes == 0;
    }

    /** Rows for a register file of the given size. */
    static int rowsFor(int registers) {
        return registers >= 32 ? 12 : 6;
    }

    /**
     * The tile for this JVM: the preferred species (or -Ddcgan.vector.bits=128|256|512, which the
     * tests use to run every shape on every machine) and rows for its register file (or
     * -Ddcgan.tile.rows=6|12); scalar when the Vector API would not be compiled to vector code.
     */
    public static Tile selected() {
        return Selected.TILE;
    }

    /** Why the scalar kernels run, or null when the vector ones do. */
    public static String scalarReason() {
        return Selected.REASON;
    }

    public String describe() {
        if (scalar()) return "scalar kernels, " + rows + "x" + cols() + " tile";
        return (lanes * 32) + "-bit vectors (" + lanes + " floats), " + rows + "x" + vectors + "-vector tile (" + rows + "x" + cols() + ")";
    }

    private static final class Selected {
        static final String REASON;
        static final Tile TILE;

        static {
            String forced = System.getProperty("dcgan.vector.bits", "").trim();
            String reason = forced.equals("scalar") ? "-Ddcgan.vector.bits=scalar" : VectorUnit.notCompiledReason();
            if (!forced.isEmpty() && !forced.equals("scalar") && VectorUnit.MODULE) reason = null;   // tests: any species, even slow
            int rows = Integer.getInteger("dcgan.tile.rows", rowsFor(VectorUnit.registers()));
            REASON = reason;
            TILE = new Tile(reason == null ? VectorKernels.VL : 0, rows, 2);
        }
    }
}
