package io.charrnn.diagnostics;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.check.Check;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Looks inside a model: the hidden state of a layer over a text, how the gradient of a prediction
 * fades with the distance to the characters it depends on, and the size of each weight tensor.
 *
 * <pre>{@code
 * float[][] h = Diagnostics.hiddenStates(model, "To be or not to be", 0);   // [18][H]
 * GradientThroughTime g = Diagnostics.gradientThroughTime(model, text);
 * double[] curve = g.hiddenNorms(0);                                         // by steps back
 * List<ParameterNorm> norms = Diagnostics.parameterNorms(model);
 * GateSaturation gates = Diagnostics.gateSaturation(lstm, text, 0);      // Karpathy's gate plot
 * }</pre>
 *
 * <p>Every call reads the text from a zero hidden state, one character at a time, and keeps its own
 * state: thread-safe. See {@link SubstringIndex} for the memorisation check of samples.
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /**
     * The hidden state {@code h_t} of one layer after each character of a text: row {@code t} is the
     * state after reading character {@code t} (the state from which character {@code t + 1} is
     * predicted). For the LSTM this is the output {@code h_t = o⊙tanh(c_t)}, in {@code (-1, 1)};
     * {@link #cellStates} gives {@code c_t}. Computed in float32 as sampling computes it.
     *
     * @param model a bound model
     * @param text the characters to read, over the model's vocabulary (code points)
     * @param layer the layer, in {@code [0, layers)}
     * @return a fresh {@code [T][H]} array, T the number of code points of the text
     * @throws IllegalArgumentException if the model is unbound, the layer is out of range or the text
     *     has a character outside the vocabulary
     */
    public static float[][] hiddenStates(RnnModel model, CharSequence text, int layer) {
        return states(model, text, layer, false);
    }

    /**
     * The LSTM's cell state {@code c_t} of one layer after each character of a text, as
     * {@link #hiddenStates} gives {@code h_t}.
     *
     * @param model a bound LSTM model
     * @param text the characters to read, over the model's vocabulary
     * @param layer the layer, in {@code [0, layers)}
     * @return a fresh {@code [T][H]} array
     * @throws IllegalArgumentException if the model is unbound or not an LSTM, the layer is out of
     *     range or the text has a character outside the vocabulary
     */
    public static float[][] cellStates(RnnModel model, CharSequence text, int layer) {
        Objects.requireNonNull(model, "model");
        if (model.config().cell() != CellType.LSTM) {
            throw new IllegalArgumentException("only the LSTM has a cell state, the model is " + model.config().cell());
        }
        return states(model, text, layer, true);
    }

    private static float[][] states(RnnModel model, CharSequence text, int layer, boolean cell) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        Vocabulary v = requireBound(model);
        checkLayer(model, layer);
        int[] codes = v.encode(text);
        RnnStepper stepper = ModelAccess.engine(model).stepper();
        float[][] out = new float[codes.length][];
        for (int t = 0; t < codes.length; t++) {
            stepper.step(codes[t], null);
            out[t] = cell ? stepper.cellState(layer) : stepper.state(layer);
        }
        return out;
    }

    /**
     * How often each sigmoid gate unit of an LSTM or GRU layer is left-saturated (activation below
     * {@link GateSaturation#LEFT}) or right-saturated (above {@link GateSaturation#RIGHT}) while the
     * model reads a text from a zero state, as fractions of the text's characters (Karpathy et al.,
     * "Visualizing and Understanding Recurrent Networks"). The gates are computed in float64 with exact
     * σ and {@code tanh} by the forward pass of {@link #gradientThroughTime}; a gate within about 1e-6
     * of a threshold may fall on the other side in the float32 sampler.
     *
     * <pre>{@code
     * GateSaturation s = Diagnostics.gateSaturation(lstm, text, 0);
     * double open = s.meanRightSaturated(s.gates().indexOf("forget"));
     * }</pre>
     *
     * @param model a bound LSTM or GRU model
     * @param text at least one character over the model's vocabulary
     * @param layer the layer, in {@code [0, layers)}
     * @return the fractions per gate and unit
     * @throws IllegalArgumentException if the model is unbound or a vanilla RNN, the layer is out of
     *     range, the text is empty or has a character outside the vocabulary
     */
    public static GateSaturation gateSaturation(RnnModel model, CharSequence text, int layer) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        CellType cell = model.config().cell();
        List<String> names = GateSaturation.gateNames(cell);
        Vocabulary v = requireBound(model);
        checkLayer(model, layer);
        int[] codes = v.encode(Check.notEmpty("text", text));
        ModelEngine engine = ModelAccess.engine(model);
        double[][] a = new HiddenGradients(engine.layout(), engine.parameters()).gates(codes, layer);
        int h = model.config().hidden();
        int[] blocks = cell == CellType.LSTM ? new int[] {0, 1, 3} : new int[] {0, 1}; // i f (g) o; r z (n)
        double[][] left = new double[blocks.length][h];
        double[][] right = new double[blocks.length][h];
        for (double[] row : a) {
            for (int gate = 0; gate < blocks.length; gate++) {
                int base = blocks[gate] * h;
                for (int k = 0; k < h; k++) {
                    double x = row[base + k];
                    if (x < GateSaturation.LEFT) {
                        left[gate][k]++;
                    } else if (x > GateSaturation.RIGHT) {
                        right[gate][k]++;
                    }
                }
            }
        }
        for (int gate = 0; gate < blocks.length; gate++) {
            for (int k = 0; k < h; k++) {
                left[gate][k] /= codes.length;
                right[gate][k] /= codes.length;
            }
        }
        return new GateSaturation(cell, layer, codes.length, names, left, right);
    }

    /**
     * The vanishing-gradient curve of a prediction: reading all characters of {@code text} but the
     * last, the model predicts the last; for its loss {@code L} (nats) this gives
     * {@code ||∂L/∂h_t||} for each earlier step t and every layer, and {@code ||∂L/∂c_t||} for the
     * LSTM. Exact backpropagation in float64 with exact {@code tanh} (the training kernels use a
     * float32 rational approximation, so figures agree with them to about 1e-5 relative).
     *
     * @param model a bound model
     * @param text at least two characters over the model's vocabulary; the curve has one entry per
     *     character but the last
     * @return the curve, indexed by steps back from the prediction
     * @throws IllegalArgumentException if the model is unbound, the text is shorter than two
     *     characters or has a character outside the vocabulary
     */
    public static GradientThroughTime gradientThroughTime(RnnModel model, CharSequence text) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(text, "text");
        Vocabulary v = requireBound(model);
        int[] codes = v.encode(text);
        if (codes.length < 2) {
            throw new IllegalArgumentException("text must have at least 2 characters (inputs and the predicted one), got "
                    + codes.length);
        }
        ModelEngine engine = ModelAccess.engine(model);
        HiddenGradients.Result r = new HiddenGradients(engine.layout(), engine.parameters())
                .compute(java.util.Arrays.copyOf(codes, codes.length - 1), codes[codes.length - 1]);
        return new GradientThroughTime(model.config().cell(), r.loss(), reverse(r.hidden()), reverse(r.cell()));
    }

    /** [l][t] by time to [l][k] by steps back. */
    private static double[][] reverse(double[][] byTime) {
        if (byTime == null) {
            return null;
        }
        double[][] out = new double[byTime.length][];
        for (int l = 0; l < byTime.length; l++) {
            int n = byTime[l].length;
            out[l] = new double[n];
            for (int k = 0; k < n; k++) {
                out[l][k] = byTime[l][n - 1 - k];
            }
        }
        return out;
    }

    /**
     * The L2 norm and largest magnitude of every weight tensor, by the names of
     * {@link RnnModel#parameterShapes()}: a quick look for exploding, dead or untrained weights.
     *
     * @param model a bound model
     * @return one entry per tensor, in layout order
     * @throws IllegalStateException if the model is unbound
     */
    public static List<ParameterNorm> parameterNorms(RnnModel model) {
        Objects.requireNonNull(model, "model");
        List<ParameterNorm> norms = new ArrayList<>();
        model.weights().forEach((name, w) -> {
            double sum = 0;
            double max = 0;
            for (float x : w) {
                sum += (double) x * x;
                max = Math.max(max, Math.abs(x));
            }
            norms.add(new ParameterNorm(name, w.length, Math.sqrt(sum), max));
        });
        return List.copyOf(norms);
    }

    /**
     * The fraction of a sample's substrings of {@code length} code points that occur nowhere in a
     * training text (torch-rnn's {@code novel_substrings.py} for one length). For several samples or
     * lengths, build a {@link SubstringIndex} once.
     *
     * @param sample generated text
     * @param training the text the model was trained on
     * @param length the substring length in code points, in {@code [1, 64]}
     * @return a fraction in {@code [0, 1]}; NaN if the sample is shorter than {@code length}
     * @throws IllegalArgumentException if the length is out of range
     */
    public static double novelSubstringRatio(CharSequence sample, CharSequence training, int length) {
        Check.inRange("length", length, 1, SubstringIndex.DEFAULT_MAX_LENGTH);
        return SubstringIndex.of(training, length).novelFraction(sample, length);
    }

    private static Vocabulary requireBound(RnnModel model) {
        Check.bound(model.isBound(), "inspect");
        return model.vocabulary().orElseThrow();
    }

    private static void checkLayer(RnnModel model, int layer) {
        Check.index("layer", layer, model.config().layers());
    }
}
