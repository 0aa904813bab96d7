package io.charrnn.internal.cells;

import static io.charrnn.testing.Asserts.assertClose;
import static io.charrnn.testing.Asserts.maxAbs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The plain-Java kernel, the ND4J kernel and the sampling stepper compute the same losses and
 * gradients (float32, so within rounding), including the hidden state carried across windows.
 */
class KernelEquivalenceProperties {

    @Property(tries = 40, seed = "7")
    void javaAndNd4jKernelsAgreeOverCarriedWindows(
            @ForAll @IntRange(min = 2, max = 12) int vocabulary,
            @ForAll @IntRange(min = 1, max = 24) int hidden,
            @ForAll @IntRange(min = 1, max = 3) int layers,
            @ForAll @IntRange(min = 1, max = 9) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll Activation activation,
            @ForAll @IntRange(min = 0, max = 5) int embedding,
            @ForAll long seed) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().hidden(hidden).layers(layers)
                .embedding(embedding).activation(activation).initScale(0.7).seed(seed).build().config(), vocabulary);
        float[] params = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(seed);
        try (Kernel java = new JavaRnnKernel(layout, steps, batch);
             Kernel nd4j = new NdRnnKernel(layout, steps, batch, DataType.FLOAT)) {
            for (int window = 0; window < 3; window++) {
                int[] in = rng.ints(steps * batch, 0, vocabulary).toArray();
                int[] out = rng.ints(steps * batch, 0, vocabulary).toArray();
                float[] gj = new float[layout.size()];
                float[] gn = new float[layout.size()];
                double lj = java.trainStep(params, in, out, 0.5, gj);
                double ln = nd4j.trainStep(params, in, out, 0.5, gn);
                assertEquals(ln, lj, 1e-5 * ln, "loss of window " + window);
                assertClose(gn, gj, 1e-3, 1e-5 * Math.max(1, maxAbs(gn)), "gradient of window " + window);
            }
            int[] in = rng.ints(steps * batch, 0, vocabulary).toArray();
            int[] out = rng.ints(steps * batch, 0, vocabulary).toArray();
            double lj = java.loss(params, in, out);
            double ln = nd4j.loss(params, in, out);
            assertEquals(ln, lj, 1e-5 * ln, "forward-only loss after carried windows");
        }
    }

    @Property(tries = 30, seed = "11")
    void stepperScoresLikeTheKernels(
            @ForAll CellType cell,
            @ForAll @IntRange(min = 2, max = 10) int vocabulary,
            @ForAll @IntRange(min = 1, max = 20) int hidden,
            @ForAll @IntRange(min = 1, max = 3) int layers,
            @ForAll @IntRange(min = 2, max = 40) int length,
            @ForAll Activation activation,
            @ForAll @IntRange(min = 0, max = 4) int embedding,
            @ForAll long seed) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(hidden).layers(layers)
                .embedding(embedding).activation(activation).initScale(0.7).seed(seed).build().config(), vocabulary);
        float[] params = layout.initialParameters();
        int[] codes = new SplittableRandom(seed).ints(length, 0, vocabulary).toArray();

        RnnStepper stepper = new RnnStepper(new StepperWeights(layout, params));
        float[] logits = new float[vocabulary];
        double expected = 0;
        for (int i = 0; i + 1 < length; i++) {
            stepper.step(codes[i], logits);
            double max = Double.NEGATIVE_INFINITY;
            for (float v : logits) {
                max = Math.max(max, v);
            }
            double sum = 0;
            for (float v : logits) {
                sum += Math.exp(v - max);
            }
            expected += Math.log(sum) + max - logits[codes[i + 1]];
        }
        // windows of 7 with a shorter tail window: the state must carry across both
        double[] viaKernels = Kernels.sumLoss(layout, params, codes, 7, 1);
        assertEquals(length - 1, viaKernels[1]);
        assertEquals(expected, viaKernels[0], 1e-4 * Math.max(1, expected));
    }

    @Property(tries = 30, seed = "13")
    void gatedFloatKernelAgreesWithDoubleOverCarriedWindows(
            @ForAll CellType cell,
            @ForAll @IntRange(min = 2, max = 12) int vocabulary,
            @ForAll @IntRange(min = 1, max = 24) int hidden,
            @ForAll @IntRange(min = 1, max = 3) int layers,
            @ForAll @IntRange(min = 1, max = 9) int steps,
            @ForAll @IntRange(min = 1, max = 4) int batch,
            @ForAll @IntRange(min = 0, max = 5) int embedding,
            @ForAll boolean reset,
            @ForAll long seed) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(hidden).layers(layers)
                .embedding(embedding).initScale(0.7).seed(seed).build().config(), vocabulary);
        float[] params = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(seed);
        try (NdKernel single = Kernels.nd(layout, steps, batch, DataType.FLOAT);
             NdKernel dbl = Kernels.nd(layout, steps, batch, DataType.DOUBLE)) {
            single.resetBefore(reset ? 0 : -1);
            dbl.resetBefore(reset ? 0 : -1);
            for (int i = 0; i < params.length; i++) {
                dbl.parameters().putScalar(i, params[i]);
            }
            for (int window = 0; window < 3; window++) {
                int[] in = rng.ints(steps * batch, 0, vocabulary).toArray();
                int[] out = rng.ints(steps * batch, 0, vocabulary).toArray();
                float[] gf = new float[layout.size()];
                double lf = single.trainStep(params, in, out, 0.5, gf);
                double ld = dbl.lossAndGradient(in, out, 0.5, true);
                float[] gd = dbl.gradient().castTo(DataType.FLOAT).toFloatVector();
                assertEquals(ld, lf, 1e-5 * ld, "loss of window " + window);
                assertClose(gd, gf, 1e-3, 1e-5 * Math.max(1, maxAbs(gd)), "gradient of window " + window);
            }
            float[] sf = single.state();
            float[] sd = dbl.state();
            assertEquals(layout.stateSize(batch), sf.length);
            assertClose(sd, sf, 1e-4, 1e-5, "carried state");
        }
    }
}
