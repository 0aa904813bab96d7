package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The {@link SamplingStrategy} contract as jqwik properties. A test of any strategy, built-in or
 * custom, implements this interface and provides {@link #strategy()}; it inherits these checks:
 * the index lies in {@code [0, logits.length)} for any logits (ties, ±large values, negative
 * infinity, a single entry), with or without a {@link SamplingContext}, and the same RNG state
 * gives the same index.
 *
 * <p>It ships in charrnn-core's test-jar ({@code <type>test-jar</type>}), so users can run it on
 * their own strategies; they need jqwik and JUnit Jupiter on the test class path.
 */
public interface SamplingStrategyContract {

    /** @return the strategy under test; called once per try */
    SamplingStrategy strategy();

    /**
     * Logits a model can produce and a few it should never produce but a strategy must survive:
     * ordinary values, heavy ties, ±1e4, ±Float.MAX_VALUE and masked entries (negative infinity),
     * with at least one entry above negative infinity.
     */
    @Provide
    default Arbitrary<float[]> contractLogits() {
        Arbitrary<Float> entry = Arbitraries.oneOf(
                Arbitraries.floats().between(-10f, 10f),
                Arbitraries.integers().between(-1, 1).map(i -> (float) i),
                Arbitraries.of(1e4f, -1e4f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 0f));
        return entry.array(float[].class).ofMinSize(1).ofMaxSize(40)
                .filter(l -> l.length > 0 && Arrays.stream(toDoubles(l)).anyMatch(x -> x > Double.NEGATIVE_INFINITY));
    }

    @Property(tries = 300, seed = "31")
    default void choose_returnsAnIndexInRange(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        SamplingStrategy strategy = strategy();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 5; n++) {
            int index = strategy.choose(logits.clone(), rng);
            assertTrue(index >= 0 && index < logits.length,
                    strategy + " returned " + index + " for " + logits.length + " logits " + Arrays.toString(logits));
        }
    }

    @Property(tries = 100, seed = "32")
    default void choose_singleEntry_returnsZero(@ForAll("contractLogits") float[] anyLogits, @ForAll long seed) {
        float[] single = {anyLogits[0] == Float.NEGATIVE_INFINITY ? 0f : anyLogits[0]};
        assertEquals(0, strategy().choose(single, new SplittableRandom(seed)));
    }

    @Property(tries = 300, seed = "33")
    default void choose_sameSeed_givesSameIndex(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        SamplingStrategy strategy = strategy();
        SplittableRandom first = new SplittableRandom(seed);
        SplittableRandom second = new SplittableRandom(seed);
        for (int n = 0; n < 5; n++) {
            assertEquals(strategy.choose(logits.clone(), first), strategy.choose(logits.clone(), second),
                    strategy + " at draw " + n);
        }
    }

    @Property(tries = 200, seed = "34")
    default void choose_withAnyContext_returnsAnIndexInRange(@ForAll("contractLogits") float[] logits,
                                                             @ForAll long seed) {
        SamplingStrategy strategy = strategy();
        SplittableRandom rng = new SplittableRandom(seed);
        // a history over the logits' indices, and one with indices beyond them (another vocabulary)
        int[] history = rng.ints(rng.nextInt(0, 60), 0, logits.length + 3).toArray();
        int index = strategy.choose(logits.clone(), SamplingContext.of(history), rng);
        assertTrue(index >= 0 && index < logits.length,
                strategy + " returned " + index + " for " + logits.length + " logits with history "
                        + Arrays.toString(history));
    }

    @Property(tries = 100, seed = "35")
    default void choose_sameSeedAndContext_givesSameIndex(@ForAll("contractLogits") float[] logits,
                                                          @ForAll long seed) {
        SamplingStrategy strategy = strategy();
        int[] history = new SplittableRandom(seed).ints(20, 0, logits.length).toArray();
        assertEquals(strategy.choose(logits.clone(), SamplingContext.of(history), new SplittableRandom(seed)),
                strategy.choose(logits.clone(), SamplingContext.of(history), new SplittableRandom(seed)),
                strategy.toString());
    }

    private static double[] toDoubles(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
