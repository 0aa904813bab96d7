package io.charrnn.train;

/** Gradient clipping over the flat gradient buffer: by value (char-rnn, min-char-rnn), then by global norm (PyTorch). */
final class Clipping {
    private Clipping() {
    }

    /**
     * Clamps every entry to {@code [-maxValue, maxValue]}, then rescales the whole gradient if its L2
     * norm exceeds {@code maxNorm}. Either bound may be infinite (no clipping).
     *
     * @param g the flat gradient, changed in place
     * @return the global L2 norm before any clipping (NaN or infinite if the gradient is)
     */
    public static double clip(float[] g, double maxValue, double maxNorm) {
        double sq = sumOfSquares(g);
        double norm = Math.sqrt(sq);
        if (Double.isFinite(maxValue)) {
            // a loop of its own: HotSpot vectorises the clamp alone, but not beside the sums
            // (one pass doing both was about five times slower for C1's 23k parameters)
            float c = (float) maxValue;
            for (int i = 0; i < g.length; i++) {
                g[i] = Math.max(-c, Math.min(c, g[i]));
            }
            if (Double.isFinite(maxNorm)) {
                sq = sumOfSquares(g);
            }
        }
        double clippedNorm = Math.sqrt(sq);
        if (clippedNorm > maxNorm) {
            float scale = (float) (maxNorm / clippedNorm);
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return norm;
    }

    /** Σ g², in double over eight partial sums (one accumulator is a chain of dependent adds). */
    static double sumOfSquares(float[] g) {
        int n = g.length;
        int m = n & ~7;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        for (int i = 0; i < m; i += 8) {
            s0 += (double) g[i] * g[i];
            s1 += (double) g[i + 1] * g[i + 1];
            s2 += (double) g[i + 2] * g[i + 2];
            s3 += (double) g[i + 3] * g[i + 3];
            s4 += (double) g[i + 4] * g[i + 4];
            s5 += (double) g[i + 5] * g[i + 5];
            s6 += (double) g[i + 6] * g[i + 6];
            s7 += (double) g[i + 7] * g[i + 7];
        }
        for (int i = m; i < n; i++) {
            s0 += (double) g[i] * g[i];
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }
}
