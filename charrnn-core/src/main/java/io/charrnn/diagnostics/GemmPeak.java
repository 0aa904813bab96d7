package io.charrnn.diagnostics;

import io.charrnn.internal.check.Check;
import io.charrnn.internal.nd.NdRuntime;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 matrix-product rate ND4J's BLAS reaches on this machine, under charrnn's settings
 * ({@link NdRuntime}): {@code Nd4j.gemm} of two square n×n FLOAT matrices into a preallocated result,
 * 2·n³ floating-point operations per call. At n = 2048 this is the practical peak that the GEMM-bound
 * training steps are measured against ({@code charrnn bench}, through {@link BenchmarkProbes}).
 */
final class GemmPeak {
    private GemmPeak() {
    }

    /**
     * Times {@code repeats} products after two untimed warm-up products (the first timed one after a
     * single warm-up still ran at about half speed here).
     *
     * @param n the matrix size, {@code >= 1}
     * @param repeats how many timed products, {@code >= 1}
     * @return GFLOP/s of each timed product, in the order measured
     * @throws IllegalArgumentException if n or repeats is below 1
     */
    public static double[] gflops(int n, int repeats) {
        Check.atLeast("matrix size", n, 1);
        Check.atLeast("repeats", repeats, 1);
        NdRuntime.ensureInitialized();
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        for (int w = 0; w < 2; w++) {
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        }
        double[] rates = new double[repeats];
        double flops = 2.0 * n * n * (double) n;
        for (int r = 0; r < repeats; r++) {
            long t0 = System.nanoTime();
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            rates[r] = flops / (System.nanoTime() - t0);
        }
        a.close();
        b.close();
        c.close();
        return rates;
    }

    /** @return the median of {@link #gflops(int, int)} */
    public static double medianGflops(int n, int repeats) {
        double[] s = gflops(n, repeats);
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
