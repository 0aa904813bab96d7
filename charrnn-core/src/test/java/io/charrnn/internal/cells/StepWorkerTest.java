package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StepWorkerTest {
    @Test
    void everyJob_runsEachPartExactlyOnce_andIsDoneOnReturn() {
        StepWorker w = StepWorker.shared();
        assertTrue(w.tryAcquire());
        try {
            int[] counts = new int[2];
            for (int i = 0; i < 20_000; i++) {
                int expected = i + 1;
                w.run(part -> counts[part]++);
                // whichever thread ran part 1, its write is visible here
                assertEquals(expected, counts[0]);
                assertEquals(expected, counts[1]);
            }
        } finally {
            w.release();
        }
    }

    @Test
    void aFailingPart_isReported_andTheHelperKeepsWorking() {
        StepWorker w = StepWorker.shared();
        assertTrue(w.tryAcquire());
        try {
            RuntimeException e = assertThrows(RuntimeException.class, () -> w.run(part -> {
                if (part == 1) {
                    throw new ArithmeticException("boom");
                }
            }));
            Throwable cause = e instanceof ArithmeticException ? e : e.getCause();
            assertEquals("boom", cause.getMessage());
            int[] counts = new int[2];
            w.run(part -> counts[part]++);
            assertEquals(1, counts[0]);
            assertEquals(1, counts[1]);
        } finally {
            w.release();
        }
    }
}
