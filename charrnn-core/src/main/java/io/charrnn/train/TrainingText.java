package io.charrnn.train;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.text.Codes;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * What a {@link DataParallel} run must know of a training split it does not hold: its vocabulary,
 * its length and a checksum, so that its checkpoints resume on one machine ({@link Trainer#resume})
 * and the other way round.
 *
 * @param vocabulary the vocabulary the text is encoded in
 * @param length the training split's length in code points, {@code >= 2}
 * @param crc32 the CRC-32 of the split's vocabulary indices, each written as a big-endian 32-bit int
 */
public record TrainingText(Vocabulary vocabulary, int length, long crc32) {
    /**
     * Checks the components.
     *
     * @param vocabulary the vocabulary
     * @param length the length, {@code >= 2}
     * @param crc32 the checksum, in {@code [0, 2^32)}
     * @throws IllegalArgumentException if the length or checksum is out of range
     */
    public TrainingText {
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (length < 2) {
            throw new IllegalArgumentException("a training split needs at least 2 code points, got " + length);
        }
        if (crc32 < 0 || crc32 > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("crc32 must be in [0, 2^32), got " + crc32);
        }
    }

    /**
     * @param corpus a corpus
     * @return its training split's vocabulary, length and checksum
     */
    public static TrainingText of(Corpus corpus) {
        Codes codes = CorpusAccess.codes(corpus, Corpus.Split.TRAIN);
        CRC32 crc = new CRC32();
        codes.checksum(crc);
        return new TrainingText(corpus.vocabulary(), codes.length(), crc.getValue());
    }

    /** @return the form checkpoints keep */
    String fingerprint() {
        return "length=" + length + " crc32=" + Long.toHexString(crc32);
    }
}
