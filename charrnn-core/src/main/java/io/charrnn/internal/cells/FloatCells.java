package io.charrnn.internal.cells;

/**
 * The float32 specialisation of {@link CellEquations}: each cell's step, forward and backward, with
 * the same formulas in the same order, over one zero-based {@code float[]} per gate, and with the
 * tanh and σ of {@link FastTanh}. Every float32 path runs it: the training kernels (the LSTM and
 * GRU in {@link NdGatedKernel}, the vanilla cell in {@link JavaRnnKernel} and {@link NdRnnKernel})
 * and sampling ({@link RnnStepper}), so training and sampling compute a cell's step alike.
 *
 * <p>Operands are {@code a[j]}, one array per gate, of which a call computes the entries
 * {@code [from, to)}: in the kernels {@code i[b·H + j]} is unit j of stream b and a range of whole
 * rows is what {@link NdGatedKernel} gives each of two threads; in the stepper an array is one
 * row's gate. Each loop has the form {@code a[j] = f(b[j], c[j])}, which HotSpot C2 on JDK 17
 * vectorises; with gate offsets into one [B, G·H] array, {@code a[zb + H + j]}, it cannot rule out
 * overlap and stays scalar (see {@link RowWeights}). There are no calls in the loops but the tanh
 * of {@link FastTanh}, which the JIT inlines. {@code FloatCellsProperties} holds every routine to
 * {@link CellEquations}.
 */
final class FloatCells {
    private FloatCells() {
    }

    // ---------------------------------------------------------------- vanilla

    /** Vanilla forward in place over {@code a[from..to)}: tanh, or ReLU {@code max(a, 0)}. */
    static void rnnForward(float[] a, int from, int to, boolean tanh) {
        if (tanh) {
            FastTanh.apply(a, from, to);
        } else {
            for (int j = from; j < to; j++) {
                a[j] = Math.max(a[j], 0f);
            }
        }
    }

    /**
     * Vanilla backward in place over {@code d[from..to)}: {@code d ⊙= 1 − h²} for tanh; for ReLU,
     * zero where {@code h ≤ 0} ({@code h > 0} exactly where the pre-activation is).
     */
    static void rnnBackward(float[] h, float[] d, int from, int to, boolean tanh) {
        if (tanh) {
            for (int j = from; j < to; j++) {
                d[j] *= 1f - h[j] * h[j];
            }
        } else {
            for (int j = from; j < to; j++) {
                if (h[j] <= 0f) {
                    d[j] = 0f;
                }
            }
        }
    }

    // ---------------------------------------------------------------- LSTM and GRU


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
     * h·Wh + bh per gate ({@code hn} is needed backward); {@code hPrev} h_{t-1} (zero rows after a
     * reset). Writes h_t to {@code h}.
     */
    static void gruForward(float[] r, float[] z, float[] n, float[] hr, float[] hz, float[] hn, float[] hPrev,
                           float[] h, int from, int to) {
        for (int j = from; j < to; j++) {
            r[j] += hr[j];
            z[j] += hz[j];
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
}
