package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.impl.layers.recurrent.config.LSTMActivations;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The LSTM kernel's forward pass against libnd4j's fused {@code lstmLayer} op (gate order i, f, g,
 * o; σ gates, tanh cell and output), layer by layer, in float64, from random initial h and c.
 */
class LstmOracleTest {

    @ParameterizedTest(name = "V={0} H={1} layers={2} T={3} B={4} embedding={5}")
    @CsvSource({"5, 4, 1, 6, 3, 0", "7, 6, 2, 5, 2, 3", "3, 1, 3, 4, 1, 0", "8, 5, 2, 3, 3, 0"})
    void forward_matchesLstmLayer(int vocab, int hidden, int layers, int steps, int batch, int embedding) {
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(CellType.LSTM).hidden(hidden)
                .layers(layers).embedding(embedding).initScale(0.9).seed(vocab * 31L + hidden).build().config(), vocab);
        SplittableRandom rng = new SplittableRandom(hidden * 7L + layers);
        NdGatedKernel kernel = new NdGatedKernel(layout, steps, batch, DataType.DOUBLE);
        float[] init = layout.initialParameters();
        for (int i = 0; i < init.length; i++) {
            // biases random too, so every gate's bias is exercised
            kernel.parameters().putScalar(i, init[i] + rng.nextDouble(-0.3, 0.3));
        }
        double[][] h0 = new double[layers][batch * hidden];
        double[][] c0 = new double[layers][batch * hidden];
        for (int l = 0; l < layers; l++) {
            for (int i = 0; i < batch * hidden; i++) {
                h0[l][i] = rng.nextDouble(-0.8, 0.8);
                c0[l][i] = rng.nextDouble(-1.5, 1.5);
            }
            kernel.setState(l, h0[l]);
            kernel.setCellState(l, c0[l]);
        }
        int[] inputs = rng.ints(steps * batch, 0, vocab).toArray();
        int[] targets = rng.ints(steps * batch, 0, vocab).toArray();
        kernel.loss(inputs, targets, true);

        // layer 0's input rows: one-hot or embedded, time-major [T·B, in]
        INDArray params = kernel.parameters();
        INDArray x;
        if (embedding == 0) {
            x = Nd4j.zeros(DataType.DOUBLE, (long) steps * batch, vocab);
            for (int r = 0; r < inputs.length; r++) {
                x.putScalar(r, inputs[r], 1.0);
            }
        } else {
            INDArray table = tensor(params, layout.embedding());
            x = Nd4j.create(DataType.DOUBLE, (long) steps * batch, embedding);
            for (int r = 0; r < inputs.length; r++) {
                x.putRow(r, table.getRow(inputs[r]));
            }
        }
        for (int l = 0; l < layers; l++) {
            INDArray[] out = lstmLayer(x.reshape(steps, batch, x.columns()), tensor(params, layout.wx(l)),
                    tensor(params, layout.wh(l)), tensor(params, layout.bias(l)).reshape(-1),
                    Nd4j.create(h0[l], new long[] {batch, hidden}, DataType.DOUBLE),
                    Nd4j.create(c0[l], new long[] {batch, hidden}, DataType.DOUBLE));
            INDArray expected = out[0].reshape((long) steps * batch, hidden);
            INDArray actual = kernel.hiddenOutputs(l);
            assertEquals(0, expected.sub(actual).amaxNumber().doubleValue(), 1e-10, "h of layer " + l);
            double[] expectedC = out[2].reshape(-1).toDoubleVector();
            double[] actualC = kernel.cellState(l);
            for (int i = 0; i < expectedC.length; i++) {
                assertEquals(expectedC[i], actualC[i], 1e-10, "last c of layer " + l + " at " + i);
            }
            x = expected;
        }
    }

    private static INDArray tensor(INDArray flat, ParameterLayout.Tensor t) {
        return flat.get(NDArrayIndex.interval(t.offset(), t.offset() + t.size())).dup().reshape(t.rows(), t.cols());
    }

    /**
     * libnd4j's {@code lstmLayer}: inputs x, Wx, Wr, b, h0, c0; iArgs dataFormat (0 = TNS),
     * direction (0 = forward), gate / cell / output activations (2 = sigmoid, 0 = tanh, as
     * {@link LSTMActivations} ordinals); tArg cell clip (0 = none); bArgs hasBiases, hasSeqLen,
     * hasInitH, hasInitC, hasPH, retFullSeq, retLastH, retLastC.
     *
     * @return {full h [T, B, H], last h [B, H], last c [B, H]}
     */
    private static INDArray[] lstmLayer(INDArray x, INDArray wx, INDArray wr, INDArray b, INDArray h0, INDArray c0) {
        long steps = x.size(0);
        long batch = x.size(1);
        long hidden = wr.size(0);
        INDArray h = Nd4j.create(DataType.DOUBLE, steps, batch, hidden);
        INDArray hLast = Nd4j.create(DataType.DOUBLE, batch, hidden);
        INDArray cLast = Nd4j.create(DataType.DOUBLE, batch, hidden);
        Nd4j.exec(DynamicCustomOp.builder("lstmLayer")
                .addInputs(x, wx, wr, b, h0, c0)
                .addOutputs(h, hLast, cLast)
                .addIntegerArguments(0, 0, LSTMActivations.SIGMOID.ordinal(), LSTMActivations.TANH.ordinal(),
                        LSTMActivations.TANH.ordinal())
                .addFloatingPointArguments(0.0)
                .addBooleanArguments(true, false, true, true, false, true, true, true)
                .build());
        return new INDArray[] {h, hLast, cLast};
    }
}
