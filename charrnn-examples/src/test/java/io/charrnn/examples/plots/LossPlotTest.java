package io.charrnn.examples.plots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.model.LossHistory;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

class LossPlotTest {
    /** A training run's curve: a noisy decay with spikes, a validation pass every 1,000 steps. */
    static LossHistory syntheticHistory(int steps) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] losses = new float[steps];
        float[] smooth = new float[steps];
        double s = 4.17;
        List<LossHistory.Validation> validations = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            double mean = 1.3 + 2.87 * Math.exp(-i / (steps / 20.0));
            losses[i] = (float) (mean + 0.15 * rng.nextGaussian() + (rng.nextInt(5000) == 0 ? 2.0 : 0));
            s = 0.999 * s + 0.001 * losses[i];
            smooth[i] = (float) s;
            if ((i + 1) % 1000 == 0) {
                validations.add(new LossHistory.Validation(i + 1, mean + 0.1));
            }
        }
        return LossHistory.of(1, losses, smooth, validations);
    }

    @Test
    void envelope_keepsEveryColumnsMinimumAndMaximum_inOrder() {
        double[] x = new double[1000];
        double[] y = new double[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            y[i] = Math.sin(i / 10.0);
        }
        y[555] = 9; // a spike
        y[556] = -9;
        Downsample.Points p = Downsample.envelope(x, y, 100);
        assertTrue(p.size() <= 200, "size " + p.size());
        for (int c = 0; c < 100; c++) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int i = c * 10; i < c * 10 + 10; i++) {
                min = Math.min(min, y[i]);
                max = Math.max(max, y[i]);
            }
            boolean hasMin = false;
            boolean hasMax = false;
            for (int k = 0; k < p.size(); k++) {
                if (p.x()[k] >= c * 10 && p.x()[k] < c * 10 + 10) {
                    hasMin |= p.y()[k] == min;
                    hasMax |= p.y()[k] == max;
                }
            }
            assertTrue(hasMin && hasMax, "column " + c);
        }
        for (int k = 1; k < p.size(); k++) {
            assertTrue(p.x()[k] > p.x()[k - 1], "x increases");
        }
    }

    @Test
    void envelope_andLastOfEach_returnShortCurvesWhole() {
        double[] x = {1, 2, 3};
        double[] y = {3, 1, 2};
        assertArrayEquals(y, Downsample.envelope(x, y, 2).y());
        assertArrayEquals(y, Downsample.lastOfEach(x, y, 2).y());
        Downsample.Points p = Downsample.lastOfEach(new double[] {1, 2, 3, 4, 5, 6}, new double[] {6, 5, 4, 3, 2, 1}, 2);
        assertArrayEquals(new double[] {1, 3, 6}, p.x());
        assertArrayEquals(new double[] {6, 4, 1}, p.y());
    }

    @Test
    void stepLabels_areShort_andNeverScientific() {
        assertEquals("0", Downsample.stepLabel(0));
        assertEquals("950", Downsample.stepLabel(950));
        assertEquals("1,500", Downsample.stepLabel(1500));
        assertEquals("20k", Downsample.stepLabel(20_000));
        assertEquals("112.5k", Downsample.stepLabel(112_500));
        assertEquals("1.2M", Downsample.stepLabel(1_200_000));
    }

    @Test
    void lossChart_ofALongHistory_drawsAboutTwoPointsPerColumn_andMarksTheSavedModel() {
        LossHistory h = syntheticHistory(200_000);
        XYChart chart = Plots.lossChart(h, OptionalDouble.of(h.validations().get(150).loss()), "t", 900, 540, 900);
        for (XYSeries s : chart.getSeriesMap().values()) {
            assertTrue(s.getXData().length <= 1800, s.getName() + ": " + s.getXData().length + " points");
        }
        XYSeries saved = chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("saved model"))
                .findFirst().orElseThrow();
        assertEquals(151_000, saved.getXData()[0]);
        assertEquals("saved model: " + String.format(java.util.Locale.ROOT, "%.3f nats/char (%.3f bits), step 151k",
                h.validations().get(150).loss(), h.validations().get(150).bitsPerCharacter()), saved.getName());
    }

    @Test
    void lossChart_aValidationAfterTheLastStep_isMarkedThere() {
        LossHistory h = syntheticHistory(2_500);
        XYChart chart = Plots.lossChart(h, OptionalDouble.of(1.234), "t", 900, 540, 900);
        XYSeries saved = chart.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("saved model"))
                .findFirst().orElseThrow();
        assertEquals(2_500, saved.getXData()[0]);
        assertEquals(1.234, saved.getYData()[0]);
    }

    @Test
    void svgOfA200kStepHistory_isAsSmallAsOneOf2kSteps() throws Exception {
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        Plots.loss(syntheticHistory(200_000), OptionalDouble.of(1.5), "Loss", 900, 540).writeSvg(big);
        ByteArrayOutputStream small = new ByteArrayOutputStream();
        Plots.loss(syntheticHistory(2_000), OptionalDouble.of(1.5), "Loss", 900, 540).writeSvg(small);
        assertTrue(big.size() < 2_000_000, "SVG of 200k steps: " + big.size() + " bytes");
        assertTrue(big.size() < 2 * small.size(), big.size() + " bytes against " + small.size() + " for 2k steps");
    }
}
