package dcgan.backend.fast;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;

/**
 * The CPU's vector unit as this JVM sees it: the ISA C2 compiles for (its flags, not the CPU's), the
 * preferred vector width of jdk.incubator.vector, the number of vector registers, and whether Vector API
 * code is compiled to real vector instructions at all. Read once at start; never loads the incubator
 * module's classes unless that module is in the boot layer.
 */
public final class VectorUnit {
    private VectorUnit() {
    }

    /** Whether jdk.incubator.vector is in the boot layer (java ran with --add-modules jdk.incubator.vector). */
    public static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private static final String ARCH = System.getProperty("os.arch", "");
    private static final boolean X86 = ARCH.equals("amd64") || ARCH.equals("x86_64");
    private static final boolean ARM = ARCH.equals("aarch64") || ARCH.equals("arm64");

    /** x86: C2's UseAVX (0 SSE only, 1 AVX, 2 AVX2, 3 AVX-512); -1 elsewhere or unknown. */
    static final int USE_AVX = intFlag("UseAVX", -1);
    /** Bytes C2 may put in one vector (MaxVectorSize); -1 if unknown. */
    static final int MAX_VECTOR_BYTES = intFlag("MaxVectorSize", -1);

    /** The ISA name, e.g. "AVX-512", "AVX2+FMA", "SSE", "NEON". */
    public static String isa() {
        if (X86) {
            return switch (USE_AVX) {
                case 0 -> "SSE";
                case 1 -> "AVX";
                case 2 -> boolFlag("UseFMA", false) ? "AVX2+FMA" : "AVX2";
                case -1 -> "x86 (unknown)";
                default -> "AVX-512";
            };
        }
        if (ARM) return intFlag("UseSVE", 0) > 0 ? "SVE" : "NEON";
        return ARCH;
    }

    /**
     * Vector registers C2 allocates: 32 on AArch64 and on x86 with AVX-512 (it uses xmm/ymm/zmm16-31 only
     * then), 16 on other x86.
     */
    public static int registers() {
        if (ARM) return 32;
        if (X86) return USE_AVX >= 3 ? 32 : 16;
        return 16;
    }

    /** Bits of jdk.incubator.vector's preferred float species (0 without the module). */
    public static int preferredBits() {
        return MODULE ? Preferred.BITS : 0;
    }

    /**
     * Why Vector API code would not run as vector instructions here, or null if it does: without the
     * module, without C2 (-Xint, -XX:TieredStopAtLevel below 4, C1 only), without FMA instructions (C2
     * then computes FloatVector.fma lane by lane), or with vectors under 128 bits.
     */
    public static String notCompiledReason() {
        if (!MODULE) return "jdk.incubator.vector is not in the boot layer";
        if (!boolFlag("UseCompiler", true)) return "the JIT is off (-Xint)";
        if (intFlag("TieredStopAtLevel", 4) < 4 && boolFlag("TieredCompilation", true)) return "C2 is off (-XX:TieredStopAtLevel < 4)";
        if (!boolFlag("UseFMA", true)) return "no FMA instructions (" + isa() + ")";
        if (preferredBits() < 128) return "vectors of " + preferredBits() + " bits (MaxVectorSize " + MAX_VECTOR_BYTES + ")";
        return null;
    }

    /** One line: ISA, vector width, registers. */
    public static String describe() {
        String s = isa() + ", " + registers() + " vector registers";
        if (MODULE) s += ", preferred species " + preferredBits() + "-bit (" + preferredBits() / 32 + " floats)";
        else s += ", no jdk.incubator.vector";
        return s;
    }

    private static final class Preferred {
        static final int BITS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    private static String flag(String name) {
        try {
            HotSpotDiagnosticMXBean b = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return b == null ? null : b.getVMOption(name).getValue();
        } catch (RuntimeException | LinkageError e) {   // no such flag on this platform / VM
            return null;
        }
    }

    private static int intFlag(String name, int dflt) {
        String v = flag(name);
        try {
            return v == null ? dflt : Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    private static boolean boolFlag(String name, boolean dflt) {
        String v = flag(name);
        return v == null ? dflt : Boolean.parseBoolean(v.trim());
    }
}
