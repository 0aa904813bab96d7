package io.charrnn.examples.plots;

import io.charrnn.model.LossHistory;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import org.knowm.xchart.XYChart;

/**
 * Run by hand: times {@code plot --kind loss} on a synthetic history of N steps, drawing every
 * point (as before downsampling; once, with {@code full}) and one point per pixel column (chart, drawing and
 * encoding), and writes the
 * downsampled PNG and SVG into a directory to look at.
 * {@code java -cp CP io.charrnn.examples.plots.LossPlotTiming 200000 3 OUTDIR [full]}
 */
public final class LossPlotTiming {
    private LossPlotTiming() {
    }

    public static void main(String[] args) throws Exception {
        int steps = Integer.parseInt(args[0]);
        int repeats = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        boolean full = args.length > 3 && args[3].equals("full");
        LossHistory h = LossPlotTest.syntheticHistory(steps);
        OptionalDouble saved = OptionalDouble.of(h.validations().get(h.validations().size() / 2).loss());
        double[][] times = new double[4][repeats];
        long[] sizes = new long[2];
        for (int r = 0; r < repeats; r++) {
            for (int mode = full && r == 0 ? 0 : 1; mode < 2; mode++) { // every point: once, it is slow
                int columns = mode == 0 ? Integer.MAX_VALUE / 4 : 900;
                long t0 = System.nanoTime();
                XYChart chartPng = Plots.lossChart(h, saved, "Loss, " + steps + " steps", 900, 540, columns);
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                new Figure(900, 540, g -> chartPng.paint(g, 900, 540)).writePng(png);
                long t1 = System.nanoTime();
                XYChart chartSvg = Plots.lossChart(h, saved, "Loss, " + steps + " steps", 900, 540, columns);
                ByteArrayOutputStream svg = new ByteArrayOutputStream();
                new Figure(900, 540, g -> chartSvg.paint(g, 900, 540)).writeSvg(svg);
                long t2 = System.nanoTime();
                times[2 * mode][r] = (t1 - t0) / 1e9;
                times[2 * mode + 1][r] = (t2 - t1) / 1e9;
                sizes[mode] = svg.size();
                if (mode == 1 && r == 0) {
                    Files.write(dir.resolve("loss-" + steps + ".png"), png.toByteArray());
                    Files.write(dir.resolve("loss-" + steps + ".svg"), svg.toByteArray());
                }
            }
        }
        String[] names = {"every point PNG", "every point SVG", "per column PNG", "per column SVG"};
        for (int i = full ? 0 : 2; i < 4; i++) {
            double[] t = i < 2 ? new double[] {times[i][0]} : times[i].clone();
            Arrays.sort(t);
            System.out.printf(Locale.ROOT, "%s: median %.3f s of %d (min %.3f, max %.3f)%n", names[i], t[t.length / 2],
                    t.length, t[0], t[t.length - 1]);
        }
        System.out.printf(Locale.ROOT, "SVG bytes: every point %,d, per column %,d%n", sizes[0], sizes[1]);
    }
}
