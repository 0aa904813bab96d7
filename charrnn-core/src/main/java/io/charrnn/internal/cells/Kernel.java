package io.charrnn.internal.cells;

/**
 * One batch of {@code B} streams × {@code T} steps of a model's forward pass and BPTT, over float
 * parameters in the flat layout of {@link ParameterLayout}. Inputs and targets are time-major:
 * position {@code t·B + b} is step t of stream b. The hidden state is carried from one call to the
 * next (truncated BPTT) until {@link #resetState()}. Not thread-safe.
 */
public interface Kernel extends AutoCloseable {
    /** @return T */
    int steps();

    /** @return B */
    int batch();

    /**
     * Forward and backward over one batch.
     *
     * @param parameters the flat parameters (read only)
     * @param inputs T·B input codes
     * @param targets T·B target codes
     * @param lossScale the gradient written is that of {@code lossScale · loss}
     * @param gradient receives the flat gradient
     * @return the summed cross-entropy over the T·B positions, in nats (unscaled)
     */
    double trainStep(float[] parameters, int[] inputs, int[] targets, double lossScale, float[] gradient);

    /**
     * Forward only.
     *
     * @return the summed cross-entropy over the T·B positions, in nats
     */
    double loss(float[] parameters, int[] inputs, int[] targets);

    /**
     * Takes over the carried hidden state of another kernel of the same kind, layout and batch.
     *
     * @throws IllegalStateException if the other kernel is of another kind or shape
     */
    void copyStateFrom(Kernel other);

    /** @return a copy of the carried hidden state, layer by layer, each [B, H] row-major */
    float[] state();

    /**
     * Sets the carried hidden state from {@link #state()}'s layout.
     *
     * @throws IllegalArgumentException if the length is wrong
     */
    void restoreState(float[] state);

    /**
     * Makes every occurrence of a code start from zero state: at a position whose input is
     * {@code code}, the previous hidden state of that stream is treated as zero (in the forward pass
     * and in backpropagation), so documents separated by it do not leak into each other.
     *
     * @param code a vocabulary index, or -1 for none (the default)
     */
    void resetBefore(int code);

    /**
     * Turns inverted dropout on (or off) for the forward passes that follow: each layer's output,
     * where it feeds the layer above or the decoder, is multiplied by a mask whose entries are 0
     * with probability {@code rate} and {@code 1/(1 - rate)} otherwise, and backpropagation goes
     * through the same mask. The masks are drawn here, from {@code seed} and the layer alone, and
     * stay fixed until the next call, so equal seeds give equal masks.
     *
     * @param rate the drop probability in {@code [0, 1)}; 0 turns dropout off
     * @param seed the seed of the masks (a trainer derives it from its seed and the step)
     * @throws UnsupportedOperationException if {@code rate > 0} and this kernel has no dropout
     *     ({@link Kernels#forTraining} never picks such a kernel for a model with dropout)
     */
    default void dropout(double rate, long seed) {
        if (rate > 0) {
            throw new UnsupportedOperationException("internal error: " + this + " has no dropout");
        }
    }

    /** Sets every layer's hidden state to zero. */
    void resetState();

    @Override
    void close();
}
