package io.charrnn.examples.spark;

import java.io.Serializable;

/**
 * Streams {@code [from, to)} of a run, with what travels with them from step to step: their carried
 * hidden state and, per stream, the code position its next window starts at and that position's
 * byte offset in the file (so a step reads its windows without scanning). Immutable.
 */
record Shard(int index, int from, int to, float[] hiddenState, long[] nextPosition, long[] nextByte)
        implements Serializable {

    /** @return the shard with no known byte offsets */
    static Shard of(int index, int from, int to, float[] hiddenState) {
        long[] unknown = new long[to - from];
        java.util.Arrays.fill(unknown, -1);
        return new Shard(index, from, to, hiddenState, unknown, unknown.clone());
    }

    int streams() {
        return to - from;
    }
}
