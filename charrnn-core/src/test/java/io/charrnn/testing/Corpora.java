package io.charrnn.testing;

import java.util.SplittableRandom;

/** Small generated texts with known structure. */
public final class Corpora {
    private Corpora() {
    }

    /**
     * Syllables drawn at random from a fixed set: inside a syllable every character is determined,
     * between syllables the choice is random. So a model can get far below the unigram entropy.
     */
    public static String syllables(int length, long seed) {
        String[] syllables = {"ab ", "cde ", "fgh ", "ij\n"};
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(length + 8);
        while (sb.length() < length) {
            sb.append(syllables[rng.nextInt(syllables.length)]);
        }
        return sb.substring(0, length);
    }

    /** @return the entropy of the character frequencies of a text, in nats */
    public static double unigramEntropy(String text) {
        java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
        text.codePoints().forEach(c -> counts.merge(c, 1, Integer::sum));
        double n = text.codePointCount(0, text.length());
        double h = 0;
        for (int c : counts.values()) {
            double p = c / n;
            h -= p * Math.log(p);
        }
        return h;
    }
}
