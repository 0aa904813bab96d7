package io.charrnn.examples.serve;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;

/** A small LSTM that has learnt a text with markup, brackets and quotes, for the playground tests. */
final class PlaygroundModel {
    static final String TEXT = "<script>alert(1)</script> the cat (in brackets) sat, \"quoted\" on the mat.\n";

    private PlaygroundModel() {
    }

    /** A fresh model each call (about a second of training); tests that share one keep it in a static. */
    static RnnModel train() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).steps(150).seed(1)
                .build().train(RnnModel.builder().cell(CellType.LSTM).hidden(32).seed(1).build(),
                        Corpus.of(TEXT.repeat(60))).model();
    }
}
