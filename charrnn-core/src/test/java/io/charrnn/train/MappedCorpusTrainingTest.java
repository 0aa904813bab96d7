package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.eval.Evaluation;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training reads a memory-mapped corpus ({@link Corpus#open}) exactly as an in-memory one. */
class MappedCorpusTrainingTest {
    @TempDir
    Path dir;

    private Path text() throws IOException {
        return Files.writeString(dir.resolve("s.txt"), Corpora.syllables(12_000, 8));
    }

    private static Trainer.Builder trainer(Batching batching) {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).batching(batching).chunkWindows(2)
                .sequenceLength(16).batchSize(4).steps(40).validateEvery(20).seed(5);
    }

    @ParameterizedTest
    @EnumSource(Batching.class)
    void train_mappedAndInMemoryCorpus_giveIdenticalWeightsAndValidation(Batching batching) throws IOException {
        Path f = text();
        RnnModel model = RnnModel.builder().hidden(16).seed(2).build();
        TrainingResult heap = trainer(batching).build().train(model, Corpus.open(f, Corpus.Storage.HEAP));
        TrainingResult mapped = trainer(batching).build().train(model, Corpus.open(f, Corpus.Storage.MAPPED));
        assertEquals(heap.model(), mapped.model());
        assertEquals(heap.validationLoss(), mapped.validationLoss());
        assertArrayEquals(heap.history().losses(), mapped.history().losses());
        assertEquals(Evaluation.score(heap.model(), Corpus.open(f, Corpus.Storage.HEAP), Corpus.Split.VALIDATION),
                Evaluation.score(mapped.model(), Corpus.open(f, Corpus.Storage.MAPPED), Corpus.Split.VALIDATION));
    }

    @Test
    void resume_checkpointOfAnInMemoryRun_onTheMappedCorpus_givesTheUninterruptedWeights() throws IOException {
        Path f = text();
        Path checkpoints = Files.createDirectories(dir.resolve("c"));
        RnnModel model = RnnModel.builder().hidden(8).seed(2).build();
        TrainingResult whole = trainer(Batching.STREAMS).steps(30).build().train(model, Corpus.open(f, Corpus.Storage.HEAP));
        trainer(Batching.STREAMS).steps(20).checkpointEvery(10, checkpoints).build().train(model, Corpus.open(f, Corpus.Storage.HEAP));
        TrainingResult resumed = trainer(Batching.STREAMS).steps(30).build()
                .resume(checkpoints.resolve("checkpoint-000000020.charrnn"), Corpus.open(f, Corpus.Storage.MAPPED));
        assertEquals(whole.model(), resumed.model());
    }

    @Test
    void fingerprint_ofMappedCodes_equalsThatOfTheArray() throws IOException {
        Path f = text();
        Corpus heap = Corpus.open(f, Corpus.Storage.HEAP);
        Corpus mapped = Corpus.open(f, Corpus.Storage.MAPPED);
        assertEquals(CorpusText.fingerprint(heap.codes(Corpus.Split.TRAIN)),
                CorpusText.fingerprint(io.charrnn.internal.access.CorpusAccess.codes(mapped, Corpus.Split.TRAIN)));
    }
}
