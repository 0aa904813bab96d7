package io.charrnn.train;

/** How training windows are cut from the training split (the seeds compare these three). */
public enum Batching {
    /**
     * char-rnn's scheme: the split is cut into {@code batchSize} contiguous streams read in
     * consecutive windows, each stream's hidden state carried from one window to the next; all
     * streams start over from zero state at each epoch.
     */
    STREAMS,
    /**
     * "Vanilla randomization": every step, each stream reads a window at a random position, from
     * zero state. One epoch is as many steps as a pass of {@link #STREAMS}.
     */
    RANDOM_WINDOWS,
    /**
     * "Chunk-based randomization": the split is cut into chunks of {@code chunkWindows}
     * consecutive windows, the chunk order is shuffled every epoch, and each stream reads its chunk's
     * windows in order with its state carried, starting from zero at each new chunk. Keeps local
     * order, varies global order.
     */
    SHUFFLED_CHUNKS
}
