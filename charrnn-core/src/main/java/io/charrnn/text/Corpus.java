package io.charrnn.text;

import io.charrnn.internal.check.Check;
import io.charrnn.internal.text.Codes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A text encoded with a {@link Vocabulary}, split into contiguous training, validation and test
 * parts: the first {@code 1 - validation - test} of the characters train, the next
 * {@code validation} validate, the last {@code test} test.
 *
 * <p>The default split is 90 % training and 10 % validation, as char-rnn and torch-rnn use.
 * A text of many files (a directory or archive with two or more text files) is by default split
 * by file ({@link CorpusReader#splitByFiles}): its files are written in an order shuffled with a seed
 * ({@value #DEFAULT_FILE_SEED} unless given) and each part holds whole files, about its fraction of
 * the characters; {@link #files} names them. Immutable and thread-safe.
 *
 * <p>{@link #of} holds the codes in an {@code int[]} on the heap (and, while building, the text).
 * {@link #open} is the one way to read a corpus file: it holds a small file the same way and
 * streams a large one, whose codes then lie in a memory-mapped temporary file of 1, 2 or 4 bytes
 * per character ({@link Storage}).
 */
public final class Corpus {
    /** The three contiguous parts of a corpus. */
    public enum Split {
        /** The first part, which training reads. */
        TRAIN,
        /** The part after the training part, for validation during training. */
        VALIDATION,
        /** The last part, held out. */
        TEST
    }

    /** The seed of the file order when none is given to {@link CorpusReader#splitByFiles}. */
    public static final long DEFAULT_FILE_SEED = 0;

    private static final double DEFAULT_VALIDATION = 0.1;

    private final Vocabulary vocabulary;
    private final Codes codes;
    private final double validationFraction;
    private final double testFraction;
    private final List<String> names; // the files in the order written; empty for a text given in memory
    private final int[] starts; // where each file starts (the newline after a file belongs to it)
    private final boolean byFiles;
    private final int trainEnd;
    private final int validationEnd;

    private Corpus(Vocabulary vocabulary, Codes codes, List<String> names, int[] starts, boolean byFiles,
            double validationFraction, double testFraction) {
        this.vocabulary = vocabulary;
        this.codes = codes;
        this.names = names;
        this.starts = starts;
        this.byFiles = byFiles;
        this.validationFraction = validationFraction;
        this.testFraction = testFraction;
        int n = codes.length();
        if (byFiles) {
            int[] ends = FileSplit.ends(starts, n, validationFraction, testFraction);
            this.trainEnd = ends[0];
            this.validationEnd = ends[1];
        } else {
            int test = (int) Math.round(n * testFraction);
            int validation = (int) Math.round(n * validationFraction);
            this.validationEnd = n - test;
            this.trainEnd = validationEnd - validation;
        }
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
        Check.notEmpty("text", text);
        return new Corpus(vocabulary, Codes.of(vocabulary.encode(text)), List.of(), new int[0], false,
                DEFAULT_VALIDATION, 0);
    }

    /**
     * Reads a corpus from a UTF-8 file, a directory or a jar/zip of text files ({@link Texts#read}
     * describes what is read, CRLF read as LF), with the text's own vocabulary, keeping it where
     * {@link Storage#AUTO} says: in memory for a file under 32 MiB, else mapped. Many files are
     * split by file with {@link #DEFAULT_FILE_SEED}. {@link #reader()} offers the other choices.
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @return the corpus, with the text's own vocabulary
     * @throws IOException if it cannot be read, is a FIFO, device or socket, a single file is not
     *     valid UTF-8 (the byte offset is given), a directory or archive holds no text file, or the
     *     text has more than {@code Integer.MAX_VALUE} characters
     * @throws IllegalArgumentException if the file is empty
     */
    public static Corpus open(Path path) throws IOException {
        return reader().open(path);
    }

    /**
     * {@link #open(Path)} with a given vocabulary, for example a trained model's.
     *
     * @param path the file, directory or archive
     * @param vocabulary the vocabulary
     * @return the corpus
     * @throws IOException as {@link #open(Path)}
     * @throws IllegalArgumentException if the file is empty or has a character that the
     *     vocabulary does not know and the vocabulary has no replacement
     */
    public static Corpus open(Path path, Vocabulary vocabulary) throws IOException {
        return reader().vocabulary(vocabulary).open(path);
    }

    /**
     * {@link #open(Path)} with the codes kept where the caller says. Both storages give the same
     * vocabulary, codes and error messages.
     *
     * @param path the file, directory or archive
     * @param storage where the codes are kept
     * @return the corpus, with the text's own vocabulary
     * @throws IOException as {@link #open(Path)}
     * @throws IllegalArgumentException if the file is empty
     */
    public static Corpus open(Path path, Storage storage) throws IOException {
        return reader().storage(storage).open(path);
    }

    /**
     * {@link #open(Path, Vocabulary)} with the codes kept where the caller says.
     *
     * @param path the file, directory or archive
     * @param vocabulary the vocabulary
     * @param storage where the codes are kept
     * @return the corpus
     * @throws IOException as {@link #open(Path)}
     * @throws IllegalArgumentException if the file is empty or has a character that the
     *     vocabulary does not know and the vocabulary has no replacement
     */
    public static Corpus open(Path path, Vocabulary vocabulary, Storage storage) throws IOException {
        return reader().vocabulary(vocabulary).storage(storage).open(path);
    }

    /**
     * A reader with every choice of {@link #open(Path)}: CRLF read as LF, the text's own
     * vocabulary, {@link Storage#AUTO}, many files split by file with {@link #DEFAULT_FILE_SEED}.
     *
     * @return a reader to set choices on and {@link CorpusReader#open} a path with
     */
    public static CorpusReader reader() {
        return new CorpusReader();
    }

    /** A corpus of codes read from files, split by file if asked and there are two or more. */
    static Corpus ofFiles(Vocabulary v, Codes codes, List<String> names, int[] starts, boolean splitByFiles) {
        return new Corpus(v, codes, names, starts, splitByFiles && starts.length > 1, DEFAULT_VALIDATION, 0);
    }

    /** Where {@link #open(Path, Storage)} keeps a corpus's codes. */
    public enum Storage {
        /**
         * {@link #HEAP} for a single file under 32 MiB (reading it twice and mapping would cost more
         * than holding it), {@link #MAPPED} for larger files, directories and archives.
         */
        AUTO,
        /** An {@code int[]} on the heap; while reading, the heap also holds the text. */
        HEAP,
        /**
         * A memory-mapped temporary file in {@code java.io.tmpdir} of 1 byte per character when the
         * vocabulary has at most 256 characters, else 2 or 4: the heap holds neither the text nor its
         * codes. One streaming pass finds the characters, a second writes the codes. The file is
         * deleted at once where the system allows it (Linux, macOS: its space returns when the
         * corpus is garbage-collected, even if the process is killed) and otherwise when the JVM
         * exits.
         */
        MAPPED;

        private static final long MAP_FROM_BYTES = 32L << 20;

        boolean inMemory(Path path) throws IOException {
            TextStream.requireFileOrDirectory(path, "text");
            if (this != AUTO) {
                return this == HEAP;
            }
            String name = String.valueOf(path.getFileName()).toLowerCase(java.util.Locale.ROOT);
            return java.nio.file.Files.isRegularFile(path) && !name.endsWith(".zip") && !name.endsWith(".jar")
                    && java.nio.file.Files.size(path) < MAP_FROM_BYTES;
        }
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
        Check.argument(validation + test < 1, "validation + test must be < 1 to leave text for training, got %s + %s",
                validation, test);
        return new Corpus(vocabulary, codes, names, starts, byFiles, validation, test);
    }

    private static void checkFraction(String name, double f) {
        Check.fraction(name + " fraction", f);
    }

    /** @return the vocabulary the text is encoded with */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** @return the whole length in code points */
    public int length() {
        return codes.length();
    }

    /** @return the fraction of the text held out for validation */
    public double validationFraction() {
        return validationFraction;
    }

    /** @return the fraction of the text held out for testing */
    public double testFraction() {
        return testFraction;
    }

    /** @return whether each part holds whole files (a text of many files split by file) */
    public boolean splitByFiles() {
        return byFiles;
    }

    /**
     * The files whose first character lies in a part, in the order they are written: for a
     * corpus split by files, exactly the part's files. Names are paths, or {@code archive!entry};
     * a corpus of a text given in memory has none.
     *
     * @param split a part
     * @return the names of its files
     */
    public List<String> files(Split split) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            if (starts[i] >= start(split) && starts[i] < end(split)) {
                out.add(names.get(i));
            }
        }
        return out;
    }

    /** The codes of one part, sharing this corpus's storage (read by core through CorpusAccess). */
    private Codes codesOf(Split split) {
        return codes.slice(start(split), length(split));
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
        codes.copy(start(split) + from, destination, offset, length);
    }

    /**
     * @param split a part
     * @return a fresh copy of its codes
     */
    public int[] codes(Split split) {
        int[] out = new int[length(split)];
        codes.copy(start(split), out, 0, out.length);
        return out;
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
            case TEST -> codes.length();
        };
    }

    @Override
    public String toString() {
        return "Corpus[length=" + codes.length() + ", train=" + length(Split.TRAIN) + ", validation="
                + length(Split.VALIDATION) + ", test=" + length(Split.TEST) + ", " + vocabulary + "]";
    }
}
