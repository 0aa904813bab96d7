package io.charrnn.train;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.text.Codes;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;

/** What a {@link TrainingRun} knows of its text: enough to plan steps, check a resume and validate. */
interface RunText {
    /** @return the vocabulary the codes are in */
    Vocabulary vocabulary();

    /** @return the training split's length in codes */
    int trainingLength();

    /** @return {@link TrainingRun#fingerprint} of the training split */
    String fingerprint();

    /** @return whether {@link #validationLoss} has a validation split to score */
    boolean validates();

    /** @return the mean validation loss per character of {@code weights} */
    double validationLoss(ParameterLayout layout, float[] weights, int steps, int batch, int resetCode);

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
}
