package io.charrnn.internal.cells;

import io.charrnn.model.Activation;
import java.util.Arrays;

/**
 * The same forward pass and BPTT as {@link NdRnnKernel}, in plain Java over {@code float[]}, for
 * the small shapes where ND4J's per-call overhead (10–30 µs) dominates: min-char-rnn's H=100, B=1
 * step takes about a third of the ND4J time here (ND4J-NOTES.md §2). Rows are time-major, as there;
 * tests hold both kernels to the same losses and gradients.
 *
 * <p>Loops are in "axpy" form (a row of the matrix times a scalar added to a vector) for row-vector ×
 * matrix products and in dot form with four accumulators for matrix × column products, which the
 * JIT compiles to straight-line code. tanh is computed from {@code exp}, 7× faster than
 * {@link Math#tanh}. Not thread-safe.
 */
public final class JavaRnnKernel implements Kernel {
    private final ParameterLayout layout;
    private final boolean tanh;
    private final int steps;
    private final int batch;
    private final int rows;
    private final int hidden;
    private final int layers;
    private final int vocab;
    private final int embed; // 0: one-hot

    private final float[][] hs; // [l][(T+1)·B·H], h_0 in the first B rows
    private final float[][] delta; // [l][T·B·H]
    private final float[] probs; // [T·B·V]
    private final float[] embedded; // [T·B·D]

