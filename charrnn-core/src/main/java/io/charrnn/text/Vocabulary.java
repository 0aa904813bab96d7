package io.charrnn.text;

import io.charrnn.internal.check.Check;
import java.util.Arrays;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The characters a model knows: distinct Unicode code points, sorted, each with an index in
 * {@code [0, size())}.
 *
 * <p>Works on code points, never on UTF-16 halves, so a surrogate pair is one character. The order
 * is by code point, so the same set of characters always gives the same indices. By default a
 * character that is not in the vocabulary makes {@link #encode} fail with its index and code point;
 * {@link #withReplacement(int)} gives a vocabulary that maps such characters to a replacement
 * instead.
 *
 * <p>Immutable and thread-safe.
 */
public final class Vocabulary {
    private static final int DENSE_LIMIT = 1 << 16;

    private final int[] codePoints;
    private final int replacementIndex; // -1: unknown characters fail
    private final int[] dense; // index by code point for code points < dense.length, -1 if absent

    private Vocabulary(int[] sortedDistinct, int replacementIndex) {
        this.codePoints = sortedDistinct;
        this.replacementIndex = replacementIndex;
        int max = sortedDistinct[sortedDistinct.length - 1];
        this.dense = new int[Math.min(max + 1, DENSE_LIMIT)];
        Arrays.fill(dense, -1);
        for (int i = 0; i < sortedDistinct.length && sortedDistinct[i] < dense.length; i++) {
            dense[sortedDistinct[i]] = i;
        }
    }

    /**
     * Builds the vocabulary of the distinct code points in a text.
     *
     * @param text a non-empty text
     * @return its vocabulary
     * @throws IllegalArgumentException if the text is empty
     */
    public static Vocabulary fromText(CharSequence text) {
        Check.notEmpty("text", Objects.requireNonNull(text, "text"));
        return new Vocabulary(text.codePoints().distinct().sorted().toArray(), -1);
    }

    /**
     * Builds a vocabulary from code points, in any order; duplicates are merged.
     *
     * @param codePoints valid Unicode code points, at least one
     * @return the vocabulary
     * @throws IllegalArgumentException if none is given or one is not a valid code point
     */
    public static Vocabulary of(int... codePoints) {
        Check.notEmpty("codePoints", Objects.requireNonNull(codePoints, "codePoints").length);
        for (int cp : codePoints) {
            if (!Character.isValidCodePoint(cp)) {
                Check.argument(false, "code points must be in [0, 0x10FFFF], got %s", cp);
            }
        }
        return new Vocabulary(Arrays.stream(codePoints).distinct().sorted().toArray(), -1);
    }

    /**
     * Returns a vocabulary with the same characters that encodes every unknown character as
     * {@code replacement} instead of failing.
     *
     * @param replacement a code point of this vocabulary
     * @return the new vocabulary
     * @throws IllegalArgumentException if {@code replacement} is not in this vocabulary
     */
    public Vocabulary withReplacement(int replacement) {
        int index = indexOf(replacement);
        if (index < 0) {
            throw new IllegalArgumentException("replacement " + describe(replacement)
                    + " must be in the vocabulary (" + size() + " code points)");
        }
        return new Vocabulary(codePoints, index);
    }

    /** @return the number of characters, at least 1 */
    public int size() {
        return codePoints.length;
    }

    /**
     * @param codePoint any code point
     * @return its index in {@code [0, size())}, or -1 if it is not in the vocabulary
     */
    public int indexOf(int codePoint) {
        if (codePoint >= 0 && codePoint < dense.length) {
            return dense[codePoint];
        }
        if (codePoint < DENSE_LIMIT) {
            return -1;
        }
        int i = Arrays.binarySearch(codePoints, codePoint);
        return i >= 0 ? i : -1;
    }

    /**
     * @param codePoint a Unicode code point
     * @return whether {@code codePoint} is in the vocabulary
     */
    public boolean contains(int codePoint) {
        return indexOf(codePoint) >= 0;
    }

    /**
     * @param index an index in {@code [0, size())}
     * @return the code point at that index
     * @throws IllegalArgumentException if the index is out of range
     */
    public int codePointAt(int index) {
        return codePoints[Check.index("index", index, codePoints.length)];
    }

    /** @return a fresh copy of the code points, sorted */
    public int[] codePoints() {
        return codePoints.clone();
    }

    /** @return the code point unknown characters are encoded as, if this vocabulary has one */
    public OptionalInt replacement() {
        return replacementIndex < 0 ? OptionalInt.empty() : OptionalInt.of(codePoints[replacementIndex]);
    }

    /**
     * Encodes a text as indices.
     *
     * @param text the text
     * @return one index per code point of the text
     * @throws IllegalArgumentException if the text has a character that is not in the vocabulary
     *     and the vocabulary has no replacement; the message gives its index (in code points) and
     *     code point
     */
    public int[] encode(CharSequence text) {
        Objects.requireNonNull(text, "text");
        int[] out = new int[Character.codePointCount(text, 0, text.length())];
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = Character.codePointAt(text, i);
            out[n] = indexOrFail(cp, n);
            n++;
            i += Character.charCount(cp);
        }
        return out;
    }

    /**
     * The index of one code point, or the replacement's, or a failure naming the position.
     *
     * @param codePoint the code point
     * @param position where it stands (used in the message), in code points from the text's start
     * @return its index
     * @throws IllegalArgumentException if it is unknown and there is no replacement
     */
    public int indexOrFail(int codePoint, long position) {
        int index = indexOf(codePoint);
        if (index >= 0) {
            return index;
        }
        if (replacementIndex >= 0) {
            return replacementIndex;
        }
        throw new IllegalArgumentException("text contains " + describe(codePoint) + " at index "
                + position + ", which is not in the vocabulary (" + size() + " code points)");
    }

    /**
     * Decodes indices back to text.
     *
     * @param indices indices in {@code [0, size())}
     * @return the text
     * @throws IllegalArgumentException if an index is out of range
     */
    public String decode(int... indices) {
        Objects.requireNonNull(indices, "indices");
        StringBuilder sb = new StringBuilder(indices.length);
        for (int index : indices) {
            sb.appendCodePoint(codePointAt(index));
        }
        return sb.toString();
    }

    /**
     * @param codePoint a Unicode code point
     * @return a readable form such as {@code 'é' (U+00E9)} or {@code '\n' (U+000A)}
     */
    public static String describe(int codePoint) {
        String shown = switch (codePoint) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> Character.isISOControl(codePoint) || !Character.isValidCodePoint(codePoint)
                    ? "?" : new String(Character.toChars(codePoint));
        };
        return String.format("'%s' (U+%04X)", shown, codePoint);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v
                && replacementIndex == v.replacementIndex
                && Arrays.equals(codePoints, v.codePoints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(codePoints) + replacementIndex;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Vocabulary[size=").append(size()).append(", \"");
        int shown = Math.min(size(), 16);
        for (int i = 0; i < shown; i++) {
            int cp = codePoints[i];
            sb.append(cp == '\n' ? "\\n" : cp == '\t' ? "\\t" : cp == '\r' ? "\\r"
                    : Character.isISOControl(cp) ? "?" : new String(Character.toChars(cp)));
        }
        if (shown < size()) {
            sb.append('…');
        }
        sb.append('"');
        replacement().ifPresent(r -> sb.append(", replacement=").append(describe(r)));
        return sb.append(']').toString();
    }
}
