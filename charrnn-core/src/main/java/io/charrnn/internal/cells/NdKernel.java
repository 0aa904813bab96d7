package io.charrnn.internal.cells;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A kernel over INDArrays that also works in float64, with direct access to its parameters and
 * gradient: what {@link io.charrnn.model.GradientCheck} needs, for every cell type.
 */
public interface NdKernel extends Kernel {
    /** @return the flat parameters, owned by this kernel (DOUBLE or FLOAT) */
    INDArray parameters();

    /** @return the flat gradient of the last {@link #lossAndGradient} call */
    INDArray gradient();

    /** Sets the hidden state h of a layer, {@code [B, H]} values row-major. */
    void setState(int layer, double[] values);

    /** Sets the LSTM cell state c of a layer, {@code [B, H]} values row-major; other cells have none. */
    default void setCellState(int layer, double[] values) {
        throw new UnsupportedOperationException("internal error: this cell has no cell state");
    }

    /**
     * Forward only, with the parameters already in {@link #parameters()}.
     *
     * @param carry keep the final state for the next call
     * @return the summed cross-entropy over all T·B positions, in nats
     */
    double loss(int[] inputs, int[] targets, boolean carry);

    /**
     * Forward and backward; the gradient of {@code lossScale · loss} goes to {@link #gradient()}.
     *
     * @return the summed (unscaled) cross-entropy over all T·B positions, in nats
     */
    double lossAndGradient(int[] inputs, int[] targets, double lossScale, boolean carry);
}
