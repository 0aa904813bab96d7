package io.charrnn.model;

import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.NdKernel;
import io.charrnn.internal.cells.NdRnnKernel;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.check.Check;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks the analytic BPTT gradient of an architecture (any {@link CellType}) against central
 * finite differences, in float64, parameter by parameter, like the tables of min-char-rnn's
 * gradient check.
 *
 * <pre>{@code
 * GradientCheck.Report report = GradientCheck.of(RnnModel.builder().hidden(5).layers(2).build().config())
 *     .vocabularySize(8).sequenceLength(6).batchSize(3).seed(1).run();
 * System.out.print(report.table());     // layer0.wx  [8, 5]  max 3.1e-10 ...
 * }</pre>
 *
 * <p>The model (weights from the config's seed), a random initial hidden state, random inputs and
 * targets are all drawn from {@code seed} (for the LSTM also a random initial cell state). The loss is the summed cross-entropy over T·B positions.
 * Each entry's numerical derivative uses the fourth-order stencil
 * {@code (8(f(x+h) − f(x−h)) − (f(x+2h) − f(x−2h))) / 12h} with {@code h = 1e-3}, whose truncation
 * error (O(h⁴)) and round-off (about ε·|L|/h ≈ 2e-13·|L|) both stay near 1e-12. The relative
 * error of an entry is {@code |n − a| / max(|n| + |a|, 1e-6·max(1, |L|))}: entries whose gradient is
 * below a millionth of the loss are measured against that floor, because their finite difference is
 * as much round-off as signal (a wrong gradient still shows: a missing 5e-6 with L = 10 scores 0.5).
 *
 * <p>With {@link ModelConfig#dropout()} above 0, one set of dropout masks is drawn from {@code seed}
 * and held fixed for the analytic gradient and every finite difference: with a fixed mask the loss
 * is a deterministic function of the weights, and the check covers backpropagation through the mask.
 *
 * <p>With ReLU, an entry whose stencil straddles a kink (some unit's pre-activation changes sign
 * between the perturbed points) has no meaningful finite difference; such entries are detected
 * from the activation pattern and reported as skipped rather than checked.
 */
public final class GradientCheck {
    /** The finite-difference step. */
    public static final double STEP = 1e-3;
    private static final double FLOOR = 1e-6;

    private GradientCheck() {
    }

    /**
     * The errors of one parameter matrix.
     *
     * @param name the parameter's name, e.g. {@code layer0.wh}
     * @param shape its shape
     * @param maxRelativeError the largest relative error among its entries
     * @param meanRelativeError the mean relative error
     * @param checked entries compared
     * @param skipped entries skipped at a ReLU kink
     */
    public record ParameterError(String name, int[] shape, double maxRelativeError, double meanRelativeError,
                                 int checked, int skipped) {
    }

    /**
     * All parameters' errors.
     *
     * @param parameters one row per parameter, in layout order
     * @param loss the summed loss at the checked point, in nats
     */
    public record Report(List<ParameterError> parameters, double loss) {
        /** @return the largest relative error over every parameter */
        public double maxRelativeError() {
            return parameters.stream().mapToDouble(ParameterError::maxRelativeError).max().orElse(0);
        }

        /** @return a table with one line per parameter: name, shape, max and mean relative error */
        public String table() {
            StringBuilder sb = new StringBuilder(String.format("%-14s %-12s %12s %12s %8s%n", "parameter", "shape",
                    "max rel err", "mean rel err", "entries"));
            for (ParameterError p : parameters) {
                sb.append(String.format("%-14s %-12s %12.2e %12.2e %8s%n", p.name(), java.util.Arrays.toString(p.shape()),
                        p.maxRelativeError(), p.meanRelativeError(),
                        p.checked() + (p.skipped() > 0 ? " (" + p.skipped() + " at kinks)" : "")));
            }
            return sb.toString();
        }
    }

    /**
     * @param config the architecture; its seed draws the weights
     * @return the settings of a check of that architecture, with defaults V = 8, T = 6, B = 3, seed 1
     */
    public static Builder of(ModelConfig config) {
        return new Builder(Objects.requireNonNull(config, "config"));
    }

    /**
     * The sizes and seed of a check; {@link #run()} checks them and runs it. Mutable and
     * single-threaded.
     */
    public static final class Builder {
        private final ModelConfig config;
        private int vocabularySize = 8;
        private int sequenceLength = 6;
        private int batchSize = 3;
        private long seed = 1;
        private int resetCode = -1;

        private Builder(ModelConfig config) {
            this.config = config;
        }

        /**
         * @param size V, {@code >= 2}; default 8
         * @return this builder
         */
        public Builder vocabularySize(int size) {
            this.vocabularySize = size;
            return this;
        }

        /**
         * @param length T, {@code >= 1}; default 6
         * @return this builder
         */
        public Builder sequenceLength(int length) {
            this.sequenceLength = length;
            return this;
        }

        /**
         * @param size B, {@code >= 1}; default 3
         * @return this builder
         */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /**
         * @param seed draws the inputs, targets and initial hidden state; default 1
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param code reset the hidden state before every input of this code (tests of resets) */
        Builder resetBefore(int code) {
            this.resetCode = code;
            return this;
        }

        /**
         * Runs the check.
         *
         * @return per-parameter errors
         * @throws IllegalArgumentException if a size is out of range
         */
        public Report run() {
            return GradientCheck.run(config, vocabularySize, sequenceLength, batchSize, seed, resetCode);
        }
    }

    private static Report run(ModelConfig config, int vocabularySize, int sequenceLength, int batchSize, long seed,
                      int resetCode) {
        Check.atLeast("vocabularySize", vocabularySize, 2);
        Check.argument(sequenceLength >= 1 && batchSize >= 1, "sequenceLength and batchSize must be >= 1, got %s and %s",
                sequenceLength, batchSize);
        ParameterLayout layout = new ParameterLayout(config, vocabularySize);
        SplittableRandom rng = new SplittableRandom(seed);
        int rows = sequenceLength * batchSize;
        int[] inputs = rng.ints(rows, 0, vocabularySize).toArray();
        int[] targets = rng.ints(rows, 0, vocabularySize).toArray();
        double[][] state = new double[config.layers()][batchSize * config.hidden()];
        for (double[] s : state) {
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextDouble(-0.5, 0.5);
            }
        }
        double[][] cellState = new double[config.cell() == CellType.LSTM ? config.layers() : 0][batchSize * config.hidden()];
        for (double[] s : cellState) {
            for (int i = 0; i < s.length; i++) {
                s[i] = rng.nextDouble(-1, 1);
            }
        }
        NdKernel kernel = Kernels.nd(layout, sequenceLength, batchSize, DataType.DOUBLE);
        kernel.resetBefore(resetCode);
        kernel.dropout(config.dropout(), seed); // fixed masks: the same for every loss below
        INDArray params = kernel.parameters();
        float[] initial = layout.initialParameters();
        for (int i = 0; i < initial.length; i++) {
            params.putScalar(i, initial[i]);
        }
        for (int l = 0; l < state.length; l++) {
            kernel.setState(l, state[l]);
        }
        for (int l = 0; l < cellState.length; l++) {
            kernel.setCellState(l, cellState[l]);
        }
        double loss = kernel.lossAndGradient(inputs, targets, 1.0, false);
        double floor = FLOOR * Math.max(1, Math.abs(loss));
        double[] analytic = kernel.gradient().toDoubleVector();
        boolean relu = config.cell() == CellType.RNN && config.activation() == Activation.RELU;
        java.util.BitSet pattern = relu ? ((NdRnnKernel) kernel).positiveUnits() : null;

        List<ParameterError> rows2 = new ArrayList<>();
        for (ParameterLayout.Tensor t : layout.tensors()) {
            double max = 0;
            double sum = 0;
            int checked = 0;
            int skipped = 0;
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                double x = params.getDouble(i);
                boolean kink = false;
                double[] f = new double[4];
                double[] offsets = {STEP, -STEP, 2 * STEP, -2 * STEP};
                for (int k = 0; k < 4; k++) {
                    f[k] = lossAt(kernel, params, i, x + offsets[k], inputs, targets);
                    kink |= relu && !((NdRnnKernel) kernel).positiveUnits().equals(pattern);
                }
                params.putScalar(i, x);
                if (kink) {
                    skipped++;
                    continue;
                }
                double fourth = (8 * (f[0] - f[1]) - (f[2] - f[3])) / (12 * STEP);
                double a = analytic[i];
                double rel = Math.abs(fourth - a) / Math.max(Math.abs(fourth) + Math.abs(a), floor);
                max = Math.max(max, rel);
                sum += rel;
                checked++;
            }
            rows2.add(new ParameterError(t.name(), t.shape(), max, checked == 0 ? 0 : sum / checked, checked, skipped));
        }
        return new Report(Collections.unmodifiableList(rows2), loss);
    }

    private static double lossAt(NdKernel kernel, INDArray params, int i, double value, int[] in, int[] out) {
        params.putScalar(i, value);
        return kernel.loss(in, out, false);
    }
}
