package io.charrnn.internal.cells;

/**
 * The element-wise part of one time step of the LSTM and GRU cells, forward and backward, over B
 * rows held in host {@code double[]} scratch (row b of a [B, k] block starts at {@code b·k}).
 * {@link NdGatedKernel} does the products through BLAS and this math on the host: a few dozen
 * libnd4j ops per step would cost 5–10 µs of fixed overhead each (ND4J-NOTES.md §1.2), while these
 * loops have no calls and vectorise.
 *
 * <p>With {@code exact} (float64 gradient checks) tanh is {@link Math#tanh}; otherwise it is the
 * rational approximation of {@link FastTanh} evaluated in double (error about 4e-7, below float32
 * resolution of the values it feeds). {@code σ(x) = 0.5 + 0.5·tanh(x/2)} in both cases.
 */
final class GateMath {
    private static final double CLAMP = 7.90531110763549805;
    private static final double A13 = -2.76076847742355e-16;
    private static final double A11 = 2.00018790482477e-13;
    private static final double A9 = -8.60467152213735e-11;
    private static final double A7 = 5.12229709037114e-08;
    private static final double A5 = 1.48572235717979e-05;
    private static final double A3 = 6.37261928875436e-04;
    private static final double A1 = 4.89352455891786e-03;
    private static final double B6 = 1.19825839466702e-06;
    private static final double B4 = 1.18534705686654e-04;
    private static final double B2 = 2.26843463243900e-03;
    private static final double B0 = 4.89352518554385e-03;

    private GateMath() {
    }

    /** a[off..off+n) = tanh(a[off..off+n)). */
    static void tanh(double[] a, int off, int n, boolean exact) {
        if (exact) {
            for (int i = off; i < off + n; i++) {
                a[i] = Math.tanh(a[i]);
            }
            return;
        }
        for (int i = off; i < off + n; i++) {
            double x = Math.max(-CLAMP, Math.min(CLAMP, a[i]));
            double x2 = x * x;
            double p = x2 * A13 + A11;
            p = x2 * p + A9;
            p = x2 * p + A7;
            p = x2 * p + A5;
            p = x2 * p + A3;
            p = x2 * p + A1;
            double q = x2 * B6 + B4;
            q = x2 * q + B2;
            q = x2 * q + B0;
            a[i] = x * p / q;
        }
    }

    /** a[off..off+n) = σ(a[off..off+n)) = 0.5 + 0.5·tanh(a/2). */
    static void sigmoid(double[] a, int off, int n, boolean exact) {
        for (int i = off; i < off + n; i++) {
            a[i] *= 0.5;
        }
        tanh(a, off, n, exact);
        for (int i = off; i < off + n; i++) {
            a[i] = 0.5 + 0.5 * a[i];
        }
    }

    /**
     * LSTM forward step. {@code z} [B, 4H] holds the pre-activations i, f, g, o and receives the
     * activations; {@code cPrev} [B, H] the previous cell state (zero rows after a reset).
     * Writes c_t to {@code c[cOff..]}, tanh(c_t) to {@code tc[tcOff..]} and h_t to {@code h}.
     */
    static void lstmForward(double[] z, double[] cPrev, double[] c, int cOff, double[] tc, int tcOff, double[] h,
                            int batch, int hidden, boolean exact) {
        int g4 = 4 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g4;
            sigmoid(z, zb, 2 * hidden, exact); // i, f
            tanh(z, zb + 2 * hidden, hidden, exact); // g
            sigmoid(z, zb + 3 * hidden, hidden, exact); // o
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double v = z[zb + hidden + j] * cPrev[hb + j] + z[zb + j] * z[zb + 2 * hidden + j];
                c[cOff + hb + j] = v;
                tc[tcOff + hb + j] = v;
            }
            tanh(tc, tcOff + hb, hidden, exact);
            for (int j = 0; j < hidden; j++) {
                h[hb + j] = z[zb + 3 * hidden + j] * tc[tcOff + hb + j];
            }
        }
    }

    /**
     * LSTM backward step. {@code a} [B, 4H] holds the activations i, f, g, o of the step,
     * {@code cPrev} [B, H] c_{t-1} (zero rows after a reset), {@code tc[tcOff..]} tanh(c_t),
     * {@code dh} [B, H] dL/dh_t; {@code dc} [B, H] holds dL/dc_t from the step after (zero at the
     * last step) and receives dL/dc_{t-1}. Writes dL/d(pre-activations) to {@code dz} [B, 4H].
     */
    static void lstmBackward(double[] a, double[] cPrev, double[] tc, int tcOff, double[] dh, double[] dc,
                             double[] dz, int batch, int hidden) {
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
            }
        }
    }

    /**
     * GRU forward step (PyTorch's equations, see {@link io.charrnn.model.CellType#GRU}). {@code x}
     * [B, 3H] holds x·Wx + bx and receives the activations r, z, n; {@code hr} [B, 3H] holds h·Wh
     * and receives h·Wh + bh (its n block is needed backward); {@code hPrev} [B, H] (zero rows
     * after a reset). Writes h_t to {@code h}.
     */
    static void gruForward(double[] x, double[] hr, double[] bh, double[] hPrev, double[] h, int batch, int hidden,
                           boolean exact) {
        int g3 = 3 * hidden;
        for (int b = 0; b < batch; b++) {
            int zb = b * g3;
            for (int j = 0; j < g3; j++) {
                hr[zb + j] += bh[j];
            }
            for (int j = 0; j < 2 * hidden; j++) {
                x[zb + j] += hr[zb + j];
            }
            sigmoid(x, zb, 2 * hidden, exact); // r, z
            for (int j = 0; j < hidden; j++) {
                x[zb + 2 * hidden + j] += x[zb + j] * hr[zb + 2 * hidden + j];
            }
            tanh(x, zb + 2 * hidden, hidden, exact); // n
            int hb = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double z = x[zb + hidden + j];
                h[hb + j] = (1 - z) * x[zb + 2 * hidden + j] + z * hPrev[hb + j];
            }
        }
    }

    /**
     * GRU backward step. {@code a} [B, 3H] holds r, z, n; {@code hr} [B, 3H] h·Wh + bh;
     * {@code hPrev} [B, H]; {@code dh} [B, H] dL/dh_t. Writes dL/d(x·Wx + bx) to {@code dx} [B, 3H],
     * dL/d(h·Wh + bh) to {@code dhr} [B, 3H], and the direct part of dL/dh_{t-1}, {@code z⊙dh}, to
     * {@code dhPrev} [B, H].
     */
    static void gruBackward(double[] a, double[] hr, double[] hPrev, double[] dh, double[] dx, double[] dhr,
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
