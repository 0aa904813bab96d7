package io.charrnn.sample;

import io.charrnn.internal.check.Check;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a strategy may know besides the logits: the latest vocabulary indices fed to the model in
 * this generation, the prime first, oldest first. {@link LogitTransform#repetitionPenalty} reads it.
 *
 * <p>The {@link Sampler} appends to the context it passes as generation proceeds, so a strategy
 * must read it during {@code choose} and not keep it. It keeps only the latest
 * {@link #MAX_HISTORY} indices, so that memory does not grow with the length generated: position
 * 0 is then the oldest index still held. Contexts made with {@link #of} hold all they are given and
 * never change.
 */
public final class SamplingContext {
    /** The most indices a sampler's context holds: the latest ones. */
    public static final int MAX_HISTORY = 4096;

    private static final SamplingContext EMPTY = new SamplingContext(new int[0], 0);

    private int[] indices; // a ring once full at MAX_HISTORY: the oldest is at start
    private int start;
    private int length;

    private SamplingContext(int[] indices, int length) {
        this.indices = indices;
        this.length = length;
    }

    /** @return a context with no history */
    public static SamplingContext empty() {
        return EMPTY;
    }

    /**
     * @param indices vocabulary indices, oldest first, each {@code >= 0} (copied)
     * @return a context holding them
     * @throws IllegalArgumentException if an index is negative
     */
    public static SamplingContext of(int... indices) {
        Objects.requireNonNull(indices, "indices");
        for (int i = 0; i < indices.length; i++) {
            Check.argument(indices[i] >= 0, "indices must be >= 0, got %s at position %s", indices[i], i);
        }
        return new SamplingContext(indices.clone(), indices.length);
    }

    /** A context the sampler grows; starts empty with room for {@code capacity} indices. */
    static SamplingContext growable(long capacity) {
        return new SamplingContext(new int[(int) Math.max(1, Math.min(capacity, 64))], 0);
    }

    void append(int index) {
        if (length < indices.length) {
            indices[length++] = index;
        } else if (indices.length < MAX_HISTORY) {
            indices = Arrays.copyOf(indices, Math.min(indices.length * 2, MAX_HISTORY));
            indices[length++] = index;
        } else { // full: the newest replaces the oldest
            indices[start] = index;
            start = start + 1 == indices.length ? 0 : start + 1;
        }
    }

    /** @return how many indices the history holds, at most {@link #MAX_HISTORY} for a sampler's */
    public int length() {
        return length;
    }

    /**
     * @param position from 0 (the oldest held) to {@code length() - 1} (the latest)
     * @return the vocabulary index at that position
     * @throws IndexOutOfBoundsException if the position is outside {@code [0, length())}
     */
    public int indexAt(int position) {
        Objects.checkIndex(position, length);
        int i = start + position;
        return indices[i >= indices.length ? i - indices.length : i];
    }

    @Override
    public String toString() {
        int[] held = new int[length];
        Arrays.setAll(held, this::indexAt);
        return "SamplingContext" + Arrays.toString(held);
    }
}
