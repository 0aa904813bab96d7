package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.eval.Evaluation;
import io.charrnn.model.Activation;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class TrainerTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(20_000, 1));

    private static Trainer.Builder small() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).steps(30).seed(3);
    }

    @Test
    void train_sameSettings_giveBitIdenticalWeights_javaKernel() {
        RnnModel model = RnnModel.builder().hidden(24).seed(9).build(); // B·H² = 2,304: Java kernel
        RnnModel a = small().build().train(model, SYLLABLES).model();
        RnnModel b = small().build().train(model, SYLLABLES).model();
        assertEquals(a, b);
    }

    @Test
    void train_sameSettings_giveBitIdenticalWeights_nd4jKernel() {
        RnnModel model = RnnModel.builder().hidden(128).seed(9).build(); // B·H² = 65,536: ND4J kernel
        Trainer trainer = small().steps(8).build();
        RnnModel a = trainer.train(model, SYLLABLES).model();
        RnnModel b = trainer.train(model, SYLLABLES).model();
        assertEquals(a, b);
    }

    @Test
    void train_leavesItsInputModelUntouched_andReturnsANewOne() {
        RnnModel model = RnnModel.builder().hidden(16).seed(4).vocabulary(SYLLABLES.vocabulary()).build();
        RnnModel copy = RnnModel.builder().hidden(16).seed(4).vocabulary(SYLLABLES.vocabulary()).build();
        RnnModel trained = small().build().train(model, SYLLABLES).model();
        assertEquals(copy, model);
        assertNotEquals(model, trained);
    }

    @Test
    void train_unboundModel_isBoundToTheCorpusVocabulary() {
        RnnModel trained = small().steps(2).build().train(RnnModel.builder().hidden(8).build(), SYLLABLES).model();
        assertEquals(SYLLABLES.vocabulary(), trained.vocabulary().orElseThrow());
    }

    @Test
    void train_unboundModel_whoseWeightsTheRunTakes_equalsTrainingItBound() {
        RnnModel unbound = RnnModel.builder().cell(io.charrnn.model.CellType.LSTM).hidden(12).seed(5).build();
        RnnModel bound = unbound.withVocabulary(SYLLABLES.vocabulary());
        RnnModel boundCopy = unbound.withVocabulary(SYLLABLES.vocabulary());
        assertEquals(small().build().train(bound, SYLLABLES).model(), small().build().train(unbound, SYLLABLES).model());
        assertEquals(boundCopy, bound); // a bound model is copied, never taken
    }

    @Test
    void train_reportsEveryStepInOrder_withPlausibleFigures() {
        List<StepSummary> steps = new ArrayList<>();
        TrainingResult result = small().listener(steps::add).build().train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        assertEquals(30, steps.size());
        assertEquals(30, result.steps());
        for (int i = 0; i < steps.size(); i++) {
            StepSummary s = steps.get(i);
            assertEquals(i + 1, s.step());
            assertTrue(s.loss() > 0 && Double.isFinite(s.loss()));
            assertTrue(s.gradientNorm() > 0);
            assertTrue(s.charactersPerSecond() > 0);
        }
        assertEquals(steps.get(29).loss(), result.loss());
        assertTrue(result.validationLoss().isPresent());
    }

    @Test
    void train_learnsStructure_farBelowTheUnigramEntropy() {
        String text = Corpora.syllables(30_000, 2);
        double unigram = Corpora.unigramEntropy(text);
        Corpus corpus = Corpus.of(text);
        TrainingResult result = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(20).batchSize(8)
                .steps(250).build().train(RnnModel.builder().hidden(32).seed(1).build(), corpus);
        double validation = Evaluation.score(result.model(), corpus, Corpus.Split.VALIDATION).natsPerCharacter();
        // the text's true entropy rate is 2 bits per syllable of 3.25 characters: 0.43 nats/char
        assertTrue(validation < 0.5 * unigram,
                "validation loss " + validation + " nats/char is not below half the unigram entropy " + unigram);
        assertEquals(validation, result.validationLoss().getAsDouble(), 0.05 * validation);
    }

    @Test
    void train_withAHugeLearningRate_reportsDivergence() {
        Trainer trainer = Trainer.builder().optimizer(Optimizer.sgd(1e12)).gradientClipNorm(Double.POSITIVE_INFINITY)
                .sequenceLength(16).batchSize(2).steps(50).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> trainer.train(RnnModel.builder().hidden(8).activation(Activation.RELU).build(), SYLLABLES));
        assertTrue(e.step() >= 1 && e.step() <= 50);
        assertTrue(e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void train_stopsAtTheTimeLimit() {
        TrainingResult result = Trainer.builder().sequenceLength(16).batchSize(2).timeLimit(Duration.ofMillis(300))
                .build().train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        assertTrue(result.steps() >= 1);
        assertTrue(result.elapsed().toMillis() < 5_000, "took " + result.elapsed());
    }

    @Test
    void train_withoutAStopCondition_runsOneEpoch() {
        Corpus corpus = Corpus.of(Corpora.syllables(2_000, 3));
        TrainingResult result = Trainer.builder().sequenceLength(10).batchSize(4).build()
                .train(RnnModel.builder().hidden(8).build(), corpus);
        assertEquals(1, result.epochs());
        assertEquals((corpus.length(Corpus.Split.TRAIN) - 1) / 4 / 10, result.steps());
    }

    @Test
    @Tag("smoke")
    void smoke_repeatedPattern_isLearnedAndContinuedByGreedySampling() {
        Corpus corpus = Corpus.of("abcd".repeat(2_000));
        List<Double> losses = new ArrayList<>();
        TrainingResult result = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4)
                .steps(200).listener(s -> losses.add(s.loss())).build()
                .train(RnnModel.builder().hidden(32).seed(2).build(), corpus);
        assertTrue(losses.get(losses.size() - 1) < losses.get(0) / 10, "loss " + losses.get(0) + " -> " + result.loss());
        String continuation = Sampler.builder(result.model()).strategy(SamplingStrategy.greedy()).build()
                .generate("abcdab", 12, new SplittableRandom(1));
        assertEquals("cdabcdabcdab", continuation);
    }
}
