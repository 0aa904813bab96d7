package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import org.junit.jupiter.api.Test;

/** What the trainer says about texts it cannot train on. */
class TrainerInputsTest {
    private static final RnnModel MODEL = RnnModel.builder().hidden(8).seed(1).build();

    @Test
    void oneDistinctCharacter_isRejected_becauseThereIsNothingToPredict() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().sequenceLength(4).batchSize(1).steps(1).build()
                        .train(MODEL, Corpus.of("a".repeat(100))));
        assertEquals("the corpus vocabulary must have at least 2 characters for there to be anything to predict, "
                + "got 1: 'a' (U+0061)", e.getMessage());
    }

    @Test
    void textShorterThanOneWindow_isRejectedNamingTheLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().sequenceLength(25).batchSize(1).steps(1).build()
                        .train(MODEL, Corpus.of("ab".repeat(12))));
        assertEquals("the training split (22 characters) must hold at least sequenceLength × batchSize + 1 = "
                + "25 × 1 + 1 = 26 characters; use a longer text or a smaller sequenceLength or batchSize", e.getMessage());
    }

    @Test
    void textOfExactlyOneWindowPlusOne_trains() {
        TrainingResult r = Trainer.builder().sequenceLength(4).batchSize(2).steps(3).build()
                .train(MODEL, Corpus.of("abcabcabc").withSplit(0, 0));
        assertEquals(3, r.steps());
    }
}
