package io.charrnn.train;

import io.charrnn.internal.text.Codes;
import io.charrnn.internal.text.Shuffle;
import java.util.SplittableRandom;

/**
 * Cuts training windows from the training split for one of the {@link Batching} strategies. A
 * window is addressed by (epoch, window in epoch) and computed from that and the seed alone, so a
 * run resumed from a checkpoint reads exactly the windows the uninterrupted run would have read.
 */
final class BatchSource {
    private final Batching batching;
    private final Codes codes;
    private final int[] scratch;
    private final int steps;
    private final int batch;
    private final int chunkWindows;
    private final long seed;
    private final int windowsPerEpoch;
    private final int streamLength; // STREAMS
    private final int chunkCount; // SHUFFLED_CHUNKS
    private int permutedEpoch = -1;
    private int[] permutation;

    BatchSource(Batching batching, int[] codes, int steps, int batch, int chunkWindows, long seed) {
        this(batching, Codes.of(codes), steps, batch, chunkWindows, seed);
    }

    BatchSource(Batching batching, Codes codes, int steps, int batch, int chunkWindows, long seed) {
        this.batching = batching;
        this.codes = codes;
        this.scratch = new int[steps + 1];
        this.steps = steps;
        this.batch = batch;
        this.chunkWindows = chunkWindows;
        this.seed = seed;
        int predictions = codes.length() - 1;
        this.streamLength = predictions / batch;
        this.chunkCount = predictions / (steps * chunkWindows);
        this.windowsPerEpoch = windowsPerEpoch(batching, codes.length(), steps, batch, chunkWindows);
    }

    /** @return the windows of one epoch over a training split of {@code length} codes */
    static int windowsPerEpoch(Batching batching, int length, int steps, int batch, int chunkWindows) {
        int predictions = length - 1;
        return switch (batching) {
            case STREAMS -> predictions / batch / steps;
            case RANDOM_WINDOWS -> predictions / (steps * batch);
            case SHUFFLED_CHUNKS -> predictions / (steps * chunkWindows) / batch * chunkWindows;
        };
    }

    /** @return whether every stream starts from zero state at this window ({@link #fill}'s answer) */
    static boolean resetsState(Batching batching, int window, int chunkWindows) {
        return switch (batching) {
            case STREAMS -> window == 0;
            case RANDOM_WINDOWS -> true;
            case SHUFFLED_CHUNKS -> window % chunkWindows == 0;
        };
    }

    /** @return where stream {@code stream} starts in the training split, for {@link Batching#STREAMS} */
    static long streamStart(int length, int batch, int stream) {
        return (long) stream * ((length - 1) / batch);
    }

    /**
     * Checks that the split holds at least one window of every stream.
     *
     * @throws IllegalArgumentException naming the lengths when it does not
     */
    static void checkFits(Batching batching, int length, int steps, int batch, int chunkWindows) {
        long perWindow = (long) steps * batch;
        if (length < perWindow + 1) {
            throw new IllegalArgumentException("the training split (" + length + " characters) must hold at least "
                    + "sequenceLength × batchSize + 1 = " + steps + " × " + batch + " + 1 = " + (perWindow + 1)
                    + " characters; use a longer text or a smaller sequenceLength or batchSize");
        }
        if (batching == Batching.SHUFFLED_CHUNKS) {
            long chunks = (length - 1) / ((long) steps * chunkWindows);
            if (chunks < batch) {
                throw new IllegalArgumentException("shuffled chunks of " + chunkWindows + " windows of " + steps
                        + " characters give " + chunks + " chunks in the training split (" + length
                        + " characters); batchSize (" + batch + ") must be at most that: use fewer chunkWindows or a "
                        + "smaller batchSize");
            }
        }
    }

    int windowsPerEpoch() {
        return windowsPerEpoch;
    }

    /**
     * Fills one window, time-major ({@code t·B + b}).
     *
     * @return whether every stream starts from zero state at this window
     */
    boolean fill(int epoch, int window, int[] inputs, int[] targets) {
        switch (batching) {
            case STREAMS -> {
                for (int b = 0; b < batch; b++) {
                    copy(b * streamLength + window * steps, b, inputs, targets);
                }
                return window == 0;
            }
            case RANDOM_WINDOWS -> {
                SplittableRandom rng = new SplittableRandom(mix(seed, epoch, window));
                int last = codes.length() - 1 - steps;
                for (int b = 0; b < batch; b++) {
                    copy(rng.nextInt(last + 1), b, inputs, targets);
                }
                return true;
            }
            default -> {
                if (permutedEpoch != epoch) {
                    permutation = Shuffle.permutation(chunkCount, new SplittableRandom(mix(seed, epoch, -1)));
                    permutedEpoch = epoch;
                }
                int round = window / chunkWindows;
                int inChunk = window % chunkWindows;
                for (int b = 0; b < batch; b++) {
                    int chunk = permutation[round * batch + b];
                    copy((chunk * chunkWindows + inChunk) * steps, b, inputs, targets);
                }
                return inChunk == 0;
            }
        }
    }

    private void copy(int start, int stream, int[] inputs, int[] targets) {
        codes.copy(start, scratch, 0, steps + 1);
        for (int t = 0; t < steps; t++) {
            inputs[t * batch + stream] = scratch[t];
            targets[t * batch + stream] = scratch[t + 1];
        }
    }

    private static long mix(long seed, int epoch, int window) {
        long h = seed * 0x9E3779B97F4A7C15L + epoch;
        h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + window;
        return h ^ (h >>> 29);
    }
}
