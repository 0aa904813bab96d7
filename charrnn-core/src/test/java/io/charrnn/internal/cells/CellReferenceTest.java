package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.CellReference;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The engine's specialisations of each cell's forward step against the one reference definition
 * ({@link CellReference}): the sampling stepper's logits at every step, and the summed loss of the
 * training kernels (the kernel {@link Kernels#create} picks, and ND4J's in float and in double).
 */
class CellReferenceTest {
    private static final int VOCABULARY = 7;
    private static final int STEPS = 9;

    private static ParameterLayout layout(CellType cell, Activation activation, int layers, int embedding) {
        return new ParameterLayout(RnnModel.builder().cell(cell).activation(activation).hidden(6).layers(layers)
                .embedding(embedding).initScale(0.8).seed(layers * 10L + embedding).build().config(), VOCABULARY);
    }

    /** Initial weights with every bias moved too, so that each gate's bias counts. */
    private static float[] parameters(ParameterLayout layout, long seed) {
        float[] p = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) rng.nextDouble(-0.3, 0.3);
        }
        return p;
    }

    @ParameterizedTest(name = "{0} {1} layers={2} embedding={3}")
    @CsvSource({"RNN, TANH, 2, 0", "RNN, RELU, 2, 3", "LSTM, TANH, 2, 0", "LSTM, TANH, 1, 3", "GRU, TANH, 2, 0",
        "GRU, TANH, 2, 3"})
    void stepperLogits_andKernelLosses_matchTheReference(CellType cell, Activation activation, int layers,
                                                         int embedding) {
        ParameterLayout layout = layout(cell, activation, layers, embedding);
        float[] p = parameters(layout, layers * 31L + embedding);
        int[] codes = new SplittableRandom(embedding + 5L).ints(STEPS + 1, 0, VOCABULARY).toArray();

        CellReference reference = new CellReference(layout, p);
        RnnStepper stepper = new RnnStepper(new StepperWeights(layout, p));
        float[] logits = new float[VOCABULARY];
        for (int t = 0; t < STEPS; t++) {
            double[] expected = reference.step(codes[t]);
            stepper.step(codes[t], logits);
            for (int v = 0; v < VOCABULARY; v++) {
                assertEquals(expected[v], logits[v], 2e-5 * Math.max(1, Math.abs(expected[v])),
                        "stepper logit " + v + " at step " + t);
            }
        }

        double loss = CellReference.sumLoss(layout, p, codes);
        int[] inputs = Arrays.copyOf(codes, STEPS);
        int[] targets = Arrays.copyOfRange(codes, 1, STEPS + 1);
        NdKernel exact = Kernels.nd(layout, STEPS, 1, DataType.DOUBLE);
        for (int i = 0; i < p.length; i++) {
            exact.parameters().putScalar(i, p[i]);
        }
        assertEquals(loss, exact.loss(inputs, targets, false), 1e-9 * loss, "ND4J kernel, double");
        assertEquals(loss, Kernels.nd(layout, STEPS, 1, DataType.FLOAT).loss(p, inputs, targets), 2e-5 * loss,
                "ND4J kernel, float");
        assertEquals(loss, Kernels.create(layout, STEPS, 1).loss(p, inputs, targets), 2e-5 * loss,
                "the kernel training picks");
    }
}
