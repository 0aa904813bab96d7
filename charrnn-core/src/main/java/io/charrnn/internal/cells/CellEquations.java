package io.charrnn.internal.cells;

/**
 * The one definition of each cell's step, forward and backward: the element-wise part that turns
 * gate pre-activations into the new state, and the state's gradient into the pre-activations'
 * gradients, in float64 with exact {@link Math#tanh} and {@code σ(x) = 0.5 + 0.5·tanh(x/2)}
 * (equations: {@link io.charrnn.model.CellType}). The products that make the pre-activations are
 * not here: they are the callers' loops (BLAS, row axpys).
 *
 * <p>Used as it is by everything that works in float64: the ND4J gated kernel in DOUBLE (gradient
 * checks), the gradient through time and the gate saturation of {@code io.charrnn.diagnostics}.
 * The float32 paths (training kernels and sampling) run {@link FloatCells}, the same formulas in
 * the same order over one zero-based array per gate so that the loops vectorise, with
 * {@link FastTanh}; {@code FloatCellsProperties} holds every routine there to the one here with a
 * stated tolerance. Java has no generics over primitive types, so the float32 text cannot be this
 * text without changing the float results that the weight hashes pin; the test is what ties them.
 *
 * <p>Every routine works over {@code batch} rows: a [B, G·H] block of gates (row b at
 * {@code b·G·H}, gate k at {@code k·H} in it, in {@code CellType}'s order: LSTM {@code i f g o},
 * GRU {@code r z n}) and [B, H] blocks of states; batch 1 is one sequence step.
 */
public final class CellEquations {
    private CellEquations() {
    }

    /** a[off..off+n) = tanh(a[off..off+n)). */
    private static void tanh(double[] a, int off, int n) {
        for (int i = off; i < off + n; i++) {
            a[i] = Math.tanh(a[i]);
        }
    }

    /** a[off..off+n) = σ(a[off..off+n)) = 0.5 + 0.5·tanh(a/2). */
    private static void sigmoid(double[] a, int off, int n) {
        for (int i = off; i < off + n; i++) {
            a[i] = 0.5 + 0.5 * Math.tanh(0.5 * a[i]);
        }
    }

    // ---------------------------------------------------------------- vanilla

    /**
     * Vanilla forward: {@code h = tanh(a)} or {@code max(a, 0)} over {@code a[off..off+n)}, in place.
     *
     * @param tanh tanh, else ReLU
     */
    public static void rnnForward(double[] a, int off, int n, boolean tanh) {
        if (tanh) {
            tanh(a, off, n);
        } else {
            for (int i = off; i < off + n; i++) {
                a[i] = Math.max(a[i], 0);
            }
        }
    }

    /**
     * Vanilla backward: {@code da = dh ⊙ f'(a)} from the new state {@code h[hOff..hOff+n)}, in place
     * over {@code d[dOff..dOff+n)}: {@code 1 − h²} for tanh; for ReLU, zero where {@code h ≤ 0}.
     */
    public static void rnnBackward(double[] h, int hOff, double[] d, int dOff, int n, boolean tanh) {
        for (int k = 0; k < n; k++) {
            double y = h[hOff + k];
            if (tanh) {
                d[dOff + k] *= 1 - y * y;
            } else if (y <= 0) {
                d[dOff + k] = 0;
            }
        }
    }

    // ---------------------------------------------------------------- LSTM

