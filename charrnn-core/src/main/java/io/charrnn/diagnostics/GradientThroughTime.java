package io.charrnn.diagnostics;

import io.charrnn.internal.check.Check;
import io.charrnn.model.CellType;

/**
 * The vanishing-gradient curve of one prediction ({@link Diagnostics#gradientThroughTime}): the
 * norm of the gradient of its loss with respect to the hidden state {@code k} steps back, for
 * {@code k = 0} (the state the prediction is made from) up to {@link #steps()}{@code - 1} (the
 * state after the first character), in every layer. Immutable; array accessors return copies.
 */
public final class GradientThroughTime {
    private final CellType cell;
    private final double loss;
    private final double[][] hidden; // [layer][k]
    private final double[][] cellState; // LSTM: [layer][k], else null

    GradientThroughTime(CellType cell, double loss, double[][] hidden, double[][] cellState) {
        this.cell = cell;
        this.loss = loss;
        this.hidden = hidden;
        this.cellState = cellState;
    }

    /** @return the model's cell type */
    public CellType cell() {
        return cell;
    }

    /** @return the loss of the prediction, {@code -ln p(last character)}, in nats */
    public double loss() {
        return loss;
    }

    /** @return the number of layers */
    public int layers() {
        return hidden.length;
    }

    /** @return the number of steps, one per character read (the text's length minus one) */
    public int steps() {
        return hidden[0].length;
    }

    /**
     * @param layer the layer, in {@code [0, layers())}
     * @return {@code ||∂L/∂h||} by steps back: entry k is the state {@code k} steps before the
     *     prediction (a fresh array)
     * @throws IllegalArgumentException if the layer is out of range
     */
    public double[] hiddenNorms(int layer) {
        return hidden[check(layer)].clone();
    }

    /**
     * @param layer the layer, in {@code [0, layers())}
     * @return {@code ||∂L/∂c||} of the LSTM's cell state by steps back (a fresh array)
     * @throws IllegalStateException if the cell is not an LSTM
     * @throws IllegalArgumentException if the layer is out of range
     */
    public double[] cellNorms(int layer) {
        if (cellState == null) {
            throw new IllegalStateException("only the LSTM has a cell state, this curve is of a " + cell);
        }
        return cellState[check(layer)].clone();
    }

    private int check(int layer) {
        return Check.index("layer", layer, hidden.length);
    }

    @Override
    public String toString() {
        return "GradientThroughTime[" + cell + ", layers=" + layers() + ", steps=" + steps() + ", loss=" + loss + "]";
    }
}
