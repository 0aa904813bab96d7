package io.charrnn.internal.cells;

/**
 * exp in float32 without a call: Cody–Waite range reduction {@code x = n·ln2 + r},
 * {@code |r| <= ln2/2}, the degree-5 Cephes {@code expf} polynomial for {@code e^r} and
 * {@code 2^n} built from its exponent bits. Relative error below 2e-7 (about 2 ulp) on
 * {@code [-87, 88]}; inputs at or below about -87.7 (negative infinity included) give exactly 0
 * and just above that the result may be subnormal. The loops have no branches and no calls.
 *
 * <p>Why: sampling computes one exponential per vocabulary entry per character; this loop is several
 * times faster than {@link Math#exp} in a loop, which made a temperature draw cost about as much as
 * greedy decoding (figures: docs/engine.md).
 */
public final class FastExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding it rounds to an integer
    private static final float LOW = -88f; // n = -127: 2^n has zero exponent bits, so the result is 0

    private FastExp() {
    }

    /**
     * Replaces {@code a[0..n)} by {@code exp((a[i] - shift) * scale)}; the argument must be at
     * most 88 (in a softmax it is at most 0).
     *
     * @param shift subtracted first (the maximum, for a softmax)
     * @param scale then multiplied (1 / temperature)
     * @param scratch at least {@code n} floats, overwritten
     */
    public static void apply(float[] a, int n, float shift, float scale, float[] scratch) {
        // Two loops: the first has only float arithmetic and vectorises; the second builds 2^k from
        // the bits of t = k + 1.5·2^23 + 127 (its low mantissa bits are k + 127).
        for (int i = 0; i < n; i++) {
            float x = Math.max(LOW, (a[i] - shift) * scale);
            float t = x * LOG2E + ROUND;
            float k = t - ROUND;
            scratch[i] = t + 127f;
            float r = x - k * LN2_HI - k * LN2_LO;
            float p = 1.9875691500e-4f;
            p = p * r + 1.3981999507e-3f;
            p = p * r + 8.3334519073e-3f;
            p = p * r + 4.1665795894e-2f;
            p = p * r + 1.6666665459e-1f;
            p = p * r + 5.0000001201e-1f;
            a[i] = p * r * r + r + 1f;
        }
        for (int i = 0; i < n; i++) {
            a[i] *= Float.intBitsToFloat(Float.floatToRawIntBits(scratch[i]) << 23);
        }
    }

    /** @return {@code exp(x)} as {@link #apply} computes it, for {@code x <= 88} */
    public static float exp(float x) {
        float[] one = {x};
        apply(one, 1, 0f, 1f, new float[1]);
        return one[0];
    }
}
