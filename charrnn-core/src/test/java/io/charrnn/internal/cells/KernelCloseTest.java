package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Closing an ND4J kernel (gated or vanilla) frees its off-heap buffers at once (not when the collector finds
 * them), refuses any later step, and leaves other kernels of the same shape computing what they did.
 */
class KernelCloseTest {
    private static final int T = 6;
    private static final int B = 3;

    private static ParameterLayout layout(CellType cell) {
        return new ParameterLayout(RnnModel.builder().cell(cell).hidden(10).layers(2).embedding(4).dropout(0.25)
                .initScale(0.5).seed(11).build().config(), 7);
    }

    private static double step(NdKernelBase k, float[] params, float[] gradient) {
        SplittableRandom rng = new SplittableRandom(5);
        k.resetBefore(0);
        k.dropout(0.25, 9);
        int[] in = rng.ints(T * B, 0, 7).toArray();
        int[] out = rng.ints(T * B, 0, 7).toArray();
        return k.trainStep(params, in, out, 1.0, gradient);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void close_freesEveryWholeBuffer_andRefusesLaterSteps(CellType cell) {
        ParameterLayout layout = layout(cell);
        float[] params = layout.initialParameters();
        NdGatedKernel k = new NdGatedKernel(layout, T, B, DataType.FLOAT);
        float[] before = new float[layout.size()];
        double loss = step(k, params, before);

        k.close();

        INDArray[] whole = {k.params, k.grads, k.probs, k.logits, k.ones, k.embedded, k.dEmbedded, k.rec};
        for (int i = 0; i < whole.length; i++) {
            assertTrue(whole[i].wasClosed(), "array " + i);
        }
        for (int l = 0; l < layout.config().layers(); l++) {
            assertTrue(k.zx[l].wasClosed(), "zx " + l);
            assertTrue(k.hs[l].wasClosed(), "hs " + l);
            assertTrue(k.hPrev[l].wasClosed(), "hPrev " + l);
            assertTrue(k.delta[l].wasClosed(), "delta " + l);
            assertTrue(k.dropoutMask(l).wasClosed(), "mask " + l);
            assertEquals(cell == CellType.GRU, k.zh[l] != null && k.zh[l].wasClosed(), "zh " + l);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> step(k, params, new float[layout.size()]));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, k::state);
        k.close(); // a second close does nothing

        try (NdGatedKernel fresh = new NdGatedKernel(layout, T, B, DataType.FLOAT)) {
            float[] after = new float[layout.size()];
            assertEquals(loss, step(fresh, params, after));
            assertArrayEquals(before, after);
        }
    }

    @Test
    void closingAVanillaKernel_freesItsBuffersAndTheBase() {
        ParameterLayout layout = layout(CellType.RNN);
        float[] params = layout.initialParameters();
        NdRnnKernel k = new NdRnnKernel(layout, T, B, DataType.FLOAT);
        float[] before = new float[layout.size()];
        double loss = step(k, params, before);

        k.close();

        INDArray[] whole = {k.params, k.grads, k.probs, k.logits, k.ones, k.embedded, k.dEmbedded};
        for (int i = 0; i < whole.length; i++) {
            assertTrue(whole[i].wasClosed(), "array " + i);
        }
        assertTrue(k.deriv == null || k.deriv.wasClosed(), "deriv");
        for (int l = 0; l < layout.config().layers(); l++) {
            assertTrue(k.hs[l].wasClosed(), "hs " + l);
            assertTrue(k.hPrev[l].wasClosed(), "hPrev " + l);
            assertTrue(k.delta[l].wasClosed(), "delta " + l);
            assertTrue(k.dropoutMask(l).wasClosed(), "mask " + l);
        }
        assertThrows(IllegalStateException.class, () -> step(k, params, new float[layout.size()]));
        k.close();

        try (NdRnnKernel fresh = new NdRnnKernel(layout, T, B, DataType.FLOAT)) {
            float[] after = new float[layout.size()];
            assertEquals(loss, step(fresh, params, after));
            assertArrayEquals(before, after);
        }
    }
}
