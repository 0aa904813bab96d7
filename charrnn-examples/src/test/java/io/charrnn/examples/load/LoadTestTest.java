package io.charrnn.examples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** A short run of the load checks: 16 threads for a second, 500 training steps. */
class LoadTestTest {
    private static Corpus corpus() {
        SplittableRandom rng = new SplittableRandom(3);
        String[] words = {"the ", "cat ", "sat ", "on ", "a ", "mat", ".\n"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 20_000) {
            sb.append(words[rng.nextInt(words.length)]);
        }
        return Corpus.of(sb);
    }

    @Test
    void sixteenThreadsSampling_giveNoErrorsAndIdenticalOutputsForIdenticalSeeds() throws Exception {
        RnnModel model = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).steps(30)
                .build().train(RnnModel.builder().hidden(16).seed(1).build(), corpus()).model();
        LoadTest.SamplingReport r = LoadTest.sampling(model, 16, Duration.ofMillis(200), Duration.ofSeconds(1), 50, 8);
        assertEquals(0, r.errors(), r.toString());
        assertEquals(0, r.mismatches(), r.toString());
        assertTrue(r.samples() >= 16, r.toString());
        assertTrue(Math.abs(r.characters() - r.samples() * 50) <= 16 * 50, r.toString()); // counters read while running
        assertTrue(r.end().heapUsed() < r.start().heapUsed() + (32 << 20), r.toString());
        assertTrue(r.toString().contains("0 errors"), r.toString());
    }

    @Test
    void longTraining_repeatsIdentically() {
        Trainer.Builder trainer = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4)
                .seed(5);
        LoadTest.TrainingReport r = LoadTest.training(RnnModel.builder().hidden(16).seed(2).build(), corpus(), trainer,
                500, 100, 200);
        assertEquals(500, r.steps());
        assertTrue(r.repeatIdentical(), r.toString());
        assertTrue(Double.isFinite(r.finalLoss()));
        assertTrue(r.end().heapUsed() < r.atWarmup().heapUsed() + (32 << 20), r.toString());
    }
}
