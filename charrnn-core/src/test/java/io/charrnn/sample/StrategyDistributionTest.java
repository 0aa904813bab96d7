package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Each built-in strategy's empirical frequencies match the distribution it claims (Pearson's
 * chi-square at a fixed seed, rejecting at p = 0.001), and it never draws outside that
 * distribution's support.
 */
class StrategyDistributionTest {
    private static final float[] LOGITS = {1.2f, -0.3f, 2.0f, 0.4f, 2.0f, -1.5f, 0.9f, 1.7f, -0.2f, 0.1f};
    private static final int DRAWS = 30_000;

    /** Draws {@code DRAWS} times and checks support and fit against {@code expected}. */
    private static void assertSamples(SamplingStrategy strategy, SamplingContext context, double[] expected) {
        SplittableRandom rng = new SplittableRandom(20240601);
        int[] counts = new int[LOGITS.length];
        for (int n = 0; n < DRAWS; n++) {
            counts[strategy.choose(LOGITS.clone(), context, rng)]++;
        }
        double chi2 = 0;
        int cells = 0;
        for (int i = 0; i < LOGITS.length; i++) {
            if (expected[i] == 0) {
                assertEquals(0, counts[i], strategy + " drew index " + i + ", outside its support");
                continue;
            }
            double e = expected[i] * DRAWS;
            chi2 += (counts[i] - e) * (counts[i] - e) / e;
            cells++;
        }
        if (cells > 1) {
            double critical = chiSquareCritical(cells - 1);
            assertTrue(chi2 < critical, strategy + ": chi-square " + chi2 + " >= " + critical + " with "
                    + (cells - 1) + " degrees of freedom");
        } else {
            assertEquals(1, cells, strategy + " has an empty support");
        }
    }

    /** The 0.999 quantile of chi-square by the Wilson–Hilferty approximation (z = 3.09). */
    private static double chiSquareCritical(int df) {
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + 3.09 * Math.sqrt(a), 3);
    }

    @Test
    void temperature_matchesSoftmaxAtTheTemperature() {
        assertSamples(SamplingStrategy.temperature(0.7), SamplingContext.empty(),
                Reference.softmax(Reference.scaled(LOGITS, 0.7)));
        assertSamples(SamplingStrategy.temperature(1.8), SamplingContext.empty(),
                Reference.softmax(Reference.scaled(LOGITS, 1.8)));
    }

    @Test
    void topK_matchesTheRenormalisedTopK() {
        assertSamples(SamplingStrategy.topK(3, 1.0), SamplingContext.empty(), Reference.topK(Reference.scaled(LOGITS, 1), 3));
        assertSamples(SamplingStrategy.topK(5, 1.5), SamplingContext.empty(),
                Reference.topK(Reference.scaled(LOGITS, 1.5), 5));
    }

    @Test
    void nucleus_matchesTheRenormalisedNucleus() {
        assertSamples(SamplingStrategy.nucleus(0.8, 1.0), SamplingContext.empty(),
                Reference.topP(Reference.scaled(LOGITS, 1), 0.8));
        assertSamples(SamplingStrategy.nucleus(0.5, 0.7), SamplingContext.empty(),
                Reference.topP(Reference.scaled(LOGITS, 0.7), 0.5));
    }

    @Test
    void minP_matchesTheRenormalisedSetAboveTheThreshold() {
        assertSamples(SamplingStrategy.minP(0.2, 1.0), SamplingContext.empty(),
                Reference.minP(Reference.scaled(LOGITS, 1), 0.2));
        assertSamples(SamplingStrategy.minP(0.05, 1.3), SamplingContext.empty(),
                Reference.minP(Reference.scaled(LOGITS, 1.3), 0.05));
    }

    @Test
    void repetitionPenalty_matchesThePenalisedSoftmax() {
        int[] history = {2, 7, 2, 0, 9, 4};
        SamplingStrategy s = SamplingStrategy.chain(LogitTransform.repetitionPenalty(1.8, 4),
                LogitTransform.temperature(0.9));
        // window 4: indices 2, 0, 9, 4 are penalised (7 is too old)
        assertSamples(s, SamplingContext.of(history),
                Reference.softmax(Reference.scaled(toFloats(Reference.penalised(Reference.scaled(LOGITS, 1), history,
                        1.8, 4)), 0.9)));
    }

    @Test
    void chainOfTemperatureTopKAndTopP_matchesTheComposition() {
        SamplingStrategy s = SamplingStrategy.chain(LogitTransform.temperature(1.3), LogitTransform.topK(6),
                LogitTransform.topP(0.85));
        double[] afterTopK = Reference.scaled(LOGITS, 1.3);
        java.util.List<Integer> order = Reference.descending(afterTopK);
        for (int r = 6; r < order.size(); r++) {
            afterTopK[order.get(r)] = Double.NEGATIVE_INFINITY;
        }
        assertSamples(s, SamplingContext.empty(), Reference.topP(afterTopK, 0.85));
    }

    @Test
    void greedy_drawsOnlyTheFirstArgmax() {
        double[] onlyTwo = new double[LOGITS.length];
        onlyTwo[2] = 1; // 2 and 4 tie at 2.0: the lower index wins
        assertSamples(SamplingStrategy.greedy(), SamplingContext.empty(), onlyTwo);
        assertSamples(SamplingStrategy.greedy(LogitTransform.temperature(0.5), LogitTransform.topK(2)),
                SamplingContext.empty(), onlyTwo);
    }

    private static float[] toFloats(double[] x) {
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) x[i];
        }
        return out;
    }
}
