package io.charrnn.sample;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.cells.StepperWeights;
import io.charrnn.internal.check.Check;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * Generates text from a trained model, one character at a time, with a {@link SamplingStrategy}.
 *
 * <pre>{@code
 * Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
 * String text = sampler.generate("ROMEO:", 500, new SplittableRandom(1));
 * Sample s = sampler.generate(GenerationOptions.builder().prime("ROMEO:").stop("\n\n").build(), rng);
 * }</pre>
 *
 * <p>Memory: {@link #stream} and the {@code IntConsumer} form of {@code generate} keep only what
 * the strategy and the stop conditions need (the latest {@link SamplingContext#MAX_HISTORY}
 * characters), so they may generate any length; the methods that return texts hold them, and
 * batches and beams are capped ({@link #MAX_BATCH}, {@link #MAX_BATCH_CHARACTERS},
 * {@link #MAX_BEAM_WIDTH}) so that one call cannot take the heap.
 *
 * <p>Immutable and thread-safe: every call creates its own hidden state, so many threads can sample
 * from one sampler. The same options, strategy and RNG state give the same text. An empty prime
 * starts generation after a newline (or the vocabulary's first character if it has no newline).
 * A thread interrupted while it generates one text ends it at the next character
 * ({@link Sample.Ending#CANCELLED}, the interrupt flag still set). With a {@link ContinuousBatcher}
 * ({@link Builder#batcher}) the generations of many threads step together, each giving the same text.
 */
public final class Sampler {
    /** The most texts one {@link #generateBatch} call generates. */
    public static final int MAX_BATCH = 1024;
    /** The most characters one {@link #generateBatch} call returns: count × length. */
    public static final long MAX_BATCH_CHARACTERS = 1L << 24;
    /** The most beams {@link #beamSearch} keeps. */
    public static final int MAX_BEAM_WIDTH = 1024;
    /** The most width × length of {@link #beamSearch}: its back-pointers take 8 bytes each. */
    public static final long MAX_BEAM_CELLS = 1L << 24;

    private final RnnModel model;
    private final Vocabulary vocabulary;
    private final StepperWeights weights;
    private final SamplingStrategy strategy;
    private final ContinuousBatcher batcher; // null: every generation steps alone

    private Sampler(RnnModel model, SamplingStrategy strategy, ContinuousBatcher batcher) {
        this.model = model;
        this.vocabulary = model.vocabulary().orElseThrow();
        this.weights = ModelAccess.engine(model).stepperWeights();
        this.strategy = strategy;
        this.batcher = batcher;
    }

    /**
     * @param model a bound (trained or loaded) model
     * @return a builder; the default strategy is {@code temperature(1.0)}
     * @throws IllegalArgumentException if the model has no vocabulary and weights yet
     */
    public static Builder builder(RnnModel model) {
        Objects.requireNonNull(model, "model");
        Check.bound(model.isBound(), "sample from");
        return new Builder(model);
    }

    /** @return the strategy */
    public SamplingStrategy strategy() {
        return strategy;
    }

    /**
     * Generates text.
     *
     * @param prime text fed to the model first, not repeated in the result
     * @param length how many characters to generate, {@code >= 0}
     * @param rng the source of randomness
     * @return the generated characters, without the prime
     * @throws IllegalArgumentException if the prime has a character the vocabulary lacks (with its
     *     position and code point) or the length is negative
     */
    public String generate(String prime, int length, RandomGenerator rng) {
        return generate(options(prime, length), rng).text();
    }

    /**
     * Generates text and hands each character to {@code sink} as soon as it is drawn (streaming).
     *
     * @param prime as for {@link #generate(String, int, RandomGenerator)}
     * @param length how many characters to generate
     * @param rng the source of randomness
     * @param sink receives each generated code point in order
     * @throws IllegalArgumentException as for {@link #generate(String, int, RandomGenerator)}
     */
    public void generate(String prime, int length, RandomGenerator rng, IntConsumer sink) {
        Objects.requireNonNull(sink, "sink");
        stream(options(prime, length), rng, cp -> {
            sink.accept(cp);
            return true;
        });
    }

    /**
     * Generates one text as {@link #generate(GenerationOptions, RandomGenerator, CharacterSink)}
     * does (the same characters for the same RNG state), but keeps none of it beyond what the stop
     * conditions need: memory does not grow with the length, however long. A
     * {@link GenerationOptions.Builder#stopWhen} predicate then sees only the latest
     * {@link SamplingContext#MAX_HISTORY} characters at least (the whole text while it is shorter).
     *
     * @param options prime, length and stop conditions
     * @param rng the source of randomness
     * @param sink receives the characters in order; returning {@code false} cancels
     * @return why generation ended
     * @throws IllegalArgumentException if the prime has a character the vocabulary lacks
     */
    public Sample.Ending stream(GenerationOptions options, RandomGenerator rng, CharacterSink sink) {
        Objects.requireNonNull(sink, "sink");
        return single(options, rng, sink, false).ending();
    }

    /**
     * Generates one text as the options say.
     *
     * @param options prime, length and stop conditions
     * @param rng the source of randomness
     * @return the text and why it ended
     * @throws IllegalArgumentException if the prime has a character the vocabulary lacks
     */
    public Sample generate(GenerationOptions options, RandomGenerator rng) {
        return single(options, rng, null, true);
    }

    /**
     * Generates one text, handing each character to {@code sink} as soon as it is known to be part
     * of the result (characters that may begin a stop string wait until they cannot).
     *
     * @param options prime, length and stop conditions
     * @param rng the source of randomness
     * @param sink receives the characters in order; returning {@code false} cancels
     * @return the text generated (up to cancellation) and why it ended
     * @throws IllegalArgumentException if the prime has a character the vocabulary lacks
     */
    public Sample generate(GenerationOptions options, RandomGenerator rng, CharacterSink sink) {
        Objects.requireNonNull(sink, "sink");
        return single(options, rng, sink, true);
    }

    /**
     * Generates {@code count} texts from one prime as one batch: the model steps all rows together
     * (each weight block is read once per step for every row), and at each step the rows draw from
     * {@code rng} in order. So the result depends on the RNG and {@code count}, and row 0 is not the
     * text {@link #generate(String, int, RandomGenerator)} would give.
     *
     * @param prime as for {@link #generate(String, int, RandomGenerator)}
     * @param length characters per text, {@code >= 0}
     * @param count how many texts, as for {@link #generateBatch}
     * @param rng the source of randomness
     * @return {@code count} texts
     * @throws IllegalArgumentException if an argument is out of range or the prime is not encodable
     */
    public List<String> generate(String prime, int length, int count, RandomGenerator rng) {
        List<String> texts = new ArrayList<>(count);
        for (Sample s : generateBatch(options(prime, length), count, rng)) {
            texts.add(s.text());
        }
        return texts;
    }

    /**
     * Generates {@code count} texts as one batch, each ending on its own stop condition.
     *
     * @param options prime, length and stop conditions, shared by every row
     * @param count how many texts, in {@code [1, MAX_BATCH]}, with {@code count × length <=
     *     MAX_BATCH_CHARACTERS}
     * @param rng the source of randomness, drawn from by the rows in order at each step
     * @return {@code count} samples
     * @throws IllegalArgumentException if the count is out of range or the prime is not encodable
     */
    public List<Sample> generateBatch(GenerationOptions options, int count, RandomGenerator rng) {
        Check.inRange("count", count, 1, MAX_BATCH);
        Objects.requireNonNull(options, "options");
        if ((long) count * options.length() > MAX_BATCH_CHARACTERS) {
            throw new IllegalArgumentException("count × length must be at most " + MAX_BATCH_CHARACTERS
                    + " characters (the texts are returned at once), got " + count + " × " + options.length());
        }
        return run(options, count, rng, null, true);
    }

    /** One text: alone, or as a row of the batcher's batch (the same text either way). */
    private Sample single(GenerationOptions options, RandomGenerator rng, CharacterSink sink, boolean keepText) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(rng, "rng");
        int[] prime = encodePrime(options.prime());
        Generation g = new Generation(weights, strategy, rng, new GenerationRow(vocabulary, options, prime, sink,
                keepText), prime);
        if (g.row.done()) {
            return g.row.result(); // length 0: no step at all
        }
        if (batcher == null) {
            try {
                g.runAlone(null);
            } finally {
                g.restoreInterrupt();
            }
        } else {
            batcher.run(g);
        }
        return g.row.result();
    }

    private List<Sample> run(GenerationOptions options, int count, RandomGenerator rng, CharacterSink sink,
                             boolean keepText) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(rng, "rng");
        int[] prime = encodePrime(options.prime());
        RnnStepper stepper = new RnnStepper(weights, count);
        GenerationRow[] rows = new GenerationRow[count];
        for (int b = 0; b < count; b++) {
            rows[b] = new GenerationRow(vocabulary, options, prime, sink, keepText);
        }
        int v = vocabulary.size();
        int[] inputs = new int[count];
        for (int i = 0; i < prime.length - 1; i++) {
            Arrays.fill(inputs, prime[i]);
            stepper.step(inputs, null, count);
        }
        Arrays.fill(inputs, prime[prime.length - 1]);
        float[][] logits = new float[count][v];
        float[] scratch = new float[v];
        int active = rows[0].done() ? 0 : count;
        while (active > 0) {
            stepper.step(inputs, logits, count);
            for (int b = 0; b < count; b++) {
                GenerationRow row = rows[b];
                if (row.done()) {
                    continue;
                }
                System.arraycopy(logits[b], 0, scratch, 0, v);
                int next = strategy.choose(scratch, row.context, rng);
                if (next < 0 || next >= v) {
                    throw new IllegalStateException("strategy " + strategy + " returned index " + next
                            + ", outside [0, " + v + ")");
                }
                inputs[b] = next;
                if (!row.add(next)) {
                    active--;
                }
            }
        }
        List<Sample> out = new ArrayList<>(count);
        for (GenerationRow row : rows) {
            out.add(row.result());
        }
        return out;
    }

    /**
     * Beam search: keeps the {@code width} most likely continuations at every step and returns them,
     * most likely first, each exactly {@code length} characters long, with its log-probability under
     * the model. The strategy is not used. With width 1 this is greedy decoding.
     *
     * @param prime as for {@link #generate(String, int, RandomGenerator)}
     * @param length characters per continuation, {@code >= 0}
     * @param width beams kept, in {@code [1, MAX_BEAM_WIDTH]}, with {@code width × length <= MAX_BEAM_CELLS}
     * @return up to {@code width} beams (fewer only when fewer continuations exist), best first;
     *     ties go to the beam whose characters have lower vocabulary indices
     * @throws IllegalArgumentException if an argument is out of range or the prime is not encodable
     */
    public List<Beam> beamSearch(String prime, int length, int width) {
        Check.inRange("width", width, 1, MAX_BEAM_WIDTH);
        if ((long) width * length > MAX_BEAM_CELLS) {
            throw new IllegalArgumentException("width × length must be at most " + MAX_BEAM_CELLS
                    + " (the search keeps a back-pointer for each), got " + width + " × " + length);
        }
        return BeamSearch.run(weights, vocabulary, encodePrime(Objects.requireNonNull(prime, "prime")),
                checkLength(length), width);
    }

    private int[] encodePrime(String prime) {
        Objects.requireNonNull(prime, "prime");
        int[] codes = vocabulary.encode(prime);
        if (codes.length == 0) {
            int newline = vocabulary.indexOf('\n');
            codes = new int[] {Math.max(newline, 0)};
        }
        return codes;
    }

    private static int checkLength(int length) {
        return Check.atLeast("length", length, 0);
    }

    private static GenerationOptions options(String prime, int length) {
        Objects.requireNonNull(prime, "prime");
        return GenerationOptions.builder().prime(prime).length(checkLength(length)).build();
    }

    @Override
    public String toString() {
        return "Sampler[" + strategy + ", " + model + (batcher == null ? "" : ", batched") + "]";
    }

    /** Gathers a sampler's settings. Mutable and single-threaded. */
    public static final class Builder {
        private final RnnModel model;
        private SamplingStrategy strategy = SamplingStrategy.temperature(1.0);
        private ContinuousBatcher batcher;

        private Builder(RnnModel model) {
            this.model = model;
        }

        /**
         * @param strategy how each character is picked
         * @return this builder
         */
        public Builder strategy(SamplingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Runs this sampler's single-text generations ({@code generate} and {@code stream}, not
         * {@link Sampler#generateBatch} or {@link Sampler#beamSearch}) through a
         * {@link ContinuousBatcher}, so that they step together with the other generations it runs
         * at the same time; each text is the one it would be alone.
         *
         * @param batcher a batcher of this sampler's model
         * @return this builder
         * @throws IllegalArgumentException if the batcher was made for another model
         */
        public Builder batcher(ContinuousBatcher batcher) {
            Objects.requireNonNull(batcher, "batcher");
            if (batcher.weights != ModelAccess.engine(model).stepperWeights()) {
                throw new IllegalArgumentException("the batcher must be made for this sampler's model " + model
                        + ", got one for " + batcher.model());
            }
            this.batcher = batcher;
            return this;
        }

        /** @return the sampler */
        public Sampler build() {
            return new Sampler(model, strategy, batcher);
        }
    }
}
