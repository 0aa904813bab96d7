package io.charrnn.train;

import io.charrnn.internal.cells.ParameterLayout;

/** Decoupled weight decay (as AdamW): weight matrices, not biases, shrink by {@code lr · decay · w} each step. */
final class WeightDecay {
    private WeightDecay() {
    }

    /** @return {offset, size} of each weight matrix of a layout, for weight decay */
    static int[][] matrices(ParameterLayout layout) {
        return layout.tensors().stream().filter(t -> !t.vector())
                .map(t -> new int[] {t.offset(), t.size()}).toArray(int[][]::new);
    }

    /** Decoupled weight decay: weight matrices (not biases) shrink by {@code lr · decay · w}. */
    static void decay(float[] params, int[][] matrices, double lr, double weightDecay) {
        if (weightDecay > 0) {
            float shrink = (float) (1 - lr * weightDecay);
            for (int[] m : matrices) {
                for (int i = m[0]; i < m[0] + m[1]; i++) {
                    params[i] *= shrink;
                }
            }
        }
    }
}
