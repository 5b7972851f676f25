package dcgan.backend.fast;

import dcgan.kernels.BatchNorm2d;

import static dcgan.backend.fast.ElementwiseOps.CHUNK;
import static dcgan.backend.fast.Gemm.ceilDiv;

/**
 * BatchNorm2d on the Vector API ({@link VectorElementwise}), split over the threads: the per-channel reductions
 * (statistics, the backward sums) one item per group of channels, each channel summed by one thread; the
 * per-plane work (normalise, eval, input gradient) one item per group of (image, channel) planes. Used only when
 * the Vector API is compiled; else the facade calls the reference.
 */
final class BatchNormOps {
    private final Workers workers;
    private final Workspaces ws;

    BatchNormOps(Workers workers, Workspaces ws) {
        this.workers = workers;
        this.ws = ws;
    }

    /** Channels per item: at least two items per thread, at most about 4 chunks of elements per item. */
    private int perItem(int n, int c, int hw) {
        return Math.max(1, Math.min(ceilDiv(c, 2 * workers.threads()), ceilDiv(4 * CHUNK, n * hw)));
    }

    void stats(float[] x, float[] mean, float[] invstd, float[] runMean, float[] runVar, int n, int c, int hw) {
        int per = perItem(n, c, hw), count = n * hw;
        workers.run(ceilDiv(c, per), (item, slot) -> {
            for (int ch = item * per, end = Math.min(c, ch + per); ch < end; ch++) {
                float mu = VectorElementwise.sum(x, ch * hw, c * hw, n, hw) / count;
                float sq = VectorElementwise.sumSq(x, ch * hw, c * hw, n, hw, mu);
                float var = sq / count;
                mean[ch] = mu;
                invstd[ch] = 1f / (float) Math.sqrt(var + BatchNorm2d.EPS);
                runMean[ch] = BatchNorm2d.runningMean(runMean[ch], mu);
                runVar[ch] = BatchNorm2d.runningVar(runVar[ch], sq, count);
            }
        });
    }

    void backwardReduce(float[] x, float[] dy, float[] mean, float[] invstd, float[] sumDy, float[] sumDyXhat,
                        float[] dgamma, float[] dbeta, int n, int c, int hw) {
        int per = perItem(n, c, hw);
        workers.run(ceilDiv(c, per), (item, slot) -> {
            float[] two = ws.slot(slot).two;
            for (int ch = item * per, end = Math.min(c, ch + per); ch < end; ch++) {
                VectorElementwise.sumDy(x, dy, ch * hw, c * hw, n, hw, mean[ch], two);
                float sdy = two[0], sdyx = two[1] * invstd[ch];
                sumDy[ch] = sdy;
                sumDyXhat[ch] = sdyx;
                dgamma[ch] += sdyx;
                dbeta[ch] += sdy;
            }
        });
    }

    /** Planes (one image's channel) per item. */
    private static int planesPerItem(int hw) {
        return Math.max(1, CHUNK / Math.max(1, hw));
    }

    void normalize(float[] x, float[] y, float[] mean, float[] invstd, float[] gamma, float[] beta, int n, int c, int hw) {
        int planes = n * c, per = planesPerItem(hw);
        workers.run(ceilDiv(planes, per), (item, slot) -> {
            for (int pl = item * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                int ch = pl % c;
                VectorElementwise.affine(x, y, pl * hw, hw, mean[ch], invstd[ch] * gamma[ch], beta[ch]);
            }
        });
    }

    void forwardEval(float[] x, float[] y, float[] runMean, float[] runVar, float[] gamma, float[] beta, int n, int c, int hw) {
        int planes = n * c, per = planesPerItem(hw);
        workers.run(ceilDiv(planes, per), (item, slot) -> {
            for (int pl = item * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                int ch = pl % c;
                VectorElementwise.affine(x, y, pl * hw, hw, runMean[ch], gamma[ch] / (float) Math.sqrt(runVar[ch] + BatchNorm2d.EPS), beta[ch]);
            }
        });
    }

    void backwardInput(float[] x, float[] dy, float[] dx, float[] mean, float[] invstd, float[] gamma,
                       float[] sumDy, float[] sumDyXhat, int n, int c, int hw) {
        int planes = n * c, per = planesPerItem(hw);
        workers.run(ceilDiv(planes, per), (item, slot) -> {
            for (int pl = item * per, end = Math.min(planes, pl + per); pl < end; pl++) {
                int ch = pl % c;
                float count = planes / c * hw, is = invstd[ch], gi = gamma[ch] * is;
                VectorElementwise.bnBackward(x, dy, dx, pl * hw, hw, mean[ch], gi, gi / count * is * sumDyXhat[ch], gi / count * sumDy[ch]);
            }
        });
    }
}
