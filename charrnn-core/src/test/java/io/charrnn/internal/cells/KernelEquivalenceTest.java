package io.charrnn.internal.cells;

import static io.charrnn.testing.Asserts.assertClose;
import static io.charrnn.testing.Asserts.maxAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/** The two kernels at benchmark-like sizes (the properties cover small random ones). */
class KernelEquivalenceTest {

    @ParameterizedTest(name = "V={0} H={1} layers={2} T={3} B={4} embedding={5}")
    @CsvSource({"65, 100, 1, 25, 1, 0", "65, 100, 2, 25, 3, 0", "90, 64, 2, 17, 2, 16"})
    void kernelsAgreeAtRealisticSizes(int v, int h, int layers, int t, int b, int embedding) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().hidden(h).layers(layers).embedding(embedding)
                .seed(3).build().config(), v);
        float[] params = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(17);
        try (Kernel java = new JavaRnnKernel(layout, t, b);
             Kernel nd4j = new NdRnnKernel(layout, t, b, DataType.FLOAT)) {
            for (int window = 0; window < 4; window++) {
                int[] in = rng.ints(t * b, 0, v).toArray();
                int[] out = rng.ints(t * b, 0, v).toArray();
                float[] gj = new float[layout.size()];
                float[] gn = new float[layout.size()];
                double lj = java.trainStep(params, in, out, 1.0 / (t * b), gj);
                double ln = nd4j.trainStep(params, in, out, 1.0 / (t * b), gn);
                assertEquals(ln, lj, 1e-5 * ln, "loss of window " + window);
                assertClose(gn, gj, 1e-3, 1e-5 * maxAbs(gn), "gradient of window " + window);
            }
        }
    }
}
