package io.charrnn.internal.cells;

import io.charrnn.internal.check.Check;
import io.charrnn.model.Activation;
import java.util.Arrays;

/**
 * The same forward pass and BPTT as {@link NdRnnKernel}, in plain Java, for the small shapes where
 * ND4J's per-call overhead dominates: min-char-rnn's H=100, B=1 step. Rows are
 * time-major, as there; tests hold both kernels to the same losses and gradients.
 *
 * <p>Every product is an "axpy over rows" on {@link RowWeights} (see there for why: several times
 * faster than offsets into a flat buffer on JDK 17), four rows per pass over the output; {@code W·x}
 * products use rows of {@code Wᵀ}; the cell's own step, forward and backward, is
 * {@link FloatCells}'. Backward runs the recurrence first and then the weight gradients of all time rows, four rows per pass over each gradient row
 * ({@link RowWeights#addOuterRows}). With clipping in a vectorised loop, these halved C1's step (figures: docs/engine.md).
 * Each call copies the flat parameters into rows and the row gradients back out, little against the
 * step's arithmetic. Not thread-safe.
 */
public final class JavaRnnKernel implements Kernel {
    private final boolean tanh;
    private final int steps;
    private final int batch;
    private final int rows;
    private final int layers;
    private final boolean embed;

    private final RowWeights w;
    private final RowWeights g;
    private final float[][][] hs; // [l][(T+1)·B][H], h_0 in the first B rows
    private final float[][][] delta; // [l][T·B][H]
    private final float[][] probs; // [T·B][V]
    private final boolean[] resetRows; // [T·B]
    private final float[][] embedded; // [T·B] rows of the embedding, by input code
    private int resetCode = -1;

    public JavaRnnKernel(ParameterLayout layout, int steps, int batch) {
        Check.atLeast("steps", steps, 1);
        Check.atLeast("batch", batch, 1);
        this.tanh = layout.config().activation() == Activation.TANH;
        this.steps = steps;
        this.batch = batch;
        this.rows = steps * batch;
        this.layers = layout.config().layers();
        this.embed = layout.config().hasEmbedding();
        int hidden = layout.config().hidden();
        w = new RowWeights(layout, true);
        g = new RowWeights(layout, false);
        hs = new float[layers][rows + batch][hidden];
        delta = new float[layers][rows][hidden];
        probs = new float[rows][layout.vocabularySize()];
        resetRows = new boolean[rows];
        embedded = new float[rows][];
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
        for (float[][] h : hs) {
            for (int b = 0; b < batch; b++) {
                Arrays.fill(h[b], 0f);
            }
        }
    }

    @Override
    public void resetBefore(int code) {
        this.resetCode = code;
    }

