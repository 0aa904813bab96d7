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
 * {@code h_{t-1}·Wh} plus the cell's element-wise step, done on the host over bulk copies of the
 * step's rows (two libnd4j ops per gate would cost more than the GEMM at small B·H) by
 * {@link GatedFloatSteps} ({@link FloatCells}) in FLOAT and {@link GatedDoubleSteps}
 * ({@link CellEquations}, exact tanh) in DOUBLE; every weight gradient is one GEMM over all T·B
 * rows. Each layer's gate block is kept once per window: the step writes the activations over the
 * pre-activations and the backward step the gradients over the activations. All buffers and views
 * are allocated in the constructor. The LSTM cell state lives only on the host, in those step
 * objects. Not thread-safe.
 */
public final class NdGatedKernel extends NdKernelBase {
    final boolean lstm;
    final int gates; // G
    final int gh; // G·H columns of the gate block

    private final INDArray[] gBh; // GRU only
    final int[] bhOffset; // GRU only: offsets of bh in the flat parameters

    // zx and zh hold each window's gate values once, one step's rows overwritten at a time: the
    // pre-activations, the activations after the forward step, the gate gradients after the backward
    // step (which the weight-gradient products then read for all T·B rows)
    final INDArray[] zx; // [TB, GH]: x·Wx + b; the activations; dL/d(x-side pre-activations)
    private final INDArray[][] zxStep;
    final INDArray[] zh; // GRU: [TB, GH]: h·Wh; h·Whn + bhn kept in the n block; dL/d(h-side pre-activations)
    private final INDArray[][] zhStep;
    final INDArray[] delta; // [TB, H]: dL/dh_t from above (output or upper layer)
    final INDArray rec; // [B, H]: dL/dh_{t-1} through Wh
    private final GatedSteps host; // the element-wise step and the LSTM's cell state
    private final GatedFloatSteps floatSteps; // host, in FLOAT; else null

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
        rec = Nd4j.create(dtype, batch, hidden);
        boolean split = dtype == DataType.FLOAT && batch >= 2 && (long) batch * gh >= SPLIT_MIN_ELEMENTS
                && RnnStepper.splitThreads() == 2 && io.charrnn.internal.nd.NdRuntime.isCpuBackend();
        floatSteps = dtype == DataType.FLOAT ? new GatedFloatSteps(this, split) : null;
        host = floatSteps != null ? floatSteps : new GatedDoubleSteps(this);
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
        if (floatSteps != null) {
            floatSteps.split(split);
        }
    }

    /** @return whether FLOAT steps split across two threads when the helper is free */
    boolean splitsSteps() {
        return floatSteps != null && floatSteps.splits();
    }

    @Override
    public void setCellState(int layer, double[] values) {
        checkOpen();
        if (!lstm) {
            super.setCellState(layer, values);
        }
        host.setCell(layer, values);
    }

    /** @return whether some stream's input at step t is the reset code */
    boolean anyReset(int t) {
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

    @Override
    public float[] state() {
        checkOpen();
        int n = batch * hidden;
        float[] out = new float[layout.stateSize(batch)];
        for (int l = 0; l < layers; l++) {
            float[] h = hStep[l][0].dup().castTo(DataType.FLOAT).data().asFloat();
            System.arraycopy(h, 0, out, l * n, n);
            if (lstm) {
                host.cellTo(l, out, (layers + l) * n);
            }
        }
        return out;
    }

    @Override
    public void restoreState(float[] state) {
        checkOpen();
        int n = batch * hidden;
        if (state.length != layout.stateSize(batch)) {
            throw new IllegalArgumentException("state must have " + layout.stateSize(batch) + " values, got "
                    + state.length);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(Nd4j.create(Arrays.copyOfRange(state, l * n, (l + 1) * n), new long[] {batch, hidden},
                    DataType.FLOAT).castTo(dtype));
            if (lstm) {
                host.cellFrom(l, state, (layers + l) * n);
            }
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        checkOpen();
        if (!(other instanceof NdGatedKernel o) || o.lstm != lstm || o.batch != batch || o.hidden != hidden
                || o.layers != layers || o.dtype != dtype) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(o.hStep[l][0]);
            if (lstm) {
                host.copyCell(o.host, l);
            }
        }
    }

    @Override
    public void resetState() {
        checkOpen();
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(0);
            if (lstm) {
                host.resetCell(l);
            }
        }
    }

    @Override
    void forward(int[] inputs) {
        host.begin();
        try {
            forwardLayers(inputs);
        } finally {
            host.end();
        }
    }

    private void forwardLayers(int[] inputs) {
        projectInputs(inputs, zx[0]);
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                blas.gemm(below(l), wx[l], zx[l], false, false, 1.0, 0.0); // [TB,H]·[H,GH]
            }
            host.startLayer(l);
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
                host.forward(l, t);
            }
        }
        output(hOut[layers - 1]);
    }

    @Override
    void backward() {
        host.begin();
        try {
            backwardLayers();
        } finally {
            host.end();
        }
    }

    private void backwardLayers() {
        outputBackward(hOut[layers - 1], delta[layers - 1]); // probs hold scale·(p − onehot)
        for (int l = layers - 1; l >= 0; l--) {
            host.startBackward(l);
            for (int t = steps - 1; t >= 0; t--) {
                if (t < steps - 1) {
                    blas.gemm(lstm ? zxStep[l][t + 1] : zhStep[l][t + 1], wh[l], rec, false, true, 1.0, 0.0);
                }
                host.backward(l, t);
            }
            INDArray hInput = resetCode >= 0 ? hPrev[l] : hIn[l];
            INDArray dzx = zx[l]; // now the gate gradients
            INDArray dzh = lstm ? dzx : zh[l];
            blas.gemm(hInput, dzh, gWh[l], true, false, 1.0, 0.0); // dWh = H_{t-1}^T·dZh
            blas.gemm(ones, dzx, gBias[l], false, false, 1.0, 0.0);
            if (!lstm) {
                blas.gemm(ones, dzh, gBh[l], false, false, 1.0, 0.0);
            }
            inputBackward(l, dzx, l > 0 ? hOut[l - 1] : null, l > 0 ? delta[l - 1] : null);
        }
    }

    @Override
    void commitState() {
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(hStep[l][steps]);
            if (lstm) {
                host.commitCell(l);
            }
        }
    }

    /** @return a copy of layer l's outputs h_1..h_T of the last forward pass, [T·B, H] (tests) */
    INDArray hiddenOutputs(int layer) {
        return hOut[layer].dup();
    }

    /** @return a copy of layer l's carried LSTM cell state c_0, [B·H] row-major (tests) */
    double[] cellState(int layer) {
        return host.cell(layer);
    }

    @Override
    public String toString() {
        return "NdGatedKernel[" + layout.cell() + ", T=" + steps + ", B=" + batch + ", " + dtype + "]";
    }

    @Override
    public void close() {
        free(zx);
        free(zh); // null entries for the LSTM
        free(delta);
        free(rec);
        super.close();
    }
}
