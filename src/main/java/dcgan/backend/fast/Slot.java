package dcgan.backend.fast;

/** One thread's workspaces (a {@link Workers} slot): each grows to the largest request and is then reused. */
final class Slot {
    float[] b = new float[0];       // packed B block
    float[] pp = new float[0];      // phase planes of the item's images
    float[] dcol = new float[0];    // GEMM output before col2im
    float[] t = new float[0];       // small temporaries
    float[] a = new float[0];       // per-item packed A
    final float[] scratch;
    final float[] tt = new float[512];      // transpose temporary
    final float[] two = new float[2];
    final float[] t256 = new float[256];
    int[] posOff = new int[0];
    int[] colOff = new int[0];
    boolean[] fast = new boolean[0];
    int[] seg = new int[0];         // segments: (srcOffset, dstOffset, length) triples
    int[] segStart = new int[0];    // first triple of each strip

    Slot(int tileFloats) {
        scratch = new float[tileFloats];
    }

    long bytes() {
        return 4L * (b.length + pp.length + dcol.length + t.length + a.length + scratch.length + tt.length + two.length
                + t256.length + colOff.length + seg.length + segStart.length + posOff.length) + fast.length;
    }

    int[] posOff(int n) { if (posOff.length < n) posOff = new int[n]; return posOff; }
    float[] b(int n) { if (b.length < n) b = new float[n]; return b; }
    float[] pp(int n) { if (pp.length < n) pp = new float[n]; return pp; }
    float[] dcol(int n) { if (dcol.length < n) dcol = new float[n]; return dcol; }
    float[] t(int n) { if (t.length < n) t = new float[n]; return t; }
    float[] a(int n) { if (a.length < n) a = new float[n]; return a; }
    int[] colOff(int n) { if (colOff.length < n) colOff = new int[n]; return colOff; }
    boolean[] fast(int n) { if (fast.length < n) fast = new boolean[n]; return fast; }
    int[] seg(int n) { if (seg.length < n) seg = new int[n]; return seg; }
    int[] segStart(int n) { if (segStart.length < n) segStart = new int[n]; return segStart; }
}
