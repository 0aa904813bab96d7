package io.charrnn.internal.cells;

import io.charrnn.internal.nd.NdRuntime;
import io.charrnn.model.Activation;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.strict.Tanh;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward pass and backpropagation through time of a multi-layer vanilla RNN over a batch of
 * {@code B} streams × {@code T} steps, written over INDArrays for BLAS-sized shapes.
 *
 * <p>Equations (Elman 1990; row vectors, {@code f} = tanh or ReLU, per layer l):
 * {@code a_t = x_t·Wx + h_{t-1}·Wh + b}, {@code h_t = f(a_t)}; logits
 * {@code y_t = h_t·Wy + by}; loss {@code L = Σ_t -log softmax(y_t)[target_t]}.
 *
 * <p>Structure, following the performance model: rows are time-major ({@code r = t·B + b}); the
 * input projection of all T·B rows is one row gather (one-hot) or one GEMM (embedding); the output
 * logits, softmax and every weight gradient are single GEMMs over all rows; only the recurrence runs
 * step by step, as one GEMM plus one element-wise op per step. Every buffer and every per-step view
 * is allocated once in the constructor, so a step allocates nothing. Parameters and gradients live
 * in one flat array each, with per-matrix views.
 *
 * <p>The hidden state of each layer is kept between calls when {@code carry} is true (truncated
 * BPTT). Works in FLOAT (training) or DOUBLE (gradient checks). Not thread-safe.
 */
public final class NdRnnKernel extends NdKernelBase {
    private final Activation activation;

    final INDArray[] delta; // [TB, H]: dL/dh, then dL/da in place
    private final INDArray[][] deltaStep;
    final INDArray deriv; // [TB, H]: f'(a); null when hostTanh
    private final INDArray[] derivStep;
    private INDArray resetScratch; // [B, H]
    // FLOAT on the CPU with tanh: bias, tanh and 1 − h² on heap copies of each step's block
    private final boolean hostTanh;
    private final float[] scratch;
    private final float[] scratch2;
    private final float[] biasRows; // the current layer's bias once per row, for the host tanh

    /**
     * @param layout the parameter layout
     * @param steps T, sequence length
     * @param batch B, parallel streams
     * @param dtype FLOAT or DOUBLE
     */
    public NdRnnKernel(ParameterLayout layout, int steps, int batch, DataType dtype) {
        super(layout, steps, batch, dtype);
        this.activation = layout.config().activation();
        hostTanh = dtype == DataType.FLOAT && NdRuntime.isCpuBackend() && activation == Activation.TANH;
        delta = new INDArray[layers];
        deltaStep = new INDArray[layers][steps];
        for (int l = 0; l < layers; l++) {
            delta[l] = Nd4j.create(dtype, rows, hidden);
            for (int t = 0; t < steps; t++) {
                deltaStep[l][t] = rowRange(delta[l], t * batch, (t + 1) * batch);
            }
        }
        deriv = hostTanh ? null : Nd4j.create(dtype, rows, hidden);
        derivStep = hostTanh ? null : new INDArray[steps];
        if (!hostTanh) {
            for (int t = 0; t < steps; t++) {
                derivStep[t] = rowRange(deriv, t * batch, (t + 1) * batch);
            }
        }
        scratch = hostTanh ? new float[batch * hidden] : null;
        scratch2 = hostTanh ? new float[batch * hidden] : null;
        biasRows = hostTanh ? new float[batch * hidden] : null;
    }


    @Override
    public void resetBefore(int code) {
        super.resetBefore(code);
        if (code >= 0 && resetScratch == null) {
            resetScratch = Nd4j.create(dtype, batch, hidden);
        }
    }

    /** Zeroes the rows of a [B, H] step block whose stream's input at step t is the reset code. */
    private boolean zeroResetRows(INDArray block, int t) {
        boolean any = false;
        for (int b = 0; b < batch; b++) {
            if (isReset(t, b)) {
                block.getRow(b).assign(0);
                any = true;
            }
        }
        return any;
    }

