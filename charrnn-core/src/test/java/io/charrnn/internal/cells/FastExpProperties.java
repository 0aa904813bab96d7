package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;

class FastExpProperties {

    @Property(tries = 2000, seed = "21")
    void exp_relativeErrorBelow2e7(@ForAll @FloatRange(min = -87f, max = 88f) float x) {
        double expected = Math.exp(x);
        double actual = FastExp.exp(x);
        assertTrue(Math.abs(actual - expected) <= 2e-7 * expected, "exp(" + x + ") = " + actual + ", expected " + expected);
    }

    @Property(tries = 300, seed = "22")
    void apply_shiftsAndScalesLikeTheFormula(@ForAll @FloatRange(min = -20f, max = 0f) float x,
                                             @ForAll @FloatRange(min = 0.1f, max = 5f) float scale) {
        float[] a = {x, 0f};
        FastExp.apply(a, 2, 0f, scale, new float[2]);
        double expected = Math.exp(x * scale);
        assertEquals(expected, a[0], 2e-7 * expected + 1e-37);
        assertEquals(1f, a[1]);
    }

    @Example
    void veryNegativeInputs_giveExactlyZero() {
        float[] a = {-88f, -1000f, Float.NEGATIVE_INFINITY, -Float.MAX_VALUE};
        FastExp.apply(a, a.length, 0f, 1f, new float[a.length]);
        for (float v : a) {
            assertEquals(0f, v);
        }
        assertTrue(FastExp.exp(-87f) > 0);
    }
}
