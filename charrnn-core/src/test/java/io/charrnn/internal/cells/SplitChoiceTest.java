package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link SplitChoice} against steps of known cost: it settles on the faster mode and probes rarely. */
class SplitChoiceTest {
    /** Runs {@code steps} steps costing {@code split} or {@code alone} ns; returns the steps run split. */
    private static int run(SplitChoice c, int steps, long split, long alone, int rows) {
        int splitSteps = 0;
        for (int i = 0; i < steps; i++) {
            boolean s = c.split();
            splitSteps += s ? 1 : 0;
            c.record(s ? split : alone, rows);
        }
        return splitSteps;
    }

    @Test
    void quietMachine_keepsSplitting_andProbesAloneUnderOnePercentOfSteps() {
        SplitChoice c = new SplitChoice();
        int steps = 5_000_000; // 50 s of 10 µs steps
        int split = run(c, steps, 10_000, 16_000, 1);
        assertTrue(c.preferred());
        assertTrue(steps - split < steps / 100, "steps alone: " + (steps - split));
    }

    @Test
    void busySecondCore_switchesToAlone_afterOneProbe_andStaysThere() {
        SplitChoice c = new SplitChoice();
        // the first probe runs alone after 200 ms split; alone is faster, so alone becomes the mode
        run(c, 10_000, 30_000, 16_000, 1);
        assertFalse(c.preferred());
        int steps = 5_000_000;
        int split = run(c, steps, 30_000, 16_000, 1);
        assertFalse(c.preferred());
        assertTrue(split < steps / 100, "steps split: " + split);
    }

    @Test
    void whenTheCoreFreesUp_splitsAgain_withinTheLongestInterval() {
        SplitChoice c = new SplitChoice();
        run(c, 200_000, 30_000, 16_000, 1);
        assertFalse(c.preferred());
        // the longest interval of 16 µs steps alone, the stretches and the settling steps
        long nanos = SplitChoice.MAX_INTERVAL_NANOS + 2 * SplitChoice.PROBE_NANOS;
        run(c, (int) (nanos / 10_000) + SplitChoice.SETTLE, 10_000, 16_000, 1);
        assertTrue(c.preferred());
    }

    @Test
    void aSmallDifference_withinTheMargin_changesNothing() {
        SplitChoice c = new SplitChoice();
        run(c, 100_000, 10_000, 9_700, 1);
        assertTrue(c.preferred());
    }

    @Test
    void stepsOfAnotherRowCount_areNotCompared() {
        SplitChoice c = new SplitChoice();
        // alone would win, but the rows change on every step: no measurement completes
        for (int i = 0; i < 100_000; i++) {
            boolean s = c.split();
            c.record(s ? 30_000 : 16_000, 1 + i % 2);
        }
        assertTrue(c.preferred());
        // with a steady row count it switches
        run(c, 20_000, 30_000, 16_000, 3);
        assertFalse(c.preferred());
        assertEquals(false, c.split());
    }
}
