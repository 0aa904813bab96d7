package io.charrnn.internal.text;

import io.charrnn.text.Corpus;
import java.util.function.BiFunction;

/**
 * Lets core packages read a corpus's codes without copying them and without a public accessor
 * (the "shared secrets" pattern of {@code ModelAccess}): {@link Corpus} installs the bridge when
 * its class initialises.
 */
public final class CorpusAccess {
    private static volatile BiFunction<Corpus, Corpus.Split, Codes> bridge;

    private CorpusAccess() {
    }

    /** Called once, by {@link Corpus}'s static initialiser. */
    public static void install(BiFunction<Corpus, Corpus.Split, Codes> b) {
        if (bridge != null) {
            throw new IllegalStateException("internal error: corpus bridge installed twice");
        }
        bridge = b;
    }

    /** @return the codes of one part of a corpus, sharing its storage */
    public static Codes codes(Corpus corpus, Corpus.Split split) {
        BiFunction<Corpus, Corpus.Split, Codes> b = bridge;
        if (b == null) {
            try {
                Class.forName(Corpus.class.getName(), true, Corpus.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("internal error: " + e, e);
            }
            b = bridge;
        }
        return b.apply(corpus, split);
    }
}
