package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.eval.Evaluation;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Training with dropout: reproducible, different from training without, and never used outside training. */
class DropoutTrainingTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(12_000, 7));

    private static Trainer.Builder trainer() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(8).steps(60)
                .validateEvery(30).seed(11);
    }

    private static RnnModel.Builder lstm() {
        return RnnModel.builder().cell(CellType.LSTM).hidden(16).layers(2).seed(3);
    }

    private static RnnModel.Builder rnn() {
        return RnnModel.builder().hidden(32).layers(2).seed(3);
    }

    /** The same weights in a model whose config has no dropout. */
    private static RnnModel withoutDropout(RnnModel m) {
        ModelConfig c = m.config();
        ModelConfig plain = new ModelConfig(c.cell(), c.activation(), c.hidden(), c.layers(), c.embedding(),
                c.initScale(), c.seed(), 0, c.forgetBias());
        return RnnModel.fromWeights(plain, m.vocabulary().orElseThrow(), m.weights());
    }

    @Test
    void dropout_changesTraining_isReproducible_andFollowsTheTrainerSeed() {
        RnnModel model = rnn().dropout(0.3).build();
        TrainingResult a = trainer().build().train(model, SYLLABLES);
        TrainingResult again = trainer().build().train(model, SYLLABLES);
        TrainingResult otherSeed = trainer().seed(12).build().train(model, SYLLABLES);
        TrainingResult plain = trainer().build().train(rnn().build(), SYLLABLES);

        assertEquals(a.model(), again.model());
        assertEquals(0.3, a.model().config().dropout());
        assertNotEquals(withoutDropout(plain.model()), withoutDropout(a.model()));
        // streams batching draws nothing from the trainer seed: only the masks depend on it
        assertNotEquals(withoutDropout(a.model()), withoutDropout(otherSeed.model()));
        double chance = Math.log(SYLLABLES.vocabulary().size());
        assertTrue(a.validationLoss().getAsDouble() < 0.8 * chance,
                "dropout 0.3 still learns: validation " + a.validationLoss() + " against chance " + chance);
    }

    @Test
    void dropoutZero_trainsBitIdenticallyToAModelWithoutDropout() {
        RnnModel plain = rnn().build();
        RnnModel zero = rnn().dropout(0).build();
        assertEquals(plain.config(), zero.config());
        assertEquals(trainer().build().train(plain, SYLLABLES).model(), trainer().build().train(zero, SYLLABLES).model());
    }

    @Test
    void validationSamplingAndEvaluation_useNoDropout() {
        TrainingResult r = trainer().build().train(lstm().dropout(0.5).build(), SYLLABLES);
        RnnModel dropping = r.model();
        RnnModel plain = withoutDropout(dropping);
        String text = Corpora.syllables(600, 99);

        // validation inside training: the loss of the final weights, scored without masks
        int[] validation = SYLLABLES.codes(Corpus.Split.VALIDATION);
        double[] sum = Kernels.sumLoss(new ParameterLayout(plain.config(), SYLLABLES.vocabulary().size()),
                ModelAccess.engine(plain).parameters(), validation, 16, 8);
        assertEquals(sum[0] / sum[1], r.validationLoss().getAsDouble(), 0.0);

        assertEquals(Evaluation.score(dropping, text), Evaluation.score(dropping, text));
        assertEquals(Evaluation.score(plain, text), Evaluation.score(dropping, text));
        assertEquals(Evaluation.nextCharacters(plain, "ba", 3), Evaluation.nextCharacters(dropping, "ba", 3));
        Sampler a = Sampler.builder(dropping).strategy(SamplingStrategy.temperature(1.0)).build();
        Sampler b = Sampler.builder(plain).strategy(SamplingStrategy.temperature(1.0)).build();
        assertEquals(b.generate("", 200, new SplittableRandom(4)), a.generate("", 200, new SplittableRandom(4)));
    }
}
