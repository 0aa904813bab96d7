package io.charrnn.internal.cells;

import io.charrnn.model.CellType;
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
 * constructor. The gate activations overwrite the pre-activations in place for the backward pass.
 * The LSTM cell state lives only on the host. Works in FLOAT or DOUBLE (exact tanh). Not
 * thread-safe.
 */
public final class NdGatedKernel extends NdKernelBase {
    private final boolean lstm;
    private final int gh; // G·H columns of the gate block
    private final boolean exact;

    private final INDArray[] gBh; // GRU only
    private final int[] bhOffset; // GRU only: offsets of bh in the flat parameters

    private final INDArray[] zx; // [TB, GH]: x·Wx + b, then the gate activations
    private final INDArray[][] zxStep;
    private final INDArray[] zh; // GRU: [TB, GH]: h·Wh + bh
    private final INDArray[][] zhStep;
    private final INDArray dzx; // [TB, GH]
    private final INDArray[] dzxStep;
    private final INDArray dzh; // GRU: [TB, GH]
    private final INDArray[] dzhStep;
    private final INDArray[] delta; // [TB, H]: dL/dh_t from above (output or upper layer)
    private final INDArray rec; // [B, H]: dL/dh_{t-1} through Wh
    private final double[][] cells; // LSTM: [(T+1)·B·H] per layer, c_0 first
    private final double[][] tanhCells; // LSTM: [T·B·H] per layer

