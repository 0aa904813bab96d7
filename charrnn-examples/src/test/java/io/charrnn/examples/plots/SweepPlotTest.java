package io.charrnn.examples.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class SweepPlotTest {
    private final SweepPlot.Line charrnn = new SweepPlot.Line("LSTM", "charrnn", false, new double[] {32, 64},
            new double[] {1000.5, 900}, new double[] {2000, 1800});
    private final SweepPlot.Line torch = new SweepPlot.Line("LSTM", "pytorch", true, new double[] {32, 64},
            new double[] {500, Double.NaN}, new double[] {1000, Double.NaN});

    @Test
    void panel_hasALinePerVariantAndProgram_onLogAxes_leavingOutMissingFigures() {
        XYChart train = SweepPlot.panel(new SweepPlot.Row("hidden", List.of(charrnn, torch)), true, 640, 400);
        assertEquals(List.of("LSTM charrnn", "LSTM pytorch"), List.copyOf(train.getSeriesMap().keySet()));
        assertTrue(train.getStyler().isXAxisLogarithmic() && train.getStyler().isYAxisLogarithmic());
        assertArrayEquals(new double[] {1000.5, 900}, train.getSeriesMap().get("LSTM charrnn").getYData());
        assertArrayEquals(new double[] {500}, train.getSeriesMap().get("LSTM pytorch").getYData());
        XYChart sample = SweepPlot.panel(new SweepPlot.Row("hidden", List.of(charrnn, torch)), false, 640, 400);
        assertArrayEquals(new double[] {2000, 1800}, sample.getSeriesMap().get("LSTM charrnn").getYData());
        // a panel with no figure at all: an empty frame, not XChart's failure on an empty log axis
        XYChart empty = SweepPlot.panel(new SweepPlot.Row("hidden", List.of(new SweepPlot.Line("GRU", "pytorch", true,
                new double[] {32}, new double[] {Double.NaN}, new double[] {Double.NaN}))), false, 640, 400);
        assertFalse(empty.getStyler().isYAxisLogarithmic());
        assertEquals(1280, SweepPlot.of(List.of(new SweepPlot.Row("hidden", List.of())), 640, 400).toImage()
                .getWidth());
    }

    @Test
    void badInput_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SweepPlot.Line("LSTM", "charrnn", false,
                new double[] {32, 64}, new double[] {1}, new double[] {1, 2}));
        assertThrows(IllegalArgumentException.class, () -> SweepPlot.of(List.of(), 640, 400));
        assertThrows(IllegalArgumentException.class,
                () -> SweepPlot.of(List.of(new SweepPlot.Row("hidden", List.of(charrnn))), 50, 400));
    }
}
