package io.charrnn.internal.cells;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Draws inverted-dropout masks on the host: every entry is 0 with probability {@code rate} and
 * {@code 1/(1 - rate)} otherwise, from a {@link SplittableRandom} seeded by the caller, so a mask is
 * a pure function of (seed, rate, size) on every backend. Each 64-bit draw decides two entries by
 * comparing its 32-bit halves with {@code rate·2³²}, and the values go to the array's buffer in
 * chunks: at [6400, 512] this costs a few milliseconds, where one step of the model it serves
 * costs hundreds.
 */
final class DropoutMask {
    private static final int CHUNK = 1 << 14; // even, so a chunk uses whole draws
    private static final double TWO_32 = 4294967296.0;

    private DropoutMask() {
    }

    /**
     * Fills a whole (non-view) FLOAT or DOUBLE array with a fresh mask.
     *
     * @param mask the array, written from flat offset 0 to its length
     * @param rate the drop probability in {@code (0, 1)}
     * @param seed the seed of this mask
     */
    static void fill(INDArray mask, double rate, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long threshold = (long) Math.floor(rate * TWO_32); // drop iff a 32-bit draw (unsigned) < threshold
        long n = mask.length();
        if (mask.dataType() == DataType.FLOAT) {
            float[] value = {(float) (1 / (1 - rate)), 0f}; // indexed by "dropped": no branch to mispredict
            float[] chunk = new float[(int) Math.min(CHUNK, n + 1)];
            var buffer = mask.data().asNioFloat();
            for (long start = 0; start < n; start += CHUNK) {
                int len = (int) Math.min(CHUNK, n - start);
                for (int i = 0; i < len; i += 2) {
                    long bits = rng.nextLong();
                    chunk[i] = value[dropped(bits >>> 32, threshold)];
                    chunk[i + 1] = value[dropped(bits & 0xFFFFFFFFL, threshold)];
                }
                buffer.put((int) start, chunk, 0, len);
            }
        } else if (mask.dataType() == DataType.DOUBLE) {
            double[] value = {1 / (1 - rate), 0};
            double[] chunk = new double[(int) Math.min(CHUNK, n + 1)];
            var buffer = mask.data().asNioDouble();
            for (long start = 0; start < n; start += CHUNK) {
                int len = (int) Math.min(CHUNK, n - start);
                for (int i = 0; i < len; i += 2) {
                    long bits = rng.nextLong();
                    chunk[i] = value[dropped(bits >>> 32, threshold)];
                    chunk[i + 1] = value[dropped(bits & 0xFFFFFFFFL, threshold)];
                }
                buffer.put((int) start, chunk, 0, len);
            }
        } else {
            throw new IllegalStateException("internal error: dropout mask of type " + mask.dataType());
        }
    }

    /** @return 1 if a 32-bit draw (as an unsigned value in a long) lies below the threshold, else 0 */
    private static int dropped(long draw, long threshold) {
        return (int) ((draw - threshold) >>> 63);
    }

    /** @return a seed for part {@code index} (a layer, a step) of the randomness of {@code seed} (SplitMix64's finaliser) */
    static long mix(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
