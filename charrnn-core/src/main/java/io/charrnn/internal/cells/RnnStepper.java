package io.charrnn.internal.cells;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;

/**
 * One character at a time through a model of any cell (vanilla, LSTM, GRU; equations in
 * {@link io.charrnn.model.CellType}), for a batch of independent rows (1 when
 * sampling one text), in plain Java: what sampling and scoring need, where per-character latency
 * is everything (a [1×100]·[100×100] product costs about 1.5 µs here against 12 µs for one ND4J
 * call). The weights ({@link Weights}) are built once and shared by any number of steppers; each
 * stepper holds its own hidden state. Not thread-safe.
 *
 * <p>Products are {@code y += x·M} over the rows of M, four rows at a time
 * ({@link #accumulate}): one pass over {@code y} per four rows instead of one per row, which the
 * JIT still vectorises (every array indexed from 0, see {@link RowWeights}). Measured here at
 * H = 512 / 100: 14.5 / 0.6 µs per matvec, against 21 / 1.0 µs for one row at a time. With a batch,
 * each block of four rows is applied to every row of the batch while it is in L1. Fusing two
 * blocks per pass ({@code y = (y + A) + B}, the same sums) or {@code Math.fma} did not help: the
 * fused loop is not vectorised on JDK 17 (3× slower) and FMA gains about 7 %.
 *
 * <p>Large models (G·H² ≥ {@link #SPLIT_MIN_WORK}) split each layer's products by columns between
 * the calling thread and a spinning helper ({@link StepWorker}), each into its own buffer; measured
 * on this 2-vCPU machine (busy, at raised priority): H = 512 vanilla 50.9k → 59.6k chars/s, 2-layer
 * LSTM 512 2.3k → 2.8k, GRU 512 10.1k → 16.6k. A first version that split by hidden units, with both
 * threads writing the same accumulator array, was slower than one thread (false sharing on the
 * gate-block boundaries). The 2-layer LSTM is bound by memory bandwidth: its 12.6 MB of float32
 * weights are read once per character, from L3.
 */
public final class RnnStepper {
    /** A model's weights in row form, immutable once built, safe to share across threads. */
    public static final class Weights {
        private final RowWeights rows;
        private final boolean tanh;
        private final CellType cell;

        /** @param parameters the model's flat parameters (copied) */
        public Weights(ParameterLayout layout, float[] parameters) {
            this.rows = new RowWeights(layout, false);
            rows.load(parameters);
            this.tanh = layout.config().activation() == Activation.TANH;
            this.cell = layout.cell();
        }

        /** @return the vocabulary size (the number of logits per step) */
        public int vocabularySize() {
            return rows.by.length;
        }

        /** @return the number of layers */
        int layers() {
            return rows.wh.length;
        }
    }

    /**
     * Work per layer step (rows × G·H × (in + H) multiply-adds) from which a step is split across
     * two threads: about 4 µs of single-thread work, against a sub-µs hand-off.
     */
    static final long SPLIT_MIN_WORK = 1L << 17;

    private final RowWeights w;
    private final boolean tanh;
    private final CellType cell;
    private final int batch;
    private final int hidden;
    private final int gates;
    private float[][][] h; // [l][b][H], the current state
    private float[][][] hNext; // [l][b][H], written by a step, then swapped with h
    private final float[][][] c; // LSTM: [l][b][H]
    // per part (thread), so that the two threads never write the same cache line while they accumulate
    private final float[][][] a; // [part][b][G·H]
    private final float[][][] ah; // GRU: [part][b][3H], h·Wh + bh
    private final int[] oneCode = new int[1];
    private final float[][] oneLogits = new float[1][];
    private final boolean splittable;
    private final int splitColumn; // pre-activation columns [0, splitColumn) are part 0, [splitColumn, G·H) part 1
    private final StepWorker.Job layerJob = this::layerPart;
    private int jobLayer;
    private int[] jobCodes;
    private int jobRows;

    /** A stepper for one row. */
    public RnnStepper(Weights weights) {
        this(weights, 1);
    }

    /** A stepper for {@code batch} independent rows, each from a zero state. */
    public RnnStepper(Weights weights, int batch) {
        this(weights, batch, null);
    }

