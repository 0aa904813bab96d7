package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A step split across two threads ({@link StepWorker}) gives exactly what one thread gives. */
class SplitStepTest {
    private static StepperWeights weights(CellType cell, int hidden, int layers, int embedding, Activation act,
                                              int vocab, long seed) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(hidden).layers(layers)
                .embedding(embedding).activation(act).initScale(0.9).seed(seed).build().config(), vocab);
        return new StepperWeights(layout, layout.initialParameters());
    }

    /** Steps both steppers through the same random codes and asserts equal logits and states. */
    private static void assertSameSteps(StepperWeights w, int rows, int steps, long seed, String what) {
        RnnStepper serial = new RnnStepper(w, rows, false);
        RnnStepper split = new RnnStepper(w, rows, true);
        assertFalse(serial.splits());
        assertTrue(split.splits());
        int v = w.vocabularySize();
        float[][] a = new float[rows][v];
        float[][] b = new float[rows][v];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int t = 0; t < steps; t++) {
            int[] codes = rng.ints(rows, 0, v).toArray();
            boolean withLogits = t % 5 != 3; // also steps that only move the state
            serial.step(codes, withLogits ? a : null, rows);
            split.step(codes, withLogits ? b : null, rows);
            for (int r = 0; r < rows && withLogits; r++) {
                assertArrayEquals(a[r], b[r], what + " step " + t + " row " + r);
            }
        }
        for (int l = 0; l < 2; l++) {
            if (l < w.layers()) {
                assertArrayEquals(serial.state(l), split.state(l), what + " state " + l);
            }
        }
    }

    @Test
    void splitSteps_equalSingleThreadSteps_forEveryCell() {
        for (CellType cell : CellType.values()) {
            for (int hidden : new int[] {2, 7, 37, 80}) {
                for (int embedding : new int[] {0, 5}) {
                    Activation act = hidden == 37 && cell == CellType.RNN ? Activation.RELU : Activation.TANH;
                    StepperWeights w = weights(cell, hidden, 2, embedding, act, 11, hidden * 31L + embedding);
                    for (int rows : new int[] {1, 3}) {
                        assertSameSteps(w, rows, 25, hidden + rows, cell + " H=" + hidden + " D=" + embedding
                                + " rows=" + rows);
                    }
                }
            }
        }
    }

    @Test
    void stepsThatSwitchBetweenSplitAndAlone_equalSingleThreadSteps() {
        StepperWeights w = weights(CellType.LSTM, 40, 2, 0, Activation.TANH, 9, 3);
        for (int rows : new int[] {1, 2}) {
            RnnStepper serial = new RnnStepper(w, rows, false);
            SplitChoice choice = new SplitChoice();
            RnnStepper timed = new RnnStepper(w, rows, choice);
            int v = w.vocabularySize();
            float[][] a = new float[rows][v];
            float[][] b = new float[rows][v];
            SplittableRandom rng = new SplittableRandom(rows);
            int alone = 0;
            int split = 0;
            // past the first probe, so that both modes run whichever is faster here
            for (int t = 0; split < 200 || alone < 200; t++) {
                int[] codes = rng.ints(rows, 0, v).toArray();
                boolean s = choice.split();
                serial.step(codes, a, rows);
                timed.step(codes, b, rows);
                split += s ? 1 : 0;
                alone += s ? 0 : 1;
                for (int r = 0; r < rows; r++) {
                    assertArrayEquals(a[r], b[r], "rows " + rows + " step " + t + " row " + r);
                }
            }
        }
    }

    @Test
    void largeModels_split_smallOnesDoNot() {
        StepperWeights big = weights(CellType.RNN, 512, 1, 0, Activation.TANH, 5, 1);
        StepperWeights small = weights(CellType.RNN, 100, 1, 0, Activation.TANH, 5, 1);
        boolean twoCores = RnnStepper.splitThreads() == 2;
        assertEquals(twoCores, new RnnStepper(big).splits());
        assertFalse(new RnnStepper(small).splits());
    }

    @Test
    void productsAlone_readEveryWeightRowOnce_andAreTimed() {
        // 2-layer LSTM, H = 8, V = 5: layer 0 reads [Wh | Wx of layer 1], 8 × (32 + 32) floats, and
        // layer 1 reads [Wh | Wy], 8 × (32 + 5); the input rows are a gather, not a product
        StepperWeights w = weights(CellType.LSTM, 8, 2, 0, Activation.TANH, 5, 3);
        assertEquals(4L * (8 * 64 + 8 * 37), RnnStepper.productBytesPerChar(w));
        StepperWeights big = weights(CellType.RNN, 512, 1, 0, Activation.TANH, 5, 1); // split across threads
        for (StepperWeights m : new StepperWeights[] {w, big}) {
            double nanos = RnnStepper.productNanosPerChar(m, 20);
            assertTrue(nanos > 0 && Double.isFinite(nanos), "ns per char " + nanos);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RnnStepper.productNanosPerChar(w, 0));
        assertEquals("chars must be >= 1, got 0", e.getMessage());
    }

    @Test
    void concurrentSplitSteppers_shareTheHelper_andStayExact() throws Exception {
        // two threads step at once: one holds the helper, the other runs on its own thread
        StepperWeights w = weights(CellType.LSTM, 96, 2, 0, Activation.TANH, 9, 7);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            Callable<Void> job = () -> {
                assertSameSteps(w, 1, 200, 5, "concurrent");
                return null;
            };
            Future<?>[] fs = {pool.submit(job), pool.submit(job), pool.submit(job)};
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
