package io.charrnn.sample;

import java.util.Arrays;
import java.util.Objects;

/**
 * What a strategy may know besides the logits: the vocabulary indices fed to the model so far in
 * this generation, the prime first, oldest first. {@link LogitTransform#repetitionPenalty} reads it.
 *
 * <p>The {@link Sampler} appends to the context it passes as generation proceeds, so a strategy
 * must read it during {@code choose} and not keep it. Contexts made with {@link #of} never change.
 */
public final class SamplingContext {
    private static final SamplingContext EMPTY = new SamplingContext(new int[0], 0);

    private int[] indices;
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
            if (indices[i] < 0) {
                throw new IllegalArgumentException("indices must be >= 0, got " + indices[i] + " at position " + i);
            }
        }
        return new SamplingContext(indices.clone(), indices.length);
    }

    /** A context the sampler grows; starts empty with room for {@code capacity} indices. */
    static SamplingContext growable(int capacity) {
        return new SamplingContext(new int[Math.max(capacity, 1)], 0);
    }

    void append(int index) {
        if (length == indices.length) {
            indices = Arrays.copyOf(indices, indices.length * 2);
        }
        indices[length++] = index;
    }

    /** @return how many indices the history holds */
    public int length() {
        return length;
    }

    /**
     * @param position from 0 (the oldest) to {@code length() - 1} (the latest)
     * @return the vocabulary index at that position
     * @throws IndexOutOfBoundsException if the position is outside {@code [0, length())}
     */
    public int indexAt(int position) {
        Objects.checkIndex(position, length);
        return indices[position];
    }

    @Override
    public String toString() {
        return "SamplingContext" + Arrays.toString(Arrays.copyOf(indices, length));
    }
}
