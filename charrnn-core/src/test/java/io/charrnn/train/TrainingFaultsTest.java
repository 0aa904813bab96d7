package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.Activation;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults during training: divergence and a checkpoint that cannot be written leave the last good checkpoint usable. */
class TrainingFaultsTest {
    private static final Corpus SYLLABLES = Corpus.of(Corpora.syllables(12_000, 7));

    @Test
    void divergence_saysWhereAndWhatToDo_andTheLastGoodCheckpointResumesToTheSameDivergence(@TempDir Path dir)
            throws IOException {
        Trainer diverging = Trainer.builder().optimizer(Optimizer.sgd(3.0)).gradientClipNorm(Double.POSITIVE_INFINITY)
                .sequenceLength(16).batchSize(2).steps(500).checkpointEvery(1, dir).keepCheckpoints(2).build();
        RnnModel model = RnnModel.builder().hidden(16).activation(Activation.RELU).initScale(1.0).build();
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> diverging.train(model, SYLLABLES));
        assertTrue(e.getMessage().matches("training diverged at step " + e.step() + " \\(epoch 0\\): got .*, last finite "
                + "loss .*; lower the learning rate or clip gradients \\(gradientClipNorm / gradientClipValue\\)"),
                e.getMessage());
        List<Path> left = files(dir);
        assertEquals(Math.min(2, e.step() - 1), left.size(), left.toString());
        Path last = left.get(left.size() - 1);
        assertEquals(dir.resolve(String.format("checkpoint-%09d.charrnn", e.step() - 1)), last);
        RnnModel good = ModelFiles.load(last);
        good.weights().values().forEach(w -> {
            for (float x : w) {
                assertTrue(Float.isFinite(x));
            }
        });
        // resumable: the same settings run into the same divergence at the same step
        TrainingDivergedException again = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder().optimizer(Optimizer.sgd(3.0)).gradientClipNorm(Double.POSITIVE_INFINITY)
                        .sequenceLength(16).batchSize(2).steps(500).build().resume(last, SYLLABLES));
        assertEquals(e.step(), again.step());
        assertEquals(e.lastFiniteLoss(), again.lastFiniteLoss());
    }

    @Test
    void aCheckpointThatCannotBeWritten_failsNamingIt_andThePreviousOneStaysResumable(@TempDir Path dir)
            throws IOException {
        Files.createDirectory(dir.resolve("checkpoint-000000010.charrnn")); // in the way of the second checkpoint
        Trainer trainer = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).seed(3)
                .steps(20).checkpointEvery(5, dir).build();
        RnnModel model = RnnModel.builder().hidden(12).seed(2).build();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> trainer.train(model, SYLLABLES));
        Path blocked = dir.resolve("checkpoint-000000010.charrnn");
        assertTrue(e.getMessage().startsWith("could not write the checkpoint: " + blocked + ": "), e.getMessage());
        Path previous = dir.resolve("checkpoint-000000005.charrnn");
        assertEquals(List.of(previous, blocked), files(dir));
        Files.delete(blocked);
        TrainingResult resumed = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).seed(3)
                .steps(20).build().resume(previous, SYLLABLES);
        RnnModel whole = Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(4).seed(3)
                .steps(20).build().train(model, SYLLABLES).model();
        assertEquals(whole, resumed.model());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
