package io.charrnn.internal.access;

import io.charrnn.internal.text.Codes;
import io.charrnn.text.Corpus;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Lets core's packages read a corpus's codes without copying them and without a public accessor,
 * through a private method handle of {@link Corpus} found once (like {@link ModelAccess}).
 */
public final class CorpusAccess {
    private static final MethodHandle CODES;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Corpus.class, MethodHandles.lookup());
            CODES = lookup.findVirtual(Corpus.class, "codesOf", MethodType.methodType(Codes.class, Corpus.Split.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CorpusAccess() {
    }

    /** @return the codes of one part of a corpus, sharing its storage */
    public static Codes codes(Corpus corpus, Corpus.Split split) {
        try {
            return (Codes) CODES.invokeExact(corpus, split);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("internal error: " + t, t);
        }
    }
}
