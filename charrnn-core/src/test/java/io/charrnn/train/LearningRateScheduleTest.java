package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void constant_isTheBaseRate() {
        assertEquals(0.1, LearningRateSchedule.constant().rate(0.1, 37));
    }

    @Test
    void stepDecay_multipliesEveryNEpochs() {
        LearningRateSchedule s = LearningRateSchedule.stepDecay(0.5, 3);
        assertEquals(1.0, s.rate(1.0, 0));
        assertEquals(1.0, s.rate(1.0, 2));
        assertEquals(0.5, s.rate(1.0, 3));
        assertEquals(0.25, s.rate(1.0, 7));
    }

    @Test
    void exponentialDecay_startsAtTheGivenEpoch_likeCharRnn() {
        LearningRateSchedule s = LearningRateSchedule.exponentialDecay(0.97, 10);
        assertEquals(2e-3, s.rate(2e-3, 8));
        assertEquals(2e-3 * 0.97, s.rate(2e-3, 10), 1e-15);
        assertEquals(2e-3 * Math.pow(0.97, 5), s.rate(2e-3, 14), 1e-15);
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
}
