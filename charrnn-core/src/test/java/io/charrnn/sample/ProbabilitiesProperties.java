package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;

class ProbabilitiesProperties {

    @Provide
    Arbitrary<float[]> logits() {
        return Arbitraries.floats().between(-1e4f, 1e4f).array(float[].class).ofMinSize(1).ofMaxSize(50);
    }

    /** Mostly the extremes ±1e4, which overflow {@code exp} unless the maximum is subtracted first. */
    @Provide
    Arbitrary<float[]> extremeLogits() {
        return Arbitraries.oneOf(Arbitraries.of(-1e4f, 1e4f), Arbitraries.floats().between(-1e4f, 1e4f))
                .array(float[].class).ofMinSize(1).ofMaxSize(30);
    }

    /** Multiples of 1/8 in [-125, 125]: adding an integer shift to them is exact in float. */
    @Provide
    Arbitrary<float[]> exactLogits() {
        return Arbitraries.integers().between(-1000, 1000).map(i -> i / 8f)
                .array(float[].class).ofMinSize(1).ofMaxSize(30);
    }

    /** Small integer logits, so that ties are common. */
    @Provide
    Arbitrary<float[]> tiedLogits() {
        return Arbitraries.integers().between(-2, 2).map(i -> (float) i).array(float[].class).ofMinSize(1).ofMaxSize(12);
    }

    /** Normalised probabilities with many exact zeros and at least one positive entry. */
    @Provide
    Arbitrary<double[]> sparseProbabilities() {
        return Arbitraries.oneOf(Arbitraries.just(0.0), Arbitraries.doubles().between(0, 1))
                .array(double[].class).ofMinSize(1).ofMaxSize(20)
                .filter(p -> java.util.Arrays.stream(p).sum() > 0)
                .map(p -> {
                    double sum = java.util.Arrays.stream(p).sum();
                    return java.util.Arrays.stream(p).map(x -> x / sum).toArray();
                });
    }

