package io.charrnn.examples.cli;

import io.charrnn.text.Corpus;
import io.charrnn.text.Newlines;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * How {@code train} reads its text: the newline rule and how a text of many files is split
 * ({@code --newlines}, {@code --split}, {@code --split-seed}).
 */
final class TextReading {
    /** The splits of a text, by their CLI names. */
    enum SplitName { FILES, CONTIGUOUS }

    @Option(names = "--newlines", paramLabel = "RULE", defaultValue = "LF",
            description = "Line endings: lf reads CRLF and a lone CR as LF, as Python's text mode (and every PyTorch "
                    + "script) reads them; keep keeps every character of the file (default: lf).")
    Newlines newlines;

    @Option(names = "--split", paramLabel = "HOW", defaultValue = "FILES",
            description = "How a directory or archive of two or more text files is split: files (whole files shuffled "
                    + "with --split-seed; the last of them validate) or contiguous (the files in path order as one "
                    + "text; its last 10 %% validate); a single file is split contiguously (default: files).")
    SplitName split;

    @Option(names = "--split-seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of the file order for --split files (default: ${DEFAULT-VALUE}).")
    long splitSeed;

    /**
     * Reads the corpus with these choices.
     *
     * @param path the text
     * @param storage where the codes are kept
     * @return the corpus
     * @throws IOException if it cannot be read
     */
    Corpus open(Path path, Corpus.Storage storage) throws IOException {
        var reader = Corpus.reader().newlines(newlines).storage(storage);
        return (split == SplitName.FILES ? reader.splitByFiles(splitSeed) : reader.splitContiguously()).open(path);
    }

    /** Prints how the corpus was split: by file with the number of files and characters of each part, or contiguously. */
    void describe(PrintWriter err, Corpus corpus) {
        if (corpus.splitByFiles()) {
            err.printf(Locale.ROOT, "split by file (--split-seed %d): training %,d files, %,d characters; validation %,d "
                            + "files, %,d characters%n", splitSeed, corpus.files(Corpus.Split.TRAIN).size(),
                    corpus.length(Corpus.Split.TRAIN), corpus.files(Corpus.Split.VALIDATION).size(),
                    corpus.length(Corpus.Split.VALIDATION));
        }
    }
}
