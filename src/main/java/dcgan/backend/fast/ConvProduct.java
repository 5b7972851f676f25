package dcgan.backend.fast;

/**
 * What the three convolution products (forward, input gradient, weight gradient) share: the micro-kernel
 * and its tile, the worker pool, the workspaces, the GEMM and the phase-plane builder.
 */
abstract class ConvProduct {
    final Kernels kern;
    final Workers workers;
    final Workspaces ws;
    final Gemm gemm;
    final PhasePlanes planes;
    /** Rows and columns of the micro-tile. */
    final int mr, nr;

    ConvProduct(Kernels kern, Workers workers, Workspaces ws, Gemm gemm, PhasePlanes planes) {
        this.kern = kern;
        this.workers = workers;
        this.ws = ws;
        this.gemm = gemm;
        this.planes = planes;
        this.mr = kern.mr;
        this.nr = kern.nr;
    }
}
