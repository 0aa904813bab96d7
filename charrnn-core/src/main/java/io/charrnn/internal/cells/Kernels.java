package io.charrnn.internal.cells;

import io.charrnn.internal.text.Codes;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Picks the kernel for a shape: plain Java where ND4J's per-call overhead would dominate, ND4J/BLAS
 * otherwise. A recurrent step is one [B×H]·[H×H] product: a fixed cost per ND4J call plus 2·B·H²
 * flops at BLAS speed, against 2·B·H² flops at a much lower rate in a Java loop, so Java wins while
 * B·H² stays below about {@value #JAVA_LIMIT} (H=100 up to B=4; H=200 at B=1) (figures: docs/engine.md).
 *
 * <p>The system property {@code charrnn.kernel} ({@code auto}, {@code java}, {@code nd4j}) overrides
 * the choice, for benchmarks and tests. Dropout exists only in the ND4J kernels, so training a model
 * with dropout ({@link #forTraining}) always gets one, whatever the shape or the property.
 */
public final class Kernels {
    static final long JAVA_LIMIT = 50_000;

    private Kernels() {
    }

    /** Which kernel a shape gets. */
    public enum Choice { JAVA, ND4J }

    /**
     * @return the kernel {@code auto} picks for a shape, or the one the system property forces;
     *     LSTM and GRU always get the ND4J kernel (the Java kernel is vanilla-only)
     */
    public static Choice choose(ParameterLayout layout, int batch) {
        String forced = System.getProperty("charrnn.kernel", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        Choice choice = switch (forced) {
            case "java" -> Choice.JAVA;
            case "nd4j" -> Choice.ND4J;
            case "auto" -> {
                long h = layout.config().hidden();
                yield batch * h * h <= JAVA_LIMIT ? Choice.JAVA : Choice.ND4J;
            }
            default -> throw new IllegalArgumentException(
                    "system property charrnn.kernel must be auto, java or nd4j, got '" + forced + "'");
        };
        return layout.cell() == io.charrnn.model.CellType.RNN ? choice : Choice.ND4J;
    }

    /**
     * @return a float kernel for training a model of this layout over T steps and B streams: an
     *     ND4J kernel whenever the model has dropout (call {@link Kernel#dropout} before each step),
     *     else the kernel {@link #create} picks
     */
    public static Kernel forTraining(ParameterLayout layout, int steps, int batch) {
        return layout.config().dropout() > 0 ? nd(layout, steps, batch, DataType.FLOAT) : create(layout, steps, batch);
    }

    /**
     * @return the seed of the dropout masks of one training step: a pure function of the run's seed
     *     and the step, so a resumed run draws the masks the uninterrupted run would have drawn
     */
    public static long dropoutSeed(long runSeed, long step) {
        return DropoutMask.mix(runSeed, step);
    }

    /** @return a float kernel for T steps and B streams, without dropout */
    public static Kernel create(ParameterLayout layout, int steps, int batch) {
        return choose(layout, batch) == Choice.JAVA
                ? new JavaRnnKernel(layout, steps, batch)
                : nd(layout, steps, batch, DataType.FLOAT);
    }

    /** @return the ND4J kernel of the layout's cell type, in FLOAT or DOUBLE */
    public static NdKernel nd(ParameterLayout layout, int steps, int batch, DataType dtype) {
        return layout.cell() == io.charrnn.model.CellType.RNN
                ? new NdRnnKernel(layout, steps, batch, dtype)
                : new NdGatedKernel(layout, steps, batch, dtype);
    }

    /**
     * Sums the cross-entropy of predicting each code from those before it: the codes are cut into
     * {@code batch} contiguous streams, each read in windows of {@code steps} with the hidden state
     * carried, starting from zero. With {@code batch == 1} this is the exact sequential loss. Up to
     * {@code batch - 1} trailing characters are left out so that the streams have equal length.
     *
     * @return {summed nats, characters scored}
     */
    public static double[] sumLoss(ParameterLayout layout, float[] params, int[] codes, int steps, int batch) {
        return sumLoss(layout, params, codes, steps, batch, -1);
    }

    /** {@link #sumLoss(ParameterLayout, float[], int[], int, int)} with a reset code ({@link Kernel#resetBefore}). */
    public static double[] sumLoss(ParameterLayout layout, float[] params, int[] codes, int steps, int batch,
                                   int resetCode) {
        return sumLoss(layout, params, Codes.of(codes), steps, batch, resetCode);
    }

    /** {@link #sumLoss(ParameterLayout, float[], int[], int, int, int)} of codes read through {@link Codes}. */
    public static double[] sumLoss(ParameterLayout layout, float[] params, Codes codes, int steps, int batch,
                                   int resetCode) {
        int predictions = codes.length() - 1;
        if (predictions < 1) {
            return new double[] {0, 0};
        }
        int b = Math.max(1, Math.min(batch, predictions / Math.max(1, steps)));
        int length = predictions / b;
        int t = Math.min(steps, length);
        double sum = 0;
        long count = 0;
        int pos = 0;
        int[] scratch = new int[t + 1];
        float[] carried = null;
        try (Kernel main = create(layout, t, b)) {
            main.resetBefore(resetCode);
            int[] in = new int[t * b];
            int[] out = new int[t * b];
            for (; pos + t <= length; pos += t) {
                fill(codes, length, b, pos, t, in, out, scratch);
                sum += main.loss(params, in, out);
                count += (long) t * b;
            }
            if (pos < length) {
                carried = main.state();
            }
        }
        int rest = length - pos;
        if (rest > 0) {
            // the streams end in a shorter window, scored by a kernel of that length that continues from the main
            // kernel's carried state; the main kernel is closed first, so the two are never held at once
            try (Kernel tail = create(layout, rest, b)) {
                tail.resetBefore(resetCode);
                tail.restoreState(carried);
                int[] tin = new int[rest * b];
                int[] tout = new int[rest * b];
                fill(codes, length, b, pos, rest, tin, tout, scratch);
                sum += tail.loss(params, tin, tout);
                count += (long) rest * b;
            }
        }
        return new double[] {sum, count};
    }

    /** Window {@code [pos, pos+t)} of each of {@code b} streams of {@code length}, time-major. */
    private static void fill(Codes codes, int length, int b, int pos, int t, int[] in, int[] out, int[] scratch) {
        for (int s = 0; s < b; s++) {
            codes.copy(s * length + pos, scratch, 0, t + 1);
            for (int i = 0; i < t; i++) {
                in[i * b + s] = scratch[i];
                out[i * b + s] = scratch[i + 1];
            }
        }
    }
}