    private boolean hasReset(int t) {
        for (int b = 0; b < batch; b++) {
            if (isReset(t, b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public float[] state() {
        float[] out = new float[layers * batch * hidden];
        for (int l = 0; l < layers; l++) {
            float[] layer = hStep[l][0].dup().data().asFloat();
            System.arraycopy(layer, 0, out, l * batch * hidden, batch * hidden);
        }
        return out;
    }

    @Override
    public void restoreState(float[] state) {
        int n = batch * hidden;
        if (state.length != layers * n) {
            throw new IllegalArgumentException("hidden state must have " + layers * n + " values, got " + state.length);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(Nd4j.create(java.util.Arrays.copyOfRange(state, l * n, (l + 1) * n), new long[] {batch, hidden},
                    DataType.FLOAT).castTo(dtype));
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        if (!(other instanceof NdRnnKernel o) || o.batch != batch || o.hidden != hidden || o.layers != layers) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(o.hStep[l][0]);
        }
    }

    @Override
    public void resetState() {
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(0);
        }
    }

    @Override
    void forward(int[] inputs) {
        // layer 0 input projection for all T·B rows at once
        projectInputs(inputs, hOut[0]);
        for (int l = 0; l < layers; l++) {
            if (l > 0) {
                blas.gemm(below(l), wx[l], hOut[l], false, false, 1.0, 0.0); // [TB,H]·[H,H]
            }
            if (hostTanh) {
                FloatBuffer p = bias[l].data().asNioFloat();
                for (int b = 0; b < batch; b++) {
                    p.get((int) bias[l].offset(), biasRows, b * hidden, hidden);
                }
            } else {
                hOut[l].addiRowVector(bias[l]);
            }
            for (int t = 0; t < steps; t++) {
                INDArray next = hStep[l][t + 1];
                INDArray previous = hStep[l][t];
                if (resetCode >= 0) {
                    previous = hPrevStep[l][t].assign(previous);
                    zeroResetRows(previous, t);
                }
                blas.gemm(previous, wh[l], next, false, false, 1.0, 1.0); // a_t += h_{t-1}·Wh
                if (activation == Activation.TANH) {
                    tanh(l, t + 1);
                } else {
                    Nd4j.exec(new RectifiedLinear(next, next, 0.0));
                }
            }
        }
        output(hOut[layers - 1]);
    }

    /**
     * tanh of step {@code t}'s rows of layer {@code l}, in place. On the CPU backend in FLOAT, the
     * block is copied to the heap, the bias added (the forward pass leaves it out there) and run
     * through {@link FloatCells}' vanilla step with {@link FastTanh} (about ten times faster than
     * libnd4j's single-threaded op); otherwise libnd4j's exact {@code Tanh}.
     */
    private void tanh(int l, int t) {
        INDArray block = hStep[l][t];
        if (hostTanh) {
            int n = batch * hidden;
            FloatBuffer buffer = hs[l].data().asNioFloat();
            buffer.get(t * n, scratch, 0, n);
            for (int i = 0; i < n; i++) {
                scratch[i] += biasRows[i];
            }
            FloatCells.rnnForward(scratch, 0, n, true);
            buffer.put(t * n, scratch, 0, n);
        } else {
            Nd4j.exec(new Tanh(block, block));
        }
    }

    /**
     * @return for every hidden unit of every layer and position of the last forward pass, whether
     *     it is positive: the ReLU activation pattern (gradient checks use it to find kinks)
     */
    public java.util.BitSet positiveUnits() {
        java.util.BitSet bits = new java.util.BitSet();
        int n = 0;
        for (int l = 0; l < layers; l++) {
            double[] h = hOut[l].dup().reshape(-1).toDoubleVector();
            for (double v : h) {
                bits.set(n++, v > 0);
            }
        }
        return bits;
    }

    @Override
    void backward() {
        outputBackward(hOut[layers - 1], delta[layers - 1]); // probs hold dL/dlogits
        for (int l = layers - 1; l >= 0; l--) {
            INDArray h = hOut[l];
            if (hostTanh) {
                // 1 − h² is applied step by step on the host (derivativeOnHost)
            } else if (activation == Activation.TANH) {
                deriv.assign(h).muli(h).rsubi(1.0); // 1 - h^2 for all steps at once
            } else {
                Nd4j.exec(new Step(h, deriv, 0.0)); // h > 0  <=>  a > 0
            }
            INDArray[] d = deltaStep[l];
            for (int t = steps - 1; t >= 0; t--) {
                if (t < steps - 1 && hasReset(t + 1)) {
                    blas.gemm(d[t + 1], wh[l], resetScratch, false, true, 1.0, 0.0);
                    zeroResetRows(resetScratch, t + 1); // no gradient crosses a reset
                    d[t].addi(resetScratch);
                } else if (t < steps - 1) {
                    blas.gemm(d[t + 1], wh[l], d[t], false, true, 1.0, 1.0); // dh_t += da_{t+1}·Wh^T
                }
                if (hostTanh) {
                    derivativeOnHost(l, t);
                } else {
                    d[t].muli(derivStep[t]); // da_t = dh_t ⊙ f'(a_t)
                }
            }
            INDArray da = delta[l];
            blas.gemm(resetCode >= 0 ? hPrev[l] : hIn[l], da, gWh[l], true, false, 1.0, 0.0); // dWh = H_{t-1}^T·dA
            blas.gemm(ones, da, gBias[l], false, false, 1.0, 0.0);
            inputBackward(l, da, l > 0 ? hOut[l - 1] : null, l > 0 ? delta[l - 1] : null);
        }
    }

    /**
     * da_t = dh_t ⊙ (1 − h_t²) for step t's rows of layer l, over heap copies: the three libnd4j ops
     * that built 1 − h² for all steps and the per-step multiply took about 5 % of a C2 step.
     */
    private void derivativeOnHost(int l, int t) {
        int n = batch * hidden;
        FloatBuffer dh = delta[l].data().asNioFloat();
        hs[l].data().asNioFloat().get((t + 1) * n, scratch, 0, n); // hOut's block t
        dh.get(t * n, scratch2, 0, n);
        FloatCells.rnnBackward(scratch, scratch2, 0, n, true);
        dh.put(t * n, scratch2, 0, n);
    }

    @Override
    void commitState() {
        for (int l = 0; l < layers; l++) {
            hStep[l][0].assign(hStep[l][steps]);
        }
    }

    /** @return the layout this kernel was built for */
    public ParameterLayout layout() {
        return layout;
    }

    @Override
    public void close() {
        free(delta);
        free(deriv, resetScratch);
        super.close();
    }
}
