package io.charrnn.internal.cells;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Times one gated kernel's training step with its gate math on one thread and split across two
 * ({@link NdGatedKernel#splitSteps}), alternating the two step by step so that machine drift hits
 * both (not a test; run by hand). A 2-layer model, random inputs, FLOAT.
 *
 * <pre>java -cp "$CP" io.charrnn.internal.cells.GateSplitTiming CELL H B T ROUNDS</pre>
 * e.g. {@code LSTM 512 64 100 6} (C3); CP as in {@code tools/lstm-compare/README.md}. Set
 * {@code OPENBLAS_THREAD_TIMEOUT} in the environment to compare OpenBLAS's idle spins (charrnn
 * sets 18 when it is unset; OpenBLAS's own default is 28).
 */
public final class GateSplitTiming {
    private GateSplitTiming() {
    }

    public static void main(String[] args) {
        CellType cell = CellType.valueOf(args[0]);
        int hidden = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        ParameterLayout layout = new ParameterLayout(RnnModel.builder().cell(cell).hidden(hidden).layers(2).seed(1)
                .build().config(), 65);
        float[] params = layout.initialParameters();
        float[] grad = new float[params.length];
        SplittableRandom rng = new SplittableRandom(1);
        int[] in = rng.ints(steps * batch, 0, 65).toArray();
        int[] out = rng.ints(steps * batch, 0, 65).toArray();
        try (NdGatedKernel k = (NdGatedKernel) Kernels.nd(layout, steps, batch, DataType.FLOAT)) {
            for (int i = 0; i < 3; i++) {
                k.trainStep(params, in, out, 1.0, grad);
            }
            double[] millis = new double[2];
            for (int r = 0; r < rounds; r++) {
                for (int mode = 0; mode < 2; mode++) {
                    k.splitSteps(mode == 1);
                    long t0 = System.nanoTime();
                    k.trainStep(params, in, out, 1.0, grad);
                    millis[mode] += (System.nanoTime() - t0) / 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "%s H=%d B=%d T=%d, OPENBLAS_THREAD_TIMEOUT=%s: one thread %.1f ms/step, "
                    + "split %.1f ms/step (%d steps each)%n", cell, hidden, batch, steps,
                    System.getenv().getOrDefault("OPENBLAS_THREAD_TIMEOUT", "unset (charrnn sets 18)"),
                    millis[0] / rounds, millis[1] / rounds, rounds);
        }
    }
}
