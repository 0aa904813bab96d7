package io.charrnn.diagnostics;

import java.util.Objects;

/**
 * The size of one weight tensor of a model ({@link Diagnostics#parameterNorms}).
 *
 * @param name the tensor's name, as in {@link io.charrnn.model.RnnModel#parameterShapes()}
 * @param size the number of values
 * @param l2Norm the Euclidean norm of the values
 * @param maxAbs the largest magnitude of a value
 */
public record ParameterNorm(String name, int size, double l2Norm, double maxAbs) {
    /**
     * Checks the name is present.
     *
     * @param name the tensor's name, as in {@link io.charrnn.model.RnnModel#parameterShapes()}
     * @param size the number of values
     * @param l2Norm the Euclidean norm of the values
     * @param maxAbs the largest magnitude of a value
     */
    public ParameterNorm {
        Objects.requireNonNull(name, "name");
    }

    /** @return the root mean square of the values, {@code l2Norm / sqrt(size)} (0 for an empty tensor) */
    public double rms() {
        return size == 0 ? 0 : l2Norm / Math.sqrt(size);
    }
}
