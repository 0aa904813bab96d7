package io.charrnn.internal.cells;

import io.charrnn.model.CellType;
import java.util.Arrays;

/**
 * One character at a time through a model of any cell (vanilla, LSTM, GRU; equations in
 * {@link io.charrnn.model.CellType}), for a batch of independent rows (1 when
 * sampling one text), in plain Java: what sampling and scoring need, where per-character latency
 * is everything (a [1×100]·[100×100] product in Java takes a fraction of one ND4J call's fixed
 * cost). The weights ({@link StepperWeights}) are built once and shared by any number of steppers;
 * each stepper holds its own hidden state. Not thread-safe.
 *
 * <p>Every product takes a layer's new state {@code h_t} as soon as it is known: right after its
 * gates, layer l computes {@code h_t·[Wh | Wx of the layer above]} (or {@code [Wh | Wy]} at the
 * top), one pass over rows of both matrices side by side: its own recurrent term for step t + 1
 * and the input of the layer above (or the logits). So the recurrent product of a step is already
 * there when its input arrives, the logits are no longer a pass over short rows after everything
 * else, and on two threads the decoder is shared like the rest (figures: docs/engine.md).
 * A pre-activation is {@code (b + input) + h_{t-1}·Wh}; for one-hot input the input is a row of
 * Wx, and for an embedding a row of the table {@code E·Wx}, computed once.
 *
 * <p>Products are {@code y += x·M} over the rows of M, four rows at a time
 * ({@link RowWeights#axpy4}): one pass over {@code y} per four rows instead of one per row, which
 * the JIT still vectorises (every array indexed from 0, see {@link RowWeights}). With a batch, each
 * block of four rows is applied to every row of the batch while it is in L1. {@code Math.fma}
 * would be a little faster but is not used: it would change results against the kernels.
 *
 * <p>Large models (G·H² ≥ {@link #SPLIT_MIN_WORK}) split each layer's product by columns between
 * the calling thread (the first half) and a spinning helper ({@link StepWorker}, the rest), each
 * into its own buffers: a cache line written by both threads costs more than the split gains. The
 * 2-layer LSTM at 512 is bound by memory bandwidth: all its float32 weights (12.6 MB) are read once
 * per character. Whether a step splits is timed as it runs ({@link SplitChoice}): with the second
 * core taken by another process, one thread is faster, and the stepper runs alone until a probe
 * finds the split faster again.
 */
public final class RnnStepper {
    /**
     * Work per layer step (rows × G·H × (in + H) multiply-adds) from which a step is split across
     * two threads: several µs of single-thread work, against a sub-µs hand-off.
     */
    static final long SPLIT_MIN_WORK = 1L << 17;

    private final StepperWeights w;
    private final int layers;
    private final int batch;
    private final int hidden;
    private final int width; // G·H
    private float[][][] h; // [l][b][H], the current state
    private float[][][] hNext; // [l][b][H], written by a step, then swapped with h
    private final float[][][] c; // LSTM: [l][b][H]
    // h_t·[Wh | Wx above (or Wy)] of each layer: columns [0, cut[l]) in part 0, the rest in part 1,
    // so that the two threads never write the same cache line; the first G·H columns are the
    // recurrent term of the next step
    private final float[][][][] prod; // [l][part][b][G·H + G·H or V]
    private final float[][][] up; // [l][b][G·H or V]: the rest of prod, from column G·H, gathered
    private final int[] cut; // [l]
    private final int gates; // G
    private final float[][][] a; // [b][gate][H]: pre-activations, then activations
    private final float[][][] ah; // GRU: [b][gate][H]: h·Wh + bh
    private final float[] tc; // LSTM: tanh(c_t) of one row
    private final int[] oneCode = new int[1];
    private final float[][] oneLogits = new float[1][];
    private final boolean splittable;
    private final SplitChoice choice; // one-row steppers share their weights' choice
    private final StepWorker.Job layerJob = this::outgoing;
    private int jobLayer;
    private int jobRows;
    private boolean jobUp;

    /** A stepper for one row. */
    public RnnStepper(StepperWeights weights) {
        this(weights, 1);
    }

    /** A stepper for {@code batch} independent rows, each from a zero state. */
    public RnnStepper(StepperWeights weights, int batch) {
        this(weights, batch, splitThreads() > 1 && (long) weights.width * weights.hidden >= SPLIT_MIN_WORK,
                batch == 1 ? weights.oneRowSplit : new SplitChoice());
    }

    /** A stepper that splits every step its helper is free for ({@code split}), or none (tests). */
    RnnStepper(StepperWeights weights, int batch, boolean split) {
        this(weights, batch, split, null);
    }

    /** A stepper that splits steps when {@code choice} says so (tests). */
    RnnStepper(StepperWeights weights, int batch, SplitChoice choice) {
        this(weights, batch, true, choice);
    }

