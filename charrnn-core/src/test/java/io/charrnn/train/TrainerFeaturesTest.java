package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.eval.Evaluation;
import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerFeaturesTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(12_000, 5));

    private static Trainer.Builder small() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).seed(3);
    }

    @Test
    void validation_runsEveryNStepsAndAtEpochEnds() {
        List<ValidationSummary> seen = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void onStep(StepSummary step) {
            }

            @Override
            public void onValidation(ValidationSummary v) {
                seen.add(v);
            }
        };
        // one epoch: (10,800 - 1) / 4 / 16 = 168 windows
        TrainingResult r = small().epochs(1).validateEvery(50).listener(listener).build()
                .train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        assertEquals(List.of(50L, 100L, 150L, 168L), seen.stream().map(ValidationSummary::step).toList());
        assertEquals(seen.stream().map(v -> new LossHistory.Validation(v.step(), v.loss())).toList(),
                r.history().validations());
        assertEquals(seen.get(3).loss(), r.validationLoss().getAsDouble());
        assertEquals(Math.exp(seen.get(0).loss()), seen.get(0).perplexity(), 1e-12);
    }

    @Test
    void history_holdsEveryStepsLoss() {
        List<Double> losses = new ArrayList<>();
        TrainingResult r = small().steps(25).listener(s -> losses.add(s.loss())).build()
                .train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        float[] h = r.history().losses();
        assertEquals(25, h.length);
        for (int i = 0; i < 25; i++) {
            assertEquals((float) (double) losses.get(i), h[i]);
        }
        assertEquals(1, r.history().firstStep());
    }

    @Test
    void earlyStopping_returnsTheBestModel_notTheLast() {
        // train on one pattern, validate on another: validation gets worse as training fits the first
        String train = "abcd".repeat(1500);
        String validation = "dcba".repeat(200);
        Corpus corpus = Corpus.of(train + validation).withSplit((double) validation.length() / (train.length()
                + validation.length()), 0);
        List<ValidationSummary> seen = new ArrayList<>();
        TrainingResult r = small().steps(400).validateEvery(5).patience(3).listener(new TrainingListener() {
            @Override
            public void onStep(StepSummary step) {
            }

            @Override
            public void onValidation(ValidationSummary v) {
                seen.add(v);
            }
        }).build().train(RnnModel.builder().hidden(8).build(), corpus);
        assertTrue(r.stoppedEarly(), "should stop early; validations " + seen);
        ValidationSummary best = seen.stream().min(java.util.Comparator.comparingDouble(ValidationSummary::loss))
                .orElseThrow();
        assertTrue(best.step() < r.steps(), "best at " + best.step() + ", stopped at " + r.steps());
        assertEquals(best.loss(), r.validationLoss().getAsDouble());
        assertEquals(best.loss(), Evaluation.score(r.model(), corpus, Corpus.Split.VALIDATION).natsPerCharacter(), 0.05,
                "the returned model is the best one (sequential scoring differs slightly from 4-stream validation)");
        assertEquals(3, seen.size() - seen.indexOf(best) - 1);
    }

    @Test
    void keepBestWeights_byDefault_returnsTheBestValidationsWeights_andTheLastOnRequest() {
        String train = "abcd".repeat(1500);
        String validation = "dcba".repeat(200);
        Corpus corpus = Corpus.of(train + validation).withSplit((double) validation.length() / (train.length()
                + validation.length()), 0);
        RnnModel model = RnnModel.builder().hidden(8).build();
        TrainingResult best = small().steps(60).validateEvery(5).build().train(model, corpus);
        TrainingResult last = small().steps(60).validateEvery(5).keepBestWeights(false).build().train(model, corpus);

        LossHistory.Validation lowest = best.history().validations().stream()
                .min(java.util.Comparator.comparingDouble(LossHistory.Validation::loss)).orElseThrow();
        assertTrue(lowest.step() < 60, "validation should get worse as training fits the other pattern: "
                + best.history().validations());
        assertTrue(best.keptBest());
        assertEquals(lowest.step(), best.modelStep());
        assertEquals(lowest.loss(), best.validationLoss().getAsDouble());
        assertEquals(60, best.steps());
        assertTrue(best.lastValidationLoss().getAsDouble() > lowest.loss());

        assertFalse(last.keptBest());
        assertEquals(60, last.modelStep());
        assertEquals(best.lastValidationLoss(), last.validationLoss());
        assertEquals(best.lastValidationLoss(), last.lastValidationLoss());
        assertEquals(last.validationLoss().getAsDouble(),
                Evaluation.score(last.model(), corpus, Corpus.Split.VALIDATION).natsPerCharacter(), 0.05);
        assertTrue(Evaluation.score(best.model(), corpus, Corpus.Split.VALIDATION).natsPerCharacter()
                < Evaluation.score(last.model(), corpus, Corpus.Split.VALIDATION).natsPerCharacter());
    }

    @Test
    void keepBestWeights_withoutValidation_returnsTheLastWeights() {
        TrainingResult r = small().steps(10).build().train(RnnModel.builder().hidden(8).build(),
                SYLLABLES.withSplit(0, 0));
        assertFalse(r.keptBest());
        assertEquals(10, r.modelStep());
        assertTrue(r.lastValidationLoss().isEmpty());
    }

    @Test
    void patience_withoutAValidationSplit_failsBeforeTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().patience(2).steps(5)
                .build().train(RnnModel.builder().hidden(8).build(), SYLLABLES.withSplit(0, 0)));
        assertTrue(e.getMessage().startsWith("patience (2) needs a validation split, but the corpus has 0"), e.getMessage());
    }

    @Test
    void periodicSamples_reachTheListener() {
        List<SampleSummary> samples = new ArrayList<>();
        small().steps(20).sampleEvery(10, 30, 1.0).listener(new TrainingListener() {
            @Override
            public void onStep(StepSummary step) {
            }

            @Override
            public void onSample(SampleSummary sample) {
                samples.add(sample);
            }
        }).build().train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        assertEquals(List.of(10L, 20L), samples.stream().map(SampleSummary::step).toList());
        for (SampleSummary s : samples) {
            assertEquals(30, s.text().codePointCount(0, s.text().length()));
        }
    }

    @Test
    void weightDecay_shrinksMatricesButNotBiases() {
        Vocabulary v = SYLLABLES.vocabulary();
        RnnModel model = RnnModel.builder().hidden(8).vocabulary(v).seed(1).build();
        Trainer.Builder base = Trainer.builder().optimizer(Optimizer.sgd(0.1)).sequenceLength(16).batchSize(4).steps(1)
                .gradientClipNorm(Double.POSITIVE_INFINITY);
        Map<String, float[]> plain = base.build().train(model, SYLLABLES).model().weights();
        Map<String, float[]> decayed = base.weightDecay(0.5).build().train(model, SYLLABLES).model().weights();
        Map<String, float[]> initial = model.weights();
        for (String name : initial.keySet()) {
            float[] p0 = initial.get(name);
            for (int i = 0; i < p0.length; i++) {
                double expected = name.endsWith(".b") ? 0 : -0.1 * 0.5 * p0[i];
                assertEquals(expected, decayed.get(name)[i] - plain.get(name)[i], 1e-6, name + "[" + i + "]");
            }
        }
    }

    @Test
    void everyBatchingStrategy_learns() {
        for (Batching b : Batching.values()) {
            TrainingResult r = small().batching(b).chunkWindows(4).steps(150).build()
                    .train(RnnModel.builder().hidden(16).seed(2).build(), SYLLABLES);
            double unigram = Corpora.unigramEntropy(SYLLABLES.text(Corpus.Split.TRAIN));
            assertTrue(r.validationLoss().getAsDouble() < 0.7 * unigram, b + ": " + r.validationLoss() + " vs " + unigram);
        }
    }

    @Test
    void schedule_changesTheRateAtEpochBoundaries() {
        List<Double> rates = new ArrayList<>();
        Corpus tiny = Corpus.of(Corpora.syllables(1_300, 6)); // 1,170 training characters: 18 windows per epoch
        small().optimizer(Optimizer.sgd(0.1)).schedule(LearningRateSchedule.stepDecay(0.5, 1)).epochs(3)
                .listener(s -> rates.add(s.learningRate())).build().train(RnnModel.builder().hidden(8).build(), tiny);
        assertEquals(54, rates.size());
        assertEquals(0.1, rates.get(0));
        assertEquals(0.1, rates.get(17));
        assertEquals(0.05, rates.get(18));
        assertEquals(0.025, rates.get(53));
    }

    @Test
    void resetStateAt_mustBeInTheVocabulary_andChangesTraining() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> small().resetStateAt('Z')
                .steps(2).build().train(RnnModel.builder().hidden(8).build(), SYLLABLES));
        assertTrue(e.getMessage().startsWith("resetStateAt 'Z' (U+005A) must be in the corpus vocabulary"), e.getMessage());
        RnnModel model = RnnModel.builder().hidden(8).build();
        TrainingResult plain = small().steps(20).build().train(model, SYLLABLES);
        TrainingResult reset = small().steps(20).resetStateAt('\n').build().train(model, SYLLABLES);
        assertTrue(!plain.model().equals(reset.model()), "resets change the gradients");
        assertTrue(reset.model().trainingInfo().orElseThrow().trainer().contains("resetStateAt=U+000A"));
    }
}
