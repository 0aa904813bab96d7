package io.charrnn.examples.strategies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingContext;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.sample.SamplingStrategyContract;
import io.charrnn.text.Vocabulary;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The example strategy passes core's contract (from the test-jar) and never draws a banned character. */
class BannedCharactersProperties implements SamplingStrategyContract {

    @Override
    public SamplingStrategy strategy() {
        return BannedCharacters.ofIndices(new int[] {0, 2, 5}, SamplingStrategy.nucleus(0.95, 0.9));
    }

    @Property(tries = 300, seed = "101")
    void neverDrawsABannedIndex_unlessEveryOtherIsMasked(@ForAll("contractLogits") float[] logits, @ForAll long seed) {
        BannedCharacters s = (BannedCharacters) strategy();
        boolean otherLeft = false;
        for (int i = 0; i < logits.length; i++) {
            otherLeft |= !s.bans(i) && logits[i] > Float.NEGATIVE_INFINITY;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int n = 0; n < 10; n++) {
            int i = s.choose(logits.clone(), SamplingContext.empty(), rng);
            if (otherLeft) {
                assertFalse(s.bans(i), "drew banned index " + i);
            }
        }
    }

    @Example
    void samplerWithBannedCharacters_neverGeneratesThem() {
        Vocabulary v = Vocabulary.fromText("abcdef 0123456789\n");
        RnnModel model = RnnModel.builder().hidden(8).vocabulary(v).seed(2).build();
        Sampler sampler = Sampler.builder(model)
                .strategy(BannedCharacters.of(v, "0123456789", SamplingStrategy.temperature(1.0))).build();

        String text = sampler.generate("ab", 2000, new SplittableRandom(4));

        assertEquals(2000, text.length());
        assertFalse(text.chars().anyMatch(Character::isDigit), text);
    }

    @Example
    void isAValueWithAReadableName() {
        assertEquals(strategy(), strategy());
        assertEquals("bannedCharacters([0, 2, 5], chain(temperature(0.9), topP(0.95)))", strategy().toString());
    }
}
