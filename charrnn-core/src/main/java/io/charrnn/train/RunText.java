package io.charrnn.train;

import io.charrnn.internal.cells.ParameterLayout;
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
}
