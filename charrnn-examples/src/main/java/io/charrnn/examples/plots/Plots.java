package io.charrnn.examples.plots;

import io.charrnn.model.LossHistory;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The charts of {@code charrnn plot}: line charts with XChart, the heatmap and the sample table
 * drawn with Java2D (characters as column labels, text in columns), each as a {@link Figure}.
 * Sets {@code java.awt.headless=true} when it loads, unless the property is set already.
 */
public final class Plots {
    static {
        // no window system is needed or wanted (servers, CI, macOS's Dock icon); set before AWT loads
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    private static final double LN2 = Math.log(2);
    private static final Color[] LINE_COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd)};

    private Plots() {
    }

    /**
     * Training loss per step (raw and smoothed), validation passes and the saved model's validation,
     * nats per character on the left axis and bits per character on the right. A long history is
     * drawn through about one point per pixel column ({@link Downsample}), so its cost and an SVG's
     * size do not grow with the number of steps.
     *
     * @param history a non-empty curve
     * @param modelValidation the saved model's validation loss in nats per character, marked on
     *     the chart: at the validation pass with that loss, or else after the last step
     * @param title the chart title
     * @param width in pixels
     * @param height in pixels
     * @return the chart
     */
    public static Figure loss(LossHistory history, OptionalDouble modelValidation, String title, int width,
                              int height) {
        XYChart chart = lossChart(history, modelValidation, title, width, height, width);
        return new Figure(width, height, g -> chart.paint(g, width, height));
    }

    /** The loss chart, with curves reduced to {@code columns} pixel columns (the width; more for a test). */
    static XYChart lossChart(LossHistory history, OptionalDouble modelValidation, String title, int width, int height,
                             int columns) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("step")
                .yAxisTitle("loss (nats/char)").build();
        style(chart);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (history.size() > 0) {
            double[] steps = new double[history.size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = history.firstStep() + i;
            }
            double[] raw = toDouble(history.losses());
            double[] smooth = toDouble(history.smoothLosses());
            // SVG writes every segment as an element: smooth curves need far fewer points than the raw one
            int smoothColumns = Math.max(1, columns / 3);
            Downsample.Points rawPoints = Downsample.envelope(steps, raw, columns);
            XYSeries r = chart.addSeries("training loss", rawPoints.x(), rawPoints.y());
            r.setMarker(SeriesMarkers.NONE);
            r.setLineColor(new Color(0x9ecae1));
            r.setLineWidth(1f);
            int window = Math.max(1, (int) Math.round(raw.length / 40.0));
            Downsample.Points average = Downsample.lastOfEach(steps, movingAverage(raw, window), smoothColumns);
            XYSeries avg = chart.addSeries("moving average of " + String.format(Locale.ROOT, "%,d", window)
                    + (window == 1 ? " step" : " steps"), average.x(), average.y());
            avg.setMarker(SeriesMarkers.NONE);
            avg.setLineColor(LINE_COLORS[0]);
            avg.setLineWidth(2.5f);
            Downsample.Points smoothPoints = Downsample.lastOfEach(steps, smooth, smoothColumns);
            XYSeries s = chart.addSeries("smooth loss (trainer's running average)", smoothPoints.x(), smoothPoints.y());
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(new Color(0x777777));
            s.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f}, 0f));
            for (double[] a : List.of(raw, smooth)) {
                for (double v : a) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (!history.validations().isEmpty()) {
            double[] vs = history.validations().stream().mapToDouble(LossHistory.Validation::step).toArray();
            double[] vl = history.validations().stream().mapToDouble(LossHistory.Validation::loss).toArray();
            Downsample.Points points = Downsample.envelope(vs, vl, Math.max(1, columns / 4));
            XYSeries v = chart.addSeries("validation", points.x(), points.y());
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            v.setMarker(SeriesMarkers.CIRCLE);
            v.setMarkerColor(LINE_COLORS[1]);
            for (double x : vl) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
        }
        double last = history.size() > 0 ? history.lastStep()
                : history.validations().get(history.validations().size() - 1).step();
        if (modelValidation.isPresent() && Double.isFinite(modelValidation.getAsDouble())) {
            double loss = modelValidation.getAsDouble();
            double step = history.validations().stream().filter(v -> v.loss() == loss)
                    .mapToDouble(LossHistory.Validation::step).findFirst().orElse(last);
            XYSeries m = chart.addSeries(String.format(Locale.ROOT, "saved model: %.3f nats/char (%.3f bits), step %s",
                    loss, loss / LN2, Downsample.stepLabel(step)), new double[] {step}, new double[] {loss});
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.DIAMOND);
            m.setMarkerColor(new Color(0x7f0000));
            lo = Math.min(lo, loss);
            hi = Math.max(hi, loss);
        }
        double pad = Math.max(1e-3, (hi - lo) * 0.05);
        lo = Math.max(0, lo - pad);
        hi = hi + pad;
        // the right axis shows the same range in bits: an invisible series puts it in axis group 1
        double first = history.size() > 0 ? history.firstStep() : history.validations().get(0).step();
        XYSeries bits = chart.addSeries("bits", new double[] {first, first}, new double[] {lo / LN2, hi / LN2});
        bits.setYAxisGroup(1);
        bits.setMarker(SeriesMarkers.NONE);
        bits.setLineColor(new Color(0, 0, 0, 0));
        bits.setShowInLegend(false);
        chart.setYAxisGroupTitle(0, "loss (nats/char)");
        chart.setYAxisGroupTitle(1, "bits/char");
        chart.getStyler().setYAxisMin(0, lo).setYAxisMax(0, hi).setYAxisMin(1, lo / LN2).setYAxisMax(1, hi / LN2);
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisDecimalPattern("0.00");
        // round tick values from a round start (the first step is 1, or where a resumed history begins)
        chart.getStyler().setXAxisMin(first <= 1 ? 0 : niceFloor(first)).setXAxisMax(Math.max(last, first + 1));
        chart.getStyler().setxAxisTickLabelsFormattingFunction(Downsample::stepLabel);
        chart.getStyler().setXAxisTickMarkSpacingHint(90);
        return chart;
    }

    /** @return the largest number with one significant digit that is at most {@code x} (x > 0) */
    private static double niceFloor(double x) {
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        return Math.floor(x / p) * p;
    }

    /**
     * Gradient norm against steps back, log scale, one line per curve.
     *
     * @param curves label to norms by steps back (entry k is k steps back); non-positive values are
     *     left out (a log scale cannot show them)
     * @param title the chart title
     * @param width in pixels
     * @param height in pixels
     * @return the chart
     */
    public static Figure gradients(Map<String, double[]> curves, String title, int width, int height) {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("steps back")
                .yAxisTitle("||dL/dh|| (log scale)").build();
        style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        int i = 0;
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            double[] norms = e.getValue();
            for (int k = 0; k < norms.length; k++) {
                if (norms[k] > 0 && Double.isFinite(norms[k])) {
                    xs.add((double) k);
                    ys.add(norms[k]);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries s = chart.addSeries(e.getKey(), xs, ys);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(LINE_COLORS[i % LINE_COLORS.length]);
            s.setLineColor(LINE_COLORS[i % LINE_COLORS.length]);
            s.setLineWidth(2f);
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no positive gradient norm to plot on a log scale");
        }
        return new Figure(width, height, g -> chart.paint(g, width, height));
    }

    /** Trailing mean over the last {@code window} values (fewer at the start). */
    static double[] movingAverage(double[] x, int window) {
        double[] out = new double[x.length];
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            sum += x[i];
            if (i >= window) {
                sum -= x[i - window];
            }
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(0xdddddd));
        chart.getStyler().setLegendBorderColor(new Color(0xcccccc));
        chart.getStyler().setChartTitleBoxVisible(false);
        chart.getStyler().setPlotBorderVisible(true);
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /**
     * Hidden-state activations as a heatmap: one column per character of the text (labelled with it
     * below), one row per hidden unit, blue for negative, white for 0, red for positive.
     *
     * @param text the characters read, one per row of {@code states}
     * @param states {@code [T][H]} activations
     * @param title the chart title
     * @param width in pixels
     * @param height in pixels
     * @return the heatmap
     */
    public static Figure heatmap(String text, float[][] states, String title, int width, int height) {
        int[] chars = text.codePoints().toArray();
        if (chars.length != states.length || states.length == 0) {
            throw new IllegalArgumentException("states must have one row per character of the text (" + chars.length
                    + "), got " + states.length);
        }
        int units = states[0].length;
        double max = 0;
        for (float[] row : states) {
            for (float v : row) {
                max = Math.max(max, Math.abs(v));
            }
        }
        double range = max <= 1 ? 1 : max; // tanh-bounded states on a fixed scale; LSTM cells on their own
        return new Figure(width, height, g -> {
            Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
            Font mono = new Font(Font.MONOSPACED, Font.BOLD, 13);
            int left = 56;
            int right = 80;
            int top = 40;
            int bottom = 46;
            double cw = (width - left - right) / (double) chars.length;
            double ch = (height - top - bottom) / (double) units;
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
            g.setColor(Color.BLACK);
            drawCentered(g, title, width / 2.0, 24);
            for (int t = 0; t < chars.length; t++) {
                for (int u = 0; u < units; u++) {
                    g.setColor(diverging(states[t][u] / range));
                    g.fill(new Rectangle2D.Double(left + t * cw, top + u * ch, Math.ceil(cw), Math.ceil(ch)));
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.draw(new Rectangle2D.Double(left, top, cw * chars.length, ch * units));
            g.setColor(Color.BLACK);
            g.setFont(mono);
            for (int t = 0; t < chars.length; t++) {
                drawCentered(g, label(chars[t]), left + (t + 0.5) * cw, height - bottom + 18);
            }
            g.setFont(font);
            drawCentered(g, "character read", left + cw * chars.length / 2, height - 8);
            int every = Math.max(1, (int) Math.ceil(14 / ch));
            for (int u = 0; u < units; u += every) {
                String s = Integer.toString(u);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(s, left - 6 - fm.stringWidth(s), (float) (top + (u + 0.5) * ch + fm.getAscent() / 2.0 - 1));
            }
            // colour bar
            int bx = width - right + 20;
            int bw = 16;
            int bh = height - top - bottom;
            for (int y = 0; y < bh; y++) {
                g.setColor(diverging(1 - 2.0 * y / Math.max(1, bh - 1)));
                g.fillRect(bx, top + y, bw, 1);
            }
            g.setColor(Color.GRAY);
            g.drawRect(bx, top, bw, bh);
            g.setColor(Color.BLACK);
            String r = String.format(Locale.ROOT, "%.2g", range);
            g.drawString("+" + r, bx + bw + 4, top + 10);
            g.drawString("0", bx + bw + 4, top + bh / 2 + 4);
            g.drawString("-" + r, bx + bw + 4, top + bh);
        });
    }

    /** A visible label for a character: space as a middle dot, control characters escaped. */
    static String label(int cp) {
        if (cp == ' ') {
            return "\u00b7";
        }
        if (cp == '\n') {
            return "\\n";
        }
        if (cp == '\t') {
            return "\\t";
        }
        if (Character.isISOControl(cp)) {
            return String.format(Locale.ROOT, "%02X", cp);
        }
        return new String(Character.toChars(cp));
    }

    /** Blue (-1) to white (0) to red (+1). */
    static Color diverging(double v) {
        double x = Math.max(-1, Math.min(1, v));
        if (Double.isNaN(x)) {
            x = 0;
        }
        int fade = (int) Math.round(255 * (1 - Math.abs(x)));
        return x >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    private static void drawCentered(Graphics2D g, String s, double x, double y) {
        g.drawString(s, (float) (x - g.getFontMetrics().stringWidth(s) / 2.0), (float) y);
    }

    /**
     * Samples side by side: one column per entry, its heading above, the text wrapped to the column
     * (line breaks kept), cut at the bottom.
     *
     * @param samples heading to sample, in column order
     * @param title the table title
     * @param width in pixels
     * @param height in pixels
     * @return the table
     */
    public static Figure samples(Map<String, String> samples, String title, int width, int height) {
        List<Map.Entry<String, String>> columns = List.copyOf(samples.entrySet());
        return new Figure(width, height, g -> {
            int margin = 16;
            int gap = 14;
            int top = 62;
            double colWidth = (width - 2 * margin - gap * (columns.size() - 1)) / (double) columns.size();
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
            drawCentered(g, title, width / 2.0, 24);
            Font mono = new Font(Font.MONOSPACED, Font.PLAIN, 12);
            for (int c = 0; c < columns.size(); c++) {
                double x = margin + c * (colWidth + gap);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
                g.setColor(new Color(0x333333));
                drawCentered(g, columns.get(c).getKey(), x + colWidth / 2, 50);
                g.setColor(new Color(0xf4f4f4));
                g.fill(new Rectangle2D.Double(x, top - 4, colWidth, height - top - margin + 4));
                g.setColor(Color.BLACK);
                g.setFont(mono);
                FontMetrics fm = g.getFontMetrics();
                int perLine = Math.max(1, (int) ((colWidth - 8) / Math.max(1, fm.charWidth('m'))));
                int y = top + fm.getAscent();
                for (String line : wrap(columns.get(c).getValue(), perLine)) {
                    if (y > height - margin) {
                        break;
                    }
                    g.drawString(line, (float) (x + 4), y);
                    y += fm.getHeight();
                }
            }
        });
    }

    /** Lines of at most {@code perLine} code points; tabs become spaces, other control characters dots. */
    static List<String> wrap(String text, int perLine) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            int[] cps = paragraph.codePoints().map(cp -> cp == '\t' ? ' ' : Character.isISOControl(cp) ? '\u00b7' : cp)
                    .toArray();
            if (cps.length == 0) {
                lines.add("");
            }
            for (int i = 0; i < cps.length; i += perLine) {
                lines.add(new String(cps, i, Math.min(perLine, cps.length - i)));
            }
        }
        return lines;
    }
}
