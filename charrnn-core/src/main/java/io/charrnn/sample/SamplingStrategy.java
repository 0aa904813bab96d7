package io.charrnn.sample;

import java.util.random.RandomGenerator;

/**
 * Picks the next character from the model's logits: the open seam for decoding strategies.
 *
 * <p>Contract: {@code logits} is a fresh copy owned by the call (the strategy may change it but
 * must not keep it); {@code rng} is the only source of randomness; the result lies in
 * {@code [0, logits.length)}; the same RNG state gives the same result. {@link Sampler} checks the
 * index and throws {@link IllegalStateException} naming the strategy if it is out of range.
 * {@link Probabilities} has the softmax, argmax and draw a strategy usually needs:
 *
 * <pre>{@code
 * SamplingStrategy noDigits = (logits, rng) -> {
 *     for (int i = 0; i < logits.length; i++) if (isDigit(i)) logits[i] = Float.NEGATIVE_INFINITY;
 *     return Probabilities.draw(Probabilities.softmax(logits, 1.0), rng);
 * };
 * }</pre>
 */
@FunctionalInterface
public interface SamplingStrategy {
    /**
     * Picks the index of the next character.
     *
     * @param logits unnormalised log-probabilities, one per vocabulary entry, at least one
     * @param rng the only source of randomness
     * @return an index in {@code [0, logits.length)}
     */
    int choose(float[] logits, RandomGenerator rng);

    /** @return the most likely character every time (argmax; ties go to the lowest index) */
    static SamplingStrategy greedy() {
        return new Greedy();
    }

    /**
     * Draws from {@code softmax(logits / temperature)}: below 1 sharper and safer, above 1 more
     * varied.
     *
     * @param temperature finite and {@code > 0}
     * @return the strategy
     * @throws IllegalArgumentException if the temperature is not finite and positive
     */
    static SamplingStrategy temperature(double temperature) {
        return new Temperature(temperature);
    }
}

/** Argmax. */
record Greedy() implements SamplingStrategy {
    @Override
    public int choose(float[] logits, RandomGenerator rng) {
        return Probabilities.argmax(logits);
    }

    @Override
    public String toString() {
        return "greedy";
    }
}

/** Softmax with a temperature, then one draw. */
record Temperature(double temperature) implements SamplingStrategy {
    Temperature {
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be finite and > 0, got " + temperature);
        }
    }

    @Override
    public int choose(float[] logits, RandomGenerator rng) {
        return Probabilities.draw(Probabilities.softmax(logits, temperature), rng);
    }

    @Override
    public String toString() {
        return "temperature(" + temperature + ")";
    }
}
