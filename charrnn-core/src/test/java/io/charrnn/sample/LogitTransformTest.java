package io.charrnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogitTransformTest {

    private static void assertRejected(String message, org.junit.jupiter.api.function.Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void factories_rejectOutOfRangeValues_sayingWhatMustHold() {
        assertRejected("temperature must be finite and > 0, got 0.0", () -> LogitTransform.temperature(0));
        assertRejected("k must be >= 1, got 0", () -> LogitTransform.topK(0));
        assertRejected("p must be in (0, 1], got 1.5", () -> LogitTransform.topP(1.5));
        assertRejected("p must be in (0, 1], got 0.0", () -> LogitTransform.minP(0));
        assertRejected("penalty must be finite and >= 1, got 0.5", () -> LogitTransform.repetitionPenalty(0.5, 10));
        assertRejected("window must be in [1, 4096] (the history a sampler keeps), got 0",
                () -> LogitTransform.repetitionPenalty(1.2, 0));
        assertRejected("window must be in [1, 4096] (the history a sampler keeps), got 4097",
                () -> LogitTransform.repetitionPenalty(1.2, 4097));
        assertRejected("k must be >= 1, got -2", () -> SamplingStrategy.topK(-2, 1.0));
        assertRejected("temperature must be finite and > 0, got NaN", () -> SamplingStrategy.minP(0.1, Double.NaN));
        assertRejected("indices must be >= 0, got -1 at position 1", () -> SamplingContext.of(3, -1));
    }

    @Test
    void chain_rejectsNullTransforms() {
        assertThrows(NullPointerException.class, () -> SamplingStrategy.chain(LogitTransform.topK(2), null));
    }

    @Test
    void topK_keepsExactlyKWithTiesToTheLowerIndex() {
        float[] logits = {1f, 3f, 3f, 2f, 3f};
        LogitTransform.topK(2).apply(logits, SamplingContext.empty());
        float n = Float.NEGATIVE_INFINITY;
        assertArrayEquals(new float[] {n, 3f, 3f, n, n}, logits);
    }

    @Test
    void topP_keepsTheSmallestSetReachingP() {
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        float[] copy = logits.clone();
        LogitTransform.topP(0.75).apply(copy, SamplingContext.empty());
        assertEquals(Float.NEGATIVE_INFINITY, copy[2]);
        assertEquals(logits[1], copy[1]);
        float[] one = logits.clone();
        LogitTransform.topP(0.4).apply(one, SamplingContext.empty());
        assertArrayEquals(new float[] {logits[0], Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, one);
    }

    @Test
    void minP_masksBelowTheFractionOfTheMaximum() {
        float[] logits = {(float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1)};
        LogitTransform.minP(0.4).apply(logits, SamplingContext.empty());
        assertEquals(Float.NEGATIVE_INFINITY, logits[2]);
        assertEquals((float) Math.log(0.3), logits[1]);
    }

    @Test
    void repetitionPenalty_lowersEachRecentDistinctIndexOnce() {
        float[] logits = {1f, 1f, 1f, 1f};
        LogitTransform.repetitionPenalty(Math.E, 3).apply(logits, SamplingContext.of(3, 1, 1, 2));
        assertArrayEquals(new float[] {1f, 0f, 0f, 1f}, logits, 1e-6f);
    }

    @Test
    void transforms_areValuesWithReadableNames() {
        assertEquals(LogitTransform.topP(0.9), LogitTransform.topP(0.9));
        assertEquals("temperature(0.8)", LogitTransform.temperature(0.8).toString());
        assertEquals("topK(40)", LogitTransform.topK(40).toString());
        assertEquals("topP(0.9)", LogitTransform.topP(0.9).toString());
        assertEquals("minP(0.05)", LogitTransform.minP(0.05).toString());
        assertEquals("repetitionPenalty(1.3, 64)", LogitTransform.repetitionPenalty(1.3, 64).toString());
    }

    @Test
    void samplingContext_readsOldestFirst() {
        SamplingContext c = SamplingContext.of(4, 5, 6);
        assertEquals(3, c.length());
        assertEquals(4, c.indexAt(0));
        assertEquals(6, c.indexAt(2));
        assertThrows(IndexOutOfBoundsException.class, () -> c.indexAt(3));
        assertEquals(0, SamplingContext.empty().length());
        assertEquals("SamplingContext[4, 5, 6]", c.toString());
    }
}
