package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class TopKStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.topK(3, 0.8);
    }

    @Property(tries = 300, seed = "61")
    void topK_neverLeavesTheTopKSet(@ForAll("contractLogits") float[] logits, @ForAll @IntRange(min = 1, max = 8) int k,
                                    @ForAll long seed) {
        SamplingStrategy s = SamplingStrategy.topK(k, 1.0);
        List<Integer> allowed = Reference.descending(Reference.scaled(logits, 1)).subList(0, Math.min(k, logits.length));
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 20; n++) {
            int i = s.choose(logits.clone(), rng);
            assertTrue(allowed.contains(i), s + " drew " + i + ", outside " + allowed);
        }
    }

    @Property(tries = 100, seed = "62")
    void topKOne_equalsGreedy(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        assertEquals(Probabilities.argmax(logits),
                SamplingStrategy.topK(1, 1.3).choose(logits.clone(), new SplittableRandom(seed)));
    }

    @Example
    void topK_isAValueWithAReadableName() {
        assertEquals(SamplingStrategy.topK(40, 0.8), SamplingStrategy.topK(40, 0.8));
        assertEquals("chain(temperature(0.8), topK(40))", SamplingStrategy.topK(40, 0.8).toString());
        assertEquals("chain(topK(40))", SamplingStrategy.topK(40, 1.0).toString());
        assertEquals(SamplingStrategy.chain(LogitTransform.topK(40)), SamplingStrategy.topK(40, 1.0));
    }
}
