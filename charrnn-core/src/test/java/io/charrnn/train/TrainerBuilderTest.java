package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Trainer settings and the checks {@code train} makes before it allocates anything; no training runs. */
class TrainerBuilderTest {

    private static String rejected(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    @Test
    void sequenceLength_belowOne_isRejected() {
        assertEquals("sequenceLength must be >= 1, got 0", rejected(() -> Trainer.builder().sequenceLength(0)));
        assertEquals("sequenceLength must be >= 1, got -5", rejected(() -> Trainer.builder().sequenceLength(-5)));
    }

    @Test
    void batchSize_belowOne_isRejected() {
        assertEquals("batchSize must be >= 1, got 0", rejected(() -> Trainer.builder().batchSize(0)));
    }

    @Test
    void steps_belowOne_isRejected() {
        assertEquals("steps must be >= 1, got 0", rejected(() -> Trainer.builder().steps(0)));
        assertEquals("steps must be >= 1, got -1", rejected(() -> Trainer.builder().steps(-1)));
    }

    @Test
    void epochs_belowOne_isRejected() {
        assertEquals("epochs must be >= 1, got 0", rejected(() -> Trainer.builder().epochs(0)));
    }

    @Test
    void timeLimit_notPositive_isRejected() {
        assertEquals("timeLimit must be > 0, got PT0S", rejected(() -> Trainer.builder().timeLimit(Duration.ZERO)));
        assertEquals("timeLimit must be > 0, got PT-1S",
                rejected(() -> Trainer.builder().timeLimit(Duration.ofSeconds(-1))));
        assertEquals("limit", assertThrows(NullPointerException.class,
                () -> Trainer.builder().timeLimit(null)).getMessage());
    }

    @Test
    void gradientClipValue_notPositive_isRejected() {
        assertEquals("gradientClipValue must be > 0 (infinity for none), got 0.0",
                rejected(() -> Trainer.builder().gradientClipValue(0)));
        assertEquals("gradientClipValue must be > 0 (infinity for none), got -5.0",
                rejected(() -> Trainer.builder().gradientClipValue(-5)));
        assertEquals("gradientClipValue must be > 0 (infinity for none), got NaN",
                rejected(() -> Trainer.builder().gradientClipValue(Double.NaN)));
    }

    @Test
    void gradientClipNorm_notPositive_isRejected() {
        assertEquals("gradientClipNorm must be > 0 (infinity for none), got 0.0",
                rejected(() -> Trainer.builder().gradientClipNorm(0)));
        assertEquals("gradientClipNorm must be > 0 (infinity for none), got NaN",
                rejected(() -> Trainer.builder().gradientClipNorm(Double.NaN)));
    }

    @Test
    void clipping_infinityMeansNone_isAccepted() {
        Trainer t = Trainer.builder().gradientClipValue(Double.POSITIVE_INFINITY)
                .gradientClipNorm(Double.POSITIVE_INFINITY).build();
        assertTrue(t.toString().contains("clipValue=Infinity clipNorm=Infinity"), t.toString());
    }

    @Test
    void nullOptimizerOrListener_throwsNullPointerNamingIt() {
        assertEquals("optimizer",
                assertThrows(NullPointerException.class, () -> Trainer.builder().optimizer(null)).getMessage());
        assertEquals("listener",
                assertThrows(NullPointerException.class, () -> Trainer.builder().listener(null)).getMessage());
    }

    @Test
    void build_defaults_areAdamSequence50Batch16ClipNorm5OneEpoch() {
        assertEquals("Trainer[optimizer=Adam[learningRate=0.002, beta1=0.9, beta2=0.999, epsilon=1.0E-8] "
                + "schedule=Constant[] batching=STREAMS chunkWindows=8 sequenceLength=50 batchSize=16 clipValue=Infinity "
                + "clipNorm=5.0 weightDecay=0.0 seed=42, steps=-, epochs=1, timeLimit=-, validateEvery=-, patience=-, keep=best]",
                Trainer.builder().build().toString());
    }

    @Test
    void accessors_giveTheDefaults_thatTheCliShows() {
        Trainer t = Trainer.builder().build();
        assertEquals(Optimizer.adam(2e-3), t.optimizer());
        assertEquals(LearningRateSchedule.constant(), t.schedule());
        assertEquals(Batching.STREAMS, t.batching());
        assertEquals(8, t.chunkWindows());
        assertEquals(50, t.sequenceLength());
        assertEquals(16, t.batchSize());
        assertEquals(Double.POSITIVE_INFINITY, t.gradientClipValue());
        assertEquals(5.0, t.gradientClipNorm());
        assertEquals(0.0, t.weightDecay());
        assertEquals(42, t.seed());
        assertEquals(3, t.keepCheckpoints());
        assertTrue(t.keepBestWeights());
        assertFalse(Trainer.builder().keepBestWeights(false).build().keepBestWeights());
    }

    @Test
    void build_withAStopCondition_doesNotAddTheOneEpochDefault() {
        assertTrue(Trainer.builder().steps(10).build().toString().contains("steps=10, epochs=-, timeLimit=-"));
        assertTrue(Trainer.builder().timeLimit(Duration.ofSeconds(3)).build().toString()
                .contains("steps=-, epochs=-, timeLimit=PT3S"));
        assertTrue(Trainer.builder().epochs(4).build().toString().contains("epochs=4"));
    }

    @Test
    void build_takesEverySetting() {
        Trainer t = Trainer.builder().optimizer(Optimizer.sgd(0.5)).sequenceLength(25).batchSize(1).steps(100)
                .epochs(3).gradientClipValue(5).gradientClipNorm(1).seed(7).build();
        assertEquals("Trainer[optimizer=Sgd[learningRate=0.5, momentum=0.0] schedule=Constant[] batching=STREAMS "
                + "chunkWindows=8 sequenceLength=25 batchSize=1 clipValue=5.0 clipNorm=1.0 weightDecay=0.0 seed=7, "
                + "steps=100, epochs=3, timeLimit=-, validateEvery=-, patience=-, keep=best]", t.toString());
    }

    @Test
    void train_corpusTooShort_failsNamingSplitAndNeededLength() {
        Corpus corpus = Corpus.of("abcdefghij".repeat(10)); // 100 characters, 90 for training
        Trainer trainer = Trainer.builder().sequenceLength(10).batchSize(16).build();
        RnnModel model = RnnModel.builder().hidden(4).build();

        String message = rejected(() -> trainer.train(model, corpus));

        assertTrue(message.contains("(90 characters)"), message);
        assertTrue(message.contains("10 × 16 + 1 = 161"), message);
    }

    @Test
    void train_corpusExactlyOneCharacterShort_failsToo() {
        Corpus corpus = Corpus.of("abcdefghij".repeat(2)).withSplit(0, 0); // 20 characters
        Trainer trainer = Trainer.builder().sequenceLength(4).batchSize(5).build(); // needs 21

        String message = rejected(() -> trainer.train(RnnModel.builder().hidden(4).build(), corpus));
        assertTrue(message.contains("(20 characters)") && message.contains("= 21"), message);
    }

    @Test
    void train_modelBoundToDifferentVocabulary_fails() {
        Corpus corpus = Corpus.of("abcabcabcabc");
        RnnModel model = RnnModel.builder().hidden(4).vocabulary(Vocabulary.fromText("abcd")).build();

        String message = rejected(() -> Trainer.builder().sequenceLength(2).batchSize(1).build().train(model, corpus));

        assertEquals("corpus vocabulary (3 code points) differs from the model's (4); build both from one Vocabulary",
                message);
    }

    @Test
    void train_nullArguments_throwNullPointer() {
        Trainer trainer = Trainer.builder().build();
        assertThrows(NullPointerException.class, () -> trainer.train(null, Corpus.of("ab")));
        assertThrows(NullPointerException.class, () -> trainer.train(RnnModel.builder().build(), null));
    }
}
