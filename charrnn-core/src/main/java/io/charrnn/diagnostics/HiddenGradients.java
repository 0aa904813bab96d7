package io.charrnn.diagnostics;

import io.charrnn.internal.cells.CellEquations;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;

/**
 * How strongly one prediction depends on each earlier hidden state: for inputs {@code x_0..x_{T-1}}
 * and the loss {@code L = -ln p(target | x_0..x_{T-1})} of the last step's prediction, the norm of
 * {@code ∂L/∂h_t} in every layer for every {@code t} (and of {@code ∂L/∂c_t} for the LSTM), the
 * "vanishing gradient" curve. {@code ∂L/∂h_t} is the total derivative through the next step and the
 * layer above with every other state held fixed; for the LSTM that means {@code c_t} is held, as
 * backpropagation through time does.
 *
 * <p>A plain-Java float64 forward and backward through time, one sequence, batch 1, zero initial
 * state; each cell's step, forward and backward, is {@link CellEquations}' (exact {@code tanh} and
 * sigmoid), the products are the loops here. O(T·L·G·H·(H + in)) time, O(T·L·G·H) memory. Not
 * thread-safe (one instance per call).
 */
final class HiddenGradients {
    /** The curve: {@code hidden[l][t]}, {@code cell[l][t]} (LSTM only, else null) and the loss in nats. */
    public record Result(double loss, double[][] hidden, double[][] cell) {
    }

    private final CellType cell;
    private final boolean tanh;
    private final int layers;
    private final int h;
    private final int g; // G·H
    private final double[][] embedding; // [V][D] or null
    private final double[][][] wx; // [l][in][G·H]
    private final double[][][] wh; // [l][H][G·H]
    private final double[][] bias; // [l][G·H]
    private final double[][] biasH; // GRU: [l][3H]
    private final double[][] wy; // [H][V]
    private final double[] by; // [V]

    // forward records, [t][l][...]
    private double[][][] hs; // h_t
    private double[][][] cs; // LSTM c_t
    private double[][][] tcs; // LSTM tanh(c_t)
    private double[][][] gates; // activated gates: RNN {h}, LSTM {i f g o}, GRU {r z n}
    private double[][][] recurrent; // GRU: h_{t-1}·Wh + bh

    public HiddenGradients(ParameterLayout layout, float[] parameters) {
        this.cell = layout.cell();
        this.tanh = layout.config().activation() == Activation.TANH;
        this.layers = layout.config().layers();
        this.h = layout.config().hidden();
        this.g = ParameterLayout.gates(cell) * h;
        this.embedding = layout.config().hasEmbedding() ? matrix(layout.embedding(), parameters) : null;
        this.wx = new double[layers][][];
        this.wh = new double[layers][][];
        this.bias = new double[layers][];
        this.biasH = cell == CellType.GRU ? new double[layers][] : null;
        for (int l = 0; l < layers; l++) {
            wx[l] = matrix(layout.wx(l), parameters);
            wh[l] = matrix(layout.wh(l), parameters);
            bias[l] = matrix(layout.bias(l), parameters)[0];
            if (biasH != null) {
                biasH[l] = matrix(layout.recurrentBias(l), parameters)[0];
            }
        }
        this.wy = matrix(layout.outputWeights(), parameters);
        this.by = matrix(layout.outputBias(), parameters)[0];
    }

    private static double[][] matrix(ParameterLayout.Tensor t, float[] p) {
        double[][] m = new double[t.rows()][t.cols()];
        for (int r = 0; r < t.rows(); r++) {
            for (int c = 0; c < t.cols(); c++) {
                m[r][c] = p[t.offset() + r * t.cols() + c];
            }
        }
        return m;
    }

    /**
     * @param codes the T input indices
     * @param target the index the last step predicts
     * @return the loss and the gradient norms
     */
    public Result compute(int[] codes, int target) {
        double[] logits = forward(codes, -1, -1, -1, 0);
        int steps = codes.length;
        double[] dy = softmax(logits);
        double loss = -Math.log(dy[target]);
        dy[target] -= 1;
        double[][] hidden = new double[layers][steps];
        double[][] cellNorms = cell == CellType.LSTM ? new double[layers][steps] : null;
        double[][] dhNext = new double[layers][h]; // ∂L/∂h_t through step t+1
        double[][] dcNext = new double[layers][h]; // LSTM: ∂L/∂c_t through step t+1
        for (int t = steps - 1; t >= 0; t--) {
            double[] fromAbove = null;
            for (int l = layers - 1; l >= 0; l--) {
                double[] dh = dhNext[l].clone();
                if (l == layers - 1 && t == steps - 1) {
                    for (int k = 0; k < h; k++) {
                        dh[k] += dot(wy[k], dy);
                    }
                }
                if (fromAbove != null) {
                    for (int k = 0; k < h; k++) {
                        dh[k] += fromAbove[k];
                    }
                }
                hidden[l][t] = norm(dh);
                double[] da = new double[g]; // pre-activation gradient on the input side
                double[] dah = da; // and on the recurrent side (differs for the GRU's n gate)
                double[] dhPrev = new double[h];
                double[] a = gates[t][l];
                switch (cell) {
                    case RNN -> {
                        System.arraycopy(dh, 0, da, 0, h);
                        CellEquations.rnnBackward(a, 0, da, 0, h, tanh);
                    }
                    case LSTM -> {
                        double[] cPrev = t > 0 ? cs[t - 1][l] : new double[h];
                        double[] dc = new double[h]; // ∂L/∂c_t
                        CellEquations.lstmBackward(a, cPrev, tcs[t][l], 0, dh, dcNext[l], da, dc, 1, h);
                        cellNorms[l][t] = norm(dc);
                    }
                    case GRU -> {
                        double[] hPrev = t > 0 ? hs[t - 1][l] : new double[h];
                        dah = new double[g];
                        CellEquations.gruBackward(a, recurrent[t][l], hPrev, dh, da, dah, dhPrev, 1, h);
                    }
                    default -> throw new IllegalStateException("internal error: unknown cell " + cell);
                }
                for (int k = 0; k < h; k++) {
                    dhPrev[k] += dot(wh[l][k], dah);
                }
                dhNext[l] = dhPrev;
                if (l > 0) {
                    fromAbove = new double[h];
                    for (int k = 0; k < h; k++) {
                        fromAbove[k] = dot(wx[l][k], da);
                    }
                }
            }
        }
        return new Result(loss, hidden, cellNorms);
    }

