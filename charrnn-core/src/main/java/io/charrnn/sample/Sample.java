package io.charrnn.sample;

import java.util.Objects;

/**
 * One generated text and why generation ended.
 *
 * @param text the generated characters, without the prime and without a matched stop string
 * @param ending why generation ended
 */
public record Sample(String text, Ending ending) {
    /** Why generation ended. */
    public enum Ending {
        /** The requested number of characters was generated. */
        LENGTH,
        /** A stop string was generated (it is not part of the text). */
        STOP_STRING,
        /** The stop predicate accepted the text (its last character is part of the text). */
        STOP_PREDICATE,
        /** The sink returned {@code false}, the thread was interrupted, or the {@link ContinuousBatcher} closed. */
        CANCELLED
    }

    /**
     * @param text the generated characters, without the prime and without a matched stop string
     * @param ending why generation ended
     * @throws NullPointerException if an argument is null
     */
    public Sample {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ending, "ending");
    }
}
