package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Size;

class ClippingProperties {
    private static double norm(float[] g) {
        double s = 0;
        for (float v : g) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }

    private static float[] toArray(java.util.List<Float> values) {
        float[] g = new float[values.size()];
        for (int i = 0; i < g.length; i++) {
            g[i] = values.get(i);
        }
        return g;
    }

    @Property(tries = 200)
    void byNorm_boundsTheNormAndKeepsTheDirection(
            @ForAll @Size(min = 1, max = 50) java.util.List<@FloatRange(min = -100, max = 100) Float> values,
            @ForAll @DoubleRange(min = 0.01, max = 50) double maxNorm) {
        float[] g = toArray(values);
        float[] before = g.clone();
        double reported = Clipping.clip(g, Double.POSITIVE_INFINITY, maxNorm);
        assertEquals(norm(before), reported, 1e-9 * Math.max(1, reported));
        assertTrue(norm(g) <= maxNorm * (1 + 1e-6), "norm " + norm(g) + " > " + maxNorm);
        double nb = norm(before);
        double na = norm(g);
        if (nb > 0) {
            double cos = 0;
            for (int i = 0; i < g.length; i++) {
                cos += (double) g[i] * before[i];
            }
            assertEquals(1.0, cos / (na * nb), 1e-6, "direction changed");
        }
        if (nb <= maxNorm) {
            assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(g), "changed below the bound");
        }
    }

    @Property(tries = 200)
    void byValue_clampsEveryEntry(
            @ForAll @Size(min = 1, max = 50) java.util.List<@FloatRange(min = -100, max = 100) Float> values,
            @ForAll @DoubleRange(min = 0.01, max = 10) double maxValue) {
        float[] g = toArray(values);
        float[] before = g.clone();
        Clipping.clip(g, maxValue, Double.POSITIVE_INFINITY);
        for (int i = 0; i < g.length; i++) {
            assertEquals(Math.max(-maxValue, Math.min(maxValue, before[i])), g[i], 1e-6);
        }
    }
}
