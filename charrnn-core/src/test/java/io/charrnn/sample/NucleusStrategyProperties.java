package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

class NucleusStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.nucleus(0.9, 0.8);
    }

    @Provide
    Arbitrary<float[]> modelLogits() {
        return Arbitraries.floats().between(-8f, 8f).array(float[].class).ofMinSize(1).ofMaxSize(70);
    }

    @Property(tries = 300, seed = "71")
    void nucleus_neverLeavesTheNucleus(@ForAll("modelLogits") float[] logits,
                                       @ForAll @DoubleRange(min = 0.05, max = 1.0) double p, @ForAll long seed) {
        SamplingStrategy s = SamplingStrategy.nucleus(p, 1.0);
        double[] allowed = Reference.topP(Reference.scaled(logits, 1), p);
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 20; n++) {
            int i = s.choose(logits.clone(), rng);
            assertTrue(allowed[i] > 0, s + " drew " + i + ", outside the nucleus");
        }
    }

    @Property(tries = 100, seed = "72")
    void nucleusWithTinyP_equalsGreedy(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        assertEquals(Probabilities.argmax(logits),
                SamplingStrategy.nucleus(1e-9, 1.0).choose(logits.clone(), new SplittableRandom(seed)));
    }

    @Example
    void nucleus_invalidP_isRejected() {
        for (double p : new double[] {0, -0.1, 1.01, Double.NaN}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> SamplingStrategy.nucleus(p, 1.0));
            assertEquals("p must be in (0, 1], got " + p, e.getMessage());
        }
        assertEquals("chain(temperature(0.7), topP(0.9))", SamplingStrategy.nucleus(0.9, 0.7).toString());
    }
}
