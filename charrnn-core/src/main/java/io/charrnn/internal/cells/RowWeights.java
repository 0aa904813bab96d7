package io.charrnn.internal.cells;

import java.util.Arrays;

/**
 * A model's weights (any cell; the transposes serve the vanilla Java kernel) as one {@code float[]} per matrix row, plus transposed copies of the
 * matrices that backpropagation multiplies from the other side.
 *
 * <p>Why rows: HotSpot C2 on JDK 17 vectorises {@code y[j] += a * w[j]} only when every array in
 * the loop is indexed from zero; with a row offset into a flat buffer ({@code w[off + j]}) it cannot
 * rule out aliasing and falls back to scalar code, several times slower (figures: docs/engine.md).
 * So every product in the Java kernels is
 * written in this "axpy over rows" form, and {@code W·x} products use rows of {@code Wᵀ}.
 */
final class RowWeights {
    final float[][] embedding; // [V][D] or null
    final float[][][] wx; // [l][in][H]
    final float[][][] wh; // [l][H][H]
    final float[][] bias; // [l][G·H]: b, or the GRU's bx
    final float[][] biasH; // [l][3H]: the GRU's bh; null for other cells
    final float[][] wy; // [H][V]
    final float[] by; // [V]
    final float[][][] wxT; // [l][H][in]; null when not needed (layer 0 one-hot)
    final float[][][] whT; // [l][H][H]
    final float[][] wyT; // [V][H]
    private final ParameterLayout layout;

    /**
     * @param transposes whether to keep the transposed copies backpropagation needs
     */
    RowWeights(ParameterLayout layout, boolean transposes) {
        this.layout = layout;
        int layers = layout.config().layers();
        embedding = layout.config().hasEmbedding() ? rows(layout.embedding()) : null;
        wx = new float[layers][][];
        wh = new float[layers][][];
        bias = new float[layers][];
        boolean gru = layout.cell() == io.charrnn.model.CellType.GRU;
        biasH = gru ? new float[layers][] : null;
        wxT = transposes ? new float[layers][][] : null;
        whT = transposes ? new float[layers][][] : null;
        for (int l = 0; l < layers; l++) {
            wx[l] = rows(layout.wx(l));
            wh[l] = rows(layout.wh(l));
            bias[l] = new float[layout.bias(l).size()];
            if (gru) {
                biasH[l] = new float[layout.recurrentBias(l).size()];
            }
            if (transposes) {
                if (l > 0 || embedding != null) {
                    wxT[l] = new float[layout.wx(l).cols()][layout.wx(l).rows()];
                }
                whT[l] = new float[layout.wh(l).cols()][layout.wh(l).rows()];
            }
        }
        wy = rows(layout.outputWeights());
        by = new float[layout.outputBias().size()];
        wyT = transposes ? new float[layout.outputWeights().cols()][layout.outputWeights().rows()] : null;
    }

    private static float[][] rows(ParameterLayout.Tensor t) {
        return new float[t.rows()][t.cols()];
    }

    /** Copies a flat parameter (or gradient) buffer in, refreshing the transposes. */
    void load(float[] flat) {
        if (embedding != null) {
            in(flat, layout.embedding(), embedding);
        }
        for (int l = 0; l < wx.length; l++) {
            in(flat, layout.wx(l), wx[l]);
            in(flat, layout.wh(l), wh[l]);
            System.arraycopy(flat, layout.bias(l).offset(), bias[l], 0, bias[l].length);
            if (biasH != null) {
                System.arraycopy(flat, layout.recurrentBias(l).offset(), biasH[l], 0, biasH[l].length);
            }
            if (wxT != null && wxT[l] != null) {
                transpose(wx[l], wxT[l]);
            }
            if (whT != null) {
                transpose(wh[l], whT[l]);
            }
        }
        in(flat, layout.outputWeights(), wy);
        System.arraycopy(flat, layout.outputBias().offset(), by, 0, by.length);
        if (wyT != null) {
            transpose(wy, wyT);
        }
    }

    /** Copies the (non-transposed) rows out to a flat buffer. */
    void store(float[] flat) {
        if (embedding != null) {
            out(embedding, layout.embedding(), flat);
        }
        for (int l = 0; l < wx.length; l++) {
            out(wx[l], layout.wx(l), flat);
            out(wh[l], layout.wh(l), flat);
            System.arraycopy(bias[l], 0, flat, layout.bias(l).offset(), bias[l].length);
            if (biasH != null) {
                System.arraycopy(biasH[l], 0, flat, layout.recurrentBias(l).offset(), biasH[l].length);
            }
        }
        out(wy, layout.outputWeights(), flat);
        System.arraycopy(by, 0, flat, layout.outputBias().offset(), by.length);
    }

    /** Sets every (non-transposed) entry to zero. */
    void clear() {
        if (embedding != null) {
            zero(embedding);
        }
        for (int l = 0; l < wx.length; l++) {
            zero(wx[l]);
            zero(wh[l]);
            Arrays.fill(bias[l], 0f);
            if (biasH != null) {
                Arrays.fill(biasH[l], 0f);
            }
        }
        zero(wy);
        Arrays.fill(by, 0f);
    }

    private static void zero(float[][] m) {
        for (float[] row : m) {
            Arrays.fill(row, 0f);
        }
    }

