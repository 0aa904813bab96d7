package io.charrnn.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static final Vocabulary VOCABULARY = Vocabulary.fromText("abcdefgh \n");
    private static final RnnModel MODEL = RnnModel.builder().hidden(12).layers(2).vocabulary(VOCABULARY).seed(5).build();
    private static final String TEXT = "abc defg\nhab cafe bead\nface";

    @Test
    void logProbability_equalsMinusTheScoresTotalNats() {
        double logp = Evaluation.logProbability(MODEL, TEXT);
        TextScore score = Evaluation.score(MODEL, TEXT);

        assertEquals(-score.totalNats(), logp, 1e-4 * score.totalNats());
        assertTrue(logp < 0);
        assertEquals(0.0, Evaluation.logProbability(MODEL, "a"));
    }

    @Test
    void surprisal_oneEntryPerPredictedCharacter_averagingToTheScore() {
        List<CharacterSurprisal> s = Evaluation.surprisal(MODEL, TEXT);
        TextScore score = Evaluation.score(MODEL, TEXT);

        assertEquals(TEXT.length() - 1, s.size());
        double bits = 0;
        for (int i = 0; i < s.size(); i++) {
            assertEquals(i + 1, s.get(i).position());
            assertEquals(TEXT.codePointAt(i + 1), s.get(i).codePoint());
            assertEquals(-Math.log(s.get(i).probability()) / Math.log(2), s.get(i).bits(), 1e-12);
            bits += s.get(i).bits();
        }
        assertEquals(score.bitsPerCharacter(), bits / s.size(), 1e-4);
    }

    @Test
    void nextCharacters_areSortedAndStartWithTheGreedyChoice() {
        List<NextCharacter> next = Evaluation.nextCharacters(MODEL, "abc d", 4);
        String greedy = Sampler.builder(MODEL).strategy(SamplingStrategy.greedy()).build()
                .generate("abc d", 1, new SplittableRandom(1));

        assertEquals(4, next.size());
        assertEquals(greedy.codePointAt(0), next.get(0).codePoint());
        for (int i = 1; i < next.size(); i++) {
            assertTrue(next.get(i - 1).probability() >= next.get(i).probability());
        }
        List<NextCharacter> all = Evaluation.nextCharacters(MODEL, "abc d", 100);
        assertEquals(VOCABULARY.size(), all.size());
        assertEquals(1.0, all.stream().mapToDouble(NextCharacter::probability).sum(), 1e-9);
        // the probability of a next character agrees with that character's surprisal
        double p = Evaluation.surprisal(MODEL, "abc d" + (char) next.get(1).codePoint()).get(4).probability();
        assertEquals(next.get(1).probability(), p, 1e-12);
    }

    @Test
    void nextCharacters_emptyPrefix_startsAfterANewline() {
        assertEquals(Evaluation.nextCharacters(MODEL, "\n", 3), Evaluation.nextCharacters(MODEL, "", 3));
    }

    @Test
    void badInput_isRejectedSayingWhatMustHold() {
        assertEquals("n must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> Evaluation.nextCharacters(MODEL, "ab", 0)).getMessage());
        assertEquals("text contains 'z' (U+007A) at index 1, which is not in the vocabulary (10 code points)",
                assertThrows(IllegalArgumentException.class, () -> Evaluation.surprisal(MODEL, "az")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluation.logProbability(RnnModel.builder().build(), "ab"));
        assertThrows(NullPointerException.class, () -> Evaluation.nextCharacters(MODEL, null, 1));
    }
}
