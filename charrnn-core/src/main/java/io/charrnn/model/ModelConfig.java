package io.charrnn.model;

import io.charrnn.internal.check.Check;
import java.util.Objects;

/**
 * The architecture of a model: everything but the vocabulary and the weights.
 *
 * <p>A config is valid or does not exist: the constructor checks every field. Make one with
 * {@link RnnModel#builder()}, which names every option and fills in the defaults.
 *
 * @param cell the recurrent cell
 * @param activation the non-linearity of a vanilla cell; the LSTM and GRU ignore it (σ and tanh)
 * @param hidden the hidden size of every layer, {@code > 0}
 * @param layers the number of stacked recurrent layers, {@code >= 1}
 * @param embedding the size of a learned character embedding, or 0 for one-hot input
 * @param initScale weights are drawn uniformly from {@code [-initScale, initScale]}, {@code > 0};
 *     biases start at zero, except the LSTM's (see {@link CellType#LSTM})
 * @param seed the seed the initial weights are drawn from
 * @param dropout the probability, in {@code [0, 1)}, that training drops a unit of a layer's output
 *     where it feeds the layer above or the decoder (inverted dropout: kept values are scaled by
 *     {@code 1/(1 - dropout)}); 0 turns dropout off. Sampling and evaluation never drop.
 * @param forgetBias the LSTM's initial forget-gate bias, finite (default 0, as PyTorch's biases start
 *     near 0, which learned more at equal training time than 1, a fresh cell that remembers; see
 *     docs/quality.md); other cells ignore it
 */
public record ModelConfig(CellType cell, Activation activation, int hidden, int layers, int embedding,
                          double initScale, long seed, double dropout, double forgetBias) {
    /** Upper bound for {@code hidden} and {@code embedding}, far beyond what a CPU trains. */
    public static final int MAX_SIZE = 1 << 14;
    /** Upper bound for {@code layers}. */
    public static final int MAX_LAYERS = 64;

    /**
     * Checks every field.
     *
     * @param cell the recurrent cell
     * @param activation the non-linearity of a vanilla cell; the LSTM and GRU ignore it (σ and tanh)
     * @param hidden the hidden size of every layer, {@code > 0}
     * @param layers the number of stacked recurrent layers, {@code >= 1}
     * @param embedding the size of a learned character embedding, or 0 for one-hot input
     * @param initScale weights are drawn uniformly from {@code [-initScale, initScale]}, {@code > 0};
     *     biases start at zero, except the LSTM's (see {@link CellType#LSTM})
     * @param seed the seed the initial weights are drawn from
     * @param dropout the probability, in {@code [0, 1)}, that training drops a unit of a layer's output
     *     where it feeds the layer above or the decoder (inverted dropout: kept values are scaled by
     *     {@code 1/(1 - dropout)}); 0 turns dropout off. Sampling and evaluation never drop.
     * @param forgetBias the LSTM's initial forget-gate bias, finite (the builder's default 0, as PyTorch's
     *     biases start near 0; see docs/quality.md); other cells ignore it
     * @throws IllegalArgumentException naming the first field out of range and its value
     */
    public ModelConfig {
        Objects.requireNonNull(cell, "cell");
        Objects.requireNonNull(activation, "activation");
        checkHidden(hidden);
        checkLayers(layers);
        checkEmbedding(embedding);
        checkInitScale(initScale);
        checkDropout(dropout);
        checkForgetBias(forgetBias);
    }

    // one check per field, shared with RnnModel.Builder's setters, so each rule has one wording

    static void checkHidden(int hidden) {
        Check.inRange("hidden", hidden, 1, MAX_SIZE);
    }

    static void checkLayers(int layers) {
        Check.inRange("layers", layers, 1, MAX_LAYERS);
    }

    static void checkEmbedding(int embedding) {
        if (embedding < 0 || embedding > MAX_SIZE) {
            throw new IllegalArgumentException("embedding must be 0 (one-hot input) or in [1, " + MAX_SIZE
                    + "], got " + embedding);
        }
    }

    static void checkInitScale(double initScale) {
        Check.positive("initScale", initScale);
    }

    static void checkForgetBias(double forgetBias) {
        Check.finite("forgetBias", forgetBias);
    }

    static void checkDropout(double dropout) {
        Check.fraction("dropout", dropout);
    }

    /** @return whether the input is a learned embedding rather than one-hot */
    public boolean hasEmbedding() {
        return embedding > 0;
    }
}
