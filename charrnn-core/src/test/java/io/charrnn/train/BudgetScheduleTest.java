package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.testing.Zips;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget schedules in a run: the fraction of the budget each step sees, the refusal without a
 * budget, and exact resumes. With {@code linear(0, 0)} the rate is {@code base · (1 − p)}, so each
 * step's {@link StepSummary#learningRate()} shows the fraction {@code p} it was given. The time
 * budget runs on a clock that each step advances by one second.
 */
class BudgetScheduleTest {
    private static final Corpus TEXT = Corpus.of(Corpora.syllables(3_000, 5));
    private static final double BASE = 0.01;
    private static final long SECOND = 1_000_000_000L;

    private static final RnnModel MODEL = RnnModel.builder().hidden(8).seed(3).build();

    private static Trainer.Builder trainer(LearningRateSchedule schedule, List<StepSummary> steps) {
        return Trainer.builder().optimizer(Optimizer.adam(BASE)).schedule(schedule).sequenceLength(16).batchSize(4)
                .seed(11).listener(steps::add);
    }

    /** A clock that each step moves on by a second: the listener runs once per step. */
    private static Trainer.Builder timed(Trainer.Builder b, long[] now) {
        return b.clock(() -> now[0]).listener(s -> now[0] += SECOND);
    }

    private static double fraction(StepSummary s) {
        return 1 - s.learningRate() / BASE;
    }

    @Test
    void stepsBudget_stepKSeesTheFractionOfStepsDoneBeforeIt() {
        List<StepSummary> steps = new ArrayList<>();
        trainer(LearningRateSchedule.linear(0, 0), steps).steps(10).build().train(MODEL, TEXT);
        assertEquals(10, steps.size());
        for (StepSummary s : steps) {
            assertEquals((s.step() - 1) / 10.0, fraction(s), 1e-12, s.toString());
        }
    }

    @Test
    void epochsBudget_countsWindowsOverEpochsTimesWindowsPerEpoch() {
        List<StepSummary> steps = new ArrayList<>();
        TrainingResult r = trainer(LearningRateSchedule.linear(0, 0), steps).epochs(2).build().train(MODEL, TEXT);
        long windows = steps.stream().filter(s -> s.epoch() == 1).findFirst().orElseThrow().step(); // per epoch
        assertEquals(2 * windows, r.steps());
        for (StepSummary s : steps) {
            assertEquals((s.step() - 1) / (2.0 * windows), fraction(s), 1e-12, s.toString());
        }
    }

    @Test
    void timeBudget_countsTheTrainingTimeBeforeTheStep() {
        List<StepSummary> steps = new ArrayList<>();
        long[] now = {5 * SECOND};
        TrainingResult r = timed(trainer(LearningRateSchedule.linear(0, 0), steps), now)
                .timeLimit(Duration.ofSeconds(8)).build().train(MODEL, TEXT);
        assertEquals(8, r.steps());
        assertEquals(StopReason.TIME_LIMIT, r.stopReason());
        for (StepSummary s : steps) {
            assertEquals((s.step() - 1) / 8.0, fraction(s), 1e-12, s.toString());
        }
    }

    @Test
    void severalBudgets_theScheduleFollowsTheOneMostUsed() {
        List<StepSummary> byTime = new ArrayList<>();
        long[] now = {0};
        timed(trainer(LearningRateSchedule.linear(0, 0), byTime), now).steps(100).timeLimit(Duration.ofSeconds(4))
                .build().train(MODEL, TEXT);
        assertEquals(4, byTime.size());
        byTime.forEach(s -> assertEquals((s.step() - 1) / 4.0, fraction(s), 1e-12, s.toString()));

        List<StepSummary> bySteps = new ArrayList<>();
        trainer(LearningRateSchedule.linear(0, 0), bySteps).steps(10).epochs(5).build().train(MODEL, TEXT);
        bySteps.forEach(s -> assertEquals((s.step() - 1) / 10.0, fraction(s), 1e-12, s.toString()));
    }

