package io.charrnn.internal.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.charrnn.internal.check.Check;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each rule's one wording (what must hold, what was given), and that a value that holds comes back. */
class CheckTest {

    @Test
    void integerBounds_sayTheBoundAndTheValue() {
        assertRejected("hidden must be >= 1, got 0", () -> Check.atLeast("hidden", 0, 1));
        assertRejected("steps must be >= 0, got -5", () -> Check.atLeast("steps", -5L, 0L));
        assertRejected("layers must be in [1, 64], got 65", () -> Check.inRange("layers", 65, 1, 64));
        assertRejected("offset must be in [0, 9], got -1", () -> Check.inRange("offset", -1L, 0L, 9L));
        assertRejected("index must be in [0, 3), got 3", () -> Check.index("index", 3, 3));
        assertRejected("index must be in [0, 3), got -1", () -> Check.index("index", -1, 3));

        assertEquals(1, Check.atLeast("hidden", 1, 1));
        assertEquals(7L, Check.atLeast("steps", 7L, 0L));
        assertEquals(64, Check.inRange("layers", 64, 1, 64));
        assertEquals(0L, Check.inRange("offset", 0L, 0L, 9L));
        assertEquals(2, Check.index("index", 2, 3));
    }

    @Test
    void realBounds_rejectNaNAndInfinity() {
        assertRejected("forgetBias must be finite, got NaN", () -> Check.finite("forgetBias", Double.NaN));
        assertRejected("forgetBias must be finite, got -Infinity",
                () -> Check.finite("forgetBias", Double.NEGATIVE_INFINITY));
        assertRejected("temperature must be finite and > 0, got 0.0", () -> Check.positive("temperature", 0));
        assertRejected("temperature must be finite and > 0, got Infinity",
                () -> Check.positive("temperature", Double.POSITIVE_INFINITY));
        assertRejected("temperature must be finite and > 0, got NaN", () -> Check.positive("temperature", Double.NaN));
        assertRejected("penalty must be finite and >= 1, got 0.5", () -> Check.atLeast("penalty", 0.5, 1.0));
        assertRejected("penalty must be finite and >= 1, got NaN", () -> Check.atLeast("penalty", Double.NaN, 1.0));
        assertRejected("margin must be finite and >= 0.25, got 0.0", () -> Check.atLeast("margin", 0.0, 0.25));

        assertEquals(-3.5, Check.finite("forgetBias", -3.5));
        assertEquals(1e-9, Check.positive("temperature", 1e-9));
        assertEquals(1.0, Check.atLeast("penalty", 1.0, 1.0));
    }

    @Test
    void unitIntervals_sayWhichEndsAreIn() {
        assertRejected("dropout must be in [0, 1), got 1.0", () -> Check.fraction("dropout", 1));
        assertRejected("dropout must be in [0, 1), got -0.1", () -> Check.fraction("dropout", -0.1));
        assertRejected("dropout must be in [0, 1), got NaN", () -> Check.fraction("dropout", Double.NaN));
        assertRejected("p must be in (0, 1], got 0.0", () -> Check.share("p", 0));
        assertRejected("p must be in (0, 1], got 1.5", () -> Check.share("p", 1.5));
        assertRejected("p must be in (0, 1], got NaN", () -> Check.share("p", Double.NaN));
        assertRejected("probability must be in [0, 1], got 1.01", () -> Check.probability("probability", 1.01));
        assertRejected("probability must be in [0, 1], got NaN", () -> Check.probability("probability", Double.NaN));

        assertEquals(0.0, Check.fraction("dropout", 0));
        assertEquals(1.0, Check.share("p", 1));
        assertEquals(0.0, Check.probability("probability", 0));
        assertEquals(1.0, Check.probability("probability", 1));
    }

    @Test
    void nanAndFiniteEntries_nameTheFirstBadIndex() {
        assertRejected("totalNats must not be NaN, got NaN", () -> Check.notNaN("totalNats", Double.NaN));
        assertRejected("logits must not be NaN, got NaN at index 2",
                () -> Check.noNaN("logits", new float[] {0f, Float.NEGATIVE_INFINITY, Float.NaN, Float.NaN}));
        assertRejected("losses must be finite, got Infinity at index 1",
                () -> Check.allFinite("losses", new double[] {1, Double.POSITIVE_INFINITY, Double.NaN}));
        assertRejected("losses must be finite, got NaN at index 0",
                () -> Check.allFinite("losses", new float[] {Float.NaN, 1f}));

        assertEquals(Double.POSITIVE_INFINITY, Check.notNaN("totalNats", Double.POSITIVE_INFINITY));
        float[] logits = {Float.NEGATIVE_INFINITY, 2f};
        assertSame(logits, Check.noNaN("logits", logits));
        double[] losses = {1, 2};
        assertSame(losses, Check.allFinite("losses", losses));
        float[] smooth = {1f, -2f};
        assertSame(smooth, Check.allFinite("smoothLosses", smooth));
    }

    @Test
    void emptiness_isWordedForTextsAndForCollections() {
        assertRejected("text must contain at least one character, got an empty text", () -> Check.notEmpty("text", ""));
        assertRejected("logits must have at least one entry, got none", () -> Check.notEmpty("logits", 0));

        assertEquals("a", Check.notEmpty("text", "a"));
        assertEquals(List.of(1).size(), Check.notEmpty("logits", 1));
    }

    @Test
    void unboundModels_areRefusedNamingTheUseAndTheRemedy() {
        assertRejected("cannot save a model with no vocabulary and no weights: train it on a corpus first (or build it "
                + "with .vocabulary(v) for random weights)", () -> Check.bound(false, "save"));
        Check.bound(true, "save");
    }

    @Test
    void ownRules_formatOnlyTheirTemplate() {
        assertRejected("sequenceLength and batchSize must be >= 1, got 0 and 4",
                () -> Check.argument(false, "sequenceLength and batchSize must be >= 1, got %s and %s", 0, 4));
        Check.argument(true, "never formatted %s", "x");
    }

    private static void assertRejected(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }
}