    /**
     * @param split whether steps may be split across two threads
     * @param choice times the steps and chooses between split and alone; null to split every step
     */
    private RnnStepper(StepperWeights weights, int batch, boolean split, SplitChoice choice) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        this.w = weights;
        this.layers = weights.layers();
        this.batch = batch;
        this.hidden = w.hidden;
        this.width = w.width;
        this.h = new float[layers][batch][hidden];
        this.hNext = new float[layers][batch][hidden];
        this.c = w.cell == CellType.LSTM ? new float[layers][batch][hidden] : null;
        this.prod = new float[layers][2][batch][];
        this.up = new float[layers][batch][];
        this.cut = new int[layers];
        for (int l = 0; l < layers; l++) {
            int total = w.out[l][0].length;
            for (int b = 0; b < batch; b++) {
                prod[l][0][b] = new float[total];
                prod[l][1][b] = new float[total];
                up[l][b] = new float[total - width];
            }
            // in the middle, on a multiple of 16 floats (one 512-bit vector) when the width allows
            int half = total / 2;
            cut[l] = total >= 64 ? half - half % 16 : half;
        }
        this.gates = width / hidden;
        this.a = new float[batch][gates][hidden];
        this.ah = w.cell == CellType.GRU ? new float[batch][gates][hidden] : null;
        this.tc = w.cell == CellType.LSTM ? new float[hidden] : null;
        this.splittable = split && hidden >= 2;
        this.choice = choice;
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
     * <p>Large models (see {@link #SPLIT_MIN_WORK}) split each layer's products across this thread
     * and a helper ({@link StepWorker}), each into its own buffers, and the gates run on this thread
     * once both parts are in. Every value is the same sum in the same order as on one thread, so the
     * results are identical.
     *
     * @param codes one input index per row
     * @param logits receives V logits per row; null when only the state matters
     * @param rows how many rows take part, from row 0 ({@code <= batch})
     */
    public void step(int[] codes, float[][] logits, int rows) {
        StepWorker worker = acquireWorker();
        try {
            boolean timed = worker != null && choice != null;
            StepWorker helper = timed && !choice.split() ? null : worker;
            long t0 = timed ? System.nanoTime() : 0;
            for (int l = 0; l < layers; l++) {
                preActivations(l, codes, rows);
                activate(l, rows);
                float[][] t = h[l];
                h[l] = hNext[l];
                hNext[l] = t;
                products(helper, l, rows, l + 1 < layers || logits != null);
            }
            if (timed) {
                choice.record(System.nanoTime() - t0, rows);
            }
        } finally {
            if (worker != null) {
                worker.release();
            }
        }
        if (logits != null) {
            float[][] top = gatherUp(layers - 1, rows);
            for (int b = 0; b < rows; b++) {
                float[] y = logits[b];
                float[] z = top[b];
                for (int j = 0; j < w.by.length; j++) {
                    y[j] = w.by[j] + z[j];
                }
            }
        }
    }

    /** @return the helper, held, when this stepper splits and the helper is free; else null */
    private StepWorker acquireWorker() {
        if (!splittable) {
            return null;
        }
        StepWorker worker = StepWorker.shared();
        return worker.tryAcquire() ? worker : null;
    }

    /** Layer l's product {@code h_t·[Wh | Wx above or Wy]} (both parts), on the helper too when held. */
    private void products(StepWorker worker, int l, int rows, boolean up) {
        jobLayer = l;
        jobRows = rows;
        jobUp = up;
        if (worker != null) {
            worker.run(layerJob);
        } else {
            outgoing(0);
            outgoing(1);
        }
    }

    /**
     * The products of {@code chars} one-row steps alone, run exactly as {@link #step(int, float[])}
     * runs them (the same weight rows, the same split between this thread and the helper), without
     * the input, the gates or anything after the logits: the part of a character that reads every
     * weight once. {@code charrnn bench} turns it into the product-bound sampling limit, as the
     * GEMM peak gives the training limit. For the 2-layer LSTM at 512 it is bound by memory
     * bandwidth: 12.6 MB of float32 weights per character, from L3.
     *
     * @param chars how many characters to time, {@code >= 1}
     * @return the nanoseconds the products of one character took, averaged over {@code chars}
     * @throws IllegalArgumentException if chars is below 1
     */
    public static double productNanosPerChar(StepperWeights weights, int chars) {
        if (chars < 1) {
            throw new IllegalArgumentException("chars must be >= 1, got " + chars);
        }
        RnnStepper s = new RnnStepper(weights, 1);
        for (float[][] layer : s.h) {
            Arrays.fill(layer[0], 0.5f); // not zero: the products skip groups of zero coefficients
        }
        StepWorker worker = s.acquireWorker();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < chars; i++) {
                for (int l = 0; l < s.layers; l++) {
                    s.products(worker, l, 1, true);
                }
            }
            return (System.nanoTime() - t0) / (double) chars;
        } finally {
            if (worker != null) {
                worker.release();
            }
        }
    }

