package io.charrnn.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** BPTT with the hidden state reset at a separator code, against finite differences in float64. */
class ResetGradientProperties {
    @Property(tries = 25, seed = "31")
    void resetsKeepTheGradientExact(
            @ForAll @IntRange(min = 2, max = 4) int vocabulary,
            @ForAll @IntRange(min = 1, max = 5) int hidden,
            @ForAll @IntRange(min = 1, max = 2) int layers,
            @ForAll @IntRange(min = 2, max = 6) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll long seed) {
        // code 0 of a 2-4 letter vocabulary: about every third input resets
        ModelConfig config = RnnModel.builder().hidden(hidden).layers(layers).initScale(0.8).seed(seed).build().config();
        GradientCheck.Report report = GradientCheck.of(config)
                .vocabularySize(vocabulary).sequenceLength(steps).batchSize(batch).seed(seed).resetBefore(0).run();
        assertTrue(report.maxRelativeError() <= 1e-6, () -> report.table());
    }

    @Property(tries = 20, seed = "32")
    void resetsKeepTheGatedCellsGradientExact(
            @ForAll CellType cell,
            @ForAll @IntRange(min = 2, max = 4) int vocabulary,
            @ForAll @IntRange(min = 1, max = 5) int hidden,
            @ForAll @IntRange(min = 1, max = 2) int layers,
            @ForAll @IntRange(min = 2, max = 6) int steps,
            @ForAll @IntRange(min = 1, max = 3) int batch,
            @ForAll @IntRange(min = 0, max = 3) int embedding,
            @ForAll long seed) {
        ModelConfig config = RnnModel.builder().cell(cell).hidden(hidden).layers(layers).embedding(embedding)
                .initScale(0.8).seed(seed).build().config();
        GradientCheck.Report report = GradientCheck.of(config)
                .vocabularySize(vocabulary).sequenceLength(steps).batchSize(batch).seed(seed).resetBefore(0).run();
        assertTrue(report.maxRelativeError() <= 1e-6, () -> cell + "\n" + report.table());
    }
}