    private final double[] zBuf;
    private final double[] zhBuf;
    private final double[] dzBuf;
    private final double[] dzhBuf;
    private final double[] hBuf;
    private final double[] prevBuf;
    private final double[] dhBuf;
    private final double[] carryBuf; // dL/dc (LSTM) or the direct part of dL/dh (GRU), carried backwards
    private final double[] recBuf;
    private final double[] bhBuf;
    private final float[] floatBuf;


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
        this.lstm = layout.cell() == CellType.LSTM;
        this.gh = ParameterLayout.gates(layout.cell()) * hidden;
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
        cells = lstm ? new double[layers][(steps + 1) * bh] : null;
        tanhCells = lstm ? new double[layers][steps * bh] : null;
        zBuf = new double[batch * gh];
        zhBuf = lstm ? null : new double[batch * gh];
        dzBuf = new double[batch * gh];
        dzhBuf = lstm ? null : new double[batch * gh];
        hBuf = new double[bh];
        prevBuf = new double[bh];
        dhBuf = new double[bh];
        carryBuf = new double[bh];
        recBuf = new double[bh];
        bhBuf = lstm ? null : new double[gh];
        floatBuf = dtype == DataType.FLOAT ? new float[batch * gh] : null;

    }

    /** Copies n values of a whole (non-view) array from a flat offset into dst. */
    private void read(INDArray whole, int offset, double[] dst, int n) {
        if (dtype == DataType.FLOAT) {
            whole.data().asNioFloat().get(offset, floatBuf, 0, n);
            for (int i = 0; i < n; i++) {
                dst[i] = floatBuf[i];
            }
        } else {
            whole.data().asNioDouble().get(offset, dst, 0, n);
        }
    }

    /** Copies n values of src into a whole (non-view) array at a flat offset. */
    private void write(INDArray whole, int offset, double[] src, int n) {
        if (dtype == DataType.FLOAT) {
            for (int i = 0; i < n; i++) {
                floatBuf[i] = (float) src[i];
            }
            whole.data().asNioFloat().put(offset, floatBuf, 0, n);
        } else {
            whole.data().asNioDouble().put(offset, src, 0, n);
        }
    }


    @Override
    public void setCellState(int layer, double[] values) {
        if (!lstm) {
            super.setCellState(layer, values);
        }
        System.arraycopy(values, 0, cells[layer], 0, batch * hidden);
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

    @Override
    public float[] state() {
        int n = batch * hidden;
        float[] out = new float[layout.stateSize(batch)];
        for (int l = 0; l < layers; l++) {
            float[] h = hStep[l][0].dup().castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(h, 0, out, l * n, n);
            if (lstm) {
                for (int i = 0; i < n; i++) {
                    out[(layers + l) * n + i] = (float) cells[l][i];
                }
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
            if (lstm) {
                for (int i = 0; i < n; i++) {
                    cells[l][i] = state[(layers + l) * n + i];
                }
            }
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        if (!(other instanceof NdGatedKernel o) || o.lstm != lstm || o.batch != batch || o.hidden != hidden
                || o.layers != layers) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(o.hStep[l][0]);
            if (lstm) {
                System.arraycopy(o.cells[l], 0, cells[l], 0, batch * hidden);
            }
        }
    }

    @Override
    public void resetState() {
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(0);
            if (lstm) {
                Arrays.fill(cells[l], 0, batch * hidden, 0);
            }
        }
    }

    @Override
    void forward(int[] inputs) {
        projectInputs(inputs, zx[0]);
        int bh = batch * hidden;
        int n = batch * gh;
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                Nd4j.gemm(below(l), wx[l], zx[l], false, false, 1.0, 0.0); // [TB,H]·[H,GH]
            }
            zx[l].addiRowVector(bias[l]);
            if (!lstm) {
                read(params, bhOffset[l], bhBuf, gh);
            }
            INDArray prevAll = resetCode >= 0 ? hPrev[l] : hs[l]; // h_{t-1} at flat offset t·B·H in both
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
                    Nd4j.gemm(previous, wh[l], zxStep[l][t], false, false, 1.0, 1.0); // z_t += h_{t-1}·Wh
                    read(zx[l], t * n, zBuf, n);
                    System.arraycopy(cells[l], t * bh, prevBuf, 0, bh);
                    zeroResetRows(prevBuf, t);
                    GateMath.lstmForward(zBuf, prevBuf, cells[l], (t + 1) * bh, tanhCells[l], t * bh, hBuf, batch,
                            hidden, exact);
                    if (!exact) {
                        // c is float32 like every other FLOAT value, so that state() round-trips it exactly
                        // and a resumed run continues bit for bit
                        for (int i = (t + 1) * bh; i < (t + 2) * bh; i++) {
                            cells[l][i] = (float) cells[l][i];
                        }
                    }
                } else {
                    Nd4j.gemm(previous, wh[l], zhStep[l][t], false, false, 1.0, 0.0); // h_{t-1}·Wh
                    read(zx[l], t * n, zBuf, n);
                    read(zh[l], t * n, zhBuf, n);
                    read(prevAll, t * bh, prevBuf, bh);
                    GateMath.gruForward(zBuf, zhBuf, bhBuf, prevBuf, hBuf, batch, hidden, exact);
                    write(zh[l], t * n, zhBuf, n);
                }
                write(zx[l], t * n, zBuf, n);
                write(hs[l], (t + 1) * bh, hBuf, bh);
            }
        }
        output(hOut[layers - 1]);
    }

    @Override
    void backward() {
        outputBackward(hOut[layers - 1], delta[layers - 1]); // probs hold scale·(p − onehot)
        int bh = batch * hidden;
        int n = batch * gh;
        for (int l = layers - 1; l >= 0; l--) {
            INDArray prevAll = resetCode >= 0 ? hPrev[l] : hs[l];
            Arrays.fill(carryBuf, 0);
            for (int t = steps - 1; t >= 0; t--) {
                read(delta[l], t * bh, dhBuf, bh);
                if (t < steps - 1) {
                    Nd4j.gemm(lstm ? dzxStep[t + 1] : dzhStep[t + 1], wh[l], rec, false, true, 1.0, 0.0);
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
                    read(prevAll, t * bh, prevBuf, bh);
                    GateMath.gruBackward(zBuf, zhBuf, prevBuf, dhBuf, dzBuf, dzhBuf, carryBuf, batch, hidden);
                    write(dzh, t * n, dzhBuf, n);
                }
                zeroResetRows(carryBuf, t);
                write(dzx, t * n, dzBuf, n);
            }
            INDArray hInput = resetCode >= 0 ? hPrev[l] : hIn[l];
            Nd4j.gemm(hInput, lstm ? dzx : dzh, gWh[l], true, false, 1.0, 0.0); // dWh = H_{t-1}^T·dZh
            Nd4j.gemm(ones, dzx, gBias[l], false, false, 1.0, 0.0);
            if (!lstm) {
                Nd4j.gemm(ones, dzh, gBh[l], false, false, 1.0, 0.0);
            }
            inputBackward(l, dzx, l > 0 ? hOut[l - 1] : null, l > 0 ? delta[l - 1] : null);
        }
    }

    @Override
    void commitState() {
        int bh = batch * hidden;
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(hStep[l][steps]);
            if (lstm) {
                System.arraycopy(cells[l], steps * bh, cells[l], 0, bh);
            }
        }
    }

    /** @return a copy of layer l's outputs h_1..h_T of the last forward pass, [T·B, H] (tests) */
    INDArray hiddenOutputs(int layer) {
        return hOut[layer].dup();
    }

    /** @return a copy of layer l's carried LSTM cell state c_0, [B·H] row-major (tests) */
    double[] cellState(int layer) {
        return Arrays.copyOf(cells[layer], batch * hidden);
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
