package io.charrnn.sample;

import io.charrnn.internal.cells.FastExp;
import io.charrnn.internal.check.Check;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** The arithmetic sampling strategies share: softmax with temperature, argmax, one categorical draw. */
public final class Probabilities {
    private Probabilities() {
    }

    /**
     * {@code softmax(logits / temperature)}, computed stably (the maximum is subtracted first), so
     * logits of ±1e4 give no NaN. Logits of negative infinity get probability 0.
     *
     * @param logits at least one, not NaN, at least one finite or +infinity
     * @param temperature finite and {@code > 0}
     * @return fresh probabilities that sum to 1
     * @throws IllegalArgumentException if the temperature or the logits are invalid
     */
    public static double[] softmax(float[] logits, double temperature) {
        Objects.requireNonNull(logits, "logits");
        Check.positive("temperature", temperature);
        int best = argmax(logits);
        double max = logits[best];
        requireAboveNegativeInfinity(max, logits.length);
        double[] p = new double[logits.length];
        if (max == Double.POSITIVE_INFINITY) {
            p[best] = 1;
            return p;
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp((logits[i] - max) / temperature);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * @param logits at least one, none NaN
     * @return the index of the largest; the lowest index among ties
     * @throws IllegalArgumentException if there is none or one is NaN
     */
    public static int argmax(float[] logits) {
        Check.notEmpty("logits", Objects.requireNonNull(logits, "logits").length);
        int best = 0;
        for (int i = 0; i < logits.length; i++) {
            if (Float.isNaN(logits[i])) {
                throw new IllegalArgumentException("logits must not be NaN, got NaN at index " + i);
            }
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Draws an index with the given probabilities (inverse CDF with one uniform number).
     *
     * @param probabilities non-negative, summing to about 1
     * @param rng the source of randomness
     * @return an index whose probability is above zero
     */
    public static int draw(double[] probabilities, RandomGenerator rng) {
        Objects.requireNonNull(probabilities, "probabilities");
        Objects.requireNonNull(rng, "rng");
        double u = rng.nextDouble();
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probabilities.length; i++) {
            if (probabilities[i] > 0) {
                cumulative += probabilities[i];
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        if (last < 0) {
            throw new IllegalArgumentException("probabilities must have a positive entry, got none of "
                    + probabilities.length);
        }
        return last; // rounding left the sum a hair below u
    }

    /**
     * Draws one index from {@code softmax(logits / temperature)}: the same distribution as
     * {@code draw(softmax(logits, temperature), rng)}, computed in one pass that overwrites
     * {@code logits} with unnormalised weights, with one scratch array of the logits' length instead
     * of a probability array and its normalisation. For strategies on the per-character path.
     *
     * @param logits at least one, not NaN, at least one above negative infinity; overwritten
     * @param temperature finite and {@code > 0}
     * @param rng the source of randomness (one {@code nextDouble()} unless a logit is +infinity)
     * @return an index whose probability is above zero
     * @throws IllegalArgumentException if the temperature or the logits are invalid
     */
    public static int drawFromLogits(float[] logits, double temperature, RandomGenerator rng) {
        Objects.requireNonNull(rng, "rng");
        Check.positive("temperature", temperature);
        int best = argmax(logits);
        float max = logits[best];
        requireAboveNegativeInfinity(max, logits.length);
        if (max == Float.POSITIVE_INFINITY) {
            return best;
        }
        FastExp.apply(logits, logits.length, max, (float) (1 / temperature), new float[logits.length]);
        double sum = 0;
        for (float w : logits) {
            sum += w;
        }
        double u = rng.nextDouble() * sum;
        double cumulative = 0;
        int last = best;
        for (int i = 0; i < logits.length; i++) {
            float w = logits[i];
            if (w > 0) {
                cumulative += w;
                last = i;
                if (u < cumulative) {
                    return i;
                }
            }
        }
        return last; // rounding left the sum a hair below u
    }

    /**
     * {@code log softmax(logits)}, computed stably, in double.
     *
     * @param logits at least one, not NaN, at least one finite
     * @return fresh natural-log probabilities (negative infinity for masked entries)
     * @throws IllegalArgumentException if the logits are invalid
     */
    public static double[] logSoftmax(float[] logits) {
        int best = argmax(logits);
        double max = logits[best];
        if (Double.isInfinite(max)) {
            throw new IllegalArgumentException("the largest logit must be finite, got " + max);
        }
        double sum = 0;
        for (float z : logits) {
            sum += Math.exp(z - max);
        }
        // (z - max) - log(sum), never z - (max + log(sum)): beside a logit of 1e38, log(sum) is
        // below the rounding step of max + log(sum), and 30 tied logits of 1e38 would each get
        // probability 1 instead of 1/30
        double log = Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = (logits[i] - max) - log;
        }
        return out;
    }

    private static void requireAboveNegativeInfinity(double max, int length) {
        if (max == Double.NEGATIVE_INFINITY) { // no Check.argument here: its varargs would box on every draw
            throw new IllegalArgumentException("at least one logit must be above negative infinity, got all " + length
                    + " at -Infinity");
        }
    }
}
