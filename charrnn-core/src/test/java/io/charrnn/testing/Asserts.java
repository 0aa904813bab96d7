package io.charrnn.testing;

import static org.junit.jupiter.api.Assertions.fail;

/** Array comparisons that report the first differing index. */
public final class Asserts {
    private Asserts() {
    }

    /**
     * Fails unless {@code |e - a| <= absolute + relative·|e|} for every index.
     */
    public static void assertClose(float[] expected, float[] actual, double relative, double absolute, String what) {
        if (expected.length != actual.length) {
            fail(what + ": lengths differ, " + expected.length + " vs " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (!(Math.abs(e - a) <= absolute + relative * Math.abs(e))) {
                fail(what + ": first difference at index " + i + ": expected " + e + ", got " + a
                        + " (|diff| " + Math.abs(e - a) + ")");
            }
        }
    }

    /** @return the largest absolute entry */
    public static double maxAbs(float[] x) {
        double m = 0;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
