package io.charrnn.text;

import io.charrnn.internal.check.Check;
import io.charrnn.internal.text.Shuffle;
import java.util.SplittableRandom;

/**
 * The split of a corpus of many files by file: the files, in path order, are shuffled with a seed
 * and written in that order; the last files of the shuffled order are the test part and the ones
 * before them the validation part, each ending at the file boundary nearest to where the fraction
 * of the characters would end it (at least one file when the fraction is above zero); the rest
 * train, in their shuffled order.
 */
final class FileSplit {
    private FileSplit() {
    }

    /**
     * A seeded Fisher-Yates shuffle of {@code 0 .. files - 1}: the order the files are written in.
     *
     * @param files how many files
     * @param seed the seed
     * @return a permutation
     */
    static int[] order(int files, long seed) {
        return Shuffle.permutation(files, new SplittableRandom(seed));
    }

    /**
     * Where the training and validation parts end.
     *
     * @param starts where each file starts, ascending from 0 (the newline after a file belongs to it)
     * @param length the whole length
     * @param validation the validation fraction
     * @param test the test fraction
     * @return {trainEnd, validationEnd}, both file starts or {@code length}
     * @throws IllegalArgumentException if there are too few files for a part with a fraction above zero
     */
    static int[] ends(int[] starts, int length, double validation, double test) {
        int files = starts.length;
        int parts = 1 + (validation > 0 ? 1 : 0) + (test > 0 ? 1 : 0);
        Check.argument(files >= parts, "a split by files needs a file for each part with a fraction above zero "
                + "(training, validation %s, test %s): %d files, got %d", validation, test, parts, files);
        int validationFile = files; // index of the first validation file; files = none
        if (test > 0) {
            validationFile = nearest(starts, length - Math.round(length * test), validation > 0 ? 2 : 1, files - 1);
        }
        int validationEnd = validationFile == files ? length : starts[validationFile];
        int trainFile = validationFile;
        if (validation > 0) {
            trainFile = nearest(starts, validationEnd - Math.round(length * validation), 1, validationFile - 1);
        }
        int trainEnd = trainFile == files ? length : starts[trainFile];
        return new int[] {trainEnd, validationEnd};
    }

    /** The index in {@code [lo, hi]} of the start nearest to a position (the later one on a tie). */
    private static int nearest(int[] starts, long position, int lo, int hi) {
        int best = lo;
        for (int i = lo; i <= hi; i++) {
            if (Math.abs(starts[i] - position) <= Math.abs(starts[best] - position)) {
                best = i;
            }
        }
        return best;
    }
}
