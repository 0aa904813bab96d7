package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping a run through a {@link TrainingControl}, and why runs end. */
class TrainingControlTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(12_000, 5));
    private static final RnnModel MODEL = RnnModel.builder().hidden(12).seed(2).build();

    private static Trainer.Builder small() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).seed(3);
    }

    @Test
    void stopFromAListenerAtStepN_takesExactlyNSteps_andGivesTheWeightsOfAnNStepRun() {
        TrainingControl control = new TrainingControl();
        TrainingResult r = small().steps(1_000).listener(s -> {
            if (s.step() == 7) {
                control.requestStop();
            }
        }).build().train(MODEL, SYLLABLES, control);
        assertEquals(7, r.steps());
        assertEquals(StopReason.REQUESTED, r.stopReason());
        assertTrue(r.interrupted());
        assertFalse(r.stoppedEarly());
        assertEquals(7, r.history().losses().length);
        TrainingResult seven = small().steps(7).build().train(MODEL, SYLLABLES);
        assertEquals(StopReason.STEPS, seven.stopReason());
        assertSameWeights(seven.model(), r.model());
    }

    @Test
    void stopFromAnotherThread_whileAStepIsUnderWay_endsAfterThatStep() throws Exception {
        TrainingControl control = new TrainingControl();
        CountDownLatch inStep4 = new CountDownLatch(1);
        CountDownLatch requested = new CountDownLatch(1);
        Trainer trainer = small().steps(1_000).listener(s -> {
            if (s.step() == 4) {
                inStep4.countDown();
                try {
                    assertTrue(requested.await(20, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }).build();
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() -> trainer.train(MODEL, SYLLABLES, control));
        assertTrue(inStep4.await(20, TimeUnit.SECONDS));
        control.requestStop();
        requested.countDown();
        TrainingResult r = run.get(20, TimeUnit.SECONDS);
        assertEquals(4, r.steps());
        assertEquals(StopReason.REQUESTED, r.stopReason());
    }

    @Test
    void stopFromAnotherThread_atAnyMoment_returnsAConsistentResult() throws Exception {
        TrainingControl control = new TrainingControl();
        CountDownLatch tenSteps = new CountDownLatch(10);
        CompletableFuture<TrainingResult> run = CompletableFuture.supplyAsync(() ->
                small().steps(1_000_000).listener(s -> tenSteps.countDown()).build().train(MODEL, SYLLABLES, control));
        assertTrue(tenSteps.await(20, TimeUnit.SECONDS));
        control.requestStop();
        TrainingResult r = run.get(20, TimeUnit.SECONDS);
        assertTrue(r.steps() >= 10 && r.steps() < 1_000_000, "steps " + r.steps());
        assertEquals(StopReason.REQUESTED, r.stopReason());
        assertEquals(r.steps(), r.history().losses().length);
        assertSameWeights(small().steps(r.steps()).build().train(MODEL, SYLLABLES).model(), r.model());
    }

    @Test
    void aControlStoppedBeforeTheRun_takesNoStep_andWritesNoCheckpoint(@TempDir Path dir) {
        TrainingControl control = new TrainingControl();
        control.requestStop();
        assertTrue(control.isStopRequested());
        Path checkpoints = dir.resolve("ck");
        TrainingResult r = small().steps(50).checkpointOnStop(checkpoints).build().train(MODEL, SYLLABLES, control);
        assertEquals(0, r.steps());
        assertEquals(StopReason.REQUESTED, r.stopReason());
        assertEquals(MODEL.withVocabulary(SYLLABLES.vocabulary()).weights().keySet(), r.model().weights().keySet());
        assertFalse(Files.exists(checkpoints));
    }

    @Test
    void checkpointOnStop_writesACheckpointThatResumesToTheUninterruptedRun(@TempDir Path dir) throws IOException {
        Path checkpoints = dir.resolve("new").resolve("ck"); // created by the run
        TrainingControl control = new TrainingControl();
        TrainingResult stopped = small().steps(20).checkpointOnStop(checkpoints).listener(s -> {
            if (s.step() == 9) {
                control.requestStop();
            }
        }).build().train(MODEL, SYLLABLES, control);
        assertEquals(9, stopped.steps());
        Path checkpoint = checkpoints.resolve("checkpoint-000000009.charrnn");
        assertEquals(List.of(checkpoint), files(checkpoints));
        assertEquals(stopped.model(), ModelFiles.load(checkpoint).withTrainingInfo(stopped.model().trainingInfo().orElseThrow()));

        TrainingResult resumed = small().steps(20).build().resume(checkpoint, SYLLABLES);
        TrainingResult whole = small().steps(20).build().train(MODEL, SYLLABLES);
        assertEquals(whole.model(), resumed.model());
        assertEquals(StopReason.STEPS, resumed.stopReason());
    }

    @Test
    void checkpointOnStop_atAStepJustCheckpointed_writesItOnce(@TempDir Path dir) throws IOException {
        TrainingControl control = new TrainingControl();
        List<Long> written = new java.util.ArrayList<>();
        small().steps(50).checkpointEvery(5, dir).checkpointOnStop(dir).listener(new TrainingListener() {
            @Override
            public void onStep(StepSummary s) {
                if (s.step() == 10) {
                    control.requestStop();
                }
            }

            @Override
            public void onCheckpoint(long step, Path file) {
                written.add(step);
            }
        }).build().train(MODEL, SYLLABLES, control);
        assertEquals(List.of(5L, 10L), written);
        assertEquals(2, files(dir).size());
    }

    @Test
    void stopReasons_ofTheLimits() {
        assertEquals(StopReason.STEPS, small().steps(3).build().train(MODEL, SYLLABLES).stopReason());
        Corpus tiny = Corpus.of(Corpora.syllables(1_000, 5));
        assertEquals(StopReason.EPOCHS, small().epochs(1).build().train(MODEL, tiny).stopReason());
        assertEquals(StopReason.TIME_LIMIT, small().timeLimit(Duration.ofMillis(1)).epochs(1_000_000).build()
                .train(MODEL, SYLLABLES).stopReason());
    }

    @Test
    void checkpointOnStop_onAFile_isRefused(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("f"), "x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().checkpointOnStop(file));
        assertEquals("checkpointOnStop needs a directory, got the file " + file, e.getMessage());
    }

    private static void assertSameWeights(RnnModel expected, RnnModel actual) {
        assertEquals(expected.weights().keySet(), actual.weights().keySet());
        expected.weights().forEach((name, w) -> assertTrue(java.util.Arrays.equals(w, actual.weights().get(name)), name));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
