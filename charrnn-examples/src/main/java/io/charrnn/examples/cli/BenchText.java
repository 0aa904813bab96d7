package io.charrnn.examples.cli;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The generated texts of {@code bench --vocab N} and of the sweep's vocabulary points: N distinct
 * characters, every one of them at least once, drawn with Zipf's law (the frequency of the k-th most
 * common character ∝ 1/k, as in natural text) from a fixed seed, so that charrnn and the PyTorch
 * reference read the same file. The characters are the 96 printable ASCII ones (with space and
 * newline) first, then CJK ideographs from U+4E00: 65 characters look like English text's alphabet,
 * 10,000 like a Chinese or Japanese corpus.
 */
final class BenchText {
    /** The most distinct characters: 96 ASCII plus the 20,992 ideographs of U+4E00..U+9FFF, rounded down. */
    static final int MAX_VOCAB = 20_000;
    static final int MIN_VOCAB = 2;
    /** The length of the texts bench generates: about tinyshakespeare's (1.1 million characters). */
    static final int LENGTH = 1_000_000;
    static final long SEED = 22;

    private BenchText() {
    }

    /** @return the text of {@code vocab} distinct characters that bench and its sweep use */
    static String of(int vocab) {
        return generate(vocab, LENGTH, SEED);
    }

    /**
     * @param vocab distinct characters, {@value #MIN_VOCAB}..{@value #MAX_VOCAB}
     * @param length characters, at least {@code vocab}
     * @param seed the generator's seed
     * @return the text: a shuffled pass over all characters, then Zipf-distributed draws
     */
    static String generate(int vocab, int length, long seed) {
        if (vocab < MIN_VOCAB || vocab > MAX_VOCAB) {
            throw new IllegalArgumentException("a generated text has " + MIN_VOCAB + " to " + MAX_VOCAB
                    + " distinct characters, got " + vocab);
        }
        if (length < vocab) {
            throw new IllegalArgumentException("a text of " + vocab + " distinct characters needs at least " + vocab
                    + " characters, got a length of " + length);
        }
        int[] chars = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            chars[i] = i < 94 ? '!' + i : i == 94 ? ' ' : i == 95 ? '\n' : 0x4E00 + i - 96;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        shuffle(chars, rng); // which character is the most common does not follow code point order
        double[] cumulative = new double[vocab];
        double sum = 0;
        for (int k = 0; k < vocab; k++) {
            sum += 1.0 / (k + 1);
            cumulative[k] = sum;
        }
        StringBuilder sb = new StringBuilder(length + vocab);
        int[] first = chars.clone();
        shuffle(first, rng);
        for (int c : first) {
            sb.appendCodePoint(c);
        }
        for (int i = vocab; i < length; i++) {
            int k = Arrays.binarySearch(cumulative, rng.nextDouble() * sum);
            sb.appendCodePoint(chars[Math.min(vocab - 1, k < 0 ? -k - 1 : k)]);
        }
        return sb.toString();
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
