package io.charrnn.examples.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.ContinuousBatcher;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import org.junit.jupiter.api.Test;

/** A small run of the batching load check: the same texts with and without the batcher, with and without sinks. */
class BatchingLoadTest {
    @Test
    void eightClients_batchedTextsEqualPerClientTexts() throws Exception {
        RnnModel model = RnnModel.builder().cell(CellType.GRU).hidden(32).layers(2).seed(4)
                .vocabulary(Vocabulary.fromText("abcdefgh .\n")).build();
        Sampler plain = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(model).rows(4).queue(4).build()) {
            Sampler batched = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).batcher(batcher)
                    .build();
            BatchingLoad.Run a = BatchingLoad.run(plain, 8, 300, false);
            BatchingLoad.Run b = BatchingLoad.run(batched, 8, 300, false);
            BatchingLoad.Run c = BatchingLoad.run(batched, 8, 300, true);
            assertEquals(8 * 300, b.characters());
            assertEquals(8 * 300, c.characters());
            assertEquals(a.texts(), b.texts());
            assertEquals(a.texts(), c.texts());
            assertEquals(8, b.nanosPerChar().length);
        }
    }

    @Test
    void c3Sized_isA2LayerLstmOf512Over65Characters() {
        RnnModel m = BatchingLoad.c3Sized();
        assertEquals(CellType.LSTM, m.config().cell());
        assertEquals(512, m.config().hidden());
        assertEquals(2, m.config().layers());
        assertEquals(65, m.vocabulary().orElseThrow().size());
    }
}