    /**
     * @param split whether steps are split across two threads: null to decide by size and
     *     {@link #splitThreads()}; true or false to force it (tests)
     */
    RnnStepper(Weights weights, int batch, Boolean split) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.w = weights.rows;
        this.tanh = weights.tanh;
        this.cell = weights.cell;
        this.batch = batch;
        this.hidden = w.wh[0].length;
        this.gates = w.wh[0][0].length / hidden;
        this.h = new float[w.wh.length][batch][hidden];
        this.hNext = new float[w.wh.length][batch][hidden];
        this.c = cell == CellType.LSTM ? new float[w.wh.length][batch][hidden] : null;
        int parts = split == Boolean.FALSE ? 1 : 2;
        this.a = new float[parts][batch][gates * hidden];
        this.ah = cell == CellType.GRU ? new float[parts][batch][gates * hidden] : null;
        // split in the middle, on a multiple of 16 floats (one 512-bit vector) when the width allows
        int half = gates * hidden / 2;
        this.splitColumn = gates * hidden >= 64 ? half - half % 16 : half;
        this.splittable = split != null ? split && hidden >= 2
                : splitThreads() > 1 && (long) gates * hidden * hidden >= SPLIT_MIN_WORK;
    }

    /**
     * @return how many threads a large step may use: the system property
     *     {@code charrnn.sample.threads} (1 or 2), else 2 when the JVM has at least two processors
     */
    static int splitThreads() {
        String p = System.getProperty("charrnn.sample.threads", "auto").trim();
        if (p.equalsIgnoreCase("auto")) {
            return Runtime.getRuntime().availableProcessors() >= 2 ? 2 : 1;
        }
        try {
            int n = Integer.parseInt(p);
            if (n == 1 || n == 2) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("system property charrnn.sample.threads must be auto, 1 or 2, got '"
                + p + "'");
    }

    /** @return whether this stepper's steps are split across two threads when the helper is free */
    boolean splits() {
        return splittable;
    }

    /**
     * Feeds one character to row 0 and computes the logits of the next.
     *
     * @param code the input character's index
     * @param logits receives V logits; may be null when only the state matters
     */
    public void step(int code, float[] logits) {
        oneCode[0] = code;
        oneLogits[0] = logits;
        step(oneCode, logits == null ? null : oneLogits, 1);
        oneLogits[0] = null;
    }

    /**
     * Feeds one character to each of the first {@code rows} rows and computes their next logits.
     *
     * <p>Large models (see {@link #SPLIT_MIN_WORK}) split each layer's products by columns across
     * this thread and a helper ({@link StepWorker}); each thread accumulates into its own buffer
     * (no cache line written by both), and the gates run on this thread once both halves are in.
     * Every pre-activation is the same sum in the same order as on one thread, so the results are
     * identical.
     *
     * @param codes one input index per row
     * @param logits receives V logits per row; null when only the state matters
     * @param rows how many rows take part, from row 0 ({@code <= batch})
     */
    public void step(int[] codes, float[][] logits, int rows) {
        StepWorker worker = null;
        if (splittable) {
            worker = StepWorker.shared();
            if (!worker.tryAcquire()) {
                worker = null;
            }
        }
        try {
            for (int l = 0; l < h.length; l++) {
                if (worker != null) {
                    jobLayer = l;
                    jobCodes = codes;
                    jobRows = rows;
                    worker.run(layerJob);
                    int width = gates * hidden - splitColumn;
                    for (int b = 0; b < rows; b++) {
                        System.arraycopy(a[1][b], splitColumn, a[0][b], splitColumn, width);
                        if (ah != null) {
                            System.arraycopy(ah[1][b], splitColumn, ah[0][b], splitColumn, width);
                        }
                    }
                } else {
                    products(l, codes, rows, 0, 0, gates * hidden);
                }
                activate(l, rows);
                float[][] t = h[l];
                h[l] = hNext[l];
                hNext[l] = t;
            }
        } finally {
            if (worker != null) {
                jobCodes = null;
                worker.release();
            }
        }
        if (logits != null) {
            for (int b = 0; b < rows; b++) {
                System.arraycopy(w.by, 0, logits[b], 0, w.by.length);
            }
            accumulate(h[h.length - 1], w.wy, logits, rows);
        }
    }

    private void layerPart(int part) {
        if (part == 0) {
            products(jobLayer, jobCodes, jobRows, 0, 0, splitColumn);
        } else {
            products(jobLayer, jobCodes, jobRows, 1, splitColumn, gates * hidden);
        }
    }

    /**
     * Layer {@code l}'s pre-activations in columns {@code [from, to)} of the first rows, into
     * {@code a[part]} (and the GRU's {@code ah[part]}): bias, input product (a row gather for one-hot
     * input) and recurrent product over {@code h[l]}, the previous state.
     */
    private void products(int l, int[] codes, int rows, int part, int from, int to) {
        float[][] a = this.a[part];
        for (int b = 0; b < rows; b++) {
            float[] ab = a[b];
            System.arraycopy(w.bias[l], from, ab, from, to - from);
            if (l == 0) {
                if (w.embedding != null) {
                    accumulate(w.embedding[codes[b]], w.wx[0], ab, 1, 0, from, to);
                } else {
                    axpy(1f, w.wx[0][codes[b]], ab, from, to);
                }
            }
        }
        if (l > 0) {
            accumulate(h[l - 1], w.wx[l], a, rows, 1, 0, from, to);
        }
        if (cell == CellType.GRU) {
            float[][] ah = this.ah[part];
            for (int b = 0; b < rows; b++) {
                System.arraycopy(w.biasH[l], from, ah[b], from, to - from);
            }
            accumulate(h[l], w.wh[l], ah, rows, 1, 0, from, to);
        } else {
            accumulate(h[l], w.wh[l], a, rows, 1, 0, from, to);
        }
    }

    /** Layer {@code l}'s new state from the pre-activations in {@code a[0]}, into {@code hNext[l]}. */
    private void activate(int l, int rows) {
        int n = hidden;
        if (cell == CellType.LSTM) {
            lstm(l, a[0], rows, 0, n);
        } else if (cell == CellType.GRU) {
            gru(l, a[0], ah[0], rows, 0, n);
        } else {
            for (int b = 0; b < rows; b++) {
                float[] ab = a[0][b];
                float[] hl = hNext[l][b];
                if (tanh) {
                    FastTanh.apply(ab, 0, n);
                    System.arraycopy(ab, 0, hl, 0, n);
                } else {
                    for (int j = 0; j < n; j++) {
                        hl[j] = Math.max(ab[j], 0f);
                    }
                }
            }
        }
    }

    /** The LSTM's gates over a = [i f g o] pre-activations of units [from, to), updating c and hNext. */
    private void lstm(int l, float[][] a, int rows, int from, int to) {
        int n = hidden;
        for (int b = 0; b < rows; b++) {
            float[] ab = a[b];
            float[] cb = c[l][b];
            float[] hb = hNext[l][b];
            FastTanh.sigmoid(ab, from, to);
            FastTanh.sigmoid(ab, n + from, n + to);
            FastTanh.apply(ab, 2 * n + from, 2 * n + to);
            FastTanh.sigmoid(ab, 3 * n + from, 3 * n + to);
            for (int j = from; j < to; j++) {
                cb[j] = ab[n + j] * cb[j] + ab[j] * ab[2 * n + j];
                hb[j] = cb[j];
            }
            FastTanh.apply(hb, from, to);
            for (int j = from; j < to; j++) {
                hb[j] *= ab[3 * n + j];
            }
        }
    }

    /** The GRU's gates over a = x·Wx + bx and ah = h·Wh + bh of units [from, to), updating hNext. */
    private void gru(int l, float[][] a, float[][] ah, int rows, int from, int to) {
        int n = hidden;
        for (int b = 0; b < rows; b++) {
            float[] ab = a[b];
            float[] hr = ah[b];
            float[] hOld = h[l][b];
            float[] hb = hNext[l][b];
            for (int j = from; j < to; j++) {
                ab[j] += hr[j];
                ab[n + j] += hr[n + j];
            }
            FastTanh.sigmoid(ab, from, to);
            FastTanh.sigmoid(ab, n + from, n + to);
            for (int j = from; j < to; j++) {
                ab[2 * n + j] += ab[j] * hr[2 * n + j];
            }
            FastTanh.apply(ab, 2 * n + from, 2 * n + to);
            for (int j = from; j < to; j++) {
                float z = ab[n + j];
                hb[j] = (1 - z) * ab[2 * n + j] + z * hOld[j];
            }
        }
    }

    /** @return a copy of a layer's hidden state in row 0 */
    public float[] state(int layer) {
        return h[layer][0].clone();
    }

    /**
     * @return a copy of a layer's LSTM cell state in row 0
     * @throws IllegalStateException if the cell is not an LSTM
     */
    public float[] cellState(int layer) {
        if (c == null) {
            throw new IllegalStateException("only the LSTM has a cell state, this is " + cell);
        }
        return c[layer][0].clone();
    }

    /** Copies every layer's hidden state of row {@code from} into row {@code to} (beam search). */
    public void copyRow(RnnStepper source, int from, int to) {
        for (int l = 0; l < h.length; l++) {
            System.arraycopy(source.h[l][from], 0, h[l][to], 0, h[l][to].length);
            if (c != null) {
                System.arraycopy(source.c[l][from], 0, c[l][to], 0, c[l][to].length);
            }
        }
    }

    /** @return the number of rows */
    public int batch() {
        return batch;
    }

    /** {@code y[b] += x[b]·M} for the first {@code rows} rows, M by rows, four rows of M per pass. */
    static void accumulate(float[][] x, float[][] m, float[][] y, int rows) {
        int k = 0;
        int n = m.length;
        for (; k + 3 < n; k += 4) {
            float[] w0 = m[k];
            float[] w1 = m[k + 1];
            float[] w2 = m[k + 2];
            float[] w3 = m[k + 3];
            for (int b = 0; b < rows; b++) {
                float[] xb = x[b];
                RowWeights.axpy4(xb[k], w0, xb[k + 1], w1, xb[k + 2], w2, xb[k + 3], w3, y[b]);
            }
        }
        for (; k < n; k++) {
            for (int b = 0; b < rows; b++) {
                RowWeights.axpy(x[b][k], m[k], y[b]);
            }
        }
    }

    /** {@code y += x·M} for one row. */
    static void accumulate(float[] x, float[][] m, float[] y) {
        int k = 0;
        int n = m.length;
        for (; k + 3 < n; k += 4) {
            RowWeights.axpy4(x[k], m[k], x[k + 1], m[k + 1], x[k + 2], m[k + 2], x[k + 3], m[k + 3], y);
        }
        for (; k < n; k++) {
            RowWeights.axpy(x[k], m[k], y);
        }
    }

    /**
     * {@code y[b] += x[b]·M} restricted to the columns {@code q·n + [from, to)} of each of the
     * {@code g} gate blocks, for the first {@code rows} rows; the same sums in the same order as
     * {@link #accumulate(float[][], float[][], float[][], int)} gives those columns.
     */
    static void accumulate(float[][] x, float[][] m, float[][] y, int rows, int g, int n, int from, int to) {
        int k = 0;
        int len = m.length;
        for (; k + 3 < len; k += 4) {
            float[] w0 = m[k];
            float[] w1 = m[k + 1];
            float[] w2 = m[k + 2];
            float[] w3 = m[k + 3];
            for (int b = 0; b < rows; b++) {
                float[] xb = x[b];
                for (int q = 0; q < g; q++) {
                    block(xb[k], xb[k + 1], xb[k + 2], xb[k + 3], w0, w1, w2, w3, y[b], q * n + from, q * n + to);
                }
            }
        }
        for (; k < len; k++) {
            for (int b = 0; b < rows; b++) {
                for (int q = 0; q < g; q++) {
                    axpy(x[b][k], m[k], y[b], q * n + from, q * n + to);
                }
            }
        }
    }

    /** One row's {@link #accumulate(float[][], float[][], float[][], int, int, int, int, int)}. */
    static void accumulate(float[] x, float[][] m, float[] y, int g, int n, int from, int to) {
        int k = 0;
        int len = m.length;
        for (; k + 3 < len; k += 4) {
            for (int q = 0; q < g; q++) {
                block(x[k], x[k + 1], x[k + 2], x[k + 3], m[k], m[k + 1], m[k + 2], m[k + 3], y, q * n + from,
                        q * n + to);
            }
        }
        for (; k < len; k++) {
            for (int q = 0; q < g; q++) {
                axpy(x[k], m[k], y, q * n + from, q * n + to);
            }
        }
    }

    private static void block(float a0, float a1, float a2, float a3,
                              float[] w0, float[] w1, float[] w2, float[] w3, float[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += (a0 * w0[j] + a1 * w1[j]) + (a2 * w2[j] + a3 * w3[j]);
        }
    }

    private static void axpy(float s, float[] x, float[] y, int from, int to) {
        for (int j = from; j < to; j++) {
            y[j] += s * x[j];
        }
    }

}
