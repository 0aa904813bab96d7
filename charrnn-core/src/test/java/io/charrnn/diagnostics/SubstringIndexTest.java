package io.charrnn.diagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SubstringIndexTest {

    private static String random(SplittableRandom rng, int length, String alphabet) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** torch-rnn's novel_substrings.py: every window of the sample, looked up with String.contains. */
    private static double bruteForce(String sample, String training, int length) {
        int windows = sample.length() - length + 1;
        if (windows <= 0) {
            return Double.NaN;
        }
        int novel = 0;
        for (int i = 0; i < windows; i++) {
            if (!training.contains(sample.substring(i, i + length))) {
                novel++;
            }
        }
        return novel / (double) windows;
    }

    @Test
    void novelFractions_equalTheBruteForceCount_onRandomAndRepetitiveTexts() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 30; trial++) {
            String alphabet = trial % 3 == 0 ? "ab" : trial % 3 == 1 ? "abc d" : "abcdefgh";
            String training = trial % 5 == 0 ? "abab".repeat(30) + random(rng, 20, alphabet)
                    : random(rng, rng.nextInt(0, 400), alphabet);
            SubstringIndex index = SubstringIndex.of(training, 12);
            for (int s = 0; s < 3; s++) {
                String sample = rng.nextBoolean() && training.length() > 30
                        ? training.substring(5, 25) + random(rng, 10, alphabet) : random(rng, rng.nextInt(1, 60), alphabet);
                double[] all = index.novelFractions(sample);
                for (int length = 1; length <= 12; length++) {
                    double expected = bruteForce(sample, training, length);
                    assertEquals(expected, index.novelFraction(sample, length), 0.0,
                            "training " + training + ", sample " + sample + ", length " + length);
                    assertEquals(expected, all[length], 0.0);
                }
            }
        }
    }

    @Test
    void matchLengths_areTheLongestOccurringPrefix_cappedAtMaxLength() {
        SubstringIndex index = SubstringIndex.of("the cat sat on the mat", 6);
        assertArrayEquals(new int[] {5, 4, 3, 2, 1, 1, 0}, index.matchLengths("e cats\u00e9"));
        assertArrayEquals(new int[] {6, 6, 5, 4, 3, 2, 1, 1}, index.matchLengths("the matt"));
        assertEquals(6, index.maxLength());
        assertEquals(22, index.textLength());
    }

    @Test
    void codePointsOutsideTheBmp_countAsOneCharacter() {
        String emoji = "\uD83D\uDE00";
        SubstringIndex index = SubstringIndex.of("a" + emoji + "b");
        assertEquals(0.0, index.novelFraction(emoji + "b", 2));
        assertArrayEquals(new int[] {2, 1}, index.matchLengths(emoji + "b"));
    }

    @Test
    void emptyTrainingText_makesEverythingNovel_andBadLengthsAreRefused() {
        SubstringIndex index = SubstringIndex.of("");
        assertEquals(1.0, index.novelFraction("abc", 1));
        assertEquals("length must be in [1, 64], got 65", assertThrows(IllegalArgumentException.class,
                () -> index.novelFraction("abc", 65)).getMessage());
        assertEquals("maxLength must be in [1, 4096], got 0", assertThrows(IllegalArgumentException.class,
                () -> SubstringIndex.of("abc", 0)).getMessage());
    }

    @Test
    void aMegabyteText_isIndexedQuickly() {
        String training = random(new SplittableRandom(1), 1_000_000, "abcdefghijklmnopqrstuvwxyz ,.\n");
        long t0 = System.nanoTime();
        SubstringIndex index = SubstringIndex.of(training);
        double novel = index.novelFraction(training.substring(500_000, 502_000), 40);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0.0, novel);
        assertTrue(ms < 20_000, "took " + ms + " ms");
    }
}
