package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;

class MinPStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.minP(0.1, 1.2);
    }

    @Property(tries = 300, seed = "81")
    void minP_neverPicksACharacterBelowTheThreshold(@ForAll("contractLogits") float[] logits,
                                                   @ForAll @DoubleRange(min = 0.01, max = 1.0) double p,
                                                   @ForAll long seed) {
        SamplingStrategy s = SamplingStrategy.minP(p, 1.0);
        double max = logits[Probabilities.argmax(logits)];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 20; n++) {
            int i = s.choose(logits.clone(), rng);
            // p_i >= p * p_max, in logits
            assertTrue(logits[i] >= max + Math.log(p) || i == Probabilities.argmax(logits),
                    s + " drew " + i + " with logit " + logits[i] + " against max " + max);
        }
    }

    @Property(tries = 100, seed = "82")
    void minPOne_equalsGreedyWhenTheMaximumIsUnique(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        int best = Probabilities.argmax(logits);
        int chosen = SamplingStrategy.minP(1.0, 1.0).choose(logits.clone(), new SplittableRandom(seed));
        assertEquals(logits[best], logits[chosen]);
    }

    @Example
    void minP_isAValue() {
        assertEquals(SamplingStrategy.minP(0.05, 1.0), SamplingStrategy.minP(0.05, 1.0));
        assertEquals("chain(minP(0.05))", SamplingStrategy.minP(0.05, 1.0).toString());
    }
}
