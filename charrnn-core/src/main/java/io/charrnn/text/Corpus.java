package io.charrnn.text;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A text encoded with a {@link Vocabulary}, split into contiguous training, validation and test
 * parts: the first {@code 1 - validation - test} of the characters train, the next
 * {@code validation} validate, the last {@code test} test.
 *
 * <p>The default split is 90 % training and 10 % validation, as char-rnn and torch-rnn use.
 * Immutable and thread-safe.
 */
public final class Corpus {
    /** The three contiguous parts of a corpus. */
    public enum Split { TRAIN, VALIDATION, TEST }

    private static final double DEFAULT_VALIDATION = 0.1;

    private final Vocabulary vocabulary;
    private final int[] codes;
    private final double validationFraction;
    private final double testFraction;
    private final int trainEnd;
    private final int validationEnd;

    private Corpus(Vocabulary vocabulary, int[] codes, double validationFraction, double testFraction) {
        this.vocabulary = vocabulary;
        this.codes = codes;
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
        int n = codes.length;
        int test = (int) Math.round(n * testFraction);
        int validation = (int) Math.round(n * validationFraction);
        this.validationEnd = n - test;
        this.trainEnd = validationEnd - validation;
    }

    /**
     * A corpus of a text with the text's own vocabulary.
     *
     * @param text a non-empty text
     * @return the corpus
     * @throws IllegalArgumentException if the text is empty
     */
    public static Corpus of(CharSequence text) {
        return of(text, Vocabulary.fromText(text));
    }

    /**
     * A corpus of a text encoded with a given vocabulary.
     *
     * @param text a non-empty text
     * @param vocabulary the vocabulary, for example a trained model's
     * @return the corpus
     * @throws IllegalArgumentException if the text is empty, or has a character that the
     *     vocabulary does not know and the vocabulary has no replacement
     */
    public static Corpus of(CharSequence text, Vocabulary vocabulary) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (text.length() == 0) {
            throw new IllegalArgumentException("text must contain at least one character, got an empty text");
        }
        return new Corpus(vocabulary, vocabulary.encode(text), DEFAULT_VALIDATION, 0);
    }

    /**
     * Reads a corpus from a UTF-8 file, a directory or a jar/zip of text files ({@link Texts#read}).
     *
     * @param path the file
     * @return the corpus, with the text's own vocabulary
     * @throws IOException if it cannot be read or is not valid UTF-8 (the byte offset is given)
     * @throws IllegalArgumentException if the text is empty
     */
    public static Corpus fromFile(Path path) throws IOException {
        return of(Texts.read(path));
    }

    /**
     * Reads a corpus from a file and encodes it with a given vocabulary.
     *
     * @param path the file
     * @param vocabulary the vocabulary
     * @return the corpus
     * @throws IOException if it cannot be read or is not valid UTF-8 (the byte offset is given)
     * @throws IllegalArgumentException if the text is empty or has an unknown character
     */
    public static Corpus fromFile(Path path, Vocabulary vocabulary) throws IOException {
        return of(Texts.read(path), vocabulary);
    }

    /**
     * The same text split differently.
     *
     * @param validation the fraction for validation, in {@code [0, 1)}
     * @param test the fraction for the test, in {@code [0, 1)}; {@code validation + test < 1}
     * @return the re-split corpus
     * @throws IllegalArgumentException if a fraction is out of range
     */
    public Corpus withSplit(double validation, double test) {
        checkFraction("validation", validation);
        checkFraction("test", test);
        if (!(validation + test < 1)) {
            throw new IllegalArgumentException("validation + test must be < 1 to leave text for training, got "
                    + validation + " + " + test);
        }
        return new Corpus(vocabulary, codes, validation, test);
    }

    private static void checkFraction(String name, double f) {
        if (!(f >= 0 && f < 1)) {
            throw new IllegalArgumentException(name + " fraction must be in [0, 1), got " + f);
        }
    }

    /** @return the vocabulary the text is encoded with */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the whole length in code points */
    public int length() {
        return codes.length;
    }

    /** @return the fraction of the text held out for validation */
    public double validationFraction() {
        return validationFraction;
    }

    /** @return the fraction of the text held out for testing */
    public double testFraction() {
        return testFraction;
    }

    /**
     * @param split a part
     * @return its length in code points
     */
    public int length(Split split) {
        return end(split) - start(split);
    }

    /**
     * Copies part of a split's codes.
     *
     * @param split the part
     * @param from the first position within the part
     * @param destination where to copy
     * @param offset the first position in {@code destination}
     * @param length how many codes
     * @throws IndexOutOfBoundsException if a range is outside its array or part
     */
    public void copyCodes(Split split, int from, int[] destination, int offset, int length) {
        Objects.checkFromIndexSize(from, length, length(split));
        System.arraycopy(codes, start(split) + from, destination, offset, length);
    }

    /**
     * @param split a part
     * @return a fresh copy of its codes
     */
    public int[] codes(Split split) {
        return Arrays.copyOfRange(codes, start(split), end(split));
    }

    /**
     * @param split a part
     * @return its text
     */
    public String text(Split split) {
        return vocabulary.decode(codes(split));
    }

    private int start(Split split) {
        return switch (split) {
            case TRAIN -> 0;
            case VALIDATION -> trainEnd;
            case TEST -> validationEnd;
        };
    }

    private int end(Split split) {
        return switch (split) {
            case TRAIN -> trainEnd;
            case VALIDATION -> validationEnd;
            case TEST -> codes.length;
        };
    }

    @Override
    public String toString() {
        return "Corpus[length=" + codes.length + ", train=" + length(Split.TRAIN) + ", validation="
                + length(Split.VALIDATION) + ", test=" + length(Split.TEST) + ", " + vocabulary + "]";
    }
}
