package io.charrnn.sample;

import io.charrnn.internal.check.Check;
import java.util.Arrays;

/** Shared checks and helpers of the built-in strategies and transforms. */
final class SamplingStrategies {
    private SamplingStrategies() {
    }

    /**
     * @return whether {@code s} is one of the library's strategies over the library's transforms only
     *     (pure functions of the logits, the context and the RNG: no code of the caller's)
     */
    static boolean isBuiltIn(SamplingStrategy s) {
        if (s instanceof Greedy || s instanceof Temperature) {
            return true;
        }
        if (s instanceof Chain c) {
            for (LogitTransform t : c.transforms()) {
                if (!(t instanceof Temperatures || t instanceof TopK || t instanceof TopP || t instanceof MinP
                        || t instanceof RepetitionPenalty)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    static void requireTemperature(double temperature) {
        Check.positive("temperature", temperature);
    }

    static void requireFraction(String name, double p) {
        Check.share(name, p);
    }

    /**
     * @return the indices of {@code logits}, highest logit first and ties in index order, each in
     *     the low 32 bits of a long
     * @throws IllegalArgumentException if a logit is NaN
     */
    static long[] descendingOrder(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            float x = logits[i];
            if (Float.isNaN(x)) {
                throw new IllegalArgumentException("logits must not be NaN, got NaN at index " + i);
            }
            int bits = Float.floatToIntBits(x == 0f ? 0f : x); // -0 sorts with +0
            int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // order-preserving as signed int
            keys[i] = ((long) ~ascending << 32) | i;
        }
        Arrays.sort(keys);
        for (int i = 0; i < keys.length; i++) {
            keys[i] &= 0xffffffffL;
        }
        return keys;
    }
}
