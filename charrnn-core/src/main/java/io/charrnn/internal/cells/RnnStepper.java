package io.charrnn.internal.cells;

import io.charrnn.model.Activation;

/**
 * One character at a time through a vanilla RNN, batch 1, in plain Java: what sampling and exact
 * scoring need, where per-character latency is everything (a [1×100]·[100×100] product costs 3 µs
 * in Java against 12 µs for one ND4J call). Holds its own hidden state, so each sampling call gets
 * one; the parameters are shared and only read. Not thread-safe.
 */
public final class RnnStepper {
    private final ParameterLayout layout;
    private final float[] p;
    private final boolean tanh;
    private final int hidden;
    private final int layers;
    private final int vocab;
    private final int embed;
    private final float[][] h; // [l][H]
    private final float[] a; // [H]
    private final float[] e; // [D]

    /** @param parameters the model's flat parameters, read only */
    public RnnStepper(ParameterLayout layout, float[] parameters) {
        this.layout = layout;
        this.p = parameters;
        this.tanh = layout.config().activation() == Activation.TANH;
        this.hidden = layout.config().hidden();
        this.layers = layout.config().layers();
        this.vocab = layout.vocabularySize();
        this.embed = layout.config().embedding();
        this.h = new float[layers][hidden];
        this.a = new float[hidden];
        this.e = new float[embed];
    }

    /** @return the vocabulary size, the length of the logits */
    public int vocabularySize() {
        return vocab;
    }

    /**
     * Feeds one character and computes the logits of the next.
     *
     * @param code the input character's index
     * @param logits receives V logits; may be null when only the state matters
     */
    public void step(int code, float[] logits) {
        int hh = hidden;
        for (int l = 0; l < layers; l++) {
            System.arraycopy(p, layout.bias(l).offset(), a, 0, hh);
            int wx = layout.wx(l).offset();
            if (l > 0) {
                JavaRnnKernel.rowTimesMatrix(h[l - 1], 0, hh, p, wx, hh, a, 0);
            } else if (embed == 0) {
                for (int j = 0, off = wx + code * hh; j < hh; j++) {
                    a[j] += p[off + j];
                }
            } else {
                System.arraycopy(p, layout.embedding().offset() + code * embed, e, 0, embed);
                JavaRnnKernel.rowTimesMatrix(e, 0, embed, p, wx, hh, a, 0);
            }
            JavaRnnKernel.rowTimesMatrix(h[l], 0, hh, p, layout.wh(l).offset(), hh, a, 0);
            float[] hl = h[l];
            for (int j = 0; j < hh; j++) {
                hl[j] = tanh ? JavaRnnKernel.tanh(a[j]) : Math.max(a[j], 0f);
            }
        }
        if (logits != null) {
            System.arraycopy(p, layout.outputBias().offset(), logits, 0, vocab);
            JavaRnnKernel.rowTimesMatrix(h[layers - 1], 0, hh, p, layout.outputWeights().offset(), vocab, logits, 0);
        }
    }

    /** @return a copy of a layer's hidden state */
    public float[] state(int layer) {
        return h[layer].clone();
    }
}
