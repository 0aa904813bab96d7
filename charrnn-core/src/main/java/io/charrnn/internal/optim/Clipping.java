package io.charrnn.internal.optim;

/** Gradient clipping over the flat gradient buffer: by value (char-rnn, min-char-rnn), then by global norm (PyTorch). */
public final class Clipping {
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
        double sq = 0;
        for (float v : g) {
            sq += (double) v * v;
        }
        double norm = Math.sqrt(sq);
        if (Double.isFinite(maxValue)) {
            float c = (float) maxValue;
            sq = 0;
            for (int i = 0; i < g.length; i++) {
                float v = Math.max(-c, Math.min(c, g[i]));
                g[i] = v;
                sq += (double) v * v;
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
}
