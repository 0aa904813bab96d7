package io.charrnn.sample;

import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Picks the next character from the model's logits: the open seam for decoding strategies.
 *
 * <p>Contract: {@code logits} is a copy owned by the call (the strategy may change it but must not
 * keep it); {@code rng} is the only source of randomness; the result lies in
 * {@code [0, logits.length)}; the same logits, context and RNG state give the same result.
 * {@link Sampler} checks the index and throws {@link IllegalStateException} naming the strategy if
 * it is out of range. {@link Probabilities} has the softmax, argmax and draw a strategy usually
 * needs:
 *
 * <pre>{@code
 * SamplingStrategy noDigits = (logits, rng) -> {
 *     for (int i = 0; i < logits.length; i++) if (isDigit(i)) logits[i] = Float.NEGATIVE_INFINITY;
 *     return Probabilities.draw(Probabilities.softmax(logits, 1.0), rng);
 * };
 * }</pre>
 *
 * <p>The built-ins compose {@link LogitTransform}s with a final draw ({@link #chain}) or argmax
 * ({@link #greedy(LogitTransform...)}); they are immutable values with a readable {@code toString}.
 * A strategy that needs the characters generated so far overrides
 * {@link #choose(float[], SamplingContext, RandomGenerator)}, which the sampler calls.
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

    /**
     * Picks the index of the next character knowing the indices fed to the model so far; this is
     * what {@link Sampler} calls. By default the context is ignored.
     *
     * @param logits as for {@link #choose(float[], RandomGenerator)}
     * @param context the prime's and the generated characters' indices; read it, don't keep it
     * @param rng the only source of randomness
     * @return an index in {@code [0, logits.length)}
     */
    default int choose(float[] logits, SamplingContext context, RandomGenerator rng) {
        return choose(logits, rng);
    }

    /** @return the most likely character every time (argmax; ties go to the lowest index) */
    static SamplingStrategy greedy() {
        return new Greedy();
    }

    /**
     * The most likely character after the transforms, for example after a repetition penalty.
     *
     * @param transforms applied in order
     * @return the strategy; {@code greedy()} if there are no transforms
     */
    static SamplingStrategy greedy(LogitTransform... transforms) {
        List<LogitTransform> list = List.of(transforms);
        return list.isEmpty() ? new Greedy() : new Chain(list, true);
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

    /**
     * Draws from the {@code k} most likely characters at a temperature.
     *
     * @param k {@code >= 1}
     * @param temperature finite and {@code > 0}
     * @return {@code chain(temperature(t), topK(k))} (the temperature left out when 1)
     * @throws IllegalArgumentException if an argument is out of range
     */
    static SamplingStrategy topK(int k, double temperature) {
        return withTemperature(temperature, LogitTransform.topK(k));
    }

    /**
     * Nucleus sampling: draws from the smallest set of most likely characters whose probability
     * (at the temperature) sums to at least {@code p}.
     *
     * @param p in {@code (0, 1]}
     * @param temperature finite and {@code > 0}
     * @return {@code chain(temperature(t), topP(p))} (the temperature left out when 1)
     * @throws IllegalArgumentException if an argument is out of range
     */
    static SamplingStrategy nucleus(double p, double temperature) {
        return withTemperature(temperature, LogitTransform.topP(p));
    }

    /**
     * Draws from the characters at least {@code p} times as likely as the most likely one.
     *
     * @param p in {@code (0, 1]}
     * @param temperature finite and {@code > 0}
     * @return {@code chain(temperature(t), minP(p))} (the temperature left out when 1)
     * @throws IllegalArgumentException if an argument is out of range
     */
    static SamplingStrategy minP(double p, double temperature) {
        return withTemperature(temperature, LogitTransform.minP(p));
    }

    /**
     * Applies the transforms in order, then draws from the softmax of the result.
     *
     * @param transforms applied in order; none gives {@code temperature(1.0)}'s distribution
     * @return the strategy
     */
    static SamplingStrategy chain(LogitTransform... transforms) {
        return new Chain(List.of(transforms), false);
    }

    private static SamplingStrategy withTemperature(double temperature, LogitTransform transform) {
        SamplingStrategies.requireTemperature(temperature);
        return temperature == 1.0 ? chain(transform) : chain(LogitTransform.temperature(temperature), transform);
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
        SamplingStrategies.requireTemperature(temperature);
    }

    @Override
    public int choose(float[] logits, RandomGenerator rng) {
        return Probabilities.drawFromLogits(logits, temperature, rng);
    }

    @Override
    public String toString() {
        return "temperature(" + temperature + ")";
    }
}

/** Transforms in order, then a draw ({@code greedy == false}) or the argmax. */
record Chain(List<LogitTransform> transforms, boolean greedy) implements SamplingStrategy {
    Chain {
        transforms = List.copyOf(transforms); // rejects null elements
    }

    @Override
    public int choose(float[] logits, RandomGenerator rng) {
        return choose(logits, SamplingContext.empty(), rng);
    }

    @Override
    public int choose(float[] logits, SamplingContext context, RandomGenerator rng) {
        Objects.requireNonNull(context, "context");
        for (LogitTransform t : transforms) {
            t.apply(logits, context);
        }
        return greedy ? Probabilities.argmax(logits) : Probabilities.drawFromLogits(logits, 1.0, rng);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(greedy ? "greedy(" : "chain(");
        for (int i = 0; i < transforms.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(transforms.get(i));
        }
        return sb.append(')').toString();
    }
}