    public JavaRnnKernel(ParameterLayout layout, int steps, int batch) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got " + steps + " and " + batch);
        }
        this.layout = layout;
        this.tanh = layout.config().activation() == Activation.TANH;
        this.steps = steps;
        this.batch = batch;
        this.rows = steps * batch;
        this.hidden = layout.config().hidden();
        this.layers = layout.config().layers();
        this.vocab = layout.vocabularySize();
        this.embed = layout.config().embedding();
        hs = new float[layers][(rows + batch) * hidden];
        delta = new float[layers][rows * hidden];
        probs = new float[rows * vocab];
        embedded = new float[rows * embed];
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void resetState() {
        for (float[] h : hs) {
            Arrays.fill(h, 0, batch * hidden, 0f);
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        if (!(other instanceof JavaRnnKernel o) || o.batch != batch || o.hidden != hidden || o.layers != layers) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            System.arraycopy(o.hs[l], 0, hs[l], 0, batch * hidden);
        }
    }

    @Override
    public double loss(float[] p, int[] inputs, int[] targets) {
        forward(p, inputs);
        double loss = softmaxLoss(targets, Float.NaN);
        commitState();
        return loss;
    }

    @Override
    public double trainStep(float[] p, int[] inputs, int[] targets, double lossScale, float[] g) {
        forward(p, inputs);
        double loss = softmaxLoss(targets, (float) lossScale);
        Arrays.fill(g, 0f);
        backward(p, inputs, g);
        commitState();
        return loss;
    }

    private void forward(float[] p, int[] inputs) {
        if (inputs.length != rows) {
            throw new IllegalStateException("internal error: batch of " + inputs.length + " codes, expected " + rows);
        }
        final int h = hidden;
        for (int l = 0; l < layers; l++) {
            final float[] hl = hs[l];
            final int wxOff = layout.wx(l).offset();
            final int whOff = layout.wh(l).offset();
            final int bOff = layout.bias(l).offset();
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    int r = t * batch + b;
                    int out = (r + batch) * h; // row of h_{t+1}
                    System.arraycopy(p, bOff, hl, out, h);
                    if (l == 0) {
                        if (embed == 0) {
                            add(p, wxOff + inputs[r] * h, hl, out, h);
                        } else {
                            System.arraycopy(p, layout.embedding().offset() + inputs[r] * embed, embedded, r * embed, embed);
                            rowTimesMatrix(embedded, r * embed, embed, p, wxOff, h, hl, out);
                        }
                    } else {
                        rowTimesMatrix(hs[l - 1], out, h, p, wxOff, h, hl, out);
                    }
                    rowTimesMatrix(hl, r * h, h, p, whOff, h, hl, out);
                    activate(hl, out, h);
                }
            }
        }
        final float[] top = hs[layers - 1];
        final int wyOff = layout.outputWeights().offset();
        final int byOff = layout.outputBias().offset();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(p, byOff, probs, r * vocab, vocab);
            rowTimesMatrix(top, (r + batch) * h, h, p, wyOff, vocab, probs, r * vocab);
        }
    }

    private void activate(float[] a, int off, int n) {
        if (tanh) {
            for (int i = off; i < off + n; i++) {
                a[i] = tanh(a[i]);
            }
        } else {
            for (int i = off; i < off + n; i++) {
                a[i] = Math.max(a[i], 0f);
            }
        }
    }

    /** tanh through exp, in double so small arguments keep their relative precision. */
    static float tanh(float x) {
        if (x > 15f) {
            return 1f;
        }
        if (x < -15f) {
            return -1f;
        }
        double e = Math.exp(2.0 * x);
        return (float) ((e - 1) / (e + 1));
    }

    /** Softmax per row, loss, and (unless scale is NaN) scale·(p − onehot) in place. */
    private double softmaxLoss(int[] targets, float scale) {
        double loss = 0;
        boolean gradient = !Float.isNaN(scale);
        for (int r = 0; r < rows; r++) {
            int off = r * vocab;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = off; j < off + vocab; j++) {
                max = Math.max(max, probs[j]);
            }
            double sum = 0;
            for (int j = off; j < off + vocab; j++) {
                float e = (float) Math.exp(probs[j] - max);
                probs[j] = e;
                sum += e;
            }
            int target = off + targets[r];
            loss += Math.log(sum) - Math.log(Math.max(probs[target], Float.MIN_VALUE));
            if (gradient) {
                float inv = (float) (scale / sum);
                for (int j = off; j < off + vocab; j++) {
                    probs[j] *= inv;
                }
                probs[target] -= scale;
            }
        }
        return loss;
    }

    private void backward(float[] p, int[] inputs, float[] g) {
        final int h = hidden;
        final float[] top = hs[layers - 1];
        final int wyOff = layout.outputWeights().offset();
        final int byOff = layout.outputBias().offset();
        final float[] dTop = delta[layers - 1];
        for (int r = 0; r < rows; r++) {
            int hRow = (r + batch) * h;
            int yRow = r * vocab;
            outer(top, hRow, h, probs, yRow, vocab, g, wyOff);
            add(probs, yRow, g, byOff, vocab);
            matrixTimesColumn(p, wyOff, h, vocab, probs, yRow, dTop, r * h, false);
        }
        for (int l = layers - 1; l >= 0; l--) {
            final float[] hl = hs[l];
            final float[] dl = delta[l];
            final int wxOff = layout.wx(l).offset();
            final int whOff = layout.wh(l).offset();
            final int bOff = layout.bias(l).offset();
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = 0; b < batch; b++) {
                    int r = t * batch + b;
                    int d = r * h;
                    if (t < steps - 1) {
                        matrixTimesColumn(p, whOff, h, h, dl, d + batch * h, dl, d, true); // dh_t += Wh·da_{t+1}
                    }
                    int out = (r + batch) * h;
                    if (tanh) {
                        for (int k = 0; k < h; k++) {
                            float y = hl[out + k];
                            dl[d + k] *= 1f - y * y;
                        }
                    } else {
                        for (int k = 0; k < h; k++) {
                            if (hl[out + k] <= 0f) {
                                dl[d + k] = 0f;
                            }
                        }
                    }
                    outer(hl, r * h, h, dl, d, h, g, whOff); // dWh += h_{t-1}^T·da_t
                    add(dl, d, g, bOff, h);
                    if (l > 0) {
                        outer(hs[l - 1], out, h, dl, d, h, g, wxOff);
                        matrixTimesColumn(p, wxOff, h, h, dl, d, delta[l - 1], d, false);
                    } else if (embed == 0) {
                        add(dl, d, g, wxOff + inputs[r] * h, h);
                    } else {
                        outer(embedded, r * embed, embed, dl, d, h, g, wxOff);
                        matrixTimesColumn(p, wxOff, embed, h, dl, d, g,
                                layout.embedding().offset() + inputs[r] * embed, true);
                    }
                }
            }
        }
    }

    private void commitState() {
        for (float[] h : hs) {
            System.arraycopy(h, rows * hidden, h, 0, batch * hidden);
        }
    }

    /** y[yOff..+n] += x[xOff..+n]. */
    private static void add(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += x[xOff + i];
        }
    }

    /** y[yOff..+cols] += x[xOff..+rows] · W[wOff: rows × cols]. */
    static void rowTimesMatrix(float[] x, int xOff, int rows, float[] w, int wOff, int cols, float[] y, int yOff) {
        for (int k = 0; k < rows; k++) {
            float xk = x[xOff + k];
            if (xk == 0f) {
                continue;
            }
            int wRow = wOff + k * cols;
            for (int j = 0; j < cols; j++) {
                y[yOff + j] += xk * w[wRow + j];
            }
        }
    }

    /** y[yOff + k] (+)= Σ_j W[wOff: rows × cols][k, j] · x[xOff + j], for k in [0, rows). */
    static void matrixTimesColumn(float[] w, int wOff, int rows, int cols, float[] x, int xOff, float[] y, int yOff,
                                  boolean accumulate) {
        for (int k = 0; k < rows; k++) {
            int wRow = wOff + k * cols;
            float s0 = 0f;
            float s1 = 0f;
            float s2 = 0f;
            float s3 = 0f;
            int j = 0;
            for (; j + 3 < cols; j += 4) {
                s0 += w[wRow + j] * x[xOff + j];
                s1 += w[wRow + j + 1] * x[xOff + j + 1];
                s2 += w[wRow + j + 2] * x[xOff + j + 2];
                s3 += w[wRow + j + 3] * x[xOff + j + 3];
            }
            for (; j < cols; j++) {
                s0 += w[wRow + j] * x[xOff + j];
            }
            float s = (s0 + s1) + (s2 + s3);
            y[yOff + k] = accumulate ? y[yOff + k] + s : s;
        }
    }

    /** G[gOff: rows × cols] += a[aOff..+rows]^T · b[bOff..+cols]. */
    private static void outer(float[] a, int aOff, int rows, float[] b, int bOff, int cols, float[] g, int gOff) {
        for (int k = 0; k < rows; k++) {
            float ak = a[aOff + k];
            if (ak == 0f) {
                continue;
            }
            int gRow = gOff + k * cols;
            for (int j = 0; j < cols; j++) {
                g[gRow + j] += ak * b[bOff + j];
            }
        }
    }

    @Override
    public void close() {
        // plain Java arrays
    }
}
