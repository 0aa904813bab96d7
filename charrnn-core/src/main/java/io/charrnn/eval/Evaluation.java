package io.charrnn.eval;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Probabilities;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Scores texts with a model: nats and bits per character and perplexity, the log-probability of a
 * text, each character's surprisal, and the most likely next characters after a prefix.
 *
 * <pre>{@code
 * TextScore s = Evaluation.score(model, "To be, or not to be");
 * System.out.printf("%.3f bits/char%n", s.bitsPerCharacter());
 * List<NextCharacter> next = Evaluation.nextCharacters(model, "To be, or not to b", 3);
 * }</pre>
 *
 * <p>Scoring is exact and sequential: the text is read once from a zero hidden state, and each
 * character after the first is predicted from all characters before it. Thread-safe: every call
 * has its own state.
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
        return score(model, CorpusAccess.codes(corpus, split));
    }

    private static TextScore score(RnnModel model, int[] codes) {
        return score(model, io.charrnn.internal.text.Codes.of(codes));
    }

    private static TextScore score(RnnModel model, io.charrnn.internal.text.Codes codes) {
        double[] sum = ModelAccess.engine(model).sumLoss(codes, WINDOW, 1, -1);
        return new TextScore(sum[0], (long) sum[1]);
    }

    /**
     * The log-probability of a text: {@code Σ ln p(c_i | c_0..c_{i-1})} over every character
     * after the first (the first is only read). It equals {@code -score(model, text).totalNats()}
     * up to float rounding.
     *
     * @param model a bound model
     * @param text a text over the model's vocabulary
     * @return the log-probability in nats, {@code <= 0}; 0 for texts shorter than two characters
     * @throws IllegalArgumentException if the model is unbound or the text has an unknown character
     */
    public static double logProbability(RnnModel model, CharSequence text) {
        double sum = 0;
        for (CharacterSurprisal c : surprisal(model, text)) {
            sum -= c.nats();
        }
        return sum;
    }

    /**
     * Each character's surprisal given all before it, for every character after the first.
     *
     * @param model a bound model
     * @param text a text over the model's vocabulary
     * @return one entry per character from position 1 on, in order
     * @throws IllegalArgumentException if the model is unbound or the text has an unknown character
     */
    public static List<CharacterSurprisal> surprisal(RnnModel model, CharSequence text) {
        Objects.requireNonNull(text, "text");
        Vocabulary v = requireBound(model);
        int[] codes = v.encode(text);
        RnnStepper stepper = ModelAccess.engine(model).stepper();
        float[] logits = new float[v.size()];
        List<CharacterSurprisal> out = new ArrayList<>(Math.max(codes.length - 1, 0));
        for (int i = 0; i + 1 < codes.length; i++) {
            stepper.step(codes[i], logits);
            double p = Math.exp(Probabilities.logSoftmax(logits)[codes[i + 1]]);
            out.add(new CharacterSurprisal(i + 1, v.codePointAt(codes[i + 1]), Math.min(p, 1.0)));
        }
        return out;
    }

    /**
     * The {@code n} most likely characters after a prefix, most likely first (ties in vocabulary
     * order).
     *
     * @param model a bound model
     * @param prefix text over the model's vocabulary; if empty, the model starts after a newline
     *     (or the vocabulary's first character), as {@code Sampler} does
     * @param n how many, {@code >= 1}; at most the vocabulary size are returned
     * @return {@code min(n, V)} characters with their probabilities
     * @throws IllegalArgumentException if the model is unbound, {@code n < 1} or the prefix has an
     *     unknown character
     */
    public static List<NextCharacter> nextCharacters(RnnModel model, CharSequence prefix, int n) {
        Objects.requireNonNull(prefix, "prefix");
        Vocabulary v = requireBound(model);
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        int[] codes = v.encode(prefix);
        if (codes.length == 0) {
            codes = new int[] {Math.max(v.indexOf('\n'), 0)};
        }
        RnnStepper stepper = ModelAccess.engine(model).stepper();
        float[] logits = new float[v.size()];
        for (int i = 0; i < codes.length - 1; i++) {
            stepper.step(codes[i], null);
        }
        stepper.step(codes[codes.length - 1], logits);
        double[] logp = Probabilities.logSoftmax(logits);
        Integer[] order = new Integer[logp.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> logp[a] != logp[b] ? Double.compare(logp[b], logp[a]) : Integer.compare(a, b));
        List<NextCharacter> out = new ArrayList<>();
        for (int r = 0; r < Math.min(n, order.length); r++) {
            out.add(new NextCharacter(v.codePointAt(order[r]), Math.min(Math.exp(logp[order[r]]), 1.0)));
        }
        return out;
    }

    private static Vocabulary requireBound(RnnModel model) {
        Objects.requireNonNull(model, "model");
        return model.vocabulary().orElseThrow(() -> new IllegalArgumentException(
                "cannot score with a model that has no vocabulary and no weights: train it first"));
    }
}