    @Test
    void budgetSchedule_withoutAStepEpochOrTimeLimit_isRefusedWhenBuilt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().schedule(LearningRateSchedule.cosine(0.02, 0)).patience(3).build());
        assertEquals("the Cosine[warmup=0.02, floor=0.0] schedule decays the rate over the training budget, so it "
                + "needs steps, epochs or timeLimit; got none of them", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Trainer.builder().schedule(LearningRateSchedule.linear(0.1, 0.5)).build());
        // the old schedules keep the implicit one epoch
        assertEquals(1, Trainer.builder().schedule(LearningRateSchedule.stepDecay(0.5, 1)).build().epochs);
    }

    @Test
    void cosine_inTheTrainerDescription() {
        Trainer t = Trainer.builder().schedule(LearningRateSchedule.cosine(0.05, 0.1)).steps(3).build();
        assertTrue(t.toString().contains("schedule=Cosine[warmup=0.05, floor=0.1]"), t.toString());
        TrainingResult r = t.train(MODEL, TEXT);
        assertTrue(r.model().trainingInfo().orElseThrow().trainer().contains("schedule=Cosine[warmup=0.05, floor=0.1]"));
    }

    @Test
    void stepsBudget_resumedAfterAStop_givesTheUninterruptedWeightsBitForBit(@TempDir Path dir) throws IOException {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0.05);
        List<StepSummary> whole = new ArrayList<>();
        TrainingResult uninterrupted = trainer(cosine, whole).steps(40).validateEvery(10).build().train(MODEL, TEXT);

        TrainingControl control = new TrainingControl();
        List<StepSummary> first = new ArrayList<>();
        TrainingResult stopped = trainer(cosine, first).steps(40).validateEvery(10).checkpointOnStop(dir)
                .listener(s -> {
                    if (s.step() == 23) {
                        control.requestStop();
                    }
                }).build().train(MODEL, TEXT, control);
        assertEquals(StopReason.REQUESTED, stopped.stopReason());
        List<StepSummary> rest = new ArrayList<>();
        TrainingResult resumed = trainer(cosine, rest).steps(40).validateEvery(10).build()
                .resume(dir.resolve("checkpoint-000000023.charrnn"), TEXT);

        assertEquals(uninterrupted.model(), resumed.model());
        assertArrayEquals(uninterrupted.history().losses(), resumed.history().losses());
        List<Double> rates = new ArrayList<>();
        first.forEach(s -> rates.add(s.learningRate()));
        rest.forEach(s -> rates.add(s.learningRate()));
        assertEquals(whole.stream().map(StepSummary::learningRate).toList(), rates);
    }

    @Test
    void timeBudget_resumed_continuesFromTheCheckpointsTrainingTime(@TempDir Path dir) throws IOException {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.2, 0);
        List<StepSummary> whole = new ArrayList<>();
        TrainingResult uninterrupted = timed(trainer(cosine, whole), new long[] {0}).timeLimit(Duration.ofSeconds(8))
                .build().train(MODEL, TEXT);
        assertEquals(8, uninterrupted.steps());

        timed(trainer(cosine, new ArrayList<>()), new long[] {0}).timeLimit(Duration.ofSeconds(8))
                .checkpointEvery(3, dir).keepCheckpoints(5).build().train(MODEL, TEXT);
        // another process, another clock: only the 3 s recorded in the checkpoint carry over
        List<StepSummary> rest = new ArrayList<>();
        long[] later = {1_000 * SECOND};
        TrainingResult resumed = timed(trainer(cosine, rest), later).timeLimit(Duration.ofSeconds(8)).build()
                .resume(dir.resolve("checkpoint-000000003.charrnn"), TEXT);

        assertEquals(8, resumed.steps());
        assertEquals(StopReason.TIME_LIMIT, resumed.stopReason());
        assertEquals(whole.subList(3, 8).stream().map(StepSummary::learningRate).toList(),
                rest.stream().map(StepSummary::learningRate).toList());
        assertEquals(uninterrupted.model(), resumed.model());
    }

    @Test
    void checkpointWithoutTrainingTime_loads_andCountsItsTimeAsZero(@TempDir Path dir) throws IOException {
        LearningRateSchedule linear = LearningRateSchedule.linear(0, 0);
        timed(trainer(linear, new ArrayList<>()), new long[] {0}).timeLimit(Duration.ofSeconds(8))
                .checkpointEvery(3, dir).build().train(MODEL, TEXT);
        Path written = dir.resolve("checkpoint-000000003.charrnn");
        assertEquals(3 * SECOND, Checkpoints.read(written).progress().trainingNanos());

        Path old = withoutTrainingTime(written, dir.resolve("old.charrnn"));
        assertEquals(0, Checkpoints.read(old).progress().trainingNanos());
        List<StepSummary> rest = new ArrayList<>();
        TrainingResult resumed = timed(trainer(linear, rest), new long[] {0}).timeLimit(Duration.ofSeconds(8)).build()
                .resume(old, TEXT);
        assertEquals(3 + 8, resumed.steps()); // the whole limit again, counted from this call
        assertEquals(BASE, rest.get(0).learningRate()); // the schedule starts over: p = 0
        for (int i = 0; i < rest.size(); i++) {
            assertEquals(i / 8.0, fraction(rest.get(i)), 1e-12, rest.get(i).toString());
        }
    }

    /** A copy of a checkpoint as written before {@code trainingNanos} was recorded. */
    private static Path withoutTrainingTime(Path checkpoint, Path out) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        JsonObject trainer = JsonParser.parseString(new String(entries.get(Checkpoints.TRAINER),
                StandardCharsets.UTF_8)).getAsJsonObject();
        assertTrue(trainer.remove("trainingNanos") != null, trainer.toString());
        entries.put(Checkpoints.TRAINER, trainer.toString().getBytes(StandardCharsets.UTF_8));
        return Zips.write(out, entries, name -> true);
    }
}
