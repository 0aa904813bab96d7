package io.charrnn.testing;

import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;

/**
 * An independent reference of every cell's step, written straight from {@link CellType}'s
 * equations: one unit at a time, float64, exact {@code tanh} and σ, batch 1, no dropout. Nothing
 * in it is shared with the engine but the parameter layout, so it checks the engine's one
 * definition, {@code internal.cells.CellEquations} (through the float64 gradient through time,
 * {@code diagnostics.HiddenGradientsReferenceTest}), and the float32 paths built on its
 * specialisation (the sampling stepper and the training kernels,
 * {@code internal.cells.CellReferenceTest}). Backward steps are tested against finite differences
 * of forward ones ({@code CellEquationsTest}, the gradient checks). A new cell type is a new case
 * here first.
 */
public final class CellReference {
    private final ModelConfig config;
    private final CellType cell;
    private final int hidden;
    private final int layers;
    private final double[][] embedding; // [V][D] or null
    private final double[][][] wx; // [l][in][G·H]
    private final double[][][] wh; // [l][H][G·H]
    private final double[][] b; // [l][G·H]: b, or the GRU's bx
    private final double[][] bh; // [l][3H]: the GRU's bh
    private final double[][] wy; // [H][V]
    private final double[] by; // [V]
    private final double[][] h; // [l][H]
    private final double[][] c; // [l][H], LSTM
    private final double[][] gates; // [l][G·H]: the last step's activated gates, LSTM i f g o, GRU r z n

    /** @param parameters a model's flat parameters in the layout's order */
    public CellReference(ParameterLayout layout, float[] parameters) {
        config = layout.config();
        cell = config.cell();
        hidden = config.hidden();
        layers = config.layers();
        embedding = config.hasEmbedding() ? matrix(layout.embedding(), parameters) : null;
        wx = new double[layers][][];
        wh = new double[layers][][];
        b = new double[layers][];
        bh = new double[layers][];
        for (int l = 0; l < layers; l++) {
            wx[l] = matrix(layout.wx(l), parameters);
            wh[l] = matrix(layout.wh(l), parameters);
            b[l] = matrix(layout.bias(l), parameters)[0];
            bh[l] = cell == CellType.GRU ? matrix(layout.recurrentBias(l), parameters)[0] : null;
        }
        wy = matrix(layout.outputWeights(), parameters);
        by = matrix(layout.outputBias(), parameters)[0];
        h = new double[layers][hidden];
        c = new double[layers][hidden];
        gates = new double[layers][];
    }

    private static double[][] matrix(ParameterLayout.Tensor t, float[] p) {
        double[][] m = new double[t.rows()][t.cols()];
        for (int r = 0; r < t.rows(); r++) {
            for (int k = 0; k < t.cols(); k++) {
                m[r][k] = p[t.offset() + r * t.cols() + k];
            }
        }
        return m;
    }

    /** {@code x·M} for a row vector x. */
    private static double[] times(double[] x, double[][] m) {
        double[] y = new double[m[0].length];
        for (int r = 0; r < x.length; r++) {
            for (int k = 0; k < y.length; k++) {
                y[k] += x[r] * m[r][k];
            }
        }
        return y;
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * One step: reads a code, updates every layer's state, returns the logits.
     *
     * @return {@code y = h_top·Wy + by}
     */
    public double[] step(int code) {
        double[] in;
        if (embedding != null) {
            in = embedding[code];
        } else {
            in = new double[wx[0].length];
            in[code] = 1;
        }
        for (int l = 0; l < layers; l++) {
            double[] ax = times(in, wx[l]); // x·Wx
            double[] ah = times(h[l], wh[l]); // h_{t-1}·Wh
            double[] next = new double[hidden];
            double[] act = new double[cell == CellType.RNN ? hidden : cell == CellType.LSTM ? 4 * hidden : 3 * hidden];
            for (int j = 0; j < hidden; j++) {
                switch (cell) {
                    case RNN -> {
                        double a = ax[j] + ah[j] + b[l][j];
                        next[j] = config.activation() == Activation.TANH ? Math.tanh(a) : Math.max(a, 0);
                        act[j] = next[j];
                    }
                    case LSTM -> {
                        double i = sigmoid(ax[j] + ah[j] + b[l][j]);
                        double f = sigmoid(ax[hidden + j] + ah[hidden + j] + b[l][hidden + j]);
                        double g = Math.tanh(ax[2 * hidden + j] + ah[2 * hidden + j] + b[l][2 * hidden + j]);
                        double o = sigmoid(ax[3 * hidden + j] + ah[3 * hidden + j] + b[l][3 * hidden + j]);
                        act[j] = i;
                        act[hidden + j] = f;
                        act[2 * hidden + j] = g;
                        act[3 * hidden + j] = o;
                        c[l][j] = f * c[l][j] + i * g;
                        next[j] = o * Math.tanh(c[l][j]);
                    }
                    case GRU -> {
                        double r = sigmoid(ax[j] + b[l][j] + ah[j] + bh[l][j]);
                        double z = sigmoid(ax[hidden + j] + b[l][hidden + j] + ah[hidden + j] + bh[l][hidden + j]);
                        double n = Math.tanh(ax[2 * hidden + j] + b[l][2 * hidden + j]
                                + r * (ah[2 * hidden + j] + bh[l][2 * hidden + j]));
                        act[j] = r;
                        act[hidden + j] = z;
                        act[2 * hidden + j] = n;
                        next[j] = (1 - z) * n + z * h[l][j];
                    }
                    default -> throw new IllegalStateException("no reference for " + cell);
                }
            }
            h[l] = next;
            gates[l] = act;
            in = next;
        }
        double[] y = times(in, wy);
        for (int v = 0; v < y.length; v++) {
            y[v] += by[v];
        }
        return y;
    }

    /**
     * @param layer the layer
     * @return the activated gates of the last step in a layer, {@code [G·H]} in {@link CellType}'s
     *     order (LSTM {@code i f g o}, GRU {@code r z n}; the vanilla cell's new state)
     */
    public double[] gates(int layer) {
        return gates[layer].clone();
    }

    /** @return the hidden state of a layer */
    public double[] state(int layer) {
        return h[layer].clone();
    }

    /** @return {@code -ln softmax(y)[target]} */
    public static double crossEntropy(double[] y, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            max = Math.max(max, v);
        }
        double z = 0;
        for (double v : y) {
            z += Math.exp(v - max);
        }
        return max + Math.log(z) - y[target];
    }

    /**
     * From zero state: {@code Σ -ln softmax(y_t)[codes[t + 1]]} over every code but the last.
     *
     * @return the summed cross-entropy in nats
     */
    public static double sumLoss(ParameterLayout layout, float[] parameters, int[] codes) {
        CellReference r = new CellReference(layout, parameters);
        double sum = 0;
        for (int t = 0; t + 1 < codes.length; t++) {
            sum += crossEntropy(r.step(codes[t]), codes[t + 1]);
        }
        return sum;
    }
}
