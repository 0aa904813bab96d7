package io.charrnn.examples.cli;

import io.charrnn.examples.cli.BenchSweep.Group;
import io.charrnn.examples.cli.BenchSweep.Point;
import io.charrnn.examples.cli.BenchSweep.Row;
import io.charrnn.examples.plots.Figure;
import io.charrnn.examples.plots.SweepPlot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What {@code bench --sweep} writes: {@code sweep.csv} and the figure of {@code sweep.png}. */
final class BenchSweepFiles {
    static final String CSV_HEADER = "group,program,repeat,cell,layers,hidden,batch,seq,vocab,input,train_cps,"
            + "sample_cps,peak_rss_mb,wall_s,status";
    static final int PANEL_WIDTH = 640;
    static final int PANEL_HEIGHT = 400;

    private BenchSweepFiles() {
    }

    /** Writes the rows as CSV, replacing the file atomically. */
    static void writeCsv(List<Row> rows, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(CSV_HEADER).append('\n');
        for (Row r : rows) {
            Point p = r.point();
            sb.append(String.join(",", p.group().name().toLowerCase(Locale.ROOT), r.program(),
                    Integer.toString(r.repeat()), p.cell().name().toLowerCase(Locale.ROOT), Integer.toString(p.layers()),
                    Integer.toString(p.hidden()), Integer.toString(p.batch()), Integer.toString(p.seq()),
                    Integer.toString(p.vocab()), p.input(), format(r.trainCps()), format(r.sampleCps()),
                    format(r.peakRssMb()), format(r.wallSeconds()), quote(r.status()))).append('\n');
        }
        writeAtomically(file, sb.toString());
    }

    private static String format(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f", x) : "";
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        try {
            Files.writeString(tmp, content, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return the plot of the rows that measured something: per point and program, the median over repeats */
    static Figure plot(List<Row> rows) {
        Map<Group, Map<String, List<Row>>> lines = new LinkedHashMap<>();
        for (Group g : Group.values()) {
            for (Row r : rows) {
                if (r.point().group() == g) {
                    lines.computeIfAbsent(g, k -> new LinkedHashMap<>())
                            .computeIfAbsent(r.point().variant() + "\u0000" + r.program(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<SweepPlot.Row> plotRows = new ArrayList<>();
        for (Map.Entry<Group, Map<String, List<Row>>> g : lines.entrySet()) {
            List<SweepPlot.Line> plotLines = new ArrayList<>();
            for (List<Row> line : g.getValue().values()) {
                double[] sizes = line.stream().mapToDouble(r -> r.point().size()).distinct().sorted().toArray();
                double[] train = new double[sizes.length];
                double[] sample = new double[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    double size = sizes[i];
                    List<Row> at = line.stream().filter(r -> r.point().size() == size).toList();
                    train[i] = BenchRun.median(at.stream().mapToDouble(Row::trainCps).filter(Double::isFinite).toArray());
                    sample[i] = BenchRun.median(at.stream().mapToDouble(Row::sampleCps).filter(Double::isFinite).toArray());
                }
                Row first = line.get(0);
                plotLines.add(new SweepPlot.Line(first.point().variant(), first.program(),
                        !first.program().equals("charrnn"), sizes, train, sample));
            }
            plotRows.add(new SweepPlot.Row(axisTitle(g.getKey()), plotLines));
        }
        return SweepPlot.of(plotRows, PANEL_WIDTH, PANEL_HEIGHT);
    }

    private static String axisTitle(Group g) {
        return switch (g) {
            case HIDDEN -> "hidden units (B=64, T=100)";
            case BATCH -> "batch (LSTM 512, T=100)";
            case SEQ -> "sequence length (LSTM 512, B=64)";
            case VOCAB -> "vocabulary (LSTM 256, B=64, T=100)";
        };
    }
}
