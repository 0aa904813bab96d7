package io.charrnn.internal.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The direct cblas products equal {@code Nd4j.gemm} on whole matrices, row views and flat-buffer views. */
class BlasTest {
    static {
        NdRuntime.ensureInitialized();
    }

    private static INDArray rows(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** A [rows, cols] view at an offset inside a flat buffer, as the kernels' parameter views are. */
    private static INDArray flatView(DataType t, int offset, int rows, int cols, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray flat = Nd4j.rand(t, 1, offset + rows * cols + 7).reshape(-1);
        return flat.get(NDArrayIndex.interval(offset, offset + rows * cols)).reshape('c', rows, cols);
    }

    private static void assertSame(INDArray x, INDArray y, INDArray z, boolean ta, boolean tb, double alpha, double beta) {
        INDArray expected = z.dup();
        Nd4j.gemm(x, y, expected, ta, tb, alpha, beta);
        INDArray before = z.dup();
        Blas blas = new Blas();
        assertTrue(blas.direct(x, y, z), "these operands take the direct path");
        blas.gemm(x, y, z, ta, tb, alpha, beta);
        double tol = z.dataType() == DataType.FLOAT ? 1e-4 : 1e-12;
        double diff = expected.sub(z).amaxNumber().doubleValue();
        assertTrue(diff <= tol * (1 + expected.amaxNumber().doubleValue()),
                "max difference " + diff + " (ta=" + ta + ", tb=" + tb + ", beta=" + beta + ", before " + before.amaxNumber() + ")");
    }

    @Test
    void everyTransposeAndBeta_onRowViewsOfOneBuffer_matchesNd4jGemm() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(3);
            INDArray hs = Nd4j.rand(t, 7 * 5, 6); // 7 steps of 5 rows
            INDArray w = Nd4j.rand(t, 6, 6);
            for (boolean tb : new boolean[] {false, true}) {
                for (double beta : new double[] {0, 1}) {
                    assertSame(rows(hs, 10, 15), w, rows(hs, 15, 20), false, tb, 1.0, beta); // h_{t+1} += h_t·W
                }
            }
            INDArray g = Nd4j.rand(t, 6, 6);
            assertSame(rows(hs, 0, 30), rows(hs, 5, 35), g, true, false, 1.0, 0.0); // Hᵀ·dA over views
            assertSame(rows(hs, 0, 30), rows(hs, 5, 35), g, true, false, 0.5, 1.0);
        }
    }

    @Test
    void parameterViewsAndRowVectors_matchNd4jGemm() {
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray wx = flatView(t, 13, 4, 9, 1);
            INDArray wy = flatView(t, 50, 9, 3, 2);
            INDArray x = Nd4j.rand(t, 11, 4);
            INDArray gw = flatView(t, 3, 4, 9, 3);
            INDArray z = Nd4j.create(t, 11, 9);
            assertSame(x, wx, z, false, false, 1.0, 0.0);
            assertSame(z, wy, Nd4j.create(t, 11, 3), false, false, 1.0, 0.0);
            assertSame(x, Nd4j.rand(t, 11, 9), gw, true, false, 1.0, 0.0); // a gradient view as the output
            assertSame(Nd4j.ones(t, 1, 11), z, flatView(t, 5, 1, 9, 4), false, false, 1.0, 0.0); // column sums
            assertSame(rows(z, 3, 4), wx, flatView(t, 2, 1, 4, 5), false, true, 0.5, 1.0); // a row times Wᵀ (gemv)
            assertSame(rows(x, 2, 3), wx, rows(z, 6, 7), false, false, 1.0, 1.0);
            assertSame(z, wx, Nd4j.create(t, 11, 4), false, true, 1.0, 0.0);
        }
    }

    @Test
    void aFewRowsTimesALargeMatrix_oneGemvPerRow_matchNd4jGemm() {
        // 512 × 1024 = Blas.GEMV_MIN_MATRIX elements: 1..8 rows take a gemv per row, 9 take sgemm
        for (DataType t : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            Nd4j.getRandom().setSeed(7);
            INDArray w = Nd4j.rand(t, 512, 1024).subi(0.5);
            INDArray wide = Nd4j.rand(t, 30, 1100).subi(0.5); // rows with a leading dimension above their width
            for (int m : new int[] {2, 3, 8, 9}) {
                INDArray x = wide.get(NDArrayIndex.interval(0, m), NDArrayIndex.interval(0, 512));
                INDArray z = Nd4j.rand(t, 20, 1024).get(NDArrayIndex.interval(5, 5 + m), NDArrayIndex.all());
                assertSame(x, w, z, false, false, 1.0, 1.0); // h_t·Wh accumulated
                INDArray da = wide.get(NDArrayIndex.interval(10, 10 + m), NDArrayIndex.interval(0, 1024));
                INDArray dx = wide.get(NDArrayIndex.interval(20, 20 + m), NDArrayIndex.interval(3, 515));
                assertSame(da, w, dx, false, true, 0.5, 0.0); // da·Whᵀ into a view
            }
        }
    }

    @Test
    void mixedTypesAndOtherLayouts_fallBackToNd4jGemm() {
        INDArray f = Nd4j.rand(DataType.FLOAT, 3, 4);
        INDArray d = Nd4j.rand(DataType.DOUBLE, 4, 2);
        INDArray fortran = Nd4j.rand(DataType.DOUBLE, 'f', 3, 4);
        INDArray z = Nd4j.create(DataType.DOUBLE, 3, 2);
        Blas blas = new Blas();
        assertFalse(blas.direct(fortran, d, z));
        assertFalse(blas.direct(f, d, z));
        blas.gemm(fortran, d, z, false, false, 1.0, 0.0);
        INDArray e2 = Nd4j.create(DataType.DOUBLE, 3, 2);
        Nd4j.gemm(fortran, d, e2, false, false, 1.0, 0.0);
        assertEquals(0.0, e2.sub(z).amaxNumber().doubleValue(), 1e-12);
    }
}