    @Override
    public float[] state() {
        int h = hs[0][0].length;
        float[] out = new float[layers * batch * h];
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(hs[l][b], 0, out, (l * batch + b) * h, h);
            }
        }
        return out;
    }

    @Override
    public void restoreState(float[] state) {
        int h = hs[0][0].length;
        if (state.length != layers * batch * h) {
            throw new IllegalArgumentException("hidden state must have " + layers * batch * h + " values, got " + state.length);
        }
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(state, (l * batch + b) * h, hs[l][b], 0, h);
            }
        }
    }

    @Override
    public void copyStateFrom(Kernel other) {
        if (!(other instanceof JavaRnnKernel o) || o.batch != batch || o.layers != layers
                || o.hs[0][0].length != hs[0][0].length) {
            throw new IllegalStateException("internal error: cannot copy state from " + other);
        }
        for (int l = 0; l < layers; l++) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(o.hs[l][b], 0, hs[l][b], 0, hs[l][b].length);
            }
        }
    }

    @Override
    public double loss(float[] p, int[] inputs, int[] targets) {
        w.load(p);
        forward(inputs);
        double loss = softmaxLoss(targets, Float.NaN);
        commitState();
        return loss;
    }

    @Override
    public double trainStep(float[] p, int[] inputs, int[] targets, double lossScale, float[] gradient) {
        w.load(p);
        forward(inputs);
        double loss = softmaxLoss(targets, (float) lossScale);
        g.clear();
        backward(inputs);
        g.store(gradient);
        commitState();
        return loss;
    }

    private void forward(int[] inputs) {
        if (inputs.length != rows) {
            throw new IllegalStateException("internal error: batch of " + inputs.length + " codes, expected " + rows);
        }
        for (int l = 0; l < layers; l++) {
            float[][] hl = hs[l];
            for (int r = 0; r < rows; r++) {
                float[] a = hl[r + batch]; // h_{t+1} of this stream
                System.arraycopy(w.bias[l], 0, a, 0, a.length);
                if (l > 0) {
                    RowWeights.rowTimesMatrix(hs[l - 1][r + batch], w.wx[l], a);
                } else if (embed) {
                    RowWeights.rowTimesMatrix(w.embedding[inputs[r]], w.wx[0], a);
                } else {
                    RowWeights.axpy(1f, w.wx[0][inputs[r]], a);
                }
                if (inputs[r] != resetCode) {
                    RowWeights.rowTimesMatrix(hl[r], w.wh[l], a);
                }
                FloatCells.rnnForward(a, 0, a.length, tanh);
            }
        }
        float[][] top = hs[layers - 1];
        for (int r = 0; r < rows; r++) {
            float[] y = probs[r];
            System.arraycopy(w.by, 0, y, 0, y.length);
            RowWeights.rowTimesMatrix(top[r + batch], w.wy, y);
        }
    }


    /** Softmax per row, loss, and (unless scale is NaN) scale·(p − onehot) in place. */
    private double softmaxLoss(int[] targets, float scale) {
        double loss = 0;
        boolean gradient = !Float.isNaN(scale);
        for (int r = 0; r < rows; r++) {
            float[] y = probs[r];
            float max = Float.NEGATIVE_INFINITY;
            for (float v : y) {
                max = Math.max(max, v);
            }
            int target = targets[r];
            float targetLogit = y[target];
            double sum = 0;
            for (int j = 0; j < y.length; j++) {
                float e = (float) Math.exp(y[j] - max);
                y[j] = e;
                sum += e;
            }
            loss += Math.log(sum) + max - targetLogit; // exact even where p[target] underflows
            if (gradient) {
                float inv = (float) (scale / sum);
                for (int j = 0; j < y.length; j++) {
                    y[j] *= inv;
                }
                y[target] -= scale;
            }
        }
        return loss;
    }

    private void backward(int[] inputs) {
        boolean[] skip = null; // rows whose h_{t-1} was reset: no recurrent term
        if (resetCode >= 0) {
            skip = resetRows;
            for (int r = 0; r < rows; r++) {
                skip[r] = inputs[r] == resetCode;
            }
        }
        float[][] top = hs[layers - 1];
        float[][] dTop = delta[layers - 1];
        RowWeights.addOuterRows(top, batch, probs, rows, g.wy, null); // dWy += hᵀ·dy
        for (int r = 0; r < rows; r++) {
            float[] dy = probs[r];
            RowWeights.axpy(1f, dy, g.by);
            float[] dh = dTop[r];
            Arrays.fill(dh, 0f);
            RowWeights.rowTimesMatrix(dy, w.wyT, dh); // dh = Wy·dy
        }
        for (int l = layers - 1; l >= 0; l--) {
            float[][] hl = hs[l];
            float[][] dl = delta[l];
            // the recurrence, backwards in time; the weight gradients come after it, four rows at once
            for (int r = rows - 1; r >= 0; r--) {
                float[] da = dl[r];
                if (r + batch < rows && (skip == null || !skip[r + batch])) {
                    RowWeights.rowTimesMatrix(dl[r + batch], w.whT[l], da); // dh_t += Wh·da_{t+1}
                }
                FloatCells.rnnBackward(hl[r + batch], da, 0, da.length, tanh); // da_t = dh_t ⊙ f'(a_t)
            }
            RowWeights.addOuterRows(hl, 0, dl, rows, g.wh[l], skip); // dWh += h_{t-1}ᵀ·da_t
            for (int r = 0; r < rows; r++) {
                RowWeights.axpy(1f, dl[r], g.bias[l]);
            }
            if (l > 0) {
                RowWeights.addOuterRows(hs[l - 1], batch, dl, rows, g.wx[l], null);
                for (int r = 0; r < rows; r++) {
                    float[] below = delta[l - 1][r];
                    Arrays.fill(below, 0f);
                    RowWeights.rowTimesMatrix(dl[r], w.wxT[l], below); // into the layer below
                }
            } else if (embed) {
                for (int r = 0; r < rows; r++) {
                    embedded[r] = w.embedding[inputs[r]];
                }
                RowWeights.addOuterRows(embedded, 0, dl, rows, g.wx[0], null);
                for (int r = 0; r < rows; r++) {
                    RowWeights.rowTimesMatrix(dl[r], w.wxT[0], g.embedding[inputs[r]]);
                }
            } else {
                for (int r = 0; r < rows; r++) {
                    RowWeights.axpy(1f, dl[r], g.wx[0][inputs[r]]);
                }
            }
        }
    }

    private void commitState() {
        for (float[][] h : hs) {
            for (int b = 0; b < batch; b++) {
                System.arraycopy(h[rows + b], 0, h[b], 0, h[b].length);
            }
        }
    }

    @Override
    public void close() {
        // plain Java arrays
    }
}
