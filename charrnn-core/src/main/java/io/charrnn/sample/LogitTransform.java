package io.charrnn.sample;

import io.charrnn.internal.check.Check;
import java.util.Objects;

/**
 * Rewrites logits in place before a character is picked: the composable half of a decoding
 * strategy. {@link SamplingStrategy#chain} applies transforms in order and then draws;
 * {@link SamplingStrategy#greedy(LogitTransform...)} applies them and then takes the argmax:
 *
 * <pre>{@code
 * SamplingStrategy s = SamplingStrategy.chain(
 *         LogitTransform.repetitionPenalty(1.3, 32), LogitTransform.temperature(0.8), LogitTransform.topP(0.9));
 * }</pre>
 *
 * <p>A transform masks a character by setting its logit to negative infinity and must leave at
 * least one logit above it. The built-ins are immutable values with a readable {@code toString};
 * ties are broken towards the lower index, as {@link Probabilities#argmax} does.
 */
@FunctionalInterface
public interface LogitTransform {
    /**
     * Rewrites {@code logits} in place.
     *
     * @param logits one per vocabulary entry, owned by the call
     * @param context the indices fed to the model so far; read it, don't keep it
     */
    void apply(float[] logits, SamplingContext context);

    /**
     * Divides every logit by the temperature: below 1 sharper, above 1 flatter.
     *
     * @param temperature finite and {@code > 0}
     * @return the transform
     * @throws IllegalArgumentException if the temperature is not finite and positive
     */
    static LogitTransform temperature(double temperature) {
        return new Temperatures(temperature);
    }

    /**
     * Keeps the {@code k} most likely characters and masks the rest.
     *
     * @param k {@code >= 1}
     * @return the transform
     * @throws IllegalArgumentException if {@code k < 1}
     */
    static LogitTransform topK(int k) {
        return new TopK(k);
    }

    /**
     * Nucleus: keeps the smallest set of most likely characters whose probabilities sum to at
     * least {@code p} (never fewer than one) and masks the rest.
     *
     * @param p in {@code (0, 1]}
     * @return the transform
     * @throws IllegalArgumentException if {@code p} is outside {@code (0, 1]}
     */
    static LogitTransform topP(double p) {
        return new TopP(p);
    }

    /**
     * Keeps the characters whose probability is at least {@code p} times that of the most likely
     * one and masks the rest.
     *
     * @param p in {@code (0, 1]}
     * @return the transform
     * @throws IllegalArgumentException if {@code p} is outside {@code (0, 1]}
     */
    static LogitTransform minP(double p) {
        return new MinP(p);
    }

    /**
     * Makes recently used characters less likely: each distinct index among the last
     * {@code window} of the context has its probability weight divided by {@code penalty} (its
     * logit lowered by {@code ln penalty}), however often it occurred.
     *
     * @param penalty finite and {@code >= 1}; 1 changes nothing
     * @param window how many of the latest indices count, in {@code [1, SamplingContext.MAX_HISTORY]}
     * @return the transform
     * @throws IllegalArgumentException if the penalty or window is out of range
     */
    static LogitTransform repetitionPenalty(double penalty, int window) {
        return new RepetitionPenalty(penalty, window);
    }
}

/** Divides by a temperature. */
record Temperatures(double temperature) implements LogitTransform {
    Temperatures {
        SamplingStrategies.requireTemperature(temperature);
    }

    @Override
    public void apply(float[] logits, SamplingContext context) {
        float inverse = (float) (1 / temperature);
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            float y = x * inverse;
            // a finite logit stays finite: only masked entries may be -infinity
            logits[i] = Float.isInfinite(y) && !Float.isInfinite(x) ? Math.copySign(Float.MAX_VALUE, y) : y;
        }
    }

    @Override
    public String toString() {
        return "temperature(" + temperature + ")";
    }
}

/** Masks all but the k highest logits. */
record TopK(int k) implements LogitTransform {
    TopK {
        Check.atLeast("k", k, 1);
    }

    @Override
    public void apply(float[] logits, SamplingContext context) {
        if (k >= logits.length) {
            return;
        }
        long[] order = SamplingStrategies.descendingOrder(logits);
        for (int r = k; r < order.length; r++) {
            logits[(int) order[r]] = Float.NEGATIVE_INFINITY;
        }
    }

    @Override
    public String toString() {
        return "topK(" + k + ")";
    }
}

/** Masks all but the nucleus of probability mass p. */
record TopP(double p) implements LogitTransform {
    TopP {
        SamplingStrategies.requireFraction("p", p);
    }

    @Override
    public void apply(float[] logits, SamplingContext context) {
        long[] order = SamplingStrategies.descendingOrder(logits);
        double max = logits[(int) order[0]];
        if (max == Double.POSITIVE_INFINITY) {
            for (int r = 1; r < order.length; r++) {
                logits[(int) order[r]] = Float.NEGATIVE_INFINITY;
            }
            return;
        }
        double sum = 0;
        for (long o : order) {
            sum += Math.exp(logits[(int) o] - max);
        }
        double kept = 0;
        int r = 0;
        while (r < order.length) {
            kept += Math.exp(logits[(int) order[r]] - max) / sum;
            r++;
            if (kept >= p) {
                break;
            }
        }
        for (; r < order.length; r++) {
            logits[(int) order[r]] = Float.NEGATIVE_INFINITY;
        }
    }

    @Override
    public String toString() {
        return "topP(" + p + ")";
    }
}

/** Masks the characters less likely than p times the most likely one. */
record MinP(double p) implements LogitTransform {
    MinP {
        SamplingStrategies.requireFraction("p", p);
    }

    @Override
    public void apply(float[] logits, SamplingContext context) {
        int best = Probabilities.argmax(logits);
        double threshold = logits[best] + Math.log(p); // p_i >= p * p_max  <=>  z_i >= z_max + ln p
        for (int i = 0; i < logits.length; i++) {
            if (i != best && logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "minP(" + p + ")";
    }
}

/** Lowers the logits of recently used characters. */
record RepetitionPenalty(double penalty, int window) implements LogitTransform {
    RepetitionPenalty {
        Check.atLeast("penalty", penalty, 1.0);
        Check.argument(window >= 1 && window <= SamplingContext.MAX_HISTORY,
                "window must be in [1, %s] (the history a sampler keeps), got %s", SamplingContext.MAX_HISTORY, window);
    }

    @Override
    public void apply(float[] logits, SamplingContext context) {
        Objects.requireNonNull(context, "context");
        int end = context.length();
        int start = Math.max(0, end - window);
        if (start == end || penalty == 1) {
            return;
        }
        float drop = (float) Math.log(penalty);
        boolean[] done = new boolean[logits.length];
        for (int p = start; p < end; p++) {
            int i = context.indexAt(p);
            if (i < logits.length && !done[i]) {
                done[i] = true;
                logits[i] -= drop;
            }
        }
    }

    @Override
    public String toString() {
        return "repetitionPenalty(" + penalty + ", " + window + ")";
    }
}
