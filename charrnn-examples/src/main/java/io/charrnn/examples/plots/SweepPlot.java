package io.charrnn.examples.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The chart of {@code charrnn bench --sweep}: characters per second against a size (hidden units,
 * batch, sequence length, vocabulary), one row of two panels per swept size, training on the left
 * and batch-1 sampling on the right, both axes logarithmic. Each variant (a cell and layer count, an
 * input kind) has its own colour; charrnn's line is solid with round markers, the reference's
 * dashed with square ones.
 */
public final class SweepPlot {
    static {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};
    private static final BasicStroke DASHED = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
            new float[] {6f, 4f}, 0f);

    private SweepPlot() {
    }

    /**
     * One program's measurements of one variant along a size.
     *
     * @param variant what the line measures besides the size, e.g. "LSTM x2"; lines of one variant
     *     share a colour
     * @param program the program, e.g. "charrnn" or "pytorch"
     * @param reference whether this is the reference program (drawn dashed)
     * @param sizes the sizes, ascending, all &gt; 0
     * @param train training characters per second at each size (NaN or &le; 0: not measured)
     * @param sample sampling characters per second at each size (NaN or &le; 0: not measured)
     */
    public record Line(String variant, String program, boolean reference, double[] sizes, double[] train,
                       double[] sample) {
        /**
         * @param variant as above
         * @param program as above
         * @param reference as above
         * @param sizes as above
         * @param train as above
         * @param sample as above
         */
        public Line {
            Objects.requireNonNull(variant, "variant");
            Objects.requireNonNull(program, "program");
            if (sizes.length != train.length || sizes.length != sample.length) {
                throw new IllegalArgumentException("a line needs one training and one sampling figure per size, got "
                        + sizes.length + " sizes, " + train.length + " training and " + sample.length + " sampling");
            }
        }
    }

    /**
     * One swept size: a row of the figure.
     *
     * @param size the axis title, e.g. "hidden units (B=64, T=100)"
     * @param lines its lines
     */
    public record Row(String size, List<Line> lines) {
    }

    /**
     * @param rows the swept sizes, one row of two panels each; at least one
     * @param panelWidth one panel's width in pixels
     * @param panelHeight one panel's height in pixels
     * @return the figure, {@code 2 × panelWidth} wide and {@code rows × panelHeight} high
     */
    public static Figure of(List<Row> rows, int panelWidth, int panelHeight) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a sweep plot needs at least one swept size, got none");
        }
        if (panelWidth < 100 || panelHeight < 100) {
            throw new IllegalArgumentException("a panel must be at least 100x100 pixels, got " + panelWidth + "x"
                    + panelHeight);
        }
        List<XYChart> charts = new ArrayList<>();
        for (Row row : rows) {
            charts.add(panel(row, true, panelWidth, panelHeight));
            charts.add(panel(row, false, panelWidth, panelHeight));
        }
        return new Figure(2 * panelWidth, rows.size() * panelHeight, g -> {
            for (int i = 0; i < charts.size(); i++) {
                Graphics2D sub = (Graphics2D) g.create((i % 2) * panelWidth, (i / 2) * panelHeight, panelWidth,
                        panelHeight);
                try {
                    charts.get(i).paint(sub, panelWidth, panelHeight);
                } finally {
                    sub.dispose();
                }
            }
        });
    }

    /** @return the training or sampling panel of a row: one series per line with at least one figure */
    static XYChart panel(Row row, boolean training, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height)
                .title((training ? "training" : "sampling, batch 1") + " vs " + row.size())
                .xAxisTitle(row.size()).yAxisTitle("characters/s").build();
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(0xdddddd));
        s.setLegendBorderColor(new Color(0xcccccc));
        s.setChartTitleBoxVisible(false);
        s.setPlotBorderVisible(true);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        Map<String, Color> colors = new LinkedHashMap<>();
        for (Line line : row.lines()) {
            Color color = colors.computeIfAbsent(line.variant(), v -> COLORS[colors.size() % COLORS.length]);
            double[] ys = training ? line.train() : line.sample();
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i < ys.length; i++) {
                if (ys[i] > 0 && Double.isFinite(ys[i]) && line.sizes()[i] > 0) {
                    x.add(line.sizes()[i]);
                    y.add(ys[i]);
                }
            }
            if (x.isEmpty()) {
                continue; // a logarithmic axis has no place for a missing figure
            }
            XYSeries series = chart.addSeries(line.variant() + " " + line.program(), x, y);
            series.setLineColor(color);
            series.setMarkerColor(color);
            series.setMarker(line.reference() ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
            if (line.reference()) {
                series.setLineStyle(DASHED);
            }
        }
        if (chart.getSeriesMap().isEmpty()) {
            // XChart cannot scale empty logarithmic axes: show an empty frame instead
            chart.getStyler().setXAxisLogarithmic(false);
            chart.getStyler().setYAxisLogarithmic(false);
            chart.addSeries("no figures yet", new double[] {0}, new double[] {0});
        }
        return chart;
    }
}
