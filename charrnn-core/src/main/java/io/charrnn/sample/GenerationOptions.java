package io.charrnn.sample;

import io.charrnn.internal.check.Check;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What one call of {@link Sampler#generate(GenerationOptions, java.util.random.RandomGenerator)}
 * produces: prime, length and when to stop early. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * GenerationOptions o = GenerationOptions.builder().prime("ROMEO:").length(500).stop("\n\n").build();
 * }</pre>
 */
public final class GenerationOptions {
    private final String prime;
    private final int length;
    private final List<String> stops;
    private final Predicate<CharSequence> stopWhen;

    private GenerationOptions(Builder b) {
        this.prime = b.prime;
        this.length = b.length;
        this.stops = List.copyOf(b.stops);
        this.stopWhen = b.stopWhen;
    }

    /** @return a builder: empty prime, length 200, no stop condition */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the text fed to the model first (empty: start after a newline) */
    public String prime() {
        return prime;
    }

    /** @return the most characters to generate */
    public int length() {
        return length;
    }

    /** @return the stop strings, in the order given */
    public List<String> stops() {
        return stops;
    }

    /** @return the stop predicate, if any */
    public Optional<Predicate<CharSequence>> stopWhen() {
        return Optional.ofNullable(stopWhen);
    }

    @Override
    public String toString() {
        return "GenerationOptions[prime=" + prime.length() + " chars, length=" + length + ", stops=" + stops
                + (stopWhen != null ? ", stopWhen" : "") + "]";
    }

    /** Gathers generation options. Mutable and single-threaded. */
    public static final class Builder {
        private String prime = "";
        private int length = 200;
        private final List<String> stops = new ArrayList<>();
        private Predicate<CharSequence> stopWhen;

        private Builder() {
        }

        /**
         * @param prime text fed to the model first, not repeated in the result
         * @return this builder
         */
        public Builder prime(String prime) {
            this.prime = Objects.requireNonNull(prime, "prime");
            return this;
        }

        /**
         * @param length the most characters (code points) to generate, {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder length(int length) {
            this.length = Check.atLeast("length", length, 0);
            return this;
        }

        /**
         * Adds a stop string (repeatable): generation ends as soon as the generated text ends with
         * it, and the stop string is left out of the result. When streaming, characters that might
         * begin a stop string are held back until they are known not to.
         *
         * @param stop a non-empty string
         * @return this builder
         * @throws IllegalArgumentException if empty
         */
        public Builder stop(String stop) {
            stops.add(Check.notEmpty("stop", Objects.requireNonNull(stop, "stop")));
            return this;
        }

        /**
         * Ends generation after the first character for which {@code predicate} accepts the text
         * generated so far (that character included; the prime excluded).
         *
         * @param predicate called once per generated character; must not keep its argument
         * @return this builder
         */
        public Builder stopWhen(Predicate<CharSequence> predicate) {
            this.stopWhen = Objects.requireNonNull(predicate, "predicate");
            return this;
        }

        /** @return the options */
        public GenerationOptions build() {
            return new GenerationOptions(this);
        }
    }
}
