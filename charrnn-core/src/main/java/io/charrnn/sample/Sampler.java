package io.charrnn.sample;

import io.charrnn.internal.ModelAccess;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * Generates text from a trained model, one character at a time, with a {@link SamplingStrategy}.
 *
 * <pre>{@code
 * Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
 * String text = sampler.generate("ROMEO:", 500, new SplittableRandom(1));
 * }</pre>
 *
 * <p>Immutable and thread-safe: every call creates its own hidden state, so many threads can sample
 * from one sampler. The same prime, length, strategy and RNG state give the same text.
 */
public final class Sampler {
    private final RnnModel model;
    private final Vocabulary vocabulary;
    private final RnnStepper.Weights weights;
    private final SamplingStrategy strategy;

    private Sampler(RnnModel model, SamplingStrategy strategy) {
        this.model = model;
        this.vocabulary = model.vocabulary().orElseThrow();
        this.weights = new RnnStepper.Weights(new ParameterLayout(model.config(), vocabulary.size()),
                ModelAccess.parameters(model));
        this.strategy = strategy;
    }

    /**
     * @param model a bound (trained or loaded) model
     * @return a builder; the default strategy is {@code temperature(1.0)}
     * @throws IllegalArgumentException if the model has no vocabulary and weights yet
     */
    public static Builder builder(RnnModel model) {
        Objects.requireNonNull(model, "model");
        if (!model.isBound()) {
            throw new IllegalArgumentException("cannot sample from a model with no vocabulary and no weights: "
                    + "train it on a corpus first (or build it with .vocabulary(v) for random weights)");
        }
        return new Builder(model);
    }

    /** @return the strategy */
    public SamplingStrategy strategy() {
        return strategy;
    }

    /**
     * Generates text.
     *
     * @param prime text fed to the model first, not repeated in the result; if empty, generation
     *     starts after a newline (or the vocabulary's first character if it has no newline)
     * @param length how many characters to generate, {@code >= 0}
     * @param rng the source of randomness
     * @return the generated characters, without the prime
     * @throws IllegalArgumentException if the prime has a character the vocabulary lacks (with its
     *     position and code point) or the length is negative
     */
    public String generate(String prime, int length, RandomGenerator rng) {
        // the streaming overload validates the length; a negative one must reach it as such
        StringBuilder sb = new StringBuilder(Math.max(length, 0));
        generate(prime, length, rng, sb::appendCodePoint);
        return sb.toString();
    }

    /**
     * Generates text and hands each character to {@code sink} as soon as it is drawn (streaming).
     *
     * @param prime as for {@link #generate(String, int, RandomGenerator)}
     * @param length how many characters to generate
     * @param rng the source of randomness
     * @param sink receives each generated code point in order
     */
    public void generate(String prime, int length, RandomGenerator rng, IntConsumer sink) {
        Objects.requireNonNull(prime, "prime");
        Objects.requireNonNull(rng, "rng");
        Objects.requireNonNull(sink, "sink");
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        int[] primeCodes = vocabulary.encode(prime);
        if (primeCodes.length == 0) {
            int newline = vocabulary.indexOf('\n');
            primeCodes = new int[] {Math.max(newline, 0)};
        }
        RnnStepper stepper = new RnnStepper(weights);
        int v = vocabulary.size();
        float[] logits = new float[v];
        for (int i = 0; i < primeCodes.length - 1; i++) {
            stepper.step(primeCodes[i], null);
        }
        int next = primeCodes[primeCodes.length - 1];
        for (int n = 0; n < length; n++) {
            stepper.step(next, logits);
            next = strategy.choose(logits.clone(), rng);
            if (next < 0 || next >= v) {
                throw new IllegalStateException("strategy " + strategy + " returned index " + next
                        + ", outside [0, " + v + ")");
            }
            sink.accept(vocabulary.codePointAt(next));
        }
    }

    @Override
    public String toString() {
        return "Sampler[" + strategy + ", " + model + "]";
    }

    /** Gathers a sampler's settings. Mutable and single-threaded. */
    public static final class Builder {
        private final RnnModel model;
        private SamplingStrategy strategy = SamplingStrategy.temperature(1.0);

        private Builder(RnnModel model) {
            this.model = model;
        }

        /** @param strategy how each character is picked */
        public Builder strategy(SamplingStrategy strategy) {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /** @return the sampler */
        public Sampler build() {
            return new Sampler(model, strategy);
        }
    }
}
