package io.charrnn.internal.cells;

import io.charrnn.internal.nd.NdRuntime;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J kernels' "add each row to the row of its code": the gradient of a one-hot input
 * projection (a row gather of Wx) and of an embedding table. On the CPU it runs in Java over the
 * host buffers, with one accumulator row per code: libnd4j's {@code scatter_add} (locked, as the
 * codes repeat) took a noticeable share of a C2 step (docs/engine.md). Elsewhere it is that op.
 * Not thread-safe.
 */
final class RowScatter {
    private final DataType dtype;
    private final INDArray indexArray; // INT [rows], for the libnd4j op
    private float[][] floatSums; // accumulators, [codes][width], on first use
    private double[][] doubleSums;

    RowScatter(DataType dtype, int rows) {
        this.dtype = dtype;
        this.indexArray = Nd4j.create(DataType.INT, rows);
    }

    /**
     * target = 0, then target[indices[r]] += updates[r] for every row r (rows of absent codes stay 0).
     *
     * @param target [codes, width]
     * @param updates [rows, width], one row per index
     * @param indices one code per row of updates
     */
    void addRows(INDArray target, INDArray updates, int[] indices) {
        if (!NdRuntime.isCpuBackend() || target.ordering() != 'c' || updates.ordering() != 'c'
                || target.stride(1) != 1 || updates.stride(1) != 1 || target.stride(0) != target.columns()
                || updates.stride(0) != updates.columns()) {
            target.assign(0);
            indexArray.data().setData(indices);
            // lock = true: indices repeat, and without the lock libnd4j's parallel loop races
            Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                    .addInputs(target, indexArray, updates)
                    .addOutputs(target)
                    .addBooleanArguments(true)
                    .build());
            return;
        }
        int width = (int) target.columns();
        int codes = (int) target.rows();
        int from = (int) updates.offset();
        int to = (int) target.offset();
        if (dtype == DataType.FLOAT) {
            if (floatSums == null || floatSums.length != codes || floatSums[0].length != width) {
                floatSums = new float[codes][width];
            }
            float[][] sums = floatSums;
            for (float[] s : sums) {
                java.util.Arrays.fill(s, 0f);
            }
            float[] row = new float[width];
            FloatBuffer u = updates.data().asNioFloat();
            for (int r = 0; r < indices.length; r++) {
                u.get(from + r * width, row, 0, width);
                float[] s = sums[indices[r]];
                for (int j = 0; j < width; j++) {
                    s[j] += row[j];
                }
            }
            FloatBuffer t = target.data().asNioFloat();
            for (int c = 0; c < codes; c++) {
                t.put(to + c * width, sums[c], 0, width);
            }
        } else {
            if (doubleSums == null || doubleSums.length != codes || doubleSums[0].length != width) {
                doubleSums = new double[codes][width];
            }
            double[][] sums = doubleSums;
            for (double[] s : sums) {
                java.util.Arrays.fill(s, 0.0);
            }
            double[] row = new double[width];
            DoubleBuffer u = updates.data().asNioDouble();
            for (int r = 0; r < indices.length; r++) {
                u.get(from + r * width, row, 0, width);
                double[] s = sums[indices[r]];
                for (int j = 0; j < width; j++) {
                    s[j] += row[j];
                }
            }
            DoubleBuffer t = target.data().asNioDouble();
            for (int c = 0; c < codes; c++) {
                t.put(to + c * width, sums[c], 0, width);
            }
        }
    }

    /** Frees the index array's off-heap buffer; nothing may run after it. */
    void close() {
        indexArray.close();
    }
}
