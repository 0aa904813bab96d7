package io.charrnn.model;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** With dropout, the gradient check holds the masks fixed and so verifies backpropagation through them. */
class DropoutGradientCheckTest {

    @ParameterizedTest(name = "{0} {1}, {2} layers, embedding {3}, dropout {4}")
    @CsvSource({
            "RNN, TANH, 2, 0, 0.3",
            "RNN, TANH, 3, 3, 0.5",
            "RNN, RELU, 2, 0, 0.3",
            "LSTM, TANH, 2, 0, 0.3",
            "LSTM, TANH, 2, 3, 0.6",
            "GRU, TANH, 2, 0, 0.3"})
    void gradientThroughFixedMasks_matchesFiniteDifferences(CellType cell, Activation activation, int layers,
                                                             int embedding, double dropout) {
        RnnModel.Builder b = RnnModel.builder().cell(cell).activation(activation).hidden(3).layers(layers)
                .embedding(embedding).initScale(0.8).seed(13);
        GradientCheck.Report report = GradientCheck.of(b.dropout(dropout).build().config())
                .vocabularySize(5).sequenceLength(3).batchSize(2).seed(77).run();
        assertTrue(report.maxRelativeError() <= 1e-6, () -> "relative error above 1e-6:\n" + report.table());
        int checked = report.parameters().stream().mapToInt(GradientCheck.ParameterError::checked).sum();
        int skipped = report.parameters().stream().mapToInt(GradientCheck.ParameterError::skipped).sum();
        assertTrue(skipped <= (checked + skipped) / 4, () -> "too many entries at ReLU kinks:\n" + report.table());
    }

    @Test
    void theCheckRunsWithTheConfigsDropout() {
        RnnModel.Builder b = RnnModel.builder().hidden(2).layers(2).seed(13);
        GradientCheck.Report plain = GradientCheck.of(b.build().config())
                .vocabularySize(3).sequenceLength(2).batchSize(1).seed(77).run();
        GradientCheck.Report dropped = GradientCheck.of(b.dropout(0.5).build().config())
                .vocabularySize(3).sequenceLength(2).batchSize(1).seed(77).run();
        assertNotEquals(plain.loss(), dropped.loss());
    }
}
