package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefgh \n");
    private static final RnnModel MODEL = RnnModel.builder().hidden(8).vocabulary(VOCABULARY).seed(1).build();

    private static Sampler sampler(SamplingStrategy strategy) {
        return Sampler.builder(MODEL).strategy(strategy).build();
    }

    @Test
    void builder_defaultStrategy_isTemperatureOne() {
        assertEquals(SamplingStrategy.temperature(1.0), Sampler.builder(MODEL).build().strategy());
    }

    @Test
    void generate_sameSeed_givesSameText() {
        Sampler sampler = Sampler.builder(MODEL).build();

        String a = sampler.generate("abc", 200, new SplittableRandom(7));
        String b = sampler.generate("abc", 200, new SplittableRandom(7));

        assertEquals(a, b);
    }

    @Test
    void generate_sameSeedOnEqualModels_givesSameText() {
        RnnModel twin = RnnModel.builder().hidden(8).vocabulary(VOCABULARY).seed(1).build();

        assertEquals(Sampler.builder(MODEL).build().generate("a", 100, new SplittableRandom(3)),
                Sampler.builder(twin).build().generate("a", 100, new SplittableRandom(3)));
    }

    @Test
    void generate_differentSeeds_giveDifferentText() {
        Sampler sampler = Sampler.builder(MODEL).build();

        // an untrained model is close to uniform over 10 characters: 200 equal draws are out of the question
        assertNotEquals(sampler.generate("abc", 200, new SplittableRandom(1)),
                sampler.generate("abc", 200, new SplittableRandom(2)));
    }

    @Test
    void generate_returnsExactlyLengthCodePointsFromTheVocabulary() {
        Sampler sampler = Sampler.builder(MODEL).build();
        for (int length : new int[] {0, 1, 17, 500}) {
            String text = sampler.generate("ab", length, new SplittableRandom(length));

            assertEquals(length, text.codePointCount(0, text.length()));
            text.codePoints().forEach(cp -> assertTrue(VOCABULARY.contains(cp), "generated U+" + Integer.toHexString(cp)));
        }
    }

    @Test
    void generate_nonBmpVocabulary_givesWholeCodePoints() {
        Vocabulary v = Vocabulary.fromText("a\uD83D\uDE00b");
        Sampler sampler = Sampler.builder(RnnModel.builder().hidden(4).vocabulary(v).build()).build();

        String text = sampler.generate("\uD83D\uDE00", 50, new SplittableRandom(5));

        assertEquals(50, text.codePointCount(0, text.length()));
        text.codePoints().forEach(cp -> assertTrue(v.contains(cp)));
    }

    @Test
    void generate_emptyPrime_startsAfterANewline() {
        Sampler sampler = Sampler.builder(MODEL).build();

        assertEquals(sampler.generate("\n", 80, new SplittableRandom(9)),
                sampler.generate("", 80, new SplittableRandom(9)));
    }

    @Test
    void generate_emptyPrimeWithoutNewlineInVocabulary_startsAfterTheFirstCharacter() {
        Vocabulary v = Vocabulary.fromText("xyz");
        Sampler sampler = Sampler.builder(RnnModel.builder().hidden(4).vocabulary(v).build()).build();

        assertEquals(sampler.generate("x", 40, new SplittableRandom(4)),
                sampler.generate("", 40, new SplittableRandom(4)));
    }

    @Test
    void generate_primeWithUnknownCharacter_failsWithIndexAndCodePoint() {
        Sampler sampler = Sampler.builder(MODEL).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sampler.generate("abz", 10, new SplittableRandom(1)));

        assertEquals("text contains 'z' (U+007A) at index 2, which is not in the vocabulary (10 code points)",
                e.getMessage());
    }

    @Test
    void generate_negativeLength_isRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sampler.builder(MODEL).build().generate("a", -1, new SplittableRandom(1)));
        assertEquals("length must be >= 0, got -1", e.getMessage());
    }

    @Test
    void generate_nullArguments_throwNullPointer() {
        Sampler sampler = Sampler.builder(MODEL).build();
        assertThrows(NullPointerException.class, () -> sampler.generate(null, 1, new SplittableRandom(1)));
        assertThrows(NullPointerException.class, () -> sampler.generate("a", 1, null));
        assertThrows(NullPointerException.class, () -> sampler.generate("a", 1, new SplittableRandom(1), null));
    }

    @Test
    void builder_unboundModel_failsMentioningTraining() {
        RnnModel unbound = RnnModel.builder().hidden(8).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sampler.builder(unbound));

        assertTrue(e.getMessage().contains("train it on a corpus first"), e.getMessage());
    }

    @Test
    void builder_nullStrategy_isRejected() {
        assertThrows(NullPointerException.class, () -> Sampler.builder(MODEL).strategy(null));
        assertThrows(NullPointerException.class, () -> Sampler.builder(null));
    }

    @Test
    void greedy_isDeterministicWhateverTheRandomGenerator() {
        Sampler sampler = sampler(SamplingStrategy.greedy());

        String a = sampler.generate("ab", 100, new SplittableRandom(1));
        String b = sampler.generate("ab", 100, new SplittableRandom(123456789));
        String c = sampler.generate("ab", 100, RandomGenerator.of("L64X128MixRandom"));

        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void greedy_picksTheArgmaxOfTheLogitsTheStrategySees() {
        List<Integer> seenArgmax = new ArrayList<>();
        SamplingStrategy recording = (logits, rng) -> {
            assertEquals(VOCABULARY.size(), logits.length);
            int best = Probabilities.argmax(logits);
            seenArgmax.add(best);
            return best;
        };

        String viaRecording = sampler(recording).generate("ab", 30, new SplittableRandom(1));

        assertEquals(sampler(SamplingStrategy.greedy()).generate("ab", 30, new SplittableRandom(1)), viaRecording);
        assertEquals(30, seenArgmax.size());
        assertEquals(VOCABULARY.decode(seenArgmax.stream().mapToInt(Integer::intValue).toArray()), viaRecording);
    }

    @Test
    void strategyMutatingItsLogits_doesNotChangeTheModelsOutput() {
        SamplingStrategy vandal = (logits, rng) -> {
            int best = Probabilities.argmax(logits);
            java.util.Arrays.fill(logits, 1e9f);
            return best;
        };

        assertEquals(sampler(SamplingStrategy.greedy()).generate("a", 40, new SplittableRandom(1)),
                sampler(vandal).generate("a", 40, new SplittableRandom(1)));
    }

    @Test
    void strategyReturningAnIndexOutOfRange_failsNamingTheStrategy() {
        for (int bad : new int[] {VOCABULARY.size(), -1}) {
            SamplingStrategy broken = new SamplingStrategy() {
                @Override
                public int choose(float[] logits, RandomGenerator rng) {
                    return bad;
                }

                @Override
                public String toString() {
                    return "alwaysIndex" + bad;
                }
            };

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sampler(broken).generate("a", 5, new SplittableRandom(1)));

            assertEquals("strategy alwaysIndex" + bad + " returned index " + bad + ", outside [0, 10)", e.getMessage());
        }
    }

    @Test
    void streamingGenerate_deliversTheSameCharactersAsTheStringVersion() {
        Sampler sampler = Sampler.builder(MODEL).strategy(SamplingStrategy.temperature(0.9)).build();
        StringBuilder streamed = new StringBuilder();
        List<Integer> order = new ArrayList<>();

        sampler.generate("cab", 300, new SplittableRandom(11), cp -> {
            streamed.appendCodePoint(cp);
            order.add(cp);
        });

        assertEquals(sampler.generate("cab", 300, new SplittableRandom(11)), streamed.toString());
        assertEquals(300, order.size());
    }

    @Test
    void sampler_exposesItsStrategyAndDescribesItself() {
        SamplingStrategy strategy = SamplingStrategy.temperature(0.5);
        Sampler sampler = sampler(strategy);

        assertSame(strategy, sampler.strategy());
        assertEquals("Sampler[temperature(0.5), " + MODEL + "]", sampler.toString());
    }
}
