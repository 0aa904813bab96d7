package io.charrnn.internal.cells;

/**
 * The element-wise part of one time step of the LSTM and GRU cells, forward and backward, on the
 * host. {@link NdGatedKernel} does the products through BLAS and this math in Java: a few dozen
 * libnd4j ops per step would each cost a fixed overhead larger than their arithmetic (figures: docs/engine.md), while
 * these loops have no calls.
 *
 * <p>Two paths. FLOAT (training): every operand is its own zero-based {@code float[]} of B·H
 * values, one array per gate ({@code i[b·H + j]} is unit j of stream b), of which a call computes
 * the entries {@code [from, to)} (a range of whole rows when {@link NdGatedKernel} splits a step
 * across two threads), so each loop has the form {@code a[j] = f(b[j], c[j])} that HotSpot C2 on
 * JDK 17 vectorises (with gate offsets into one [B, G·H] array, {@code a[zb + H + j]}, it cannot
 * rule out overlap and stays scalar; see {@link RowWeights}); tanh and σ are those of {@link FastTanh}, like sampling's
 * {@link RnnStepper}. DOUBLE (gradient checks, the {@code lstmLayer} oracle): over [B, G·H] rows
 * of {@code double[]} with {@link Math#tanh}, {@code σ(x) = 0.5 + 0.5·tanh(x/2)}.
 */
final class GateMath {
    private GateMath() {
    }

    // ---------------------------------------------------------------- float (training)

    /**
     * LSTM forward step in float. {@code i, f, g, o} hold the pre-activations and receive the
     * activations; {@code cPrev} is c_{t-1} (zero rows after a reset). Writes c_t to {@code c},
     * tanh(c_t) to {@code tc} and h_t to {@code h}.
     */
    static void lstmForward(float[] i, float[] f, float[] g, float[] o, float[] cPrev, float[] c, float[] tc,
                            float[] h, int from, int to) {
        FastTanh.sigmoid(i, from, to);
        FastTanh.sigmoid(f, from, to);
        FastTanh.apply(g, from, to);
        FastTanh.sigmoid(o, from, to);
        for (int j = from; j < to; j++) {
            float v = f[j] * cPrev[j] + i[j] * g[j];
            c[j] = v;
            tc[j] = v;
        }
        FastTanh.apply(tc, from, to);
        for (int j = from; j < to; j++) {
            h[j] = o[j] * tc[j];
        }
    }

    /**
     * LSTM backward step in float. {@code i, f, g, o} hold the step's activations, {@code cPrev}
     * c_{t-1} (zero rows after a reset), {@code tc} tanh(c_t), {@code dh} dL/dh_t; {@code dc} holds
     * dL/dc_t from the step after (zero at the last step) and receives dL/dc_{t-1}. Writes
     * dL/d(pre-activations) to {@code di, df, dg, dO}.
     */
    static void lstmBackward(float[] i, float[] f, float[] g, float[] o, float[] cPrev, float[] tc, float[] dh,
                             float[] dc, float[] di, float[] df, float[] dg, float[] dO, int from, int to) {
        for (int j = from; j < to; j++) {
            float t = tc[j];
            float d = dh[j];
            float oj = o[j];
            float fj = f[j];
            float ij = i[j];
            float gj = g[j];
            float dcv = dc[j] + d * oj * (1 - t * t);
            di[j] = dcv * gj * ij * (1 - ij);
            df[j] = dcv * cPrev[j] * fj * (1 - fj);
            dg[j] = dcv * ij * (1 - gj * gj);
            dO[j] = d * t * oj * (1 - oj);
            dc[j] = dcv * fj;
        }
    }

    /**
     * GRU forward step in float (PyTorch's equations, see {@link io.charrnn.model.CellType#GRU}).
     * {@code r, z, n} hold x·Wx + bx per gate and receive the activations; {@code hr, hz, hn} hold
     * h·Wh per gate and receive h·Wh + bh ({@code hn} is needed backward); {@code br, bz, bn} are
     * bh per gate repeated for every row; {@code hPrev} h_{t-1} (zero rows after a reset). Writes
     * h_t to {@code h}.
     */
    static void gruForward(float[] r, float[] z, float[] n, float[] hr, float[] hz, float[] hn, float[] br,
                           float[] bz, float[] bn, float[] hPrev, float[] h, int from, int to) {
        for (int j = from; j < to; j++) {
            r[j] += hr[j] + br[j];
            z[j] += hz[j] + bz[j];
            hn[j] += bn[j];
        }
        FastTanh.sigmoid(r, from, to);
        FastTanh.sigmoid(z, from, to);
        for (int j = from; j < to; j++) {
            n[j] += r[j] * hn[j];
        }
        FastTanh.apply(n, from, to);
        for (int j = from; j < to; j++) {
            float zj = z[j];
            h[j] = (1 - zj) * n[j] + zj * hPrev[j];
        }
    }

    /**
     * GRU backward step in float. {@code r, z, n} hold the activations, {@code hn} h·Whn + bhn,
     * {@code hPrev} h_{t-1}, {@code dh} dL/dh_t. Writes dL/d(x·Wx + bx) per gate to {@code dr, dz,
     * dn} (the r and z parts are also those of h·Wh + bh), dL/d(h·Whn + bhn) to {@code dhn}, and the
     * direct part of dL/dh_{t-1}, {@code z⊙dh}, to {@code dhPrev}.
     */
    static void gruBackward(float[] r, float[] z, float[] n, float[] hn, float[] hPrev, float[] dh, float[] dr,
                            float[] dz, float[] dn, float[] dhn, float[] dhPrev, int from, int to) {
        for (int j = from; j < to; j++) {
            float rj = r[j];
            float zj = z[j];
            float nj = n[j];
            float d = dh[j];
            float an = d * (1 - zj) * (1 - nj * nj);
            dr[j] = an * hn[j] * rj * (1 - rj);
            dz[j] = d * (hPrev[j] - nj) * zj * (1 - zj);
            dn[j] = an;
            dhn[j] = an * rj;
            dhPrev[j] = d * zj;
        }
    }

    // ---------------------------------------------------------------- double (exact)

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

    /**
     * LSTM forward step in double over [B, 4H] rows. {@code z} holds the pre-activations i, f, g,
     * o and receives the activations; {@code cPrev} [B, H] the previous cell state (zero rows after
     * a reset). Writes c_t to {@code c[cOff..]}, tanh(c_t) to {@code tc[tcOff..]} and h_t to {@code h}.
     */
    static void lstmForward(double[] z, double[] cPrev, double[] c, int cOff, double[] tc, int tcOff, double[] h,
                            int batch, int hidden) {
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
     * LSTM backward step in double. {@code a} [B, 4H] holds the activations i, f, g, o of the step,
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
     * GRU forward step in double. {@code x} [B, 3H] holds x·Wx + bx and receives the activations
     * r, z, n; {@code hr} [B, 3H] holds h·Wh and receives h·Wh + bh (its n block is needed
     * backward); {@code hPrev} [B, H] (zero rows after a reset). Writes h_t to {@code h}.
     */
    static void gruForward(double[] x, double[] hr, double[] bh, double[] hPrev, double[] h, int batch, int hidden) {
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
     * GRU backward step in double. {@code a} [B, 3H] holds r, z, n; {@code hr} [B, 3H] h·Wh + bh;
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
