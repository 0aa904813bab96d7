package io.charrnn.internal.cells;

import io.charrnn.model.Activation;

/**
 * One character at a time through a vanilla RNN, batch 1, in plain Java: what sampling needs,
 * where per-character latency is everything (a [1×100]·[100×100] product costs about 1.5 µs here
 * against 12 µs for one ND4J call). The weights ({@link Weights}) are built once and shared by any
 * number of steppers; each stepper holds its own hidden state. Not thread-safe.
 */
public final class RnnStepper {
    /** A model's weights in row form, immutable once built, safe to share across threads. */
    public static final class Weights {
        private final RowWeights rows;
        private final int vocab;
        private final boolean tanh;

        /** @param parameters the model's flat parameters (copied) */
        public Weights(ParameterLayout layout, float[] parameters) {
            this.rows = new RowWeights(layout, false);
            rows.load(parameters);
            this.vocab = layout.vocabularySize();
            this.tanh = layout.config().activation() == Activation.TANH;
        }
    }

    private final RowWeights w;
    private final boolean tanh;
    private final float[][] h; // [l][H]
    private final float[] a; // [H]

    public RnnStepper(Weights weights) {
        this.w = weights.rows;
        this.tanh = weights.tanh;
        int hidden = w.wh[0].length;
        this.h = new float[w.wh.length][hidden];
        this.a = new float[hidden];
    }

    /**
     * Feeds one character and computes the logits of the next.
     *
     * @param code the input character's index
     * @param logits receives V logits; may be null when only the state matters
     */
    public void step(int code, float[] logits) {
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(w.bias[l], 0, a, 0, a.length);
            if (l > 0) {
                RowWeights.rowTimesMatrix(h[l - 1], w.wx[l], a);
            } else if (w.embedding != null) {
                RowWeights.rowTimesMatrix(w.embedding[code], w.wx[0], a);
            } else {
                RowWeights.axpy(1f, w.wx[0][code], a);
            }
            RowWeights.rowTimesMatrix(h[l], w.wh[l], a);
            float[] hl = h[l];
            if (tanh) {
                FastTanh.apply(a, a.length);
                System.arraycopy(a, 0, hl, 0, a.length);
            } else {
                for (int j = 0; j < a.length; j++) {
                    hl[j] = Math.max(a[j], 0f);
                }
            }
        }
        if (logits != null) {
            System.arraycopy(w.by, 0, logits, 0, w.by.length);
            RowWeights.rowTimesMatrix(h[h.length - 1], w.wy, logits);
        }
    }

    /** @return a copy of a layer's hidden state */
    public float[] state(int layer) {
        return h[layer].clone();
    }
}
