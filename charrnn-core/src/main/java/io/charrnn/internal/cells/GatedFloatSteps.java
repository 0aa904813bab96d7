package io.charrnn.internal.cells;

import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * {@link NdGatedKernel}'s FLOAT steps: each step's gate block [B, G·H] is split on its way out of
 * the GEMM's buffer into one zero-based {@code float[B·H]} per gate (bulk copies of H floats), so
 * that {@link FloatCells}' loops vectorise, and the activations go back over the pre-activations
 * in {@code zx[l]} (the GRU's h·Whn + bhn over its block of {@code zh[l]}): the window's
 * activations are kept once, off the heap, where the backward pass gathers them again and then
 * writes the step's gate gradients over them the same way. On the heap stay only one step's
 * scratch arrays and the LSTM's c for every step; the backward step recomputes tanh(c).
 *
 * <p>The host views of the kernel's buffers are made once, here (ND4J's buffer objects are not
 * meant for concurrent use; the views' absolute gets and puts of disjoint rows are).
 *
 * <p>Large steps are split by rows (streams) between this thread, {@code [0, B/2)}, and the step
 * helper ({@link StepWorker}), {@code [B/2, B)}; see {@link NdGatedKernel#SPLIT_MIN_ELEMENTS}.
 */
final class GatedFloatSteps extends GatedSteps {
    private final float[][] act; // [gate][B·H]: the current step's pre-activations, then activations
    private final float[][][] cells; // LSTM [l][t], t = 0..T: c_t, c_0 the carried state
    private final float[] tanhCell; // LSTM: tanh(c_t) of the current step, recomputed by the backward step
    private final float[] hn; // GRU: h·Whn + bhn of the current step
    private final float[][][] bhRep; // GRU [l][gate]: bh repeated for every row
    private final float[][] biasRep; // [gate][B·H]: the current layer's bias repeated for every row
    private final float[][] hh; // GRU: h·Whr + bhr, h·Whz + bhz of the current step
    private final float[][] dz; // [gate]: dL/d(x-side pre-activations) of the current step
    private final float[][] dzh; // GRU: dr, dz, dL/d(h·Whn + bhn)
    private final float[] h;
    private final float[] prev;
    private final float[] dh;
    private final float[] carry; // dL/dc (LSTM) or the direct part of dL/dh (GRU), carried backwards
    private final float[] rec;
    // host views of the kernel's whole FLOAT buffers, made once (ND4J allocates a buffer object per call)
    private final FloatBuffer params;
    private final FloatBuffer[] zx; // [l]: pre-activations, then activations, then gate gradients
    private final FloatBuffer[] zh; // GRU [l]: h·Wh, then h·Whn + bhn in its third block, then gradients
    private final FloatBuffer[] hs; // [l]
    private final FloatBuffer[] delta; // [l]
    private final FloatBuffer recAll;
    private FloatBuffer[] hPrev; // [l], with a reset code: made when the kernel first has its hPrev
    private boolean split;
    private StepWorker worker; // held during a pass when splitting
    private int jobLayer;
    private int jobStep;
    private final StepWorker.Job forwardJob = p -> forwardRows(jobLayer, jobStep, p == 0 ? 0 : batch / 2,
            p == 0 ? batch / 2 : batch);
    private final StepWorker.Job backwardJob = p -> backwardRows(jobLayer, jobStep, p == 0 ? 0 : batch / 2,
            p == 0 ? batch / 2 : batch);

    GatedFloatSteps(NdGatedKernel kernel, boolean split) {
        super(kernel);
        int bh = batch * hidden;
        act = new float[gates][bh];
        cells = lstm ? new float[layers][steps + 1][bh] : null;
        tanhCell = lstm ? new float[bh] : null;
        hn = lstm ? null : new float[bh];
        bhRep = lstm ? null : new float[layers][gates][bh];
        biasRep = new float[gates][bh];
        hh = lstm ? null : new float[2][bh];
        dz = new float[gates][bh];
        dzh = lstm ? null : new float[][] {dz[0], dz[1], new float[bh]};
        h = new float[bh];
        prev = new float[bh];
        dh = new float[bh];
        carry = new float[bh];
        rec = new float[bh];
        params = floats(kernel.params);
        zx = new FloatBuffer[layers];
        zh = new FloatBuffer[layers];
        hs = new FloatBuffer[layers];
        delta = new FloatBuffer[layers];
        for (int l = 0; l < layers; l++) {
            zx[l] = floats(kernel.zx[l]);
            zh[l] = lstm ? null : floats(kernel.zh[l]);
            hs[l] = floats(kernel.hs[l]);
            delta[l] = floats(kernel.delta[l]);
        }
        recAll = floats(kernel.rec);
        this.split = split && batch >= 2;
    }

    /** Tests: whether steps split across two threads (when the helper is free). */
    void split(boolean on) {
        split = on && batch >= 2;
    }

    /** @return whether steps split across two threads when the helper is free */
    boolean splits() {
        return split;
    }

    @Override
    void begin() {
        if (split) {
            StepWorker w = StepWorker.shared();
            worker = w.tryAcquire() ? w : null;
        }
    }

    @Override
    void end() {
        if (worker != null) {
            worker.release();
            worker = null;
        }
    }

    /** @return a host view of a whole (non-view) FLOAT array's buffer */
    private static FloatBuffer floats(org.nd4j.linalg.api.ndarray.INDArray whole) {
        return whole.data().asNioFloat();
    }

    /** Splits rows [b0, b1) of the [B, G·H] block at flat offset {@code from} into one [B·H] array per gate. */
    private void gather(FloatBuffer buffer, int from, float[][] dst, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int row = from + b * gh;
            for (int g = 0; g < dst.length; g++) {
                buffer.get(row + g * hidden, dst[g], b * hidden, hidden);
            }
        }
    }

    /** The inverse of {@link #gather}: writes one [B·H] array per gate into [B, G·H] rows. */
    private void scatter(float[][] src, FloatBuffer buffer, int from, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int row = from + b * gh;
            for (int g = 0; g < src.length; g++) {
                buffer.put(row + g * hidden, src[g], b * hidden, hidden);
            }
        }
    }

    /** @return the host view of layer l's h_{t-1} rows: hPrev (reset rows zeroed) with a reset code, else hs */
    private FloatBuffer previousH(int l) {
        if (k.resetCode < 0) {
            return hs[l];
        }
        if (hPrev == null) {
            hPrev = new FloatBuffer[layers];
            for (int i = 0; i < layers; i++) {
                hPrev[i] = floats(k.hPrev[i]);
            }
        }
        return hPrev[l];
    }

    /** Zeroes the rows in [b0, b1) of a [B·H] array whose stream's input at step t is the reset code. */
    private void zeroResetRows(float[] block, int t, int b0, int b1) {
        if (k.resetCode < 0) {
            return;
        }
        for (int b = b0; b < b1; b++) {
            if (k.isReset(t, b)) {
                Arrays.fill(block, b * hidden, (b + 1) * hidden, 0f);
            }
        }
    }

    /**
     * @return c_{t-1} of layer l for step t, with the rows of streams reset at t zeroed; only rows
     *     [b0, b1) are valid when that needs a copy
     */
    private float[] previousCell(int l, int t, int b0, int b1) {
        float[] c = cells[l][t];
        if (!k.anyReset(t)) {
            return c;
        }
        System.arraycopy(c, b0 * hidden, prev, b0 * hidden, (b1 - b0) * hidden);
        zeroResetRows(prev, t, b0, b1);
        return prev;
    }

    /**
     * Layer l's bias [G·H] into {@link #biasRep} (and the GRU's bh into {@link #bhRep}), one copy per
     * row, so that the steps add it to the rows they gather anyway instead of a libnd4j op over all
     * [T·B, G·H] pre-activations.
     */
    @Override
    void startLayer(int l) {
        FloatBuffer p = params;
        int offset = (int) k.bias[l].offset();
        for (int g = 0; g < gates; g++) {
            for (int b = 0; b < batch; b++) {
                p.get(offset + g * hidden, biasRep[g], b * hidden, hidden);
            }
        }
        if (!lstm) {
            for (int g = 0; g < gates; g++) {
                for (int b = 0; b < batch; b++) {
                    p.get(k.bhOffset[l] + g * hidden, bhRep[l][g], b * hidden, hidden);
                }
            }
        }
    }

    @Override
    void forward(int l, int t) {
        jobLayer = l;
        jobStep = t;
        if (!lstm) {
            previousH(l); // makes the view on this thread
        }
        if (worker != null) {
            worker.run(forwardJob, 0);
        } else {
            forwardRows(l, t, 0, batch);
        }
    }

    /** Forward through step t of layer l for the streams (rows) [b0, b1). */
    private void forwardRows(int l, int t, int b0, int b1) {
        int bh = batch * hidden;
        int n = batch * gh;
        int from = b0 * hidden;
        int to = b1 * hidden;
        float[][] a = act;
        FloatBuffer z = zx[l];
        gather(z, t * n, a, b0, b1);
        for (int g = 0; g < gates; g++) {
            float[] ag = a[g];
            float[] bg = biasRep[g];
            for (int i = from; i < to; i++) {
                ag[i] += bg[i];
            }
        }
        if (lstm) {
            FloatCells.lstmForward(a[0], a[1], a[2], a[3], previousCell(l, t, b0, b1), cells[l][t + 1],
                    tanhCell, h, from, to);
        } else {
            float[] hr = hh[0];
            float[] hz = hh[1];
            FloatBuffer zhb = zh[l];
            for (int b = b0; b < b1; b++) {
                int row = t * n + b * gh;
                zhb.get(row, hr, b * hidden, hidden);
                zhb.get(row + hidden, hz, b * hidden, hidden);
                zhb.get(row + 2 * hidden, hn, b * hidden, hidden);
            }
            float[] br = bhRep[l][0];
            float[] bz = bhRep[l][1];
            float[] bn = bhRep[l][2];
            for (int i = from; i < to; i++) {
                hr[i] += br[i];
                hz[i] += bz[i];
                hn[i] += bn[i];
            }
            previousH(l).get(t * bh + from, prev, from, to - from); // h_{t-1} at offset t·B·H
            FloatCells.gruForward(a[0], a[1], a[2], hr, hz, hn, prev, h, from, to);
            for (int b = b0; b < b1; b++) {
                zhb.put(t * n + b * gh + 2 * hidden, hn, b * hidden, hidden); // kept for the backward pass
            }
        }
        scatter(a, z, t * n, b0, b1); // the activations, over their pre-activations
        hs[l].put((t + 1) * bh + from, h, from, to - from);
    }

    @Override
    void startBackward(int l) {
        Arrays.fill(carry, 0f);
    }

    @Override
    void backward(int l, int t) {
        jobLayer = l;
        jobStep = t;
        if (!lstm) {
            previousH(l);
        }
        if (worker != null) {
            worker.run(backwardJob, 0);
        } else {
            backwardRows(l, t, 0, batch);
        }
    }

    /** Backward through step t of layer l for the streams (rows) [b0, b1). */
    private void backwardRows(int l, int t, int b0, int b1) {
        int bh = batch * hidden;
        int n = batch * gh;
        int from = b0 * hidden;
        int to = b1 * hidden;
        delta[l].get(t * bh + from, dh, from, to - from);
        if (t < steps - 1) {
            recAll.get(from, rec, from, to - from);
            zeroResetRows(rec, t + 1, b0, b1); // no gradient crosses a reset
            for (int i = from; i < to; i++) {
                dh[i] += rec[i];
            }
        }
        float[][] a = act;
        gather(zx[l], t * n, a, b0, b1); // the activations the forward pass left there
        if (lstm) {
            // tanh(c_t) again, as the forward step made it (the same FastTanh of the same floats), rather
            // than T·B·H more floats kept per layer
            System.arraycopy(cells[l][t + 1], from, tanhCell, from, to - from);
            FastTanh.apply(tanhCell, from, to);
            FloatCells.lstmBackward(a[0], a[1], a[2], a[3], previousCell(l, t, b0, b1), tanhCell, dh, carry,
                    dz[0], dz[1], dz[2], dz[3], from, to);
        } else {
            for (int i = from; i < to; i++) {
                dh[i] += carry[i]; // z_{t+1}⊙dh_{t+1}, zero after a reset
            }
            FloatBuffer zhb = zh[l];
            for (int b = b0; b < b1; b++) {
                zhb.get(t * n + b * gh + 2 * hidden, hn, b * hidden, hidden);
            }
            previousH(l).get(t * bh + from, prev, from, to - from);
            FloatCells.gruBackward(a[0], a[1], a[2], hn, prev, dh, dz[0], dz[1], dz[2], dzh[2], carry,
                    from, to);
            scatter(dzh, zhb, t * n, b0, b1); // over the step's h-side values, read above
        }
        zeroResetRows(carry, t, b0, b1);
        scatter(dz, zx[l], t * n, b0, b1); // over the step's activations, read above
    }

    @Override
    void setCell(int l, double[] values) {
        for (int i = 0; i < batch * hidden; i++) {
            cells[l][0][i] = (float) values[i];
        }
    }

    @Override
    double[] cell(int l) {
        double[] c = new double[batch * hidden];
        for (int i = 0; i < c.length; i++) {
            c[i] = cells[l][0][i];
        }
        return c;
    }

    @Override
    void cellTo(int l, float[] out, int off) {
        System.arraycopy(cells[l][0], 0, out, off, batch * hidden);
    }

    @Override
    void cellFrom(int l, float[] in, int off) {
        System.arraycopy(in, off, cells[l][0], 0, batch * hidden);
    }

    @Override
    void copyCell(GatedSteps other, int l) {
        System.arraycopy(((GatedFloatSteps) other).cells[l][0], 0, cells[l][0], 0, batch * hidden);
    }

    @Override
    void resetCell(int l) {
        Arrays.fill(cells[l][0], 0f);
    }

    @Override
    void commitCell(int l) {
        System.arraycopy(cells[l][steps], 0, cells[l][0], 0, batch * hidden);
    }
}
