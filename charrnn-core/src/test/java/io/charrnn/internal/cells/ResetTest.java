package io.charrnn.internal.cells;

import static io.charrnn.testing.Asserts.assertClose;
import static io.charrnn.testing.Asserts.maxAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A reset code makes a position start from zero state, in both kernels. */
class ResetTest {
    private static final ParameterLayout LAYOUT = new ParameterLayout(
            RnnModel.builder().hidden(12).layers(2).initScale(0.6).seed(4).build().config(), 5);

    @Test
    void lossWithAReset_equalsTheTwoHalvesScoredSeparately() {
        float[] params = LAYOUT.initialParameters();
        int[] codes = {1, 2, 3, 4, 0, 2, 3, 1, 4, 2}; // 0 is the separator, at position 4
        int[] in = java.util.Arrays.copyOf(codes, 9);
        int[] out = java.util.Arrays.copyOfRange(codes, 1, 10);
        for (Kernel k : new Kernel[] {new JavaRnnKernel(LAYOUT, 9, 1), new NdRnnKernel(LAYOUT, 9, 1, DataType.FLOAT)}) {
            k.resetBefore(0);
            double whole = k.loss(params, in, out);
            Kernel first = new JavaRnnKernel(LAYOUT, 4, 1);
            Kernel second = new JavaRnnKernel(LAYOUT, 5, 1);
            double halves = first.loss(params, new int[] {1, 2, 3, 4}, new int[] {2, 3, 4, 0})
                    + second.loss(params, new int[] {0, 2, 3, 1, 4}, new int[] {2, 3, 1, 4, 2});
            assertEquals(halves, whole, 1e-5 * halves, k.getClass().getSimpleName());
        }
    }

    @Test
    void kernelsAgreeWithResets_overCarriedWindows() {
        float[] params = LAYOUT.initialParameters();
        SplittableRandom rng = new SplittableRandom(8);
        try (Kernel java = new JavaRnnKernel(LAYOUT, 7, 3); Kernel nd4j = new NdRnnKernel(LAYOUT, 7, 3, DataType.FLOAT)) {
            java.resetBefore(0);
            nd4j.resetBefore(0);
            for (int w = 0; w < 3; w++) {
                int[] in = rng.ints(21, 0, 5).toArray();
                int[] out = rng.ints(21, 0, 5).toArray();
                float[] gj = new float[LAYOUT.size()];
                float[] gn = new float[LAYOUT.size()];
                double lj = java.trainStep(params, in, out, 1.0, gj);
                double ln = nd4j.trainStep(params, in, out, 1.0, gn);
                assertEquals(ln, lj, 1e-5 * ln);
                assertClose(gn, gj, 1e-3, 1e-5 * maxAbs(gn), "window " + w);
            }
        }
    }
}