    /** @return the bytes of weights one character's products read: every row of every layer's product */
    public static long productBytesPerChar(StepperWeights weights) {
        long floats = 0;
        for (float[][] layer : weights.out) {
            floats += (long) layer.length * layer[0].length;
        }
        return Float.BYTES * floats;
    }

    /**
     * Part 0 or 1 of the product of layer {@code jobLayer}'s new state (see the class comment),
     * {@code h_t·[Wh | Wx above or Wy]}: columns {@code [0, cut)} or from {@code cut} to the end (to
     * G·H only, at the top, when the logits are not wanted).
     */
    private void outgoing(int part) {
        int l = jobLayer;
        int rows = jobRows;
        float[][] y = prod[l][part];
        int from = part == 0 ? 0 : cut[l];
        int to = part == 0 ? cut[l] : jobUp ? y[0].length : Math.max(from, width);
        if (from < to) {
            for (int b = 0; b < rows; b++) {
                Arrays.fill(y[b], from, to, 0f);
            }
            RowWeights.timesRows(h[l], w.out[l], y, rows, from, to);
        }
    }

    /** @return layer l's input to the layer above (or logits), from both parts of its product */
    private float[][] gatherUp(int l, int rows) {
        int total = prod[l][0][0].length;
        int k = Math.max(cut[l], width);
        for (int b = 0; b < rows; b++) {
            float[] u = up[l][b];
            if (cut[l] > width) {
                System.arraycopy(prod[l][0][b], width, u, 0, cut[l] - width);
            }
            System.arraycopy(prod[l][1][b], k, u, k - width, total - k);
        }
        return up[l];
    }

    /**
     * Layer {@code l}'s pre-activations into {@code a} (and the GRU's {@code ah}), one array per
     * gate: bias plus input, then the recurrent term computed at the previous step.
     */
    private void preActivations(int l, int[] codes, int rows) {
        float[] bias = w.bias[l];
        float[][] r0 = prod[l][0];
        float[][] r1 = prod[l][1];
        int k = Math.min(cut[l], width);
        int n = hidden;
        float[][] below = l == 0 ? null : gatherUp(l - 1, rows);
        for (int b = 0; b < rows; b++) {
            float[] in = l == 0 ? w.input[codes[b]] : below[b];
            float[][] target = ah == null ? a[b] : ah[b];
            float[] p0 = r0[b];
            float[] p1 = r1[b];
            for (int g = 0; g < gates; g++) {
                float[] ag = a[b][g];
                int o = g * n;
                for (int j = 0; j < n; j++) {
                    ag[j] = bias[o + j] + in[o + j];
                }
                float[] tg = target[g];
                if (ah != null) {
                    System.arraycopy(w.biasH[l], o, tg, 0, n);
                }
                int split = Math.max(0, Math.min(n, k - o)); // columns below the cut come from part 0
                for (int j = 0; j < split; j++) {
                    tg[j] += p0[o + j];
                }
                for (int j = split; j < n; j++) {
                    tg[j] += p1[o + j];
                }
            }
        }
    }

    /** Layer {@code l}'s new state from the pre-activations in {@code a}: {@link FloatCells}' step, into {@code hNext[l]}. */
    private void activate(int l, int rows) {
        int n = hidden;
        for (int b = 0; b < rows; b++) {
            float[][] ab = a[b];
            float[] hb = hNext[l][b];
            if (w.cell == CellType.LSTM) {
                float[] cb = c[l][b];
                FloatCells.lstmForward(ab[0], ab[1], ab[2], ab[3], cb, cb, tc, hb, 0, n);
            } else if (w.cell == CellType.GRU) {
                float[][] hh = ah[b];
                FloatCells.gruForward(ab[0], ab[1], ab[2], hh[0], hh[1], hh[2], h[l][b], hb, 0, n);
            } else {
                FloatCells.rnnForward(ab[0], 0, n, w.tanh);
                System.arraycopy(ab[0], 0, hb, 0, n);
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
            throw new IllegalStateException("only the LSTM has a cell state, this is " + w.cell);
        }
        return c[layer][0].clone();
    }

    /** Copies every layer's hidden state of row {@code from} into row {@code to} (beam search). */
    public void copyRow(RnnStepper source, int from, int to) {
        for (int l = 0; l < layers; l++) {
            System.arraycopy(source.h[l][from], 0, h[l][to], 0, hidden);
            if (c != null) {
                System.arraycopy(source.c[l][from], 0, c[l][to], 0, hidden);
            }
            for (int part = 0; part < 2; part++) {
                System.arraycopy(source.prod[l][part][from], 0, prod[l][part][to], 0, width);
            }
        }
    }

    /** @return the number of rows */
    public int batch() {
        return batch;
    }
}