    /**
     * LSTM forward over [B, 4H] rows. {@code z} holds the pre-activations i, f, g, o and receives
     * the activations; {@code cPrev} [B, H] the previous cell state (zero rows after a reset).
     * Writes c_t to {@code c[cOff..]}, tanh(c_t) to {@code tc[tcOff..]} and h_t to {@code h}.
     */
    public static void lstmForward(double[] z, double[] cPrev, double[] c, int cOff, double[] tc, int tcOff,
                                   double[] h, int batch, int hidden) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g4;
            sigmoid(z, zb, 2 * hidden); // i, f
            tanh(z, zb + 2 * hidden, hidden); // g
            sigmoid(z, zb + 3 * hidden, hidden); // o
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double v = z[zb + hidden + j] * cPrev[hb + j] + z[zb + j] * z[zb + 2 * hidden + j];
                c[cOff + hb + j] = v;
                tc[tcOff + hb + j] = v;
            }
            tanh(tc, tcOff + hb, hidden);
            for (int j = 0; j < hidden; j++) {
                h[hb + j] = z[zb + 3 * hidden + j] * tc[tcOff + hb + j];
            }
        }
    }

    /**
     * LSTM backward. {@code a} [B, 4H] holds the activations i, f, g, o of the step, {@code cPrev}
     * [B, H] c_{t-1} (zero rows after a reset), {@code tc[tcOff..]} tanh(c_t), {@code dh} [B, H]
     * dL/dh_t; {@code dc} [B, H] holds dL/dc_t from the step after (zero at the last step) and
     * receives dL/dc_{t-1}. Writes dL/d(pre-activations) to {@code dz} [B, 4H] and, unless
     * {@code dcStep} is null, the whole dL/dc_t to it [B, H].
     */
    public static void lstmBackward(double[] a, double[] cPrev, double[] tc, int tcOff, double[] dh, double[] dc,
                                    double[] dz, double[] dcStep, int batch, int hidden) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g4;
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = a[zb + j];
                double f = a[zb + hidden + j];
                double g = a[zb + 2 * hidden + j];
                double o = a[zb + 3 * hidden + j];
                double t = tc[tcOff + hb + j];
                double d = dh[hb + j];
                double dcv = dc[hb + j] + d * o * (1 - t * t);
                dz[zb + j] = dcv * g * i * (1 - i);
                dz[zb + hidden + j] = dcv * cPrev[hb + j] * f * (1 - f);
                dz[zb + 2 * hidden + j] = dcv * i * (1 - g * g);
                dz[zb + 3 * hidden + j] = d * t * o * (1 - o);
                dc[hb + j] = dcv * f;
                if (dcStep != null) {
                    dcStep[hb + j] = dcv;
                }
            }
        }
    }

    // ---------------------------------------------------------------- GRU

    /**
     * GRU forward (PyTorch's equations). {@code x} [B, 3H] holds x·Wx + bx and receives the
     * activations r, z, n; {@code hr} [B, 3H] holds h·Wh and receives h·Wh + bh (its n block is
     * needed backward); {@code bh} [3H]; {@code hPrev} [B, H] (zero rows after a reset). Writes h_t
     * to {@code h}.
     */
    public static void gruForward(double[] x, double[] hr, double[] bh, double[] hPrev, double[] h, int batch,
                                  int hidden) {
        int g3 = 3 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g3;
            for (int j = 0; j < g3; j++) {
                hr[zb + j] += bh[j];
            }
            for (int j = 0; j < 2 * hidden; j++) {
                x[zb + j] += hr[zb + j];
            }
            sigmoid(x, zb, 2 * hidden); // r, z
            for (int j = 0; j < hidden; j++) {
                x[zb + 2 * hidden + j] += x[zb + j] * hr[zb + 2 * hidden + j];
            }
            tanh(x, zb + 2 * hidden, hidden); // n
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double z = x[zb + hidden + j];
                h[hb + j] = (1 - z) * x[zb + 2 * hidden + j] + z * hPrev[hb + j];
            }
        }
    }

    /**
     * GRU backward. {@code a} [B, 3H] holds r, z, n; {@code hr} [B, 3H] h·Wh + bh; {@code hPrev}
     * [B, H]; {@code dh} [B, H] dL/dh_t. Writes dL/d(x·Wx + bx) to {@code dx} [B, 3H],
     * dL/d(h·Wh + bh) to {@code dhr} [B, 3H], and the direct part of dL/dh_{t-1}, {@code z⊙dh}, to
     * {@code dhPrev} [B, H].
     */
    public static void gruBackward(double[] a, double[] hr, double[] hPrev, double[] dh, double[] dx, double[] dhr,
                                   double[] dhPrev, int batch, int hidden) {
        int g3 = 3 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g3;
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = a[zb + j];
                double z = a[zb + hidden + j];
                double n = a[zb + 2 * hidden + j];
                double hn = hr[zb + 2 * hidden + j];
                double d = dh[hb + j];
                double an = d * (1 - z) * (1 - n * n);
                double ar = an * hn * r * (1 - r);
                double az = d * (hPrev[hb + j] - n) * z * (1 - z);
                dx[zb + j] = ar;
                dx[zb + hidden + j] = az;
                dx[zb + 2 * hidden + j] = an;
                dhr[zb + j] = ar;
                dhr[zb + hidden + j] = az;
                dhr[zb + 2 * hidden + j] = an * r;
                dhPrev[hb + j] = d * z;
            }
        }
    }
}
