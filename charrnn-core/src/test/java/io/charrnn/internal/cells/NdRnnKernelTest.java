package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.Activation;
import io.charrnn.model.RnnModel;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class NdRnnKernelTest {
    private static ParameterLayout layout(int vocabulary, int hidden, int layers, int embedding) {
        return new ParameterLayout(RnnModel.builder().hidden(hidden).layers(layers).embedding(embedding)
                .activation(Activation.TANH).initScale(0.7).seed(5).build().config(), vocabulary);
    }

    private static void load(NdRnnKernel kernel, float[] params) {
        INDArray p = kernel.parameters();
        for (int i = 0; i < params.length; i++) {
            p.putScalar(i, params[i]);
        }
    }

    @Test
    void loss_withAllLogitsEqual_isTimesBatchTimesLogV() {
        int v = 7;
        int t = 5;
        int b = 3;
        ParameterLayout layout = layout(v, 6, 2, 0);
        float[] params = layout.initialParameters();
        ParameterLayout.Tensor wy = layout.outputWeights();
        Arrays.fill(params, wy.offset(), wy.offset() + wy.size() + layout.outputBias().size(), 0f);
        NdRnnKernel kernel = new NdRnnKernel(layout, t, b, DataType.DOUBLE);
        load(kernel, params);
        SplittableRandom rng = new SplittableRandom(1);
        double loss = kernel.lossAndGradient(rng.ints(t * b, 0, v).toArray(), rng.ints(t * b, 0, v).toArray(), 1, true);
        assertEquals(t * b * Math.log(v), loss, 1e-12);
    }

    @Test
    void gradientOfLogits_isSoftmaxMinusOneHot() {
        int v = 6;
        ParameterLayout layout = layout(v, 4, 1, 0);
        float[] params = layout.initialParameters();
        // output bias gradient of one position (T = B = 1) is exactly dL/dlogits
        NdRnnKernel kernel = new NdRnnKernel(layout, 1, 1, DataType.DOUBLE);
        load(kernel, params);
        int input = 2;
        int target = 4;
        kernel.lossAndGradient(new int[] {input}, new int[] {target}, 1, false);
        float[] logits = new float[v];
        new RnnStepper(new StepperWeights(layout, params)).step(input, logits);
        double[] p = io.charrnn.sample.Probabilities.softmax(logits, 1.0);
        int by = layout.outputBias().offset();
        for (int j = 0; j < v; j++) {
            double expected = p[j] - (j == target ? 1 : 0);
            assertEquals(expected, kernel.gradient().getDouble(by + j), 1e-6, "dL/dlogit " + j);
        }
    }

    @Test
    void embeddingRowsOfAbsentCharacters_getExactlyZeroGradient_inBothKernels() {
        int v = 8;
        ParameterLayout layout = layout(v, 5, 2, 3);
        float[] params = layout.initialParameters();
        int[] in = {0, 3, 3, 5, 0, 3};
        int[] out = {1, 2, 7, 7, 6, 4};
        float[] gn = new float[layout.size()];
        float[] gj = new float[layout.size()];
        try (Kernel nd4j = new NdRnnKernel(layout, 3, 2, DataType.FLOAT);
             Kernel java = new JavaRnnKernel(layout, 3, 2)) {
            nd4j.trainStep(params, in, out, 1, gn);
            java.trainStep(params, in, out, 1, gj);
        }
        ParameterLayout.Tensor e = layout.embedding();
        for (float[] g : new float[][] {gn, gj}) {
            for (int code = 0; code < v; code++) {
                boolean present = code == 0 || code == 3 || code == 5;
                double norm = 0;
                for (int k = 0; k < e.cols(); k++) {
                    norm += Math.abs(g[e.offset() + code * e.cols() + k]);
                }
                if (present) {
                    assertTrue(norm > 0, "row " + code + " is used and must get a gradient");
                } else {
                    assertEquals(0.0, norm, "row " + code + " is absent and must get exactly zero");
                }
            }
        }
    }

    @Test
    void oneHotInputRows_ofAbsentCharacters_getExactlyZeroGradient() {
        int v = 6;
        ParameterLayout layout = layout(v, 4, 1, 0);
        float[] g = new float[layout.size()];
        try (Kernel nd4j = new NdRnnKernel(layout, 2, 2, DataType.FLOAT)) {
            nd4j.trainStep(layout.initialParameters(), new int[] {1, 1, 4, 1}, new int[] {0, 2, 3, 5}, 1, g);
        }
        ParameterLayout.Tensor wx = layout.wx(0);
        for (int code = 0; code < v; code++) {
            double norm = 0;
            for (int k = 0; k < wx.cols(); k++) {
                norm += Math.abs(g[wx.offset() + code * wx.cols() + k]);
            }
            assertEquals(code == 1 || code == 4, norm > 0, "row " + code);
        }
    }
}