    /**
     * The activated gates of one layer after each input, from a zero state: row {@code t} is
     * {@code [G·H]} in the order of {@link CellType} (LSTM {@code i f g o}, GRU {@code r z n}; the
     * vanilla cell's one "gate" is its new state).
     *
     * @param codes the T input indices, {@code T >= 1}
     * @param layer the layer, in {@code [0, layers)}
     * @return a fresh {@code [T][G·H]} array
     */
    public double[][] gates(int[] codes, int layer) {
        forward(codes, -1, -1, -1, 0);
        double[][] out = new double[codes.length][];
        for (int t = 0; t < codes.length; t++) {
            out[t] = gates[t][layer];
        }
        return out;
    }

    /**
     * The loss of the last prediction with {@code eps} added to unit {@code unit} of {@code h_step}
     * in {@code layer} right after it is computed (finite-difference tests).
     */
    public double perturbedLoss(int[] codes, int target, int layer, int step, int unit, double eps) {
        double[] p = softmax(forward(codes, layer, step, unit, eps));
        return -Math.log(p[target]);
    }

    private double[] forward(int[] codes, int pLayer, int pStep, int pUnit, double eps) {
        int steps = codes.length;
        hs = new double[steps][layers][];
        cs = cell == CellType.LSTM ? new double[steps][layers][] : null;
        tcs = cell == CellType.LSTM ? new double[steps][layers][] : null;
        gates = new double[steps][layers][];
        recurrent = cell == CellType.GRU ? new double[steps][layers][] : null;
        for (int t = 0; t < steps; t++) {
            double[] below = embedding == null ? null : embedding[codes[t]];
            for (int l = 0; l < layers; l++) {
                double[] hPrev = t > 0 ? hs[t - 1][l] : new double[h];
                double[] ax = bias[l].clone();
                if (below == null) {
                    add(wx[l][codes[t]], ax);
                } else {
                    accumulate(below, wx[l], ax);
                }
                double[] ah = cell == CellType.GRU ? new double[g] : ax; // the GRU adds bh itself
                accumulate(hPrev, wh[l], ah);
                double[] hNew = new double[h];
                switch (cell) {
                    case RNN -> {
                        CellEquations.rnnForward(ax, 0, h, tanh);
                        System.arraycopy(ax, 0, hNew, 0, h);
                    }
                    case LSTM -> {
                        double[] cPrev = t > 0 ? cs[t - 1][l] : new double[h];
                        cs[t][l] = new double[h];
                        tcs[t][l] = new double[h];
                        CellEquations.lstmForward(ax, cPrev, cs[t][l], 0, tcs[t][l], 0, hNew, 1, h);
                    }
                    case GRU -> {
                        CellEquations.gruForward(ax, ah, biasH[l], hPrev, hNew, 1, h);
                        recurrent[t][l] = ah;
                    }
                    default -> throw new IllegalStateException("internal error: unknown cell " + cell);
                }
                gates[t][l] = ax;
                if (l == pLayer && t == pStep) {
                    hNew[pUnit] += eps;
                }
                hs[t][l] = hNew;
                below = hNew;
            }
        }
        double[] logits = by.clone();
        accumulate(hs[steps - 1][layers - 1], wy, logits);
        return logits;
    }

    /** {@code y += x·M}. */
    private static void accumulate(double[] x, double[][] m, double[] y) {
        for (int k = 0; k < x.length; k++) {
            double xk = x[k];
            if (xk != 0) {
                double[] row = m[k];
                for (int j = 0; j < y.length; j++) {
                    y[j] += xk * row[j];
                }
            }
        }
    }

    private static void add(double[] x, double[] y) {
        for (int j = 0; j < y.length; j++) {
            y[j] += x[j];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    private static double[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }
}
