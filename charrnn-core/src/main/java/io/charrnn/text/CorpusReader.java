package io.charrnn.text;

import io.charrnn.internal.check.Check;
import io.charrnn.internal.text.Codes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a corpus is read: the newline rule, the vocabulary, where the codes are kept and how a
 * text of many files is split. Not thread-safe; each {@link #open} reads afresh.
 */
public final class CorpusReader {
    private Newlines newlines = Newlines.LF;
    private Vocabulary vocabulary;
    private Corpus.Storage storage = Corpus.Storage.AUTO;
    private Long fileSeed = Corpus.DEFAULT_FILE_SEED; // null: contiguous

    CorpusReader() {
    }

    /**
     * @param rule how line endings are read (default {@link Newlines#LF})
     * @return this reader
     */
    public CorpusReader newlines(Newlines rule) {
        this.newlines = Objects.requireNonNull(rule, "newlines");
        return this;
    }

    /**
     * @param given the vocabulary to encode with, for example a trained model's (default: the text's own)
     * @return this reader
     */
    public CorpusReader vocabulary(Vocabulary given) {
        this.vocabulary = Objects.requireNonNull(given, "vocabulary");
        return this;
    }

    /**
     * @param where where the codes are kept (default {@link Corpus.Storage#AUTO})
     * @return this reader
     */
    public CorpusReader storage(Corpus.Storage where) {
        this.storage = Objects.requireNonNull(where, "storage");
        return this;
    }

    /**
     * Splits a text of two or more files by file (the default, with {@link Corpus#DEFAULT_FILE_SEED}):
     * the files, in path order, are written in an order shuffled with the seed; the last ones
     * validate (and test), whole files, about their fraction of the characters; the rest
     * train in the shuffled order. A single file is split contiguously all the same.
     *
     * @param seed the seed of the file order
     * @return this reader
     */
    public CorpusReader splitByFiles(long seed) {
        this.fileSeed = seed;
        return this;
    }

    /**
     * Reads a text of many files in path order as one text, split contiguously (the last
     * {@code validation} of the characters validate, whichever files they fall in).
     *
     * @return this reader
     */
    public CorpusReader splitContiguously() {
        this.fileSeed = null;
        return this;
    }

    /**
     * Reads a corpus.
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @return the corpus
     * @throws IOException as {@link Corpus#open(Path)}
     * @throws IllegalArgumentException if the file is empty or has a character that a given
     *     vocabulary does not know and the vocabulary has no replacement
     */
    public Corpus open(Path path) throws IOException {
        Objects.requireNonNull(path, "path");
        TextStream.FileOrder order = files -> fileSeed == null ? identity(files) : FileSplit.order(files, fileSeed);
        if (storage.inMemory(path)) {
            List<Texts.File> sorted = Texts.readFiles(path, newlines);
            int[] o = order.order(sorted.size());
            StringBuilder text = new StringBuilder();
            List<String> names = new ArrayList<>();
            int[] starts = new int[o.length];
            long start = 0;
            for (int i = 0; i < o.length; i++) {
                String file = sorted.get(o[i]).text();
                if (i > 0) {
                    text.append('\n');
                }
                starts[i] = (int) start;
                start += file.codePointCount(0, file.length()) + 1;
                names.add(sorted.get(o[i]).name());
                text.append(file);
            }
            Check.notEmpty("text", text);
            Vocabulary v = vocabulary != null ? vocabulary : Vocabulary.fromText(text);
            return corpus(v, Codes.of(v.encode(text)), List.copyOf(names), starts);
        }
        TextStream.Encoded e = TextStream.encode(path, vocabulary, null, newlines, order);
        return corpus(e.vocabulary(), e.codes(), e.names(), e.starts());
    }

    private Corpus corpus(Vocabulary v, Codes codes, List<String> names, int[] starts) {
        return Corpus.ofFiles(v, codes, names, starts, fileSeed != null);
    }

    private static int[] identity(int files) {
        return java.util.stream.IntStream.range(0, files).toArray();
    }
}
