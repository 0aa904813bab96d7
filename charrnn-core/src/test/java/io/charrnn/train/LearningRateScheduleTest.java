package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void constant_isTheBaseRate() {
        assertEquals(0.1, LearningRateSchedule.constant().rate(0.1, 37, 0));
    }

    @Test
    void stepDecay_multipliesEveryNEpochs() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(0.5, 3);
        assertEquals(1.0, s.rate(1.0, 0, 0));
        assertEquals(1.0, s.rate(1.0, 2, 0));
        assertEquals(0.5, s.rate(1.0, 3, 0));
        assertEquals(0.25, s.rate(1.0, 7, 0));
    }

    @Test
    void exponentialDecay_startsAtTheGivenEpoch_likeCharRnn() {
        LearningRateSchedule s = LearningRateSchedule.exponentialDecay(0.97, 10);
        assertEquals(2e-3, s.rate(2e-3, 8, 0));
        assertEquals(2e-3 * 0.97, s.rate(2e-3, 10, 0), 1e-15);
        assertEquals(2e-3 * Math.pow(0.97, 5), s.rate(2e-3, 14, 0), 1e-15);
    }

    @Test
    void factories_rejectOutOfRangeValues() {
        assertEquals("factor must be in (0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(1.5, 2)).getMessage());
        assertEquals("everyEpochs must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(0.5, 0)).getMessage());
        assertEquals("startEpoch must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.exponentialDecay(0.9, 0))
                        .getMessage());
    }

    @Test
    void oldSchedules_ignoreTheBudgetFraction() {
        assertEquals(0.1, LearningRateSchedule.constant().rate(0.1, 3, 0.7));
        assertEquals(0.5, LearningRateSchedule.stepDecay(0.5, 3).rate(1.0, 3, 0.9));
        assertEquals(2e-3 * 0.97, LearningRateSchedule.exponentialDecay(0.97, 10).rate(2e-3, 10, 0.2), 1e-15);
    }

    @Test
    void budgetSchedules_rampFromATenthOverTheWarmup_thenDecayToTheFloor() {
        // w = 0.1, f = 0.2, base 2: by hand from the formula in LearningRateSchedule's javadoc
        for (LearningRateSchedule s : new LearningRateSchedule[] {LearningRateSchedule.cosine(0.1, 0.2),
                LearningRateSchedule.linear(0.1, 0.2)}) {
            assertEquals(2 * 0.1, s.rate(2, 0, 0.0), 1e-15, s.toString());        // p = 0: a tenth
            assertEquals(2 * 0.55, s.rate(2, 0, 0.05), 1e-15, s.toString());      // p = w/2: 0.1 + 0.9/2
            assertEquals(2 * 1.0, s.rate(2, 0, 0.1), 1e-15, s.toString());        // p = w: the full rate
            assertEquals(2 * 0.6, s.rate(2, 0, 0.55), 1e-15, s.toString());       // q = 1/2: f + (1 − f)/2
            assertEquals(2 * 0.2, s.rate(2, 0, 1.0), 1e-15, s.toString());        // p = 1: the floor
            assertEquals(s.rate(2, 0, 0.3), s.rate(2, 99, 0.3), s.toString());    // epochs play no part
        }
        // q = 1/4: cosine ½(1 + cos(π/4)) = 0.853553390593, linear 0.75
        assertEquals(2 * (0.2 + 0.8 * 0.853553390593), LearningRateSchedule.cosine(0.1, 0.2).rate(2, 0, 0.325),
                1e-11);
        assertEquals(2 * 0.8, LearningRateSchedule.linear(0.1, 0.2).rate(2, 0, 0.325), 1e-15);
    }

    @Test
    void budgetSchedules_withTheDefaults_halveAtTheMiddleOfTheDecay_andEndAtZero() {
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.02, 0);
        LearningRateSchedule linear = LearningRateSchedule.linear(0.02, 0);
        assertEquals(1e-3, cosine.rate(2e-3, 0, 0.51), 1e-15); // q = 0.49 / 0.98 = 1/2
        assertEquals(1e-3, linear.rate(2e-3, 0, 0.51), 1e-15);
        assertEquals(2e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.8)), cosine.rate(2e-3, 0, 0.02 + 0.98 * 0.8), 1e-15);
        assertEquals(2e-3 * 0.2, linear.rate(2e-3, 0, 0.02 + 0.98 * 0.8), 1e-15);
        assertEquals(0.0, cosine.rate(2e-3, 0, 1.0), 1e-18);
        assertEquals(0.0, linear.rate(2e-3, 0, 1.0));
        // no warm-up: the full rate from the first step
        assertEquals(2e-3, LearningRateSchedule.cosine(0, 0).rate(2e-3, 0, 0.0));
    }

    @Test
    void budgetSchedules_rejectOutOfRangeValues() {
        assertEquals("warmup must be in [0, 1), got 1.0",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(1, 0)).getMessage());
        assertEquals("warmup must be in [0, 1), got -0.1",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linear(-0.1, 0)).getMessage());
        assertEquals("floor must be in [0, 1], got 1.5",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 1.5)).getMessage());
        assertEquals("floor must be in [0, 1], got NaN",
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.linear(0.1, Double.NaN))
                        .getMessage());
    }
}
