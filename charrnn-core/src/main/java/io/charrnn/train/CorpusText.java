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
                TrainingRun.fingerprint(training));
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
