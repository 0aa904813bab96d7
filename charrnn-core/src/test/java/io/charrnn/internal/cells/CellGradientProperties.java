package io.charrnn.internal.cells;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.GradientCheck;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The analytic BPTT of every cell against central finite differences in float64. */
class CellGradientProperties {

    @Property(tries = 60, seed = "20261122")
    void everyParameterMatchesFiniteDifferences(
            @ForAll @IntRange(min = 2, max = 8) int vocabulary,
            @ForAll @IntRange(min = 1, max = 6) int hidden,
            @ForAll @IntRange(min = 1, max = 3) int layers,
            @ForAll @IntRange(min = 1, max = 6) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll Activation activation,
            @ForAll @IntRange(min = 0, max = 4) int embedding,
            @ForAll @DoubleRange(min = 0.2, max = 1.2) double initScale,
            @ForAll long seed) {
        ModelConfig config = RnnModel.builder().hidden(hidden).layers(layers).embedding(embedding)
                .activation(activation).initScale(initScale).seed(seed).build().config();
        GradientCheck.Report report = GradientCheck.of(config)
                .vocabularySize(vocabulary).sequenceLength(steps).batchSize(batch).seed(seed ^ 0x5DEECE66DL).run();
        assertTrue(report.maxRelativeError() <= 1e-6, () -> "relative error above 1e-6:\n" + report.table());
        int checked = report.parameters().stream().mapToInt(GradientCheck.ParameterError::checked).sum();
        int skipped = report.parameters().stream().mapToInt(GradientCheck.ParameterError::skipped).sum();
        assertTrue(skipped <= (checked + skipped) / 4, () -> "too many entries at ReLU kinks:\n" + report.table());
    }

    @Property(tries = 25, seed = "20261123")
    void gatedCellsMatchFiniteDifferences(
            @ForAll("gated") CellType cell,
            @ForAll @IntRange(min = 2, max = 8) int vocabulary,
            @ForAll @IntRange(min = 1, max = 6) int hidden,
            @ForAll @IntRange(min = 1, max = 3) int layers,
            @ForAll @IntRange(min = 1, max = 6) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 0, max = 4) int embedding,
            @ForAll @DoubleRange(min = 0.2, max = 1.2) double initScale,
            @ForAll long seed) {
        ModelConfig config = RnnModel.builder().cell(cell).hidden(hidden).layers(layers).embedding(embedding)
                .initScale(initScale).seed(seed).build().config();
        GradientCheck.Report report = GradientCheck.of(config)
                .vocabularySize(vocabulary).sequenceLength(steps).batchSize(batch).seed(seed ^ 0x5DEECE66DL).run();
        assertTrue(report.maxRelativeError() <= 1e-6, () -> cell + ": relative error above 1e-6:\n" + report.table());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<CellType> gated() {
        return net.jqwik.api.Arbitraries.of(CellType.LSTM, CellType.GRU);
    }
}