    @Property(tries = 300, seed = "11")
    void softmax_sumsToOne(@ForAll("logits") float[] logits,
                           @ForAll @DoubleRange(min = 0.01, max = 100) double temperature) {
        double[] p = Probabilities.softmax(logits, temperature);

        assertEquals(logits.length, p.length);
        double sum = 0;
        for (double x : p) {
            assertTrue(x >= 0 && x <= 1, "probability " + x);
            sum += x;
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Property(tries = 300, seed = "12")
    void softmax_addingAConstantToAllLogits_changesNothing(@ForAll("exactLogits") float[] logits,
                                                           @ForAll @IntRange(min = -5000, max = 5000) int shift,
                                                           @ForAll @DoubleRange(min = 0.1, max = 10) double temperature) {
        float[] shifted = logits.clone();
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += shift;
        }

        double[] expected = Probabilities.softmax(logits, temperature);
        double[] actual = Probabilities.softmax(shifted, temperature);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-9, "index " + i);
        }
    }

    @Property(tries = 300, seed = "13")
    void softmax_extremeLogits_produceNoNaN(@ForAll("extremeLogits") float[] logits,
                                            @ForAll @DoubleRange(min = 0.001, max = 10) @Scale(4) double temperature) {
        double[] p = Probabilities.softmax(logits, temperature);

        double sum = 0;
        for (double x : p) {
            assertFalse(Double.isNaN(x) || Double.isInfinite(x), "probability " + x);
            sum += x;
        }
        assertEquals(1.0, sum, 1e-6);
        assertTrue(p[Probabilities.argmax(logits)] > 0, "the most likely character keeps positive probability");
    }

    @Property(tries = 300, seed = "14")
    void argmax_returnsTheFirstMaximum(@ForAll("tiedLogits") float[] logits) {
        int expected = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[expected]) {
                expected = i;
            }
        }
        int best = Probabilities.argmax(logits);

        assertEquals(expected, best);
        for (int i = 0; i < best; i++) {
            assertTrue(logits[i] < logits[best], "no earlier index may tie the maximum");
        }
    }

    @Property(tries = 300, seed = "15")
    void draw_returnsOnlyIndicesWithPositiveProbability(@ForAll("sparseProbabilities") double[] probabilities,
                                                        @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 20; n++) {
            int i = Probabilities.draw(probabilities, rng);
            assertTrue(i >= 0 && i < probabilities.length && probabilities[i] > 0,
                    "drew " + i + " with probability " + (i >= 0 && i < probabilities.length ? probabilities[i] : "-"));
        }
    }

    @Property(tries = 100, seed = "16")
    void draw_ofSoftmaxWithNegativeInfinity_neverPicksTheExcludedIndex(@ForAll("tiedLogits") float[] logits,
                                                                       @ForAll long seed) {
        float[] masked = logits.clone();
        masked[0] = Float.NEGATIVE_INFINITY;
        if (masked.length == 1) {
            masked = new float[] {Float.NEGATIVE_INFINITY, 0f};
        }
        double[] p = Probabilities.softmax(masked, 1.0);

        assertEquals(0.0, p[0]);
        assertTrue(Probabilities.draw(p, new SplittableRandom(seed)) > 0);
    }

    @Example
    void softmax_equalLogits_giveUniformProbabilities() {
        double[] p = Probabilities.softmax(new float[] {3f, 3f, 3f, 3f}, 0.5);
        for (double x : p) {
            assertEquals(0.25, x, 1e-15);
        }
    }

    @Example
    void softmax_positiveInfinity_takesAllTheMass() {
        double[] p = Probabilities.softmax(new float[] {1f, Float.POSITIVE_INFINITY, 2f}, 1.0);
        assertEquals(List.of(0.0, 1.0, 0.0), List.of(p[0], p[1], p[2]));
    }

    @Example
    void softmax_invalidTemperature_isRejected() {
        for (double t : new double[] {0, -0.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Probabilities.softmax(new float[] {1f}, t));
            assertEquals("temperature must be finite and > 0, got " + t, e.getMessage());
        }
    }

    @Example
    void softmax_allNegativeInfinity_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Probabilities.softmax(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1.0));
        assertEquals("at least one logit must be above negative infinity, got all 2 at -Infinity", e.getMessage());
    }

    @Example
    void argmax_emptyOrNaN_isRejectedWithPosition() {
        assertEquals("logits must have at least one entry, got none",
                assertThrows(IllegalArgumentException.class, () -> Probabilities.argmax(new float[0])).getMessage());
        assertEquals("logits must not be NaN, got NaN at index 2",
                assertThrows(IllegalArgumentException.class,
                        () -> Probabilities.argmax(new float[] {1f, 2f, Float.NaN})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Probabilities.softmax(new float[] {Float.NaN}, 1.0));
    }

    @Example
    void draw_noPositiveEntry_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Probabilities.draw(new double[] {0, 0, 0}, new SplittableRandom(1)));
        assertEquals("probabilities must have a positive entry, got none of 3", e.getMessage());
    }

    @Example
    void draw_sumRoundedBelowTheUniformNumber_returnsTheLastPositiveIndex() {
        RandomGenerator almostOne = new RandomGenerator() {
            @Override
            public long nextLong() {
                return -1L;
            }

            @Override
            public double nextDouble() {
                return Math.nextDown(1.0);
            }
        };
        assertEquals(1, Probabilities.draw(new double[] {0.3, 0.6999999, 0.0}, almostOne));
    }

    @Example
    void draw_followsTheInverseCdf() {
        double[] p = {0.25, 0.0, 0.5, 0.25};
        assertEquals(0, Probabilities.draw(p, fixed(0.0)));
        assertEquals(0, Probabilities.draw(p, fixed(0.2499)));
        assertEquals(2, Probabilities.draw(p, fixed(0.25)));
        assertEquals(2, Probabilities.draw(p, fixed(0.7499)));
        assertEquals(3, Probabilities.draw(p, fixed(0.75)));
    }

    private static RandomGenerator fixed(double u) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble is expected");
            }

            @Override
            public double nextDouble() {
                return u;
            }
        };
    }
}
