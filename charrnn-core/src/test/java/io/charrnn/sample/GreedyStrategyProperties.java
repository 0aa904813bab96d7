package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class GreedyStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.greedy();
    }

    @Property(tries = 300, seed = "41")
    void greedy_equalsArgmax(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        assertEquals(Probabilities.argmax(logits), strategy().choose(logits.clone(), new SplittableRandom(seed)));
    }

    @Property(tries = 100, seed = "42")
    void greedy_ignoresTheRandomGenerator(@ForAll("contractLogits") float[] logits, @ForAll long a, @ForAll long b) {
        assertEquals(strategy().choose(logits.clone(), new SplittableRandom(a)),
                strategy().choose(logits.clone(), new SplittableRandom(b)));
    }

    @Example
    void greedy_tie_goesToTheLowestIndex() {
        assertEquals(1, strategy().choose(new float[] {0f, 2f, 1f, 2f}, new SplittableRandom(0)));
    }

    @Example
    void greedy_isAValue() {
        assertEquals(SamplingStrategy.greedy(), SamplingStrategy.greedy());
        assertEquals(SamplingStrategy.greedy().hashCode(), SamplingStrategy.greedy().hashCode());
        assertEquals("greedy", SamplingStrategy.greedy().toString());
    }
}
