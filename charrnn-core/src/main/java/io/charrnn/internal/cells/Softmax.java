package io.charrnn.internal.cells;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The cross-entropy of softmax probabilities over T·B rows, and its gradient in place (as in {@link NdRnnKernel}). */
final class Softmax {
    private Softmax() {
    }

    /**
     * Sums -log p[target] over the rows of {@code probs} [R, V] and, unless {@code scale} is NaN,
     * turns the probabilities into {@code scale · (p - onehot)} in place. Where p[target] underflows,
     * the row's loss comes from its {@code logits} ({@code logsumexp(z) - z[target]}).
     */
    static double loss(INDArray probs, INDArray logits, int[] targets, double scale, DataType dtype) {
        int rows = (int) probs.rows();
        int vocab = (int) probs.columns();
        if (targets.length != rows) {
            throw new IllegalStateException("internal error: " + targets.length + " targets, expected " + rows);
        }
        double loss = 0;
        boolean gradient = !Double.isNaN(scale);
        if (dtype == DataType.FLOAT) {
            FloatBuffer p = probs.data().asNioFloat();
            for (int r = 0; r < rows; r++) {
                int i = r * vocab + targets[r];
                float v = p.get(i);
                loss += v > 1e-30f ? -Math.log(v) : exactRowLoss(logits, r, targets[r], vocab);
                if (gradient) {
                    p.put(i, v - 1f);
                }
            }
        } else {
            DoubleBuffer p = probs.data().asNioDouble();
            for (int r = 0; r < rows; r++) {
                int i = r * vocab + targets[r];
                double v = p.get(i);
                loss += v > 1e-300 ? -Math.log(v) : exactRowLoss(logits, r, targets[r], vocab);
                if (gradient) {
                    p.put(i, v - 1);
                }
            }
        }
        if (gradient && scale != 1) {
            probs.muli(scale);
        }
        return loss;
    }

    private static double exactRowLoss(INDArray logits, int row, int target, int vocab) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < vocab; j++) {
            max = Math.max(max, logits.getDouble(row, j));
        }
        double sum = 0;
        for (int j = 0; j < vocab; j++) {
            sum += Math.exp(logits.getDouble(row, j) - max);
        }
        return Math.log(sum) + max - logits.getDouble(row, target);
    }
}
