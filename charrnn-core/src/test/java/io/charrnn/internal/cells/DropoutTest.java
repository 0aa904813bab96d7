package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Dropout masks and the ND4J kernels' forward and backward passes through them. */
class DropoutTest {
    private static ParameterLayout layout(CellType cell, int vocabulary, int hidden, int layers, double dropout) {
        return new ParameterLayout(RnnModel.builder().cell(cell).hidden(hidden).layers(layers).initScale(0.7).seed(5)
                .dropout(dropout).build().config(), vocabulary);
    }

    @ParameterizedTest(name = "{0}, rate {1}")
    @CsvSource({"FLOAT, 0.1", "FLOAT, 0.25", "FLOAT, 0.5", "DOUBLE, 0.3", "FLOAT, 0.9"})
    void mask_dropsAboutRateOfTheEntries_andScalesTheRestByOneOverOneMinusRate(DataType type, double rate) {
        INDArray mask = Nd4j.create(type, 500, 257); // odd length: the last draw is half used
        DropoutMask.fill(mask, rate, 17);
        double[] values = mask.reshape(-1).toDoubleVector();
        double keep = type == DataType.FLOAT ? (float) (1 / (1 - rate)) : 1 / (1 - rate);
        int zeros = 0;
        double sum = 0;
        for (double v : values) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(keep, v, 0.0, "a kept entry");
            }
            sum += v;
        }
        int n = values.length;
        double sigma = Math.sqrt(rate * (1 - rate) / n);
        assertEquals(rate, zeros / (double) n, 5 * sigma, "fraction dropped");
        // inverted dropout keeps the expected value of each unit: the mean of the mask is 1
        assertEquals(1.0, sum / n, 5 * sigma / (1 - rate), "mean of the mask");
    }

    @Test
    void mask_isAFunctionOfTheSeed() {
        INDArray a = Nd4j.create(DataType.FLOAT, 64, 33);
        INDArray b = Nd4j.create(DataType.FLOAT, 64, 33);
        DropoutMask.fill(a, 0.5, 3);
        DropoutMask.fill(b, 0.5, 3);
        assertEquals(a, b);
        DropoutMask.fill(b, 0.5, 4);
        assertNotEquals(a, b);
        assertNotEquals(DropoutMask.mix(1, 0), DropoutMask.mix(1, 1));
        assertNotEquals(Kernels.dropoutSeed(1, 5), Kernels.dropoutSeed(2, 5));
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void kernel_drawsOneMaskPerLayer_equalForEqualSeeds(CellType cell) {
        ParameterLayout layout = layout(cell, 5, 8, 2, 0.5);
        try (NdKernel a = Kernels.nd(layout, 4, 3, DataType.FLOAT); NdKernel b = Kernels.nd(layout, 4, 3, DataType.FLOAT)) {
            NdKernelBase ka = (NdKernelBase) a;
            assertEquals(null, ka.dropoutMask(0));
            a.dropout(0.5, 9);
            b.dropout(0.5, 9);
            assertEquals(ka.dropoutMask(0), ((NdKernelBase) b).dropoutMask(0));
            assertEquals(ka.dropoutMask(1), ((NdKernelBase) b).dropoutMask(1));
            assertNotEquals(ka.dropoutMask(0), ka.dropoutMask(1));
            assertArrayEquals(new long[] {12, 8}, ka.dropoutMask(1).shape());
        }
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void dropout_changesTheTrainingLoss_andRateZeroGivesBackThePlainKernelBitForBit(CellType cell) {
        ParameterLayout layout = layout(cell, 6, 8, 2, 0.4);
        float[] params = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(2);
        int t = 5;
        int b = 3;
        int[] in = rng.ints(t * b, 0, 6).toArray();
        int[] out = rng.ints(t * b, 0, 6).toArray();
        float[] plainGrad = new float[params.length];
        float[] dropGrad = new float[params.length];
        float[] offGrad = new float[params.length];
        try (Kernel plain = Kernels.nd(layout, t, b, DataType.FLOAT); Kernel k = Kernels.nd(layout, t, b, DataType.FLOAT)) {
            double plainLoss = plain.trainStep(params, in, out, 1.0, plainGrad);
            k.dropout(0.4, 1);
            double dropLoss = k.trainStep(params, in, out, 1.0, dropGrad);
            assertNotEquals(plainLoss, dropLoss);
            assertFalse(java.util.Arrays.equals(plainGrad, dropGrad));
            k.resetState();
            k.dropout(0, 1);
            double offLoss = k.trainStep(params, in, out, 1.0, offGrad);
            assertEquals(plainLoss, offLoss, 0.0);
            assertArrayEquals(plainGrad, offGrad);
        }
    }

    /**
     * A two-layer vanilla tanh RNN written out in double precision: the layer above reads
     * {@code h¹ ⊙ m⁰} and the decoder reads {@code h² ⊙ m¹}, and the kernel's loss must match.
     */
    @Test
    void forward_readsEachLayersOutputsTimesItsMask() {
        int v = 5;
        int hidden = 6;
        int t = 4;
        int b = 2;
        ParameterLayout layout = layout(CellType.RNN, v, hidden, 2, 0.5);
        float[] p = layout.initialParameters();
        SplittableRandom rng = new SplittableRandom(8);
        int[] in = rng.ints(t * b, 0, v).toArray();
        int[] out = rng.ints(t * b, 0, v).toArray();
        NdKernel kernel = Kernels.nd(layout, t, b, DataType.DOUBLE);
        INDArray params = kernel.parameters();
        for (int i = 0; i < p.length; i++) {
            params.putScalar(i, p[i]);
        }
        kernel.dropout(0.5, 21);
        double loss = kernel.loss(in, out, false);
        double[][] m0 = ((NdKernelBase) kernel).dropoutMask(0).toDoubleMatrix();
        double[][] m1 = ((NdKernelBase) kernel).dropoutMask(1).toDoubleMatrix();

        double expected = 0;
        double[][] h1 = new double[b][hidden];
        double[][] h2 = new double[b][hidden];
        for (int s = 0; s < t; s++) {
            double[][] n1 = new double[b][hidden];
            double[][] n2 = new double[b][hidden];
            for (int r = 0; r < b; r++) {
                int row = s * b + r;
                for (int j = 0; j < hidden; j++) {
                    double a = at(p, layout.wx(0), in[row], j) + at(p, layout.bias(0), 0, j);
                    for (int k = 0; k < hidden; k++) {
                        a += h1[r][k] * at(p, layout.wh(0), k, j);
                    }
                    n1[r][j] = Math.tanh(a);
                }
                for (int j = 0; j < hidden; j++) {
                    double a = at(p, layout.bias(1), 0, j);
                    for (int k = 0; k < hidden; k++) {
                        a += n1[r][k] * m0[row][k] * at(p, layout.wx(1), k, j) + h2[r][k] * at(p, layout.wh(1), k, j);
                    }
                    n2[r][j] = Math.tanh(a);
                }
                double[] logits = new double[v];
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < v; c++) {
                    logits[c] = at(p, layout.outputBias(), 0, c);
                    for (int k = 0; k < hidden; k++) {
                        logits[c] += n2[r][k] * m1[row][k] * at(p, layout.outputWeights(), k, c);
                    }
                    max = Math.max(max, logits[c]);
                }
                double z = 0;
                for (double x : logits) {
                    z += Math.exp(x - max);
                }
                expected += Math.log(z) + max - logits[out[row]];
            }
            h1 = n1;
            h2 = n2;
        }
        assertEquals(expected, loss, 1e-9);
        kernel.dropout(0, 21);
        assertTrue(Math.abs(kernel.loss(in, out, false) - expected) > 1e-3, "the masks made a difference");
    }

    private static double at(float[] p, ParameterLayout.Tensor tensor, int row, int col) {
        return p[tensor.offset() + row * tensor.cols() + col];
    }

    @Test
    void forTraining_withDropout_picksAnNd4jKernelEvenForShapesTheJavaKernelWouldTake() {
        ParameterLayout plain = layout(CellType.RNN, 5, 8, 1, 0);
        ParameterLayout dropping = layout(CellType.RNN, 5, 8, 1, 0.2);
        try (Kernel a = Kernels.forTraining(plain, 4, 1); Kernel b = Kernels.forTraining(dropping, 4, 1);
             Kernel c = Kernels.create(dropping, 4, 1)) {
            assertInstanceOf(JavaRnnKernel.class, a);
            assertInstanceOf(NdRnnKernel.class, b);
            assertInstanceOf(JavaRnnKernel.class, c, "evaluation never drops, so it keeps the fast kernel");
        }
    }

    @Test
    void javaKernel_refusesDropout_andNd4jKernel_refusesARateOutsideZeroToOne() {
        ParameterLayout layout = layout(CellType.RNN, 5, 8, 1, 0);
        try (Kernel java = new JavaRnnKernel(layout, 2, 1); Kernel nd = Kernels.nd(layout, 2, 1, DataType.FLOAT)) {
            java.dropout(0, 1);
            assertThrows(UnsupportedOperationException.class, () -> java.dropout(0.5, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nd.dropout(1.0, 1));
            assertEquals("dropout must be in [0, 1), got 1.0", e.getMessage());
        }
    }
}
