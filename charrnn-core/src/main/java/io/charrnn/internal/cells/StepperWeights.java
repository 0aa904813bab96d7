package io.charrnn.internal.cells;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;

/**
 * A model's weights in the row form {@link RnnStepper} reads, immutable once built, safe to share
 * across threads: built once per model ({@link ModelEngine#stepperWeights()}). It also carries
 * the model's {@link SplitChoice} for one-row steps, so that every generation from the model starts
 * from what earlier ones measured (guarded by {@link StepWorker}'s lock).
 */
public final class StepperWeights {
    final float[][] input; // [V][G·H]: layer 0's input term for each code
    final float[][] bias; // [l][G·H]: b, or the GRU's bx
    final float[][] biasH; // [l][3H]: the GRU's bh; null for other cells
    // [l][H][G·H + G·H or V]: the rows of [Wh | Wx of layer l + 1], at the top [Wh | Wy], so that
    // every product of h_t is one pass over long rows (short rows of Wy alone, 65 floats, ran
    // at a third of the speed per multiply-add)
    final float[][][] out;
    final float[] by;
    final boolean tanh;
    final CellType cell;
    final int hidden;
    final int width; // G·H
    final SplitChoice oneRowSplit = new SplitChoice();

    /** @param parameters the model's flat parameters (copied) */
    public StepperWeights(ParameterLayout layout, float[] parameters) {
        RowWeights rows = new RowWeights(layout, false);
        rows.load(parameters);
        int layers = rows.wh.length;
        int width = rows.wh[0][0].length;
        if (rows.embedding == null) {
            input = rows.wx[0];
        } else {
            input = new float[rows.embedding.length][width];
            for (int v = 0; v < input.length; v++) {
                RowWeights.rowTimesMatrix(rows.embedding[v], rows.wx[0], input[v]);
            }
        }
        bias = rows.bias;
        biasH = rows.biasH;
        hidden = rows.wh[0].length;
        this.width = width;
        out = new float[layers][hidden][];
        for (int l = 0; l < layers; l++) {
            float[][] next = l + 1 < layers ? rows.wx[l + 1] : rows.wy;
            for (int k = 0; k < hidden; k++) {
                float[] row = new float[width + next[k].length];
                System.arraycopy(rows.wh[l][k], 0, row, 0, width);
                System.arraycopy(next[k], 0, row, width, next[k].length);
                out[l][k] = row;
            }
        }
        by = rows.by;
        tanh = layout.config().activation() == Activation.TANH;
        cell = layout.cell();
    }

    /** @return the vocabulary size (the number of logits per step) */
    public int vocabularySize() {
        return by.length;
    }

    /** @return the number of layers */
    int layers() {
        return out.length;
    }
}
