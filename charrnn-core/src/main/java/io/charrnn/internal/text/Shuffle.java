package io.charrnn.internal.text;

import java.util.SplittableRandom;

/** The one seeded shuffle of the library: of the training windows and chunks, and of a corpus's files. */
public final class Shuffle {
    private Shuffle() {
    }

    /**
     * A Fisher-Yates shuffle of {@code 0 .. n - 1}, drawing {@code rng.nextInt(i + 1)} for
     * {@code i} from {@code n - 1} down to 1 (so a seed gives the same permutation in every release).
     *
     * @param n how many indices, {@code >= 0}
     * @param rng the generator, advanced by {@code n - 1} draws
     * @return a permutation of {@code 0 .. n - 1}
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
