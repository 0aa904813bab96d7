package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import net.jqwik.api.constraints.Scale;

class FastTanhProperties {
    private static float fast(float x) {
        float[] a = {x};
        FastTanh.apply(a, 1);
        return a[0];
    }

    @Property(tries = 2000)
    void isWithin4e7OfTheExactTanh(@ForAll @FloatRange(min = -20, max = 20) @Scale(6) float x) {
        double exact = Math.tanh(x);
        assertEquals(exact, fast(x), 4e-7 * Math.max(1e-3, Math.abs(exact)), "tanh(" + x + ")");
    }

    @Property(tries = 500)
    void isOddAndBounded(@ForAll float x) {
        float y = fast(x);
        assertEquals(-y, fast(-x));
        assertTrue(y >= -1 && y <= 1, "tanh(" + x + ") = " + y);
    }

    @Property(tries = 200)
    void keepsRelativePrecisionNearZero(@ForAll @FloatRange(min = -1e-3f, max = 1e-3f) @Scale(9) float x) {
        assertEquals(Math.tanh(x), fast(x), 4e-7 * Math.abs(x) + 1e-45);
    }
}
