package io.charrnn.train;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** The checks of a trainer's settings against a model, a text and a checkpoint, before a run does any work. */
final class RunChecks {
    private RunChecks() {
    }

    /** @return the checkpoint, if this trainer's settings are those it was written with */
    static CheckpointData readCheckpoint(Trainer trainer, Path checkpoint) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        CheckpointData data = Checkpoints.read(checkpoint);
        if (!data.signature().equals(trainer.signature())) {
            throw new IllegalArgumentException("the checkpoint was written with other training settings; resume with "
                    + "the same ones.\n  checkpoint: " + data.signature() + "\n  this trainer: " + trainer.signature());
        }
        return data;
    }

    static void checkCorpus(Trainer trainer, RnnModel model, Corpus corpus) {
        checkText(trainer, model, corpus.vocabulary(), corpus.length(Corpus.Split.TRAIN), corpus.length(Corpus.Split.VALIDATION));
    }

    /** Checks a model and a text of this vocabulary and split lengths before a run. */
    static void checkText(Trainer trainer, RnnModel model, Vocabulary vocabulary, int trainLength, long validationLength) {
        if (model.isBound() && !model.vocabulary().orElseThrow().equals(vocabulary)) {
            throw new IllegalArgumentException("corpus vocabulary (" + vocabulary.size()
                    + " code points) differs from the model's (" + model.vocabulary().orElseThrow().size()
                    + "); build both from one Vocabulary");
        }
        if (vocabulary.size() < 2) {
            throw new IllegalArgumentException("the corpus vocabulary must have at least 2 characters for there to be "
                    + "anything to predict, got 1: " + Vocabulary.describe(vocabulary.codePointAt(0)));
        }
        BatchSource.checkFits(trainer.batching, trainLength, trainer.sequenceLength, trainer.batchSize,
                trainer.chunkWindows);
        if (trainer.resetCodePoint >= 0 && !vocabulary.contains(trainer.resetCodePoint)) {
            throw new IllegalArgumentException("resetStateAt " + Vocabulary.describe(trainer.resetCodePoint)
                    + " must be in the corpus vocabulary (" + vocabulary.size() + " code points)");
        }
        if (trainer.patience > 0 && validationLength < 2) {
            throw new IllegalArgumentException("patience (" + trainer.patience + ") needs a validation split, but the corpus has "
                    + validationLength + " validation characters; split it with "
                    + "corpus.withSplit(validation, test)");
        }
    }
}
