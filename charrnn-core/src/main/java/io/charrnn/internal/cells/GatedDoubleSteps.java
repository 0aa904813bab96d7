package io.charrnn.internal.cells;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link NdGatedKernel}'s DOUBLE steps (gradient checks, the {@code lstmLayer} oracle): each step's
 * [B, G·H] rows are copied to {@code double[]}, run through {@link CellEquations}, and the
 * activations written back over the pre-activations, where the backward pass reads them and then
 * writes the step's gate gradients over them.
 */
final class GatedDoubleSteps extends GatedSteps {
    private final double[][] cells; // LSTM: [(T+1)·B·H] per layer, c_0 first
    private final double[][] tanhCells; // LSTM: [T·B·H] per layer
    private final double[] z;
    private final double[] zh;
    private final double[] dz;
    private final double[] dzh;
    private final double[] h;
    private final double[] prev;
    private final double[] dh;
    private final double[] carry;
    private final double[] rec;
    private final double[] bh;

    GatedDoubleSteps(NdGatedKernel kernel) {
        super(kernel);
        int n = batch * hidden;
        cells = lstm ? new double[layers][(steps + 1) * n] : null;
        tanhCells = lstm ? new double[layers][steps * n] : null;
        z = new double[batch * gh];
        zh = lstm ? null : new double[batch * gh];
        dz = new double[batch * gh];
        dzh = lstm ? null : new double[batch * gh];
        h = new double[n];
        prev = new double[n];
        dh = new double[n];
        carry = new double[n];
        rec = new double[n];
        bh = lstm ? null : new double[gh];
    }

    /** Copies n values of a whole (non-view) DOUBLE array from a flat offset into dst. */
    private static void read(INDArray whole, int offset, double[] dst, int n) {
        whole.data().asNioDouble().get(offset, dst, 0, n);
    }

    /** Copies n values of src into a whole (non-view) DOUBLE array at a flat offset. */
    private static void write(INDArray whole, int offset, double[] src, int n) {
        whole.data().asNioDouble().put(offset, src, 0, n);
    }

    /** Zeroes the rows of a [B, H] block whose stream's input at step t is the reset code. */
    private void zeroResetRows(double[] block, int t) {
        if (k.resetCode < 0) {
            return;
        }
        for (int b = 0; b < batch; b++) {
            if (k.isReset(t, b)) {
                Arrays.fill(block, b * hidden, (b + 1) * hidden, 0);
            }
        }
    }

    @Override
    void startLayer(int l) {
        k.zx[l].addiRowVector(k.bias[l]);
        if (!lstm) {
            read(k.params, k.bhOffset[l], bh, gh);
        }
    }

    @Override
    void forward(int l, int t) {
        int n = batch * hidden;
        int g = batch * gh;
        read(k.zx[l], t * g, z, g);
        if (lstm) {
            System.arraycopy(cells[l], t * n, prev, 0, n);
            zeroResetRows(prev, t);
            CellEquations.lstmForward(z, prev, cells[l], (t + 1) * n, tanhCells[l], t * n, h, batch, hidden);
        } else {
            read(k.zh[l], t * g, zh, g);
            read(k.resetCode >= 0 ? k.hPrev[l] : k.hs[l], t * n, prev, n);
            CellEquations.gruForward(z, zh, bh, prev, h, batch, hidden);
            write(k.zh[l], t * g, zh, g);
        }
        write(k.zx[l], t * g, z, g);
        write(k.hs[l], (t + 1) * n, h, n);
    }

    @Override
    void startBackward(int l) {
        Arrays.fill(carry, 0);
    }

    @Override
    void backward(int l, int t) {
        int n = batch * hidden;
        int g = batch * gh;
        read(k.delta[l], t * n, dh, n);
        if (t < steps - 1) {
            read(k.rec, 0, rec, n);
            zeroResetRows(rec, t + 1); // no gradient crosses a reset
            for (int i = 0; i < n; i++) {
                dh[i] += rec[i];
            }
        }
        read(k.zx[l], t * g, z, g);
        if (lstm) {
            System.arraycopy(cells[l], t * n, prev, 0, n);
            zeroResetRows(prev, t);
            CellEquations.lstmBackward(z, prev, tanhCells[l], t * n, dh, carry, dz, null, batch, hidden);
        } else {
            for (int i = 0; i < n; i++) {
                dh[i] += carry[i]; // z_{t+1}⊙dh_{t+1}, zero after a reset
            }
            read(k.zh[l], t * g, zh, g);
            read(k.resetCode >= 0 ? k.hPrev[l] : k.hs[l], t * n, prev, n);
            CellEquations.gruBackward(z, zh, prev, dh, dz, dzh, carry, batch, hidden);
            write(k.zh[l], t * g, dzh, g);
        }
        zeroResetRows(carry, t);
        write(k.zx[l], t * g, dz, g);
    }

    @Override
    void setCell(int l, double[] values) {
        System.arraycopy(values, 0, cells[l], 0, batch * hidden);
    }

    @Override
    double[] cell(int l) {
        return Arrays.copyOf(cells[l], batch * hidden);
    }

    @Override
    void cellTo(int l, float[] out, int off) {
        for (int i = 0; i < batch * hidden; i++) {
            out[off + i] = (float) cells[l][i];
        }
    }

    @Override
    void cellFrom(int l, float[] in, int off) {
        for (int i = 0; i < batch * hidden; i++) {
            cells[l][i] = in[off + i];
        }
    }

    @Override
    void copyCell(GatedSteps other, int l) {
        System.arraycopy(((GatedDoubleSteps) other).cells[l], 0, cells[l], 0, batch * hidden);
    }

    @Override
    void resetCell(int l) {
        Arrays.fill(cells[l], 0, batch * hidden, 0);
    }

    @Override
    void commitCell(int l) {
        int n = batch * hidden;
        System.arraycopy(cells[l], steps * n, cells[l], 0, n);
    }
}
