package io.charrnn.internal.cells;

import io.charrnn.model.CellType;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and backpropagation through time of a multi-layer LSTM or GRU over a batch of
 * {@code B} streams × {@code T} steps, in the structure of {@link NdRnnKernel}.
 *
 * <p>Equations: LSTM (Hochreiter &amp; Schmidhuber 1997, forget gate of Gers et al. 2000)
 * {@code [i f g o] = x_t·Wx + h_{t-1}·Wh + b}, {@code c_t = σ(f)⊙c_{t-1} + σ(i)⊙tanh(g)},
 * {@code h_t = σ(o)⊙tanh(c_t)}; GRU (Cho et al. 2014) in PyTorch's form
 * {@code r = σ(x·Wxr + bxr + h·Whr + bhr)}, {@code z = σ(x·Wxz + bxz + h·Whz + bhz)},
 * {@code n = tanh(x·Wxn + bxn + r⊙(h·Whn + bhn))}, {@code h' = (1−z)⊙n + z⊙h}. Logits
 * {@code y_t = h_t·Wy + by}, loss {@code Σ -log softmax(y_t)[target_t]}.
 *
 * <p>Structure: rows are time-major ({@code r = t·B + b}). The input projection of all T·B rows
 * is one row gather (one-hot) or one GEMM (embedding, upper layers); each step is one GEMM for
 * {@code h_{t-1}·Wh} plus the gate math, done on the host in {@link GateMath} over bulk copies of
 * the step's rows (two libnd4j ops per gate would cost more than the GEMM at small B·H); every
 * weight gradient is one GEMM over all T·B rows. All buffers and views are allocated in the
 * constructor. The LSTM cell state lives only on the host. Works in FLOAT or DOUBLE (exact tanh).
 * Not thread-safe.
 *
 * <p>FLOAT: each step's gate block [B, G·H] is split on its way out of the GEMM's buffer into one
 * zero-based {@code float[B·H]} per gate (bulk copies of H floats), so that {@link GateMath}'s
 * float loops vectorise; the activations (and the LSTM's c and tanh(c), the GRU's h·Whn + bhn)
 * stay in those host arrays, one set per layer and step, for the backward pass, whose gate
 * gradients go back into the [B, G·H] rows of {@code dzx} the same way. DOUBLE: the step's rows
 * are copied to {@code double[]} and the activations written back over the pre-activations.
 */
public final class NdGatedKernel extends NdKernelBase {
    private final boolean lstm;
    private final int gates; // G
    private final int gh; // G·H columns of the gate block
    private final boolean exact; // DOUBLE

    private final INDArray[] gBh; // GRU only
    private final int[] bhOffset; // GRU only: offsets of bh in the flat parameters

    private final INDArray[] zx; // [TB, GH]: x·Wx + b (then, in DOUBLE, the gate activations)
    private final INDArray[][] zxStep;
    private final INDArray[] zh; // GRU: [TB, GH]: h·Wh (then, in DOUBLE, + bh)
    private final INDArray[][] zhStep;
    private final INDArray dzx; // [TB, GH]
    private final INDArray[] dzxStep;
    private final INDArray dzh; // GRU: [TB, GH]
    private final INDArray[] dzhStep;
    private final INDArray[] delta; // [TB, H]: dL/dh_t from above (output or upper layer)
    private final INDArray rec; // [B, H]: dL/dh_{t-1} through Wh

    // FLOAT: zero-based host arrays of B·H floats
    private final float[][][][] act; // [l][t][gate]: activations
    private final float[][][] cellsF; // LSTM [l][t], t = 0..T: c_t, c_0 the carried state
    private final float[][][] tanhCellsF; // LSTM [l][t]: tanh(c_{t+1})
    private final float[][][] hnF; // GRU [l][t]: h·Whn + bhn
    private final float[][][] bhRep; // GRU [l][gate]: bh repeated for every row
    private final float[][] biasRep; // FLOAT [gate][B·H]: the current layer's bias repeated for every row
    private final float[][] hhF; // GRU: h·Whr, h·Whz of the current step
    private final float[][] dzF; // [gate]: dL/d(x-side pre-activations) of the current step
    private final float[][] dzhF; // GRU: dr, dz, dL/d(h·Whn + bhn)
    private final float[] hF;
    private final float[] prevF;
    private final float[] dhF;
    private final float[] carryF; // dL/dc (LSTM) or the direct part of dL/dh (GRU), carried backwards
    private final float[] recF;
    // FLOAT, large steps: the element-wise work of a step split by rows (streams) between this thread
    // and the step helper, [0, B/2) here and [B/2, B) there
    private boolean splitSteps;
    private StepWorker worker; // held during forward() and backward() when splitting
    private int jobLayer;
    private int jobStep;
    // host views of the current step's ND4J buffers, made on the calling thread (ND4J's buffer
    // objects are not meant for concurrent use); both threads then get and put disjoint rows of them
    private FloatBuffer viewZ; // forward: zx[l]; backward: dzx
    private FloatBuffer viewZh; // GRU forward: zh[l]; backward: dzh
    private FloatBuffer viewPrev; // GRU: h_{t-1} rows (hPrev or hs)
    private FloatBuffer viewH; // forward: hs[l]; backward: delta[l]
    private FloatBuffer viewRec; // backward: rec
    private final StepWorker.Job forwardJob = p -> stepForwardRows(jobLayer, jobStep, p == 0 ? 0 : batch / 2,
            p == 0 ? batch / 2 : batch);
    private final StepWorker.Job backwardJob = p -> stepBackwardRows(jobLayer, jobStep, p == 0 ? 0 : batch / 2,
            p == 0 ? batch / 2 : batch);

    // DOUBLE: [B, G·H] and [B, H] blocks
    private final double[][] cells; // LSTM: [(T+1)·B·H] per layer, c_0 first
    private final double[][] tanhCells; // LSTM: [T·B·H] per layer
    private final double[] zBuf;
    private final double[] zhBuf;
    private final double[] dzBuf;
    private final double[] dzhBuf;
    private final double[] hBuf;
    private final double[] prevBuf;
    private final double[] dhBuf;
    private final double[] carryBuf;
    private final double[] recBuf;
    private final double[] bhBuf;

    /**
     * @param layout an LSTM or GRU layout
     * @param steps T
     * @param batch B
     * @param dtype FLOAT or DOUBLE
     */
    public NdGatedKernel(ParameterLayout layout, int steps, int batch, DataType dtype) {
        super(layout, steps, batch, dtype);
        if (layout.cell() == CellType.RNN) {
            throw new IllegalArgumentException("cell must be LSTM or GRU, got " + layout.cell());
        }
        if (dtype != DataType.FLOAT && dtype != DataType.DOUBLE) {
            throw new IllegalArgumentException("dtype must be FLOAT or DOUBLE, got " + dtype);
        }
        this.lstm = layout.cell() == CellType.LSTM;
        this.gates = ParameterLayout.gates(layout.cell());
        this.gh = gates * hidden;
        this.exact = dtype == DataType.DOUBLE;

        gBh = new INDArray[layers];
        bhOffset = new int[layers];
        for (int l = 0; l < layers; l++) {
            if (!lstm) {
                gBh[l] = view(grads, layout.recurrentBias(l));
                bhOffset[l] = layout.recurrentBias(l).offset();
            }
        }

        zx = new INDArray[layers];
        zxStep = new INDArray[layers][steps];
        zh = new INDArray[layers];
        zhStep = new INDArray[layers][steps];
        delta = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            zx[l] = Nd4j.create(dtype, rows, gh);
            for (int t = 0; t < steps; t++) {
                zxStep[l][t] = rowRange(zx[l], t * batch, (t + 1) * batch);
            }
            if (!lstm) {
                zh[l] = Nd4j.create(dtype, rows, gh);
                for (int t = 0; t < steps; t++) {
                    zhStep[l][t] = rowRange(zh[l], t * batch, (t + 1) * batch);
                }
            }
            delta[l] = Nd4j.create(dtype, rows, hidden);
        }
        dzx = Nd4j.create(dtype, rows, gh);
        dzxStep = new INDArray[steps];
        dzh = lstm ? null : Nd4j.create(dtype, rows, gh);
        dzhStep = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            dzxStep[t] = rowRange(dzx, t * batch, (t + 1) * batch);
            if (!lstm) {
                dzhStep[t] = rowRange(dzh, t * batch, (t + 1) * batch);
            }
        }
        rec = Nd4j.create(dtype, batch, hidden);
        int bh = batch * hidden;
        boolean f = !exact;
        act = f ? new float[layers][steps][gates][bh] : null;
        cellsF = f && lstm ? new float[layers][steps + 1][bh] : null;
        tanhCellsF = f && lstm ? new float[layers][steps][bh] : null;
        hnF = f && !lstm ? new float[layers][steps][bh] : null;
        bhRep = f && !lstm ? new float[layers][gates][bh] : null;
        biasRep = f ? new float[gates][bh] : null;
        hhF = f && !lstm ? new float[2][bh] : null;
        dzF = f ? new float[gates][bh] : null;
        dzhF = f && !lstm ? new float[][] {dzF[0], dzF[1], new float[bh]} : null;
        hF = f ? new float[bh] : null;
        prevF = f ? new float[bh] : null;
        dhF = f ? new float[bh] : null;
        carryF = f ? new float[bh] : null;
        recF = f ? new float[bh] : null;
        splitSteps = f && batch >= 2 && (long) batch * gh >= SPLIT_MIN_ELEMENTS && RnnStepper.splitThreads() == 2
                && io.charrnn.internal.nd.NdRuntime.isCpuBackend();
        boolean d = exact;
        cells = d && lstm ? new double[layers][(steps + 1) * bh] : null;
        tanhCells = d && lstm ? new double[layers][steps * bh] : null;
        zBuf = d ? new double[batch * gh] : null;
        zhBuf = d && !lstm ? new double[batch * gh] : null;
        dzBuf = d ? new double[batch * gh] : null;
        dzhBuf = d && !lstm ? new double[batch * gh] : null;
        hBuf = d ? new double[bh] : null;
        prevBuf = d ? new double[bh] : null;
        dhBuf = d ? new double[bh] : null;
        carryBuf = d ? new double[bh] : null;
        recBuf = d ? new double[bh] : null;
        bhBuf = d && !lstm ? new double[gh] : null;
    }

    /**
     * Gate entries per step (B·G·H) from which a FLOAT step's element-wise work (the gathers, the
     * gates, the scatters) is split by rows between this thread and the helper ({@link StepWorker},
     * which parks at once after each part so that it leaves both cores to the BLAS products in
     * between). It only pays while OpenBLAS's worker thread is not spinning on the other core, which
     * is why {@link io.charrnn.internal.nd.NdRuntime} shortens OpenBLAS's idle spin. C3 (131,072
     * entries) gains from the split; at 32,768 entries and below the gain was within the noise
     * (the timings: docs/engine.md).
     */
    static final long SPLIT_MIN_ELEMENTS = 1L << 15;

    /** Tests: whether FLOAT steps split across two threads (when the helper is free), whatever the size. */
    void splitSteps(boolean split) {
        splitSteps = split && !exact && batch >= 2;
    }

    /** @return whether FLOAT steps split across two threads when the helper is free */
    boolean splitsSteps() {
        return splitSteps;
    }

    /** @return the helper, held, when steps split and it is free; else null */
    private StepWorker acquireWorker() {
        if (!splitSteps) {
            return null;
        }
        StepWorker w = StepWorker.shared();
        return w.tryAcquire() ? w : null;
    }

    private void releaseWorker() {
        if (worker != null) {
            worker.release();
            worker = null;
        }
    }

    /** @return a host view of a whole (non-view) FLOAT array's buffer */
    private static FloatBuffer floats(INDArray whole) {
        return whole.data().asNioFloat();
    }

    /** Splits rows [b0, b1) of the [B, G·H] block at flat offset {@code from} into one [B·H] array per gate. */
    private void gather(FloatBuffer buffer, int from, float[][] dst, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int row = from + b * gh;
            for (int k = 0; k < dst.length; k++) {
                buffer.get(row + k * hidden, dst[k], b * hidden, hidden);
            }
        }
    }

    /** The inverse of {@link #gather}: writes one [B·H] array per gate into [B, G·H] rows. */
    private void scatter(float[][] src, FloatBuffer buffer, int from, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int row = from + b * gh;
            for (int k = 0; k < src.length; k++) {
                buffer.put(row + k * hidden, src[k], b * hidden, hidden);
            }
        }
    }

    /** Copies n values of a whole (non-view) DOUBLE array from a flat offset into dst. */
    private static void read(INDArray whole, int offset, double[] dst, int n) {
        whole.data().asNioDouble().get(offset, dst, 0, n);
    }

    /** Copies n values of src into a whole (non-view) DOUBLE array at a flat offset. */
    private static void write(INDArray whole, int offset, double[] src, int n) {
        whole.data().asNioDouble().put(offset, src, 0, n);
    }

    @Override
    public void setCellState(int layer, double[] values) {
        if (!lstm) {
            super.setCellState(layer, values);
        }
        int n = batch * hidden;
        if (exact) {
            System.arraycopy(values, 0, cells[layer], 0, n);
        } else {
            for (int i = 0; i < n; i++) {
                cellsF[layer][0][i] = (float) values[i];
            }
        }
    }

    /** @return whether some stream's input at step t is the reset code */
    private boolean anyReset(int t) {
        if (resetCode < 0) {
            return false;
        }
        for (int b = 0; b < batch; b++) {
            if (isReset(t, b)) {
                return true;
            }
        }
        return false;
    }

    /** Zeroes the rows of a host [B, H] block whose stream's input at step t is the reset code. */
    private void zeroResetRows(double[] block, int t) {
        if (resetCode < 0) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            if (isReset(t, b)) {
                Arrays.fill(block, b * hidden, (b + 1) * hidden, 0);
            }
        }
    }

    /** Zeroes the rows in [b0, b1) of a host [B·H] array whose stream's input at step t is the reset code. */
    private void zeroResetRows(float[] block, int t, int b0, int b1) {
        if (resetCode < 0) {
            return;
        }
        for (int b = b0; b < b1; b++) {
            if (isReset(t, b)) {
                Arrays.fill(block, b * hidden, (b + 1) * hidden, 0f);
            }
        }
    }

    /**
     * @return c_{t-1} of layer l for step t, with the rows of streams reset at t zeroed (FLOAT); only
     *     rows [b0, b1) are valid when that needs a copy
     */
    private float[] previousCell(int l, int t, int b0, int b1) {
        float[] c = cellsF[l][t];
        if (!anyReset(t)) {
            return c;
        }
        System.arraycopy(c, b0 * hidden, prevF, b0 * hidden, (b1 - b0) * hidden);
        zeroResetRows(prevF, t, b0, b1);
        return prevF;
    }

    @Override
    public float[] state() {
        int n = batch * hidden;
        float[] out = new float[layout.stateSize(batch)];
        for (int l = 0; l < layers; l++) {
            float[] h = hStep[l][0].dup().castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(h, 0, out, l * n, n);
            if (lstm && exact) {
                for (int i = 0; i < n; i++) {
                    out[(layers + l) * n + i] = (float) cells[l][i];
                }
            } else if (lstm) {
                System.arraycopy(cellsF[l][0], 0, out, (layers + l) * n, n);
            }
        }
        return out;
    }

    @Override
    public void restoreState(float[] state) {
        int n = batch * hidden;
        if (state.length != layout.stateSize(batch)) {
            throw new IllegalArgumentException("state must have " + layout.stateSize(batch) + " values, got "
                    + state.length);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(Nd4j.create(Arrays.copyOfRange(state, l * n, (l + 1) * n), new long[] {batch, hidden},
                    DataType.FLOAT).castTo(dtype));
            if (lstm && exact) {
                for (int i = 0; i < n; i++) {
                    cells[l][i] = state[(layers + l) * n + i];
                }
            } else if (lstm) {
                System.arraycopy(state, (layers + l) * n, cellsF[l][0], 0, n);
            }
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        if (!(other instanceof NdGatedKernel o) || o.lstm != lstm || o.batch != batch || o.hidden != hidden
                || o.layers != layers || o.exact != exact) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(o.hStep[l][0]);
            if (lstm && exact) {
                System.arraycopy(o.cells[l], 0, cells[l], 0, batch * hidden);
            } else if (lstm) {
                System.arraycopy(o.cellsF[l][0], 0, cellsF[l][0], 0, batch * hidden);
            }
        }
    }

    @Override
    public void resetState() {
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(0);
            if (lstm && exact) {
                Arrays.fill(cells[l], 0, batch * hidden, 0);
            } else if (lstm) {
                Arrays.fill(cellsF[l][0], 0f);
            }
        }
    }

    @Override
    void forward(int[] inputs) {
        worker = acquireWorker();
        try {
            forwardLayers(inputs);
        } finally {
            releaseWorker();
        }
    }

    private void forwardLayers(int[] inputs) {
        projectInputs(inputs, zx[0]);
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                blas.gemm(below(l), wx[l], zx[l], false, false, 1.0, 0.0); // [TB,H]·[H,GH]
            }
            if (exact) {
                zx[l].addiRowVector(bias[l]);
            } else {
                repeatBias(l); // added to the gathered rows, step by step (stepForwardFloat)
            }
            if (!lstm && exact) {
                read(params, bhOffset[l], bhBuf, gh);
            } else if (!lstm) {
                repeatRecurrentBias(l);
            }
            for (int t = 0; t < steps; t++) {
                INDArray previous = hStep[l][t];
                if (resetCode >= 0) {
                    previous = hPrevStep[l][t].assign(previous);
                    for (int b = 0; b < batch; b++) {
                        if (isReset(t, b)) {
                            previous.getRow(b).assign(0);
                        }
                    }
                }
                if (lstm) {
                    blas.gemm(previous, wh[l], zxStep[l][t], false, false, 1.0, 1.0); // z_t += h_{t-1}·Wh
                } else {
                    blas.gemm(previous, wh[l], zhStep[l][t], false, false, 1.0, 0.0); // h_{t-1}·Wh
                }
                if (exact) {
                    stepForwardDouble(l, t);
                } else {
                    stepForwardFloat(l, t);
                }
            }
        }
        output(hOut[layers - 1]);
    }

    /**
     * FLOAT: layer l's bias [G·H] into {@link #biasRep}, one copy per row, so that the steps add it
     * to the rows they gather anyway instead of a libnd4j op over all [T·B, G·H] pre-activations.
     */
    private void repeatBias(int l) {
        FloatBuffer p = floats(params);
        int offset = (int) bias[l].offset();
        for (int k = 0; k < gates; k++) {
            for (int b = 0; b < batch; b++) {
                p.get(offset + k * hidden, biasRep[k], b * hidden, hidden);
            }
        }
    }

    /** GRU, FLOAT: layer l's bh [3H] into {@link #bhRep}, one copy per row. */
    private void repeatRecurrentBias(int l) {
        FloatBuffer p = floats(params);
        for (int k = 0; k < gates; k++) {
            for (int b = 0; b < batch; b++) {
                p.get(bhOffset[l] + k * hidden, bhRep[l][k], b * hidden, hidden);
            }
        }
    }

    private void stepForwardFloat(int l, int t) {
        jobLayer = l;
        jobStep = t;
        viewZ = floats(zx[l]);
        viewZh = lstm ? null : floats(zh[l]);
        viewPrev = lstm ? null : floats(resetCode >= 0 ? hPrev[l] : hs[l]);
        viewH = floats(hs[l]);
        if (worker != null) {
            worker.run(forwardJob, 0);
        } else {
            stepForwardRows(l, t, 0, batch);
        }
    }

    /** FLOAT forward through step t of layer l for the streams (rows) [b0, b1). */
    private void stepForwardRows(int l, int t, int b0, int b1) {
        int bh = batch * hidden;
        int n = batch * gh;
        int from = b0 * hidden;
        int to = b1 * hidden;
        float[][] a = act[l][t];
        gather(viewZ, t * n, a, b0, b1);
        for (int k = 0; k < gates; k++) {
            float[] ak = a[k];
            float[] bk = biasRep[k];
            for (int i = from; i < to; i++) {
                ak[i] += bk[i];
            }
        }
        if (lstm) {
            GateMath.lstmForward(a[0], a[1], a[2], a[3], previousCell(l, t, b0, b1), cellsF[l][t + 1],
                    tanhCellsF[l][t], hF, from, to);
        } else {
            FloatBuffer zhb = viewZh;
            for (int b = b0; b < b1; b++) {
                int row = t * n + b * gh;
                zhb.get(row, hhF[0], b * hidden, hidden);
                zhb.get(row + hidden, hhF[1], b * hidden, hidden);
                zhb.get(row + 2 * hidden, hnF[l][t], b * hidden, hidden);
            }
            viewPrev.get(t * bh + from, prevF, from, to - from); // h_{t-1} at offset t·B·H
            GateMath.gruForward(a[0], a[1], a[2], hhF[0], hhF[1], hnF[l][t], bhRep[l][0], bhRep[l][1], bhRep[l][2],
                    prevF, hF, from, to);
        }
        viewH.put((t + 1) * bh + from, hF, from, to - from);
    }

    private void stepForwardDouble(int l, int t) {
        int bh = batch * hidden;
        int n = batch * gh;
        read(zx[l], t * n, zBuf, n);
        if (lstm) {
            System.arraycopy(cells[l], t * bh, prevBuf, 0, bh);
            zeroResetRows(prevBuf, t);
            GateMath.lstmForward(zBuf, prevBuf, cells[l], (t + 1) * bh, tanhCells[l], t * bh, hBuf, batch, hidden);
        } else {
            read(zh[l], t * n, zhBuf, n);
            read(resetCode >= 0 ? hPrev[l] : hs[l], t * bh, prevBuf, bh);
            GateMath.gruForward(zBuf, zhBuf, bhBuf, prevBuf, hBuf, batch, hidden);
            write(zh[l], t * n, zhBuf, n);
        }
        write(zx[l], t * n, zBuf, n);
        write(hs[l], (t + 1) * bh, hBuf, bh);
    }

    @Override
    void backward() {
        worker = acquireWorker();
        try {
            backwardLayers();
        } finally {
            releaseWorker();
        }
    }

    private void backwardLayers() {
        outputBackward(hOut[layers - 1], delta[layers - 1]); // probs hold scale·(p − onehot)
        for (int l = layers - 1; l >= 0; l--) {
            if (exact) {
                Arrays.fill(carryBuf, 0);
            } else {
                Arrays.fill(carryF, 0f);
            }
            for (int t = steps - 1; t >= 0; t--) {
                if (t < steps - 1) {
                    blas.gemm(lstm ? dzxStep[t + 1] : dzhStep[t + 1], wh[l], rec, false, true, 1.0, 0.0);
                }
                if (exact) {
                    stepBackwardDouble(l, t);
                } else {
                    stepBackwardFloat(l, t);
                }
            }
            INDArray hInput = resetCode >= 0 ? hPrev[l] : hIn[l];
            blas.gemm(hInput, lstm ? dzx : dzh, gWh[l], true, false, 1.0, 0.0); // dWh = H_{t-1}^T·dZh
            blas.gemm(ones, dzx, gBias[l], false, false, 1.0, 0.0);
            if (!lstm) {
                blas.gemm(ones, dzh, gBh[l], false, false, 1.0, 0.0);
            }
            inputBackward(l, dzx, l > 0 ? hOut[l - 1] : null, l > 0 ? delta[l - 1] : null);
        }
    }

    /** Backward through step t of layer l; {@link #rec} holds dL/dh_t through Wh when t < T−1. */
    private void stepBackwardFloat(int l, int t) {
        jobLayer = l;
        jobStep = t;
        viewZ = floats(dzx);
        viewZh = lstm ? null : floats(dzh);
        viewPrev = lstm ? null : floats(resetCode >= 0 ? hPrev[l] : hs[l]);
        viewH = floats(delta[l]);
        viewRec = floats(rec);
        if (worker != null) {
            worker.run(backwardJob, 0);
        } else {
            stepBackwardRows(l, t, 0, batch);
        }
    }

    /** FLOAT backward through step t of layer l for the streams (rows) [b0, b1). */
    private void stepBackwardRows(int l, int t, int b0, int b1) {
        int bh = batch * hidden;
        int n = batch * gh;
        int from = b0 * hidden;
        int to = b1 * hidden;
        viewH.get(t * bh + from, dhF, from, to - from);
        if (t < steps - 1) {
            viewRec.get(from, recF, from, to - from);
            zeroResetRows(recF, t + 1, b0, b1); // no gradient crosses a reset
            for (int i = from; i < to; i++) {
                dhF[i] += recF[i];
            }
        }
        float[][] a = act[l][t];
        if (lstm) {
            GateMath.lstmBackward(a[0], a[1], a[2], a[3], previousCell(l, t, b0, b1), tanhCellsF[l][t], dhF, carryF,
                    dzF[0], dzF[1], dzF[2], dzF[3], from, to);
        } else {
            for (int i = from; i < to; i++) {
                dhF[i] += carryF[i]; // z_{t+1}⊙dh_{t+1}, zero after a reset
            }
            viewPrev.get(t * bh + from, prevF, from, to - from);
            GateMath.gruBackward(a[0], a[1], a[2], hnF[l][t], prevF, dhF, dzF[0], dzF[1], dzF[2], dzhF[2], carryF,
                    from, to);
            scatter(dzhF, viewZh, t * n, b0, b1);
        }
        zeroResetRows(carryF, t, b0, b1);
        scatter(dzF, viewZ, t * n, b0, b1);
    }

    private void stepBackwardDouble(int l, int t) {
        int bh = batch * hidden;
        int n = batch * gh;
        read(delta[l], t * bh, dhBuf, bh);
        if (t < steps - 1) {
            read(rec, 0, recBuf, bh);
            zeroResetRows(recBuf, t + 1); // no gradient crosses a reset
            for (int i = 0; i < bh; i++) {
                dhBuf[i] += recBuf[i];
            }
        }
        read(zx[l], t * n, zBuf, n);
        if (lstm) {
            System.arraycopy(cells[l], t * bh, prevBuf, 0, bh);
            zeroResetRows(prevBuf, t);
            GateMath.lstmBackward(zBuf, prevBuf, tanhCells[l], t * bh, dhBuf, carryBuf, dzBuf, batch, hidden);
        } else {
            for (int i = 0; i < bh; i++) {
                dhBuf[i] += carryBuf[i]; // z_{t+1}⊙dh_{t+1}, zero after a reset
            }
            read(zh[l], t * n, zhBuf, n);
            read(resetCode >= 0 ? hPrev[l] : hs[l], t * bh, prevBuf, bh);
            GateMath.gruBackward(zBuf, zhBuf, prevBuf, dhBuf, dzBuf, dzhBuf, carryBuf, batch, hidden);
            write(dzh, t * n, dzhBuf, n);
        }
        zeroResetRows(carryBuf, t);
        write(dzx, t * n, dzBuf, n);
    }

    @Override
    void commitState() {
        int bh = batch * hidden;
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(hStep[l][steps]);
            if (lstm && exact) {
                System.arraycopy(cells[l], steps * bh, cells[l], 0, bh);
            } else if (lstm) {
                System.arraycopy(cellsF[l][steps], 0, cellsF[l][0], 0, bh);
            }
        }
    }

    /** @return a copy of layer l's outputs h_1..h_T of the last forward pass, [T·B, H] (tests) */
    INDArray hiddenOutputs(int layer) {
        return hOut[layer].dup();
    }

    /** @return a copy of layer l's carried LSTM cell state c_0, [B·H] row-major (tests) */
    double[] cellState(int layer) {
        if (exact) {
            return Arrays.copyOf(cells[layer], batch * hidden);
        }
        double[] c = new double[batch * hidden];
        for (int i = 0; i < c.length; i++) {
            c[i] = cellsF[layer][0][i];
        }
        return c;
    }

    @Override
    public String toString() {
        return "NdGatedKernel[" + layout.cell() + ", T=" + steps + ", B=" + batch + ", " + dtype + "]";
    }

    @Override
    public void close() {
        // buffers are freed with their arrays
    }
}
