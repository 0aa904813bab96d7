package io.charrnn.examples.plots;

import java.util.Arrays;
import java.util.Locale;

/**
 * Reduces a long curve to about as many points as the chart has pixel columns, keeping its shape,
 * so a loss plot of a million steps draws as fast and as small as one of a thousand.
 */
final class Downsample {
    private Downsample() {
    }

    /** Points of a curve: x and y of equal length. */
    record Points(double[] x, double[] y) {
        int size() {
            return x.length;
        }
    }

    /**
     * The minimum and the maximum of each of {@code columns} runs of consecutive values, in the
     * order they occur (M4-style envelope without the end points): a line through them covers
     * exactly the pixels the full curve would, spikes included.
     *
     * @param x the x value of each point, increasing
     * @param y the y values
     * @param columns pixel columns, {@code >= 1}; curves of at most {@code 2 · columns} points come
     *     back whole
     * @return at most {@code 2 · columns} points
     */
    static Points envelope(double[] x, double[] y, int columns) {
        int n = y.length;
        if (n <= 2 * columns) {
            return new Points(x.clone(), y.clone());
        }
        double[] ox = new double[2 * columns];
        double[] oy = new double[2 * columns];
        int k = 0;
        for (int c = 0; c < columns; c++) {
            int from = (int) ((long) c * n / columns);
            int to = (int) ((long) (c + 1) * n / columns);
            int lo = from;
            int hi = from;
            for (int i = from + 1; i < to; i++) {
                if (y[i] < y[lo]) {
                    lo = i;
                }
                if (y[i] > y[hi]) {
                    hi = i;
                }
            }
            int first = Math.min(lo, hi);
            int second = Math.max(lo, hi);
            ox[k] = x[first];
            oy[k++] = y[first];
            if (second != first) {
                ox[k] = x[second];
                oy[k++] = y[second];
            }
        }
        return new Points(Arrays.copyOf(ox, k), Arrays.copyOf(oy, k));
    }

    /**
     * The last point of each of {@code columns} runs, and the very first point: enough for a curve
     * that is already smooth (a moving average) to look the same.
     *
     * @param x the x value of each point, increasing
     * @param y the y values
     * @param columns pixel columns, {@code >= 1}
     * @return at most {@code columns + 1} points
     */
    static Points lastOfEach(double[] x, double[] y, int columns) {
        int n = y.length;
        if (n <= columns + 1) {
            return new Points(x.clone(), y.clone());
        }
        double[] ox = new double[columns + 1];
        double[] oy = new double[columns + 1];
        ox[0] = x[0];
        oy[0] = y[0];
        for (int c = 0; c < columns; c++) {
            int last = (int) ((long) (c + 1) * n / columns) - 1;
            ox[c + 1] = x[last];
            oy[c + 1] = y[last];
        }
        return new Points(ox, oy);
    }

    /**
     * A step count as a short tick label: {@code 950}, {@code 1,500}, {@code 20k}, {@code 112.5k},
     * {@code 1.2M}; never scientific notation.
     *
     * @param step a tick value
     * @return the label
     */
    static String stepLabel(double step) {
        double a = Math.abs(step);
        if (a >= 1e6) {
            return trim(step / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(step / 1e3) + "k";
        }
        return String.format(Locale.ROOT, "%,.0f", step);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
