package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CheckpointTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(12_000, 7));

    private static Trainer.Builder trainer(Batching batching) {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).batching(batching).chunkWindows(4).sequenceLength(16)
                .batchSize(4).steps(60).validateEvery(15).patience(50).seed(11);
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @ParameterizedTest(name = "{0}, hidden {1}, {2}")
    @CsvSource({"STREAMS, 16, RNN", "RANDOM_WINDOWS, 16, RNN", "SHUFFLED_CHUNKS, 16, RNN", "STREAMS, 128, RNN",
            "STREAMS, 16, LSTM", "SHUFFLED_CHUNKS, 16, GRU"})
    void resume_givesBitIdenticalWeightsToTheUninterruptedRun(Batching batching, int hidden, CellType cell,
                                                              @TempDir Path dir) throws IOException {
        // hidden 128 with batch 4 runs on the ND4J kernel, hidden 16 on the Java one (vanilla; the
        // LSTM and GRU always run on the ND4J kernel, whose carried state holds c as well for the LSTM)
        RnnModel model = RnnModel.builder().cell(cell).hidden(hidden).seed(3).build();
        TrainingResult uninterrupted = trainer(batching).build().train(model, SYLLABLES);
        trainer(batching).checkpointEvery(20, dir).steps(40).build().train(model, SYLLABLES);
        Path checkpoint = dir.resolve("checkpoint-000000040.charrnn");
        TrainingResult resumed = trainer(batching).build().resume(checkpoint, SYLLABLES);

        assertEquals(uninterrupted.model(), resumed.model());
        assertEquals(60, resumed.steps());
        assertEquals(uninterrupted.validationLoss(), resumed.validationLoss());
        assertArrayEquals(uninterrupted.history().losses(), resumed.history().losses());
        assertEquals(uninterrupted.history().validations(), resumed.history().validations());
    }

    @ParameterizedTest(name = "{0}, {1}, dropout {2}")
    @CsvSource({"STREAMS, RNN, 0.3", "RANDOM_WINDOWS, LSTM, 0.5", "SHUFFLED_CHUNKS, GRU, 0.2"})
    void resume_withDropout_drawsTheMasksOfTheUninterruptedRun(Batching batching, CellType cell, double dropout,
                                                               @TempDir Path dir) throws IOException {
        // the masks of each step come from the trainer seed and the step alone (vanilla hidden 16
        // runs on the ND4J kernel here, since only it has dropout)
        RnnModel model = RnnModel.builder().cell(cell).hidden(16).layers(2).dropout(dropout).seed(3).build();
        TrainingResult uninterrupted = trainer(batching).build().train(model, SYLLABLES);
        trainer(batching).checkpointEvery(20, dir).steps(40).build().train(model, SYLLABLES);
        TrainingResult resumed = trainer(batching).build().resume(dir.resolve("checkpoint-000000040.charrnn"), SYLLABLES);

        assertEquals(uninterrupted.model(), resumed.model());
        assertEquals(dropout, resumed.model().config().dropout());
        assertArrayEquals(uninterrupted.history().losses(), resumed.history().losses());
        assertEquals(uninterrupted.history().validations(), resumed.history().validations());
    }

    @Test
    void checkpoints_keepOnlyTheNewestK_andLoadAsModels(@TempDir Path dir) throws IOException {
        TrainingResult r = trainer(Batching.STREAMS).steps(50).checkpointEvery(10, dir).keepCheckpoints(2).build()
                .train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        assertEquals(List.of(dir.resolve("checkpoint-000000040.charrnn"), dir.resolve("checkpoint-000000050.charrnn")),
                files(dir));
        RnnModel last = ModelFiles.load(dir.resolve("checkpoint-000000050.charrnn"));
        assertEquals(r.model().weights().keySet(), last.weights().keySet());
        assertEquals(50, last.trainingInfo().orElseThrow().steps());
    }

    @Test
    void divergence_leavesTheLastGoodCheckpointLoadable(@TempDir Path dir) throws IOException {
        Trainer diverging = Trainer.builder().optimizer(Optimizer.sgd(3.0)).gradientClipNorm(Double.POSITIVE_INFINITY)
                .sequenceLength(16).batchSize(2).steps(500).checkpointEvery(1, dir).keepCheckpoints(1).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> diverging.train(RnnModel.builder().hidden(16).activation(Activation.RELU).initScale(1.0).build(),
                        SYLLABLES));
        List<Path> left = files(dir);
        assertEquals(1, left.size(), left.toString());
        RnnModel good = ModelFiles.load(left.get(0));
        assertEquals(e.step() - 1, good.trainingInfo().orElseThrow().steps());
    }

    @Test
    void resume_withOtherTrainingSettings_failsNamingBoth(@TempDir Path dir) throws IOException {
        trainer(Batching.STREAMS).steps(10).checkpointEvery(10, dir).build()
                .train(RnnModel.builder().hidden(8).build(), SYLLABLES);
        Path checkpoint = dir.resolve("checkpoint-000000010.charrnn");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> trainer(Batching.STREAMS).sequenceLength(20).build().resume(checkpoint, SYLLABLES));
        assertTrue(e.getMessage().contains("sequenceLength=16") && e.getMessage().contains("sequenceLength=20"),
                e.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> trainer(Batching.STREAMS).build().resume(checkpoint, Corpus.of(Corpora.syllables(12_000, 8))));
        assertTrue(other.getMessage().startsWith("the corpus differs from the checkpoint's"), other.getMessage());
    }

    @Test
    void resume_fromAPlainModelFile_saysItIsNotACheckpoint(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("m.charrnn");
        ModelFiles.save(RnnModel.builder().hidden(8).vocabulary(SYLLABLES.vocabulary()).build(), model);
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> trainer(Batching.STREAMS).build().resume(model, SYLLABLES));
        assertTrue(e.getMessage().contains("not a checkpoint"), e.getMessage());
    }
}
