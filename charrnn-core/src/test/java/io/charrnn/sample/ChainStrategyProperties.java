package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A chain of every transform, with a repetition penalty that reads the context. */
class ChainStrategyProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return SamplingStrategy.chain(LogitTransform.repetitionPenalty(1.5, 16), LogitTransform.temperature(0.9),
                LogitTransform.topK(20), LogitTransform.topP(0.95), LogitTransform.minP(0.01));
    }

    /** Logits whose maximum is unique and at least 0.1 above every other entry. */
    @Provide
    Arbitrary<float[]> separatedLogits() {
        return Arbitraries.floats().between(-10f, 10f).array(float[].class).ofMinSize(2).ofMaxSize(40)
                .flatMap(l -> Arbitraries.integers().between(0, l.length - 1).map(top -> {
                    float[] out = l.clone();
                    float max = Float.NEGATIVE_INFINITY;
                    for (int i = 0; i < out.length; i++) {
                        if (i != top) {
                            max = Math.max(max, out[i]);
                        }
                    }
                    out[top] = max + 0.1f;
                    return out;
                }));
    }

    @Property(tries = 200, seed = "91")
    void veryLowTemperature_inAnyChain_behavesLikeGreedy(@ForAll("separatedLogits") float[] logits, @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int best = Probabilities.argmax(logits);
        for (SamplingStrategy s : new SamplingStrategy[] {SamplingStrategy.chain(LogitTransform.temperature(1e-3)),
                SamplingStrategy.topK(5, 1e-3), SamplingStrategy.nucleus(0.9, 1e-3), SamplingStrategy.minP(0.1, 1e-3)}) {
            for (int n = 0; n < 10; n++) {
                assertEquals(best, s.choose(logits.clone(), rng), s.toString());
            }
        }
    }

    @Property(tries = 200, seed = "92")
    void repetitionPenalty_lowersExactlyTheRecentCharactersProbabilities(@ForAll("separatedLogits") float[] logits,
                                                                         @ForAll long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] history = rng.ints(rng.nextInt(1, 12), 0, logits.length).toArray();
        int window = rng.nextInt(1, 10);
        float[] penalised = logits.clone();
        LogitTransform.repetitionPenalty(2.0, window).apply(penalised, SamplingContext.of(history));

        double[] before = Probabilities.softmax(logits, 1.0);
        double[] after = Probabilities.softmax(penalised, 1.0);
        boolean[] recent = new boolean[logits.length];
        for (int i = Math.max(0, history.length - window); i < history.length; i++) {
            recent[history[i]] = true;
        }
        boolean all = true;
        for (boolean r : recent) {
            all &= r;
        }
        for (int i = 0; i < logits.length; i++) {
            if (all) {
                assertEquals(before[i], after[i], 1e-6, "every character is recent: nothing changes");
            } else if (recent[i]) {
                assertTrue(after[i] < before[i], "recent index " + i + ": " + before[i] + " -> " + after[i]);
            } else {
                assertTrue(after[i] >= before[i], "other index " + i + ": " + before[i] + " -> " + after[i]);
            }
        }
    }

    @Example
    void hugePenaltyWithGreedy_neverRepeatsWithinTheWindow() {
        SamplingStrategy s = SamplingStrategy.greedy(LogitTransform.repetitionPenalty(1e30, 3));
        float[] logits = {5f, 4f, 3f, 2f, 1f};
        assertEquals(0, s.choose(logits.clone(), SamplingContext.of(1, 2), new SplittableRandom(1)));
        assertEquals(3, s.choose(logits.clone(), SamplingContext.of(4, 0, 1, 2), new SplittableRandom(1)));
        // the plain two-argument call has no history
        assertEquals(0, s.choose(logits.clone(), new SplittableRandom(1)));
    }

    @Example
    void chains_areValuesWithReadableNames() {
        assertEquals(strategy(), strategy());
        assertEquals(strategy().hashCode(), strategy().hashCode());
        assertNotEquals(strategy(), SamplingStrategy.chain(LogitTransform.temperature(0.9)));
        assertEquals("chain(repetitionPenalty(1.5, 16), temperature(0.9), topK(20), topP(0.95), minP(0.01))",
                strategy().toString());
        assertEquals("greedy(repetitionPenalty(1.2, 8))",
                SamplingStrategy.greedy(LogitTransform.repetitionPenalty(1.2, 8)).toString());
        assertEquals(SamplingStrategy.greedy(), SamplingStrategy.greedy(new LogitTransform[0]));
        assertEquals("chain()", SamplingStrategy.chain().toString());
    }
}
