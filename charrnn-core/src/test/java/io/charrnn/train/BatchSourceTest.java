package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchSourceTest {
    private static final int[] CODES = IntStream.range(0, 1001).toArray(); // code i at position i

    @Test
    void streams_readConsecutiveWindowsOfContiguousStreams() {
        BatchSource s = new BatchSource(Batching.STREAMS, CODES, 10, 4, 8, 1);
        assertEquals(25, s.windowsPerEpoch()); // streams of 250, windows of 10
        int[] in = new int[40];
        int[] out = new int[40];
        assertTrue(s.fill(0, 0, in, out));
        assertEquals(0, in[0]);
        assertEquals(250, in[1]); // stream 1 starts a quarter in
        assertEquals(1, in[4]); // time-major: step 1 of stream 0
        assertEquals(1, out[0]);
        assertFalse(s.fill(0, 3, in, out));
        assertEquals(30, in[0]);
        assertEquals(280, in[1]);
    }

    @Test
    void randomWindows_resetEveryStep_areRepeatable_andVaryWithTheSeed() {
        BatchSource a = new BatchSource(Batching.RANDOM_WINDOWS, CODES, 10, 4, 8, 1);
        BatchSource b = new BatchSource(Batching.RANDOM_WINDOWS, CODES, 10, 4, 8, 1);
        BatchSource c = new BatchSource(Batching.RANDOM_WINDOWS, CODES, 10, 4, 8, 2);
        int[] ia = new int[40];
        int[] ib = new int[40];
        int[] ic = new int[40];
        int[] out = new int[40];
        assertTrue(a.fill(2, 5, ia, out));
        b.fill(2, 5, ib, out);
        c.fill(2, 5, ic, out);
        assertArrayEquals(ia, ib);
        assertFalse(java.util.Arrays.equals(ia, ic));
        for (int stream = 0; stream < 4; stream++) {
            for (int t = 1; t < 10; t++) {
                assertEquals(ia[(t - 1) * 4 + stream] + 1, ia[t * 4 + stream], "a window is a contiguous substring");
            }
        }
    }

    @Test
    void shuffledChunks_readEveryChunkOncePerEpoch_inLocalOrder() {
        BatchSource s = new BatchSource(Batching.SHUFFLED_CHUNKS, CODES, 10, 2, 5, 3);
        // chunks of 5 windows × 10 = 50 characters: 20 chunks, 10 rounds of 2 streams, 50 windows
        assertEquals(50, s.windowsPerEpoch());
        Set<Integer> chunkStarts = new HashSet<>();
        int[] in = new int[20];
        int[] out = new int[20];
        int[] previous = null;
        for (int w = 0; w < 50; w++) {
            boolean reset = s.fill(0, w, in, out);
            assertEquals(w % 5 == 0, reset, "reset exactly at chunk starts");
            for (int stream = 0; stream < 2; stream++) {
                if (reset) {
                    assertEquals(0, in[stream] % 50, "a chunk starts at a multiple of 50");
                    chunkStarts.add(in[stream]);
                } else {
                    assertEquals(previous[stream] + 10, in[stream], "windows of a chunk are consecutive");
                }
            }
            previous = in.clone();
        }
        assertEquals(20, chunkStarts.size());
        int[] epoch1 = new int[20];
        s.fill(1, 0, epoch1, out);
        int[] epoch0 = new int[20];
        s.fill(0, 0, epoch0, out);
        assertFalse(java.util.Arrays.equals(epoch0, epoch1), "the order changes with the epoch");
    }

    @Test
    void shuffledChunks_needAtLeastOneChunkPerStream() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchSource.checkFits(Batching.SHUFFLED_CHUNKS, 1001, 10, 30, 5));
        assertTrue(e.getMessage().contains("give 20 chunks") && e.getMessage().contains("batchSize (30)"), e.getMessage());
    }
}
