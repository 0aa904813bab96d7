package io.charrnn.eval;

import io.charrnn.internal.ModelAccess;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.util.Objects;

/**
 * Scores texts with a model: nats and bits per character and perplexity.
 *
 * <pre>{@code
 * TextScore s = Evaluation.score(model, "To be, or not to be");
 * System.out.printf("%.3f bits/char%n", s.bitsPerCharacter());
 * }</pre>
 *
 * <p>Scoring is exact and sequential: the text is read once from a zero hidden state, and each
 * character after the first is predicted from all characters before it.
 */
public final class Evaluation {
    private static final int WINDOW = 128;

    private Evaluation() {
    }

    /**
     * @param model a bound model
     * @param text a text over the model's vocabulary
     * @return the score of predicting every character after the first
     * @throws IllegalArgumentException if the model is unbound or the text has an unknown character
     */
    public static TextScore score(RnnModel model, CharSequence text) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        Vocabulary v = requireBound(model);
        return score(model, v.encode(text));
    }

    /**
     * @param model a bound model
     * @param corpus a corpus over the model's vocabulary
     * @param split the part to score
     * @return the score of that part, read on its own from a zero state
     * @throws IllegalArgumentException if the model is unbound or the vocabularies differ
     */
    public static TextScore score(RnnModel model, Corpus corpus, Corpus.Split split) {
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(split, "split");
        Vocabulary v = requireBound(model);
        if (!v.equals(corpus.vocabulary())) {
            throw new IllegalArgumentException("corpus vocabulary (" + corpus.vocabulary().size()
                    + " code points) differs from the model's (" + v.size() + "); build both from one Vocabulary");
        }
        return score(model, corpus.codes(split));
    }

    private static TextScore score(RnnModel model, int[] codes) {
        ParameterLayout layout = new ParameterLayout(model.config(), model.vocabulary().orElseThrow().size());
        double[] sum = Kernels.sumLoss(layout, ModelAccess.parameters(model), codes, WINDOW, 1);
        return new TextScore(sum[0], (long) sum[1]);
    }

    private static Vocabulary requireBound(RnnModel model) {
        Objects.requireNonNull(model, "model");
        return model.vocabulary().orElseThrow(() -> new IllegalArgumentException(
                "cannot score with a model that has no vocabulary and no weights: train it first"));
    }
}
