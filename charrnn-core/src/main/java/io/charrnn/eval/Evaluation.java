package io.charrnn.eval;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.Kernel;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.check.Check;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Probabilities;
import io.charrnn.text.Corpus;
import io.charrnn.text.Newlines;
import io.charrnn.text.Texts;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

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
     * Scores the text at a path as {@link #score(RnnModel, CharSequence)} scores it (the same
     * result), reading it as a stream: memory does not grow with the text, so a text of any size
     * can be scored. Line endings are read with the model's rule, {@link Newlines#of} its
     * vocabulary: as LF unless the model knows {@code \r}.
     *
     * @param model a bound model
     * @param text a UTF-8 file, a directory or a jar/zip of text files, as {@link Texts#read} reads
     * @return the score of predicting every character after the first
     * @throws IOException if the text cannot be read (as {@link Texts#forEachCodePoint})
     * @throws IllegalArgumentException if the model is unbound, the text has fewer than two
     *     characters, or it has a character outside the vocabulary
     */
    public static TextScore score(RnnModel model, Path text) throws IOException {
        return score(model, text, Newlines.of(requireBound(model)));
    }

    /**
     * {@link #score(RnnModel, Path)} with line endings read by a given rule.
     *
     * @param model a bound model
     * @param text a UTF-8 file, a directory or a jar/zip of text files
     * @param newlines how line endings are read
     * @return the score of predicting every character after the first
     * @throws IOException if the text cannot be read (as {@link Texts#forEachCodePoint})
     * @throws IllegalArgumentException as {@link #score(RnnModel, Path)}
     */
    public static TextScore score(RnnModel model, Path text, Newlines newlines) throws IOException {
        Vocabulary v = requireBound(model);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(newlines, "newlines");
        ModelEngine engine = ModelAccess.engine(model);
        try (WindowedLoss loss = new WindowedLoss(engine.layout(), engine.parameters())) {
            long[] position = {0};
            long n = Texts.forEachCodePoint(text, newlines, cp -> loss.add(v.indexOrFail(cp, position[0]++)));
            requireTwo(text, n);
            return loss.finish();
        }
    }

    /**
     * Each character's surprisal, as {@link #surprisal(RnnModel, CharSequence)} gives it, for the
     * text at a path, handed over in order as it is read: memory does not grow with the text.
     * Line endings are read with the model's rule, as {@link #score(RnnModel, Path)} reads them.
     *
     * @param model a bound model
     * @param text a UTF-8 file, a directory or a jar/zip of text files, as {@link Texts#read} reads
     * @param each receives one entry per character from position 1 on, in order
     * @return the total: the sum of the entries' surprisals and their number
     * @throws IOException if the text cannot be read (as {@link Texts#forEachCodePoint})
     * @throws IllegalArgumentException if the model is unbound, the text has fewer than two
     *     characters, or it has a character outside the vocabulary
     */
    public static TextScore surprisal(RnnModel model, Path text, Consumer<CharacterSurprisal> each)
            throws IOException {
        return surprisal(model, text, Newlines.of(requireBound(model)), each);
    }

    /**
     * {@link #surprisal(RnnModel, Path, Consumer)} with line endings read by a given rule.
     *
     * @param model a bound model
     * @param text a UTF-8 file, a directory or a jar/zip of text files
     * @param newlines how line endings are read
     * @param each receives one entry per character from position 1 on, in order
     * @return the total: the sum of the entries' surprisals and their number
     * @throws IOException if the text cannot be read (as {@link Texts#forEachCodePoint})
     * @throws IllegalArgumentException as {@link #surprisal(RnnModel, Path, Consumer)}
     */
    public static TextScore surprisal(RnnModel model, Path text, Newlines newlines,
            Consumer<CharacterSurprisal> each) throws IOException {
        Vocabulary v = requireBound(model);
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(newlines, "newlines");
        Objects.requireNonNull(each, "each");
        Surprisals s = new Surprisals(model, v, each);
        long[] position = {0};
        long n = Texts.forEachCodePoint(text, newlines, cp -> s.add(v.indexOrFail(cp, position[0]++)));
        requireTwo(text, n);
        return new TextScore(s.nats, n - 1);
    }

    private static void requireTwo(Path text, long characters) {
        if (characters < 2) {
            throw new IllegalArgumentException(text + ": a text to score must have at least two characters (the "
                    + "first is only read), got " + characters);
        }
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
        List<CharacterSurprisal> out = new ArrayList<>(Math.max(codes.length - 1, 0));
        Surprisals s = new Surprisals(model, v, out::add);
        for (int code : codes) {
            s.add(code);
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
        Check.atLeast("n", n, 1);
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

    /** Steps a model through codes one at a time, reporting each prediction's surprisal. */
    private static final class Surprisals {
        private final Vocabulary vocabulary;
        private final RnnStepper stepper;
        private final float[] logits;
        private final Consumer<CharacterSurprisal> each;
        private long position = -1; // of the last code added
        private int last;
        double nats;

        Surprisals(RnnModel model, Vocabulary vocabulary, Consumer<CharacterSurprisal> each) {
            this.vocabulary = vocabulary;
            this.stepper = ModelAccess.engine(model).stepper();
            this.logits = new float[vocabulary.size()];
            this.each = each;
        }

        void add(int code) {
            if (position++ >= 0) {
                stepper.step(last, logits);
                double logp = logSoftmaxAt(logits, code);
                CharacterSurprisal c = new CharacterSurprisal(position, vocabulary.codePointAt(code),
                        Math.min(Math.exp(logp), 1.0));
                nats += c.nats();
                each.accept(c);
            }
            last = code;
        }
    }

    /** {@code Probabilities.logSoftmax(logits)[index]} without the array: the same arithmetic. */
    private static double logSoftmaxAt(float[] logits, int index) {
        double max = logits[Probabilities.argmax(logits)];
        if (Double.isInfinite(max)) {
            throw new IllegalArgumentException("the largest logit must be finite, got " + max);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        return (logits[index] - max) - Math.log(sum);
    }

    /**
     * The windowed loss of {@link Kernels#sumLoss} for one stream, fed one code at a time: windows
     * of {@link #WINDOW} predictions with the state carried, then a shorter kernel for the rest,
     * so the result equals scoring the whole array.
     */
    private static final class WindowedLoss implements AutoCloseable {
        private final ParameterLayout layout;
        private final float[] parameters;
        private final int[] window = new int[WINDOW + 1]; // codes; the last of one window starts the next
        private int filled;
        private Kernel main;
        private double nats;
        private long predictions;

        WindowedLoss(ParameterLayout layout, float[] parameters) {
            this.layout = layout;
            this.parameters = parameters;
        }

        void add(int code) {
            window[filled++] = code;
            if (filled == window.length) {
                if (main == null) {
                    main = Kernels.create(layout, WINDOW, 1);
                    main.resetBefore(-1);
                }
                run(main, WINDOW);
                window[0] = window[WINDOW];
                filled = 1;
            }
        }

        private void run(Kernel kernel, int steps) {
            nats += kernel.loss(parameters, Arrays.copyOfRange(window, 0, steps),
                    Arrays.copyOfRange(window, 1, steps + 1));
            predictions += steps;
        }

        TextScore finish() {
            int rest = filled - 1;
            if (rest > 0) {
                try (Kernel tail = Kernels.create(layout, rest, 1)) {
                    tail.resetBefore(-1);
                    if (main != null) {
                        tail.copyStateFrom(main);
                    }
                    run(tail, rest);
                }
            }
            return new TextScore(nats, predictions);
        }

        @Override
        public void close() {
            if (main != null) {
                main.close();
            }
        }
    }

    private static Vocabulary requireBound(RnnModel model) {
        Objects.requireNonNull(model, "model");
        Check.bound(model.isBound(), "score with");
        return model.vocabulary().orElseThrow();
    }
}
