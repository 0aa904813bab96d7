package io.charrnn.train;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.text.Codes;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;

/** A corpus on this machine. */
record CorpusText(Corpus corpus, Codes training, Codes validation, String fingerprint) implements RunText {
    static CorpusText of(Corpus corpus) {
        Codes training = CorpusAccess.codes(corpus, Corpus.Split.TRAIN);
        return new CorpusText(corpus, training, CorpusAccess.codes(corpus, Corpus.Split.VALIDATION),
                fingerprint(training));
    }

    /** @return length and CRC-32 of a code sequence, to recognise the corpus of a checkpoint */
    static String fingerprint(int[] codes) {
        return fingerprint(Codes.of(codes));
    }

    /** @return length and CRC-32 of the codes as big-endian ints, read in blocks */
    static String fingerprint(Codes codes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        codes.checksum(crc);
        return "length=" + codes.length() + " crc32=" + Long.toHexString(crc.getValue());
    }

    @Override
    public Vocabulary vocabulary() {
        return corpus.vocabulary();
    }

    @Override
    public int trainingLength() {
        return training.length();
    }

    @Override
    public boolean validates() {
        return validation.length() >= 2;
    }

    @Override
    public double validationLoss(ParameterLayout layout, float[] weights, int steps, int batch, int resetCode) {
        double[] sum = Kernels.sumLoss(layout, weights, validation, steps, batch, resetCode);
        return sum[0] / sum[1];
    }
}
