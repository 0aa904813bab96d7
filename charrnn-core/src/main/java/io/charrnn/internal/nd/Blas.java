package io.charrnn.internal.nd;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code C = alpha·op(A)·op(B) + beta·C} straight into OpenBLAS's {@code cblas_sgemm} /
 * {@code cblas_dgemm} (the library ND4J itself loads), for the ND4J kernels' products.
 *
 * <p>Why not {@code Nd4j.gemm}: it goes through libnd4j's {@code Mmul} op, which costs far more than
 * the product at the recurrent shapes and allocates Java objects on every call; the direct call
 * allocates nothing and takes well under its time for C2's recurrent product (figures: docs/engine.md).
 *
 * <p>Operands must be FLOAT or DOUBLE (all three the same), c-ordered with unit column stride (whole
 * matrices, row ranges of them and the parameter views all are); anything else, or a non-CPU
 * backend, falls back to {@code Nd4j.gemm}. One instance per kernel: it reuses three pointer objects,
 * so it is not thread-safe.
 */
public final class Blas {
    private final FloatAt a = new FloatAt();
    private final FloatAt b = new FloatAt();
    private final FloatAt c = new FloatAt();
    private final DoubleAt da = new DoubleAt();
    private final DoubleAt db = new DoubleAt();
    private final DoubleAt dc = new DoubleAt();
    private final boolean direct = NdRuntime.isCpuBackend();
    /** Up to this many rows of op(A) (untransposed), a product with a large B is one gemv per row. */
    static final int GEMV_ROWS = 8;
    /** From this many elements of B (a 512×1024 matrix), a few rows go through gemv. */
    static final long GEMV_MIN_MATRIX = 1L << 19;

    /** A pointer whose address is set per call (javacpp reads {@code address}; no native memory is owned). */
    private static final class FloatAt extends FloatPointer {
        FloatAt at(long bytes) {
            address = bytes;
            return this;
        }
    }

    private static final class DoubleAt extends DoublePointer {
        DoubleAt at(long bytes) {
            address = bytes;
            return this;
        }
    }

    /** As {@code Nd4j.gemm(a, b, c, transA, transB, alpha, beta)}. */
    public void gemm(INDArray x, INDArray y, INDArray z, boolean transA, boolean transB, double alpha, double beta) {
        if (!direct(x, y, z)) {
            Nd4j.gemm(x, y, z, transA, transB, alpha, beta);
            return;
        }
        DataType t = z.dataType();
        int m = (int) z.rows();
        int n = (int) z.columns();
        int k = (int) (transA ? x.rows() : x.columns());
        if ((transA ? x.columns() : x.rows()) != m || (transB ? y.rows() : y.columns()) != n
                || (transB ? y.columns() : y.rows()) != k) {
            throw new IllegalArgumentException("internal error: gemm shapes " + java.util.Arrays.toString(x.shape())
                    + (transA ? "ᵀ" : "") + " · " + java.util.Arrays.toString(y.shape()) + (transB ? "ᵀ" : "")
                    + " -> " + java.util.Arrays.toString(z.shape()));
        }
        if (!transA && (m == 1 || m <= GEMV_ROWS && (long) k * n >= GEMV_MIN_MATRIX)) {
            // a row vector times a matrix (the bias gradients, 1ᵀ·dA), or a few rows times a large
            // matrix (the recurrent products of a small batch): OpenBLAS's gemv, once per row, is
            // faster here than its sgemm, which packs all of B on every call (docs/performance.md)
            int bytes = t == DataType.FLOAT ? 4 : 8;
            long xRow = address(x, bytes);
            long zRow = address(z, bytes);
            long xStride = (long) ld(x) * bytes;
            long zStride = (long) ld(z) * bytes;
            for (int i = 0; i < m; i++, xRow += xStride, zRow += zStride) {
                vectorTimesMatrix(t, xRow, y, zRow, transB, n, k, alpha, beta);
            }
            return;
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int row = openblas_nolapack.CblasRowMajor;
        if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemm(row, ta, tb, m, n, k, (float) alpha, a.at(address(x, 4)), ld(x), b.at(address(y, 4)),
                    ld(y), (float) beta, c.at(address(z, 4)), ld(z));
        } else {
            openblas_nolapack.cblas_dgemm(row, ta, tb, m, n, k, alpha, da.at(address(x, 8)), ld(x), db.at(address(y, 8)),
                    ld(y), beta, dc.at(address(z, 8)), ld(z));
        }
    }

    /** z[1×n] = alpha·x[1×k]·op(B) + beta·z (x and z at these addresses), as gemv over B's rows. */
    private void vectorTimesMatrix(DataType t, long x, INDArray y, long z, boolean transB, int n, int k,
            double alpha, double beta) {
        int row = openblas_nolapack.CblasRowMajor;
        // B is [k×n] (transB false: z = Bᵀ·x) or [n×k] (transB true: z = B·x)
        int trans = transB ? openblas_nolapack.CblasNoTrans : openblas_nolapack.CblasTrans;
        int rows = transB ? n : k;
        int cols = transB ? k : n;
        if (t == DataType.FLOAT) {
            openblas_nolapack.cblas_sgemv(row, trans, rows, cols, (float) alpha, b.at(address(y, 4)), ld(y),
                    a.at(x), 1, (float) beta, c.at(z), 1);
        } else {
            openblas_nolapack.cblas_dgemv(row, trans, rows, cols, alpha, db.at(address(y, 8)), ld(y),
                    da.at(x), 1, beta, dc.at(z), 1);
        }
    }

    /** @return whether {@link #gemm} calls cblas directly for these operands (else {@code Nd4j.gemm}) */
    boolean direct(INDArray x, INDArray y, INDArray z) {
        DataType t = z.dataType();
        return direct && x.dataType() == t && y.dataType() == t && (t == DataType.FLOAT || t == DataType.DOUBLE)
                && plain(x) && plain(y) && plain(z);
    }

    /** @return whether a is a 2-D c-ordered matrix with unit column stride and a valid leading dimension */
    private static boolean plain(INDArray a) {
        return a.rank() == 2 && a.ordering() == 'c' && (a.columns() == 1 || a.stride(1) == 1)
                && (a.rows() == 1 || a.stride(0) >= a.columns()) && a.rows() <= Integer.MAX_VALUE
                && a.columns() <= Integer.MAX_VALUE;
    }

    /** @return the leading dimension (row stride) cblas needs: at least the number of columns */
    private static int ld(INDArray a) {
        return (int) (a.rows() == 1 ? a.columns() : a.stride(0));
    }

    private static long address(INDArray a, int bytes) {
        return a.data().address() + a.offset() * bytes;
    }
}
