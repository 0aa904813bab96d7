package io.charrnn.diagnostics;

import io.charrnn.model.CellType;
import java.util.List;

/**
 * How often each gate unit of one LSTM or GRU layer is saturated over a text
 * ({@link Diagnostics#gateSaturation}), as in Karpathy, Johnson and Fei-Fei, "Visualizing and
 * Understanding Recurrent Networks": a unit is left-saturated at a step when its gate activation is
 * below {@link #LEFT} (the gate is closed) and right-saturated when it is above {@link #RIGHT} (the
 * gate is open). Only the sigmoid gates are listed, in PyTorch's order: the LSTM's
 * {@code input}, {@code forget} and {@code output} gates, the GRU's {@code reset} and {@code update}
 * gates. A forget gate that is right-saturated most of the time keeps its cell over long spans; one
 * that is never saturated is a leaky integrator. Immutable; array accessors return copies.
 */
public final class GateSaturation {
    /** A gate activation below this is left-saturated. */
    public static final double LEFT = 0.1;
    /** A gate activation above this is right-saturated. */
    public static final double RIGHT = 0.9;

    private final CellType cell;
    private final int layer;
    private final int steps;
    private final List<String> gates;
    private final double[][] left; // [gate][unit]
    private final double[][] right; // [gate][unit]

    GateSaturation(CellType cell, int layer, int steps, List<String> gates, double[][] left, double[][] right) {
        this.cell = cell;
        this.layer = layer;
        this.steps = steps;
        this.gates = List.copyOf(gates);
        this.left = left;
        this.right = right;
    }

    /**
     * The sigmoid gates of a cell type, in PyTorch's order.
     *
     * @param cell the cell type
     * @return {@code [input, forget, output]} for the LSTM, {@code [reset, update]} for the GRU
     * @throws IllegalArgumentException for the vanilla RNN, which has no gates
     */
    public static List<String> gateNames(CellType cell) {
        return switch (cell) {
            case LSTM -> List.of("input", "forget", "output");
            case GRU -> List.of("reset", "update");
            default -> throw new IllegalArgumentException("only the LSTM and GRU have gates, the model is " + cell);
        };
    }

    /** @return the model's cell type, LSTM or GRU */
    public CellType cell() {
        return cell;
    }

    /** @return the layer the gates belong to */
    public int layer() {
        return layer;
    }

    /** @return the number of steps counted, one per character of the text */
    public int steps() {
        return steps;
    }

    /** @return the number of units per gate, the hidden size */
    public int units() {
        return left[0].length;
    }

    /** @return the gate names, {@link #gateNames} of the cell; a gate's index in this list names it below */
    public List<String> gates() {
        return gates;
    }

    /**
     * @param gate the gate's index in {@link #gates()}
     * @return for each unit, the fraction of steps at which its activation was below {@link #LEFT}
     *     (a fresh array)
     * @throws IllegalArgumentException if the gate index is out of range
     */
    public double[] leftSaturated(int gate) {
        return left[check(gate)].clone();
    }

    /**
     * @param gate the gate's index in {@link #gates()}
     * @return for each unit, the fraction of steps at which its activation was above {@link #RIGHT}
     *     (a fresh array)
     * @throws IllegalArgumentException if the gate index is out of range
     */
    public double[] rightSaturated(int gate) {
        return right[check(gate)].clone();
    }

    /**
     * @param gate the gate's index in {@link #gates()}
     * @return the mean over the units of {@link #leftSaturated}
     * @throws IllegalArgumentException if the gate index is out of range
     */
    public double meanLeftSaturated(int gate) {
        return mean(left[check(gate)]);
    }

    /**
     * @param gate the gate's index in {@link #gates()}
     * @return the mean over the units of {@link #rightSaturated}
     * @throws IllegalArgumentException if the gate index is out of range
     */
    public double meanRightSaturated(int gate) {
        return mean(right[check(gate)]);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private int check(int gate) {
        if (gate < 0 || gate >= gates.size()) {
            throw new IllegalArgumentException("gate must be in [0, " + gates.size() + ") " + gates + ", got " + gate);
        }
        return gate;
    }

    @Override
    public String toString() {
        return "GateSaturation[" + cell + ", layer=" + layer + ", steps=" + steps + ", units=" + units() + ", gates="
                + gates + "]";
    }
}
