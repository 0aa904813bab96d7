package io.charrnn.examples.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.LearningRateSchedule;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark training in local mode ({@code local[2,2]}: two cores, a failed task tried twice), one
 * context for the class, against the single-machine {@link Trainer} with the same global batch.
 *
 * <p><b>The tolerance.</b> A step's gradient entry is a float32 sum of {@code n = T·B = 8·8 = 64}
 * terms; on one machine one kernel sums them, on Spark two shards each sum 32 and the driver adds
 * the two. Each order is a correctly rounded float32 sum, so the two differ by at most
 * {@code γ_n = n·u} (u = 2⁻²⁴ ≈ 6.0e-8) of the sum of the terms' magnitudes: 3.8e-6 relative.
 * With plain SGD (no moments to amplify a near-zero entry) at rate η, that difference moves a
 * weight by at most {@code η·γ_n·|g|}, and over S steps the differences add (at most linearly while
 * the run is far from chaos, which the loss check confirms): {@code |Δw| ≤ S·η·γ_n·max|g|}. With
 * η = 0.5, S = 24 and gradient entries bounded by the clip value 1, that is
 * 24 · 0.5 · 3.8e-6 · 1 = 4.6e-5, taken as {@link #WEIGHT_TOLERANCE}. A step's loss (mean over
 * its 64 characters) moves by at most its gradient times the weight change summed over the weights
 * it reads; {@link #LOSS_TOLERANCE} = 1e-4 nats bounds it. Measured (this class, local[2]): the
 * largest weight difference 6.0e-8 (one float32 ulp near 1) and the largest loss difference 1.8e-8
 * nats, both far inside.
 */
class SparkTrainingTest {
    static final double WEIGHT_TOLERANCE = 4.6e-5;
    static final double LOSS_TOLERANCE = 1e-4;
    private static final int STEPS = 24;

    private static JavaSparkContext sc;

    @TempDir
    static Path dir;

    private static Path text;

    @BeforeAll
    static void start() throws IOException {
        SparkConf conf = new SparkConf().setMaster("local[2,2]").setAppName("SparkTrainingTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
        sc.setLogLevel("ERROR");
        text = dir.resolve("text.txt");
        Files.writeString(text, generated(6_000, 1), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** Words from a small alphabet with a few multi-byte characters, so byte and code positions differ. */
    static String generated(int words, long seed) {
        String[] vocabulary = {"the", "cat", "sat", "on", "mat", "naïve", "café", "—", "über", "and", "dog", "ran"};
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words; i++) {
            sb.append(vocabulary[rng.nextInt(vocabulary.length)]).append(rng.nextInt(9) == 0 ? ".\n" : " ");
        }
        return sb.toString();
    }

    static RnnModel model() {
        return RnnModel.builder().cell(CellType.LSTM).hidden(24).seed(5).build();
    }

    static Trainer.Builder trainer(List<Double> losses) {
        return Trainer.builder().optimizer(Optimizer.sgd(0.5)).sequenceLength(8).batchSize(8).steps(STEPS).seed(3)
                .gradientClipValue(1).listener(s -> losses.add(s.loss()));
    }

    static Corpus corpus() throws IOException {
        return Corpus.open(text).withSplit(0.1, 0);
    }

    static SparkTraining spark(Trainer trainer) {
        return SparkTraining.builder(sc, trainer).partitions(2).blockBytes(4096).build();
    }

    static void assertClose(TrainingResult expected, List<Double> expectedLosses, TrainingResult actual,
                            List<Double> actualLosses) {
        assertEquals(expectedLosses.size(), actualLosses.size());
        for (int i = 0; i < expectedLosses.size(); i++) {
            assertEquals(expectedLosses.get(i), actualLosses.get(i), LOSS_TOLERANCE, "loss of step " + (i + 1));
        }
        assertEquals(expected.steps(), actual.steps());
        Map<String, float[]> a = expected.model().weights();
        Map<String, float[]> b = actual.model().weights();
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String name : a.keySet()) {
            for (int i = 0; i < a.get(name).length; i++) {
                worst = Math.max(worst, Math.abs(a.get(name)[i] - b.get(name)[i]));
            }
        }
        assertTrue(worst <= WEIGHT_TOLERANCE, "largest weight difference " + worst + " > " + WEIGHT_TOLERANCE);
    }

    @Test
    void synchronousTrainingEqualsOneMachine() throws IOException {
        List<Double> one = new ArrayList<>();
        TrainingResult expected = trainer(one).build().train(model(), corpus());
        List<Double> two = new ArrayList<>();
        TrainingResult actual = spark(trainer(two).build()).train(model(), text.toString());
        assertClose(expected, one, actual, two);
        assertTrue(two.get(STEPS - 1) < two.get(0), "the loss should fall: " + two);
        assertEquals(expected.model().vocabulary(), actual.model().vocabulary());
    }

    @Test
    void aTaskThatFailsOnceIsRetriedAndGivesTheSameResult() throws IOException {
        List<Double> clean = new ArrayList<>();
        TrainingResult expected = spark(trainer(clean).build()).train(model(), text.toString());
        List<Double> retried = new ArrayList<>();
        TrainingResult actual = SparkTraining.builder(sc, trainer(retried).build()).partitions(2).blockBytes(4096)
                .failFirstAttemptAt(5).build().train(model(), text.toString());
        assertEquals(clean, retried);
        assertEquals(expected.model(), actual.model()); // two partitions: the sum's order is fixed, bit-equal
    }

    @Test
    void aSparkCheckpointResumesOnOneMachineAndBack() throws IOException {
        Path sparkDir = Files.createDirectories(dir.resolve("spark-ckpt"));
        List<Double> whole = new ArrayList<>();
        TrainingResult uninterrupted = trainer(whole).build().train(model(), corpus());

        List<Double> first = new ArrayList<>();
        spark(trainer(first).steps(STEPS / 2).checkpointEvery(STEPS / 2, sparkDir).build()).train(model(),
                text.toString());
        Path fromSpark = sparkDir.resolve(String.format("checkpoint-%09d.charrnn", STEPS / 2));
        List<Double> rest = new ArrayList<>(first);
        TrainingResult resumedHere = trainer(rest).build().resume(fromSpark, corpus());
        assertClose(uninterrupted, whole, resumedHere, rest);

        Path localDir = Files.createDirectories(dir.resolve("local-ckpt"));
        List<Double> firstHere = new ArrayList<>();
        trainer(firstHere).steps(STEPS / 2).checkpointEvery(STEPS / 2, localDir).build().train(model(), corpus());
        List<Double> restOnSpark = new ArrayList<>(firstHere);
        TrainingResult resumedOnSpark = spark(trainer(restOnSpark).build())
                .resume(localDir.resolve(String.format("checkpoint-%09d.charrnn", STEPS / 2)), text.toString());
        assertClose(uninterrupted, whole, resumedOnSpark, restOnSpark);
    }

    @Test
    void aBudgetScheduleRunsTheSameRatesOnSparkAsOnOneMachine() throws IOException {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.1, 0.1);
        List<Double> oneRates = new ArrayList<>();
        List<Double> one = new ArrayList<>();
        TrainingResult expected = trainer(one).schedule(cosine).listener(s -> oneRates.add(s.learningRate())).build()
                .train(model(), corpus());
        assertEquals(0.05, oneRates.get(0), 1e-15); // a tenth of the rate at p = 0
        assertTrue(oneRates.get(STEPS - 1) < 0.06 && oneRates.get(STEPS - 1) > 0.05, oneRates.toString());

        List<Double> syncRates = new ArrayList<>();
        List<Double> sync = new ArrayList<>();
        TrainingResult synchronous = spark(trainer(sync).schedule(cosine).listener(s -> syncRates.add(s.learningRate()))
                .build()).train(model(), text.toString());
        assertEquals(oneRates, syncRates);
        assertClose(expected, one, synchronous, sync);

        List<Double> averagedRates = new ArrayList<>();
        List<Double> single = new ArrayList<>();
        TrainingResult averaged = SparkTraining.builder(sc, trainer(single).schedule(cosine)
                        .listener(s -> averagedRates.add(s.learningRate())).build()).partitions(1).blockBytes(4096)
                .averageEvery(5).build().train(model(), text.toString());
        assertEquals(oneRates, averagedRates);
        assertEquals(expected.model(), averaged.model()); // the local steps used the plans' rates
    }

    @Test
    void badInputGetsAClearError() throws IOException {
        Trainer t = trainer(new ArrayList<>()).build();
        String missing = dir.resolve("no-such-file.txt").toString();
        IOException e = assertThrows(IOException.class, () -> spark(t).train(model(), missing));
        assertTrue(e.getMessage().contains(missing) && e.getMessage().contains("does not exist"), e.getMessage());

        IllegalArgumentException partitions = assertThrows(IllegalArgumentException.class,
                () -> SparkTraining.builder(sc, t).partitions(9));
        assertEquals("partitions must be in [1, batchSize = 8], got 9", partitions.getMessage());

        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        IllegalArgumentException emptyText = assertThrows(IllegalArgumentException.class,
                () -> spark(t).train(model(), empty.toString()));
        assertTrue(emptyText.getMessage().contains("is empty"), emptyText.getMessage());

        Path checkpoints = Files.createDirectories(dir.resolve("mismatch"));
        trainer(new ArrayList<>()).steps(2).checkpointEvery(2, checkpoints).build().train(model(), corpus());
        Path other = Files.writeString(dir.resolve("other.txt"), generated(6_000, 2).toUpperCase(),
                StandardCharsets.UTF_8);
        IllegalArgumentException vocabulary = assertThrows(IllegalArgumentException.class,
                () -> spark(t).resume(checkpoints.resolve("checkpoint-000000002.charrnn"), other.toString()));
        assertTrue(vocabulary.getMessage().contains("vocabulary"), vocabulary.getMessage());
    }

    @Test
    void periodicAveragingOnOnePartitionIsOneMachineAndOnTwoLearns() throws IOException {
        List<Double> one = new ArrayList<>();
        TrainingResult expected = trainer(one).build().train(model(), corpus());
        List<Double> single = new ArrayList<>();
        TrainingResult averaged = SparkTraining.builder(sc, trainer(single).build()).partitions(1).blockBytes(4096)
                .averageEvery(5).build().train(model(), text.toString());
        // one shard's local steps are the single machine's steps: same kernel shape, same update order
        assertEquals(one, single);
        assertEquals(expected.model().trainingInfo(), averaged.model().trainingInfo());
        expected.model().weights().forEach((k, v) -> assertArrayEquals(v, averaged.model().weights().get(k), k));
        assertEquals(expected.model(), averaged.model());

        List<Double> two = new ArrayList<>();
        TrainingResult local = SparkTraining.builder(sc, trainer(two).build()).partitions(2).blockBytes(4096)
                .averageEvery(4).build().train(model(), text.toString());
        assertEquals(STEPS, local.steps());
        assertEquals(STEPS, two.size());
        double firstRound = (two.get(0) + two.get(1) + two.get(2) + two.get(3)) / 4;
        double lastRound = (two.get(STEPS - 4) + two.get(STEPS - 3) + two.get(STEPS - 2) + two.get(STEPS - 1)) / 4;
        assertTrue(lastRound < firstRound - 0.1, "averaged local steps should learn: " + two);
    }
}
