package io.charrnn.internal.cells;

/**
 * The host side of one time step of {@link NdGatedKernel}, forward and backward, and the LSTM's
 * cell state, which lives only on the host: the kernel does the products through BLAS and hands
 * each step's rows to one of two implementations, {@link GatedFloatSteps} (FLOAT, training:
 * {@link FloatCells}, optionally on two threads) and {@link GatedDoubleSteps} (DOUBLE, gradient
 * checks: {@link CellEquations}). One call per layer step, never per element.
 */
abstract class GatedSteps {
    final NdGatedKernel k;
    final boolean lstm;
    final int batch;
    final int hidden;
    final int steps;
    final int layers;
    final int gates; // G
    final int gh; // G·H

    GatedSteps(NdGatedKernel kernel) {
        this.k = kernel;
        this.lstm = kernel.lstm;
        this.batch = kernel.batch;
        this.hidden = kernel.hidden;
        this.steps = kernel.steps;
        this.layers = kernel.layers;
        this.gates = kernel.gates;
        this.gh = kernel.gh;
    }

    /** Before a forward or backward pass over every layer. */
    void begin() {
    }

    /** After a forward or backward pass, also when it failed. */
    void end() {
    }

    /** Before layer l's forward steps: its biases, which the steps add to the pre-activations. */
    abstract void startLayer(int l);

    /**
     * Forward through step t of layer l: {@code zx[l]} (and the GRU's {@code zh[l]}) hold the step's
     * products; writes h_t into the kernel's {@code hs[l]} and the activations (the GRU's h·Whn + bhn)
     * over the products, for {@link #backward}.
     */
    abstract void forward(int l, int t);

    /** Before layer l's backward steps, from the last: no gradient comes from after the window. */
    abstract void startBackward(int l);

    /**
     * Backward through step t of layer l: {@code delta[l]} holds dL/dh_t from above and, when
     * t < T−1, {@code rec} dL/dh_t through Wh; reads the step's activations from {@code zx[l]} (and
     * the GRU's {@code zh[l]}) and writes the gate gradients over them.
     */
    abstract void backward(int l, int t);

    /** Sets layer l's carried LSTM cell state c_0 from [B·H] row-major values. */
    abstract void setCell(int l, double[] values);

    /** @return a copy of layer l's carried LSTM cell state c_0, [B·H] row-major */
    abstract double[] cell(int l);

    /** Layer l's carried c_0 into {@code out[off..off+B·H)}. */
    abstract void cellTo(int l, float[] out, int off);

    /** Layer l's carried c_0 from {@code in[off..off+B·H)}. */
    abstract void cellFrom(int l, float[] in, int off);

    /** Layer l's carried c_0 from another kernel's steps of the same shape and precision. */
    abstract void copyCell(GatedSteps other, int l);

    /** Zeroes layer l's carried c_0. */
    abstract void resetCell(int l);

    /** Makes layer l's c_T the carried c_0 of the next window. */
    abstract void commitCell(int l);
}
