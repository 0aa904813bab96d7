package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepSummaryTest {
    @Test
    void epochProgress_growsByOneWindowPerStep_andRestartsWithEachEpoch() {
        Corpus corpus = Corpus.of(Corpora.syllables(1_000, 3));
        List<StepSummary> steps = new ArrayList<>();
        Trainer.builder().sequenceLength(10).batchSize(3).steps(70).listener(steps::add).build()
                .train(RnnModel.builder().hidden(8).build(), corpus);

        assertEquals(70, steps.size());
        double passesPerStep = (steps.get(0).epoch() + steps.get(0).epochProgress()) / steps.get(0).step();
        assertTrue(passesPerStep > 0 && passesPerStep < 1, "passes per step " + passesPerStep);
        int epochsEnded = 0;
        for (int i = 0; i < steps.size(); i++) {
            StepSummary s = steps.get(i);
            assertTrue(s.epochProgress() >= 0 && s.epochProgress() < 1, s.toString());
            assertEquals(s.step() * passesPerStep, s.epoch() + s.epochProgress(), 1e-9, s.toString());
            if (i > 0 && s.epoch() > steps.get(i - 1).epoch()) {
                assertEquals(0.0, s.epochProgress(), s.toString());
                epochsEnded++;
            }
        }
        assertTrue(epochsEnded >= 2, "epochs ended: " + epochsEnded);
    }
}
