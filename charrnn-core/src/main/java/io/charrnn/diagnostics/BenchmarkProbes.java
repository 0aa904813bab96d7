package io.charrnn.diagnostics;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.RnnStepper;
import io.charrnn.internal.nd.NdRuntime;
import io.charrnn.model.RnnModel;
import java.util.Objects;

/**
 * Measurements for benchmarks ({@code charrnn bench}): the limits that the training and sampling
 * speeds are compared against, taken by the engine itself. Their figures depend on the machine and
 * its load; they are not part of any result a model gives.
 */
public final class BenchmarkProbes {
    private BenchmarkProbes() {
    }

    /**
     * The float32 matrix-product rate of the BLAS behind ND4J: {@code Nd4j.gemm} of two square n×n
     * FLOAT matrices into a preallocated result, 2·n³ operations per call, timed {@code repeats}
     * times after two untimed warm-up products.
     *
     * @param n the matrix size, {@code >= 1}
     * @param repeats how many timed products, {@code >= 1}
     * @return GFLOP/s of each timed product, in the order measured
     * @throws IllegalArgumentException if n or repeats is below 1
     */
    public static double[] gemmGflops(int n, int repeats) {
        return GemmPeak.gflops(n, repeats);
    }

    /**
     * @param n the side of the square products timed, {@code >= 1}
     * @param repeats how many products to time, {@code >= 1}
     * @return the median of {@link #gemmGflops(int, int)}
     */
    public static double medianGemmGflops(int n, int repeats) {
        return GemmPeak.medianGflops(n, repeats);
    }

    /**
     * @return the OpenBLAS core type in effect: the environment's {@code OPENBLAS_CORETYPE}, the one
     *     charrnn set, or {@code "unset"} (OpenBLAS chose)
     */
    public static String openBlasCoreType() {
        return NdRuntime.openBlasCoreType();
    }

    /**
     * Times the products alone of sampling one character with this model, as the sampler runs them
     * (the same weight rows, the same split across threads), without gate math, softmax or drawing:
     * the product-bound limit of sampling.
     *
     * @param model a bound model
     * @param chars how many characters to time, {@code >= 1}
     * @return the nanoseconds the products of one character took, averaged over {@code chars}
     * @throws IllegalArgumentException if chars is below 1
     * @throws IllegalStateException if the model is unbound
     */
    public static double samplingProductNanosPerChar(RnnModel model, int chars) {
        Objects.requireNonNull(model, "model");
        return RnnStepper.productNanosPerChar(ModelAccess.engine(model).stepperWeights(), chars);
    }

    /**
     * @param model a bound model
     * @return the bytes of weights that sampling one character reads: every row of every layer's product
     * @throws IllegalStateException if the model is unbound
     */
    public static long samplingProductBytesPerChar(RnnModel model) {
        Objects.requireNonNull(model, "model");
        return RnnStepper.productBytesPerChar(ModelAccess.engine(model).stepperWeights());
    }
}
