package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TemperatureStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.temperature(0.8);
    }

    /** Logits whose maximum is unique and at least 0.1 above every other entry. */
    @Provide
    Arbitrary<float[]> separatedLogits() {
        return Arbitraries.floats().between(-10f, 10f).array(float[].class).ofMinSize(1).ofMaxSize(40)
                .flatMap(l -> Arbitraries.integers().between(0, l.length - 1).map(top -> {
                    float[] out = l.clone();
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < out.length; i++) {
                        if (i != top) {
                            max = Math.max(max, out[i]);
                        }
                    }
                    out[top] = out.length == 1 ? out[top] : max + 0.1f;
                    return out;
                }));
    }

    @Provide
    Arbitrary<float[]> smallLogits() {
        return Arbitraries.floats().between(-3f, 3f).array(float[].class).ofMinSize(2).ofMaxSize(6);
    }

    @Property(tries = 200, seed = "51")
    void veryLowTemperature_behavesLikeGreedy(@ForAll("separatedLogits") float[] logits, @ForAll long seed) {
        SamplingStrategy cold = SamplingStrategy.temperature(1e-3);
        SplittableRandom rng = new SplittableRandom(seed);
        int best = Probabilities.argmax(logits);
        for (int n = 0; n < 20; n++) {
            assertEquals(best, cold.choose(logits.clone(), rng));
        }
    }

    @Property(tries = 10, seed = "52")
    void temperatureOne_empiricalFrequencies_matchSoftmax(@ForAll("smallLogits") float[] logits, @ForAll long seed) {
        int draws = 20_000;
        SamplingStrategy strategy = SamplingStrategy.temperature(1.0);
        SplittableRandom rng = new SplittableRandom(seed);
        int[] counts = new int[logits.length];
        for (int n = 0; n < draws; n++) {
            counts[strategy.choose(logits.clone(), rng)]++;
        }

        double[] expected = Probabilities.softmax(logits, 1.0);
        for (int i = 0; i < logits.length; i++) {
            assertEquals(expected[i], counts[i] / (double) draws, 0.02, "index " + i);
        }
    }

    @Example
    void temperature_notFinitePositive_isRejected() {
        for (double t : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SamplingStrategy.temperature(t));
            assertEquals("temperature must be finite and > 0, got " + t, e.getMessage());
        }
    }

    @Example
    void temperature_isAValue() {
        assertEquals(SamplingStrategy.temperature(0.8), SamplingStrategy.temperature(0.8));
        assertEquals(SamplingStrategy.temperature(0.8).hashCode(), SamplingStrategy.temperature(0.8).hashCode());
        assertNotEquals(SamplingStrategy.temperature(0.8), SamplingStrategy.temperature(0.9));
        assertEquals("temperature(0.8)", SamplingStrategy.temperature(0.8).toString());
    }
}
