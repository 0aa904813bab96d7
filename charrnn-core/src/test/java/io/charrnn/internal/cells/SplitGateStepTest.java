package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The gated kernels' FLOAT steps split by rows across two threads ({@link NdGatedKernel#splitSteps})
 * give exactly what one thread gives: the same losses, gradients and carried state, bit for bit,
 * with resets and dropout, over carried windows.
 */
class SplitGateStepTest {
    @ParameterizedTest(name = "{0}, B = {1}, dropout {2}, reset {3}")
    @CsvSource({"LSTM, 4, 0, false", "LSTM, 5, 0.3, true", "GRU, 4, 0.3, false", "GRU, 7, 0, true", "LSTM, 2, 0, true"})
    void splitSteps_equalOneThread_bitForBit(CellType cell, int batch, double dropout, boolean reset) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(24).layers(2).initScale(0.8)
                .seed(6).dropout(dropout).build().config(), 7);
        float[] params = layout.initialParameters();
        int steps = 6;
        SplittableRandom rng = new SplittableRandom(batch * 31L + cell.ordinal());
        try (NdGatedKernel serial = (NdGatedKernel) Kernels.nd(layout, steps, batch, DataType.FLOAT);
             NdGatedKernel split = (NdGatedKernel) Kernels.nd(layout, steps, batch, DataType.FLOAT)) {
            serial.splitSteps(false);
            split.splitSteps(true);
            assertFalse(serial.splitsSteps());
            assertTrue(split.splitsSteps());
            if (reset) {
                serial.resetBefore(0);
                split.resetBefore(0);
            }
            for (int w = 0; w < 3; w++) {
                int[] in = rng.ints(steps * batch, 0, 7).toArray();
                int[] out = rng.ints(steps * batch, 0, 7).toArray();
                if (dropout > 0) {
                    serial.dropout(dropout, w);
                    split.dropout(dropout, w);
                }
                float[] gs = new float[params.length];
                float[] gp = new float[params.length];
                double ls = serial.trainStep(params, in, out, 1.0, gs);
                double lp = split.trainStep(params, in, out, 1.0, gp);
                assertEquals(ls, lp, 0.0, "loss, window " + w);
                assertArrayEquals(gs, gp, "gradient, window " + w);
                assertArrayEquals(serial.state(), split.state(), "carried state, window " + w);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"LSTM", "GRU"})
    void largeFloatSteps_split_smallAndDoubleOnesDoNot(CellType cell) {
        ParameterLayout big = new ParameterLayout(RnnModel.builder().cell(cell).hidden(512).build().config(), 5);
        ParameterLayout small = new ParameterLayout(RnnModel.builder().cell(cell).hidden(32).build().config(), 5);
        boolean twoCores = RnnStepper.splitThreads() == 2;
        try (NdGatedKernel bigFloat = (NdGatedKernel) Kernels.nd(big, 2, 64, DataType.FLOAT);
             NdGatedKernel oneRow = (NdGatedKernel) Kernels.nd(big, 2, 1, DataType.FLOAT);
             NdGatedKernel smallFloat = (NdGatedKernel) Kernels.nd(small, 2, 64, DataType.FLOAT);
             NdGatedKernel bigDouble = (NdGatedKernel) Kernels.nd(big, 2, 64, DataType.DOUBLE)) {
            assertEquals(twoCores, bigFloat.splitsSteps());
            assertFalse(oneRow.splitsSteps());
            assertFalse(smallFloat.splitsSteps());
            assertFalse(bigDouble.splitsSteps());
            bigDouble.splitSteps(true);
            assertFalse(bigDouble.splitsSteps(), "the DOUBLE path never splits");
        }
    }
}