    private static void in(float[] flat, ParameterLayout.Tensor t, float[][] m) {
        for (int r = 0; r < t.rows(); r++) {
            System.arraycopy(flat, t.offset() + r * t.cols(), m[r], 0, t.cols());
        }
    }

    private static void out(float[][] m, ParameterLayout.Tensor t, float[] flat) {
        for (int r = 0; r < t.rows(); r++) {
            System.arraycopy(m[r], 0, flat, t.offset() + r * t.cols(), t.cols());
        }
    }

    private static void transpose(float[][] m, float[][] t) {
        for (int r = 0; r < m.length; r++) {
            float[] row = m[r];
            for (int c = 0; c < row.length; c++) {
                t[c][r] = row[c];
            }
        }
    }

    /** y += a·x over the whole of x (y at least as long). */
    static void axpy(float a, float[] x, float[] y) {
        int n = x.length;
        for (int j = 0; j < n; j++) {
            y[j] += a * x[j];
        }
    }

    /**
     * y += x·M, with M given by rows (x has M.length entries, y at least M's width). Four rows of M
     * go into one pass over y, which loads and stores y a quarter as often as one axpy per row
     * (faster at the sampling sizes, docs/engine.md; eight rows per pass no longer vectorises).
     * Groups of four zero coefficients (ReLU, one-hot) are skipped.
     */
    static void rowTimesMatrix(float[] x, float[][] m, float[] y) {
        int rows = m.length;
        int k = 0;
        for (; k + 3 < rows; k += 4) {
            axpy4(x[k], m[k], x[k + 1], m[k + 1], x[k + 2], m[k + 2], x[k + 3], m[k + 3], y);
        }
        for (; k < rows; k++) {
            float a = x[k];
            if (a != 0f) {
                axpy(a, m[k], y);
            }
        }
    }

    /** y += (a0·x0 + a1·x1) + (a2·x2 + a3·x3) over the length of x0 (all x the same length), unless all a are 0. */
    static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3,
            float[] y) {
        axpy4(a0, x0, a1, x1, a2, x2, a3, x3, y, 0, x0.length);
    }

    /** {@link #axpy4(float, float[], float, float[], float, float[], float, float[], float[])} over [from, to) only. */
    static void axpy4(float a0, float[] x0, float a1, float[] x1, float a2, float[] x2, float a3, float[] x3,
            float[] y, int from, int to) {
        if (a0 == 0f && a1 == 0f && a2 == 0f && a3 == 0f) {
            return;
        }
        for (int j = from; j < to; j++) {
            y[j] += (a0 * x0[j] + a1 * x1[j]) + (a2 * x2[j] + a3 * x3[j]);
        }
    }

    /** G += aᵀ·b, with G given by rows (outer product accumulation). */
    static void addOuter(float[] a, float[] b, float[][] g) {
        for (int k = 0; k < g.length; k++) {
            float ak = a[k];
            if (ak != 0f) {
                axpy(ak, b, g[k]);
            }
        }
    }

    /**
     * G += Σ_i a[aFrom + i]ᵀ·b[i] over i &lt; count, leaving out the i where {@code skip[i]} (skip
     * may be null): the weight gradient of many time rows at once. Four rows go into each pass over
     * G, as in {@link #rowTimesMatrix}.
     */
    static void addOuterRows(float[][] a, int aFrom, float[][] b, int count, float[][] g, boolean[] skip) {
        int i = 0;
        for (; i + 3 < count; i += 4) {
            float[] a0 = a[aFrom + i];
            float[] a1 = a[aFrom + i + 1];
            float[] a2 = a[aFrom + i + 2];
            float[] a3 = a[aFrom + i + 3];
            float m0 = skip != null && skip[i] ? 0f : 1f;
            float m1 = skip != null && skip[i + 1] ? 0f : 1f;
            float m2 = skip != null && skip[i + 2] ? 0f : 1f;
            float m3 = skip != null && skip[i + 3] ? 0f : 1f;
            for (int k = 0; k < g.length; k++) {
                axpy4(m0 * a0[k], b[i], m1 * a1[k], b[i + 1], m2 * a2[k], b[i + 2], m3 * a3[k], b[i + 3], g[k]);
            }
        }
        for (; i < count; i++) {
            if (skip == null || !skip[i]) {
                addOuter(a[aFrom + i], b[i], g);
            }
        }
    }

    /**
     * {@code y[b] += x[b]·M} restricted to the columns {@code [from, to)}, for the first {@code rows}
     * rows: four rows of M at a time ({@link #axpy4}), each block applied to every row of the batch
     * while it is in L1 (the sampling stepper's products).
     */
    static void timesRows(float[][] x, float[][] m, float[][] y, int rows, int from, int to) {
        int k = 0;
        int len = m.length;
        for (; k + 3 < len; k += 4) {
            float[] w0 = m[k];
            float[] w1 = m[k + 1];
            float[] w2 = m[k + 2];
            float[] w3 = m[k + 3];
            for (int b = 0; b < rows; b++) {
                float[] xb = x[b];
                axpy4(xb[k], w0, xb[k + 1], w1, xb[k + 2], w2, xb[k + 3], w3, y[b], from, to);
            }
        }
        for (; k < len; k++) {
            for (int b = 0; b < rows; b++) {
                float s = x[b][k];
                float[] wk = m[k];
                float[] yb = y[b];
                for (int j = from; j < to; j++) {
                    yb[j] += s * wk[j];
                }
            }
        }
    }
}
