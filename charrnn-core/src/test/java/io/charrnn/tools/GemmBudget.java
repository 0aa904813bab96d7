package io.charrnn.tools;

import io.charrnn.diagnostics.BenchmarkProbes;
import io.charrnn.internal.nd.Blas;
import io.charrnn.internal.nd.NdRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where a GEMM-bound training step's time goes: times, in isolation and through
 * {@link io.charrnn.internal.nd.Blas} as the kernels call it, every matrix product that the ND4J
 * kernels ({@code NdRnnKernel}, {@code NdGatedKernel}) make in one training step of a configuration,
 * at its shapes, and prints each shape's calls per step, rate and milliseconds per step, their sum,
 * and the characters per second the step could reach if it did nothing but those products. Compare
 * with {@code charrnn bench}'s measured step.
 *
 * <pre>java -cp "$CP" io.charrnn.tools.GemmBudget H B T V G LAYERS [nd4j]</pre>
 * e.g. {@code 512 64 100 65 1 1} (C2) or {@code 512 64 100 65 4 2} (C3); CP as in
 * {@code tools/lstm-compare/README.md}. With {@code nd4j} the products go through
 * {@code Nd4j.gemm} instead, as the kernels made them before {@code Blas}.
 */
public final class GemmBudget {
    private static final Blas BLAS = new Blas();
    private GemmBudget() {
    }

    private record Shape(String what, int m, int k, int n, boolean transA, boolean transB, int calls) {
    }

    public static void main(String[] args) {
        if (args.length != 6 && !(args.length == 7 && args[6].equals("nd4j"))) {
            System.err.println("usage: GemmBudget H B T V G LAYERS [nd4j]   (C2: 512 64 100 65 1 1, C3: 512 64 100 65 4 2)");
            System.exit(2);
        }
        boolean nd4j = args.length == 7;
        int h = Integer.parseInt(args[0]);
        int b = Integer.parseInt(args[1]);
        int t = Integer.parseInt(args[2]);
        int v = Integer.parseInt(args[3]);
        int g = Integer.parseInt(args[4]);
        int layers = Integer.parseInt(args[5]);
        int rows = t * b;
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Shape("recurrent forward  h[t-1]·Wh", b, h, g * h, false, false, t * layers));
        shapes.add(new Shape("recurrent backward da[t+1]·Whᵀ", b, g * h, h, false, true, (t - 1) * layers));
        shapes.add(new Shape("dWh = Hᵀ·dA", h, rows, g * h, true, false, layers));
        shapes.add(new Shape("bias gradient 1ᵀ·dA", 1, rows, g * h, false, false, layers));
        if (layers > 1) {
            shapes.add(new Shape("input forward  X·Wx (layers > 0)", rows, h, g * h, false, false, layers - 1));
            shapes.add(new Shape("dWx = Xᵀ·dA (layers > 0)", h, rows, g * h, true, false, layers - 1));
            shapes.add(new Shape("dX = dA·Wxᵀ (layers > 0)", rows, g * h, h, false, true, layers - 1));
        }
        shapes.add(new Shape("logits  H·Wy", rows, h, v, false, false, 1));
        shapes.add(new Shape("dWy = Hᵀ·dY", h, rows, v, true, false, 1));
        shapes.add(new Shape("dH = dY·Wyᵀ", rows, v, h, false, true, 1));
        NdRuntime.ensureInitialized();
        double peak = BenchmarkProbes.medianGemmGflops(2048, 5);
        System.out.printf(Locale.ROOT, "GEMM peak at 2048^2: %.1f GFLOP/s; products through %s%n", peak,
                nd4j ? "Nd4j.gemm" : "Blas (cblas_sgemm, cblas_sgemv for one row)");
        System.out.printf(Locale.ROOT, "%-36s %18s %6s %10s %9s %10s%n", "product", "m x k x n", "calls", "us/call",
                "GFLOP/s", "ms/step");
        double total = 0;
        double flops = 0;
        for (Shape s : shapes) {
            double us = microseconds(s, nd4j);
            double f = 2.0 * s.m * s.k * s.n;
            double ms = us * s.calls / 1000;
            total += ms;
            flops += f * s.calls;
            System.out.printf(Locale.ROOT, "%-36s %18s %6d %10.1f %9.1f %10.2f%n", s.what,
                    s.m + "x" + s.k + "x" + s.n, s.calls, us, f / us / 1000, ms);
        }
        System.out.printf(Locale.ROOT, "all products: %.2f ms per step (%.1f GFLOP, %.1f GFLOP/s): at most %.0f chars/s "
                + "if a step did nothing else; at the 2048^2 peak %.0f chars/s%n", total, flops / 1e9,
                flops / total / 1e6, rows / (total / 1000), rows / (flops / peak / 1e9));
    }

    /** Median time of one product over 15 timed calls, after 3 untimed. */
    private static double microseconds(Shape s, boolean nd4j) {
        INDArray a = s.transA ? Nd4j.rand(DataType.FLOAT, s.k, s.m) : Nd4j.rand(DataType.FLOAT, s.m, s.k);
        INDArray bm = s.transB ? Nd4j.rand(DataType.FLOAT, s.n, s.k) : Nd4j.rand(DataType.FLOAT, s.k, s.n);
        INDArray c = Nd4j.create(DataType.FLOAT, s.m, s.n);
        for (int w = 0; w < 3; w++) {
            product(a, bm, c, s, nd4j);
        }
        double[] us = new double[15];
        for (int r = 0; r < us.length; r++) {
            long t0 = System.nanoTime();
            product(a, bm, c, s, nd4j);
            us[r] = (System.nanoTime() - t0) / 1000.0;
        }
        Arrays.sort(us);
        return us[us.length / 2];
    }

    private static void product(INDArray a, INDArray b, INDArray c, Shape s, boolean nd4j) {
        if (nd4j) {
            Nd4j.gemm(a, b, c, s.transA, s.transB, 1.0, 1.0);
        } else {
            BLAS.gemm(a, b, c, s.transA, s.transB, 1.0, 1.0);
        }
    }
}
