package io.charrnn.examples.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.model.CellType;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code charrnn bench --sweep}: runs {@code charrnn bench} and the PyTorch reference
 * ({@code torch_charrnn.py}) alternately, each in its own process, at every point of a grid, and
 * writes {@code sweep.csv} (one row per point, program and repeat) and {@code sweep.png} after every
 * run, so an interrupted sweep leaves whole files with what it measured. Peak RSS is the child's
 * {@code VmHWM}, read from {@code /proc/PID/status} every {@value #POLL_MS} ms while it runs (and,
 * for charrnn, the one it reports itself at its end). Both programs' output is appended to
 * {@code sweep.log}.
 */
final class BenchSweep {
    /** The swept sizes of issue 22. */
    enum Group { HIDDEN, BATCH, SEQ, VOCAB }

    static final int POLL_MS = 50;
    static final long TIMEOUT_SECONDS = 3600;

    /** One point of the grid; {@code vocab} is the text's, a generated text's for the VOCAB group. */
    record Point(Group group, CellType cell, int layers, int hidden, int batch, int seq, int vocab, boolean embed) {
        String input() {
            return embed ? "embedding" : "one-hot";
        }

        double size() {
            return switch (group) {
                case HIDDEN -> hidden;
                case BATCH -> batch;
                case SEQ -> seq;
                case VOCAB -> vocab;
            };
        }

        /** @return what distinguishes this point's line from the others of its group */
        String variant() {
            String cellName = cell.name() + (layers > 1 ? " x" + layers : "");
            return switch (group) {
                case HIDDEN -> cellName;
                case BATCH, SEQ -> cellName + " " + hidden;
                case VOCAB -> cellName + " " + hidden + " " + input();
            };
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s H=%d B=%d T=%d V=%d %s", group.name().toLowerCase(Locale.ROOT),
                    cell.name() + (layers > 1 ? "x" + layers : ""), hidden, batch, seq, vocab, input());
        }
    }

    /** One run of one program at one point; NaN where it measured nothing. */
    record Row(Point point, String program, int repeat, double trainCps, double sampleCps, double peakRssMb,
               double wallSeconds, String status) {
    }

    /**
     * @param textVocab the vocabulary of the text the groups other than VOCAB train on
     * @return the grid of issue 22 for these groups: hidden 32..2048 for RNN, LSTM and GRU with 1 and 2
     *     layers at B=64 T=100; batch 1..256 and sequence 10..400 for a 1-layer LSTM 512; vocabulary
     *     65, 1,000 and 10,000 for a 1-layer LSTM 256 with one-hot and embedding input
     */
    static List<Point> grid(List<Group> groups, int textVocab) {
        List<Point> points = new ArrayList<>();
        for (Group g : Group.values()) {
            if (!groups.contains(g)) {
                continue;
            }
            switch (g) {
                case HIDDEN -> {
                    for (CellType cell : CellType.values()) {
                        for (int layers = 1; layers <= 2; layers++) {
                            for (int h : new int[] {32, 64, 128, 256, 512, 1024, 2048}) {
                                points.add(new Point(g, cell, layers, h, 64, 100, textVocab, false));
                            }
                        }
                    }
                }
                case BATCH -> {
                    for (int b : new int[] {1, 4, 16, 64, 256}) {
                        points.add(new Point(g, CellType.LSTM, 1, 512, b, 100, textVocab, false));
                    }
                }
                case SEQ -> {
                    for (int t : new int[] {10, 25, 100, 400}) {
                        points.add(new Point(g, CellType.LSTM, 1, 512, 64, t, textVocab, false));
                    }
                }
                case VOCAB -> {
                    for (boolean embed : new boolean[] {false, true}) {
                        for (int v : new int[] {65, 1000, 10_000}) {
                            points.add(new Point(g, CellType.LSTM, 1, 256, 64, 100, v, embed));
                        }
                    }
                }
                default -> throw new AssertionError(g);
            }
        }
        return points;
    }

    /** @return the points that have every size given (null: any) and, with {@code embedOnly}, an embedding */
    static List<Point> filter(List<Point> points, CellType cell, Integer hidden, Integer layers, Integer seq,
                              Integer batch, Integer vocab, boolean embedOnly) {
        return points.stream().filter(p -> (cell == null || p.cell() == cell) && (hidden == null || p.hidden() == hidden)
                && (layers == null || p.layers() == layers) && (seq == null || p.seq() == seq)
                && (batch == null || p.batch() == batch) && (vocab == null || p.vocab() == vocab)
                && (!embedOnly || p.embed())).toList();
    }

    private final Path out;
    private final Path reference;
    private final String python;
    private final double seconds;
    private final int sampleChars;
    private final int repeats;
    private final long seed;
    private final PrintWriter err;
    private final Path userText;
    private final Map<Integer, Path> texts = new LinkedHashMap<>();

    /**
     * @param out the folder of the CSV, the plot, the log and the generated texts
     * @param text the text of the groups other than VOCAB, or null for the generated 65-character text
     */
    BenchSweep(Path out, Path text, Path reference, String python, double seconds, int sampleChars,
               int repeats, long seed, PrintWriter err) {
        this.out = out;
        this.reference = reference;
        this.python = python;
        this.seconds = seconds;
        this.sampleChars = sampleChars;
        this.repeats = repeats;
        this.seed = seed;
        this.err = err;
        this.userText = text;
    }

    /** @return the rows measured; sweep.csv and sweep.png hold them too */
    List<Row> run(List<Point> points) throws IOException, InterruptedException {
        Files.createDirectories(out);
        Path log = out.resolve("sweep.log");
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            Path text = textFor(p);
            for (int r = 0; r < repeats; r++) {
                for (String program : List.of("charrnn", "pytorch")) {
                    List<String> command = program.equals("charrnn") ? charrnnCommand(p, text) : torchCommand(p, text);
                    Row row = runOne(p, program, r, command, log);
                    rows.add(row);
                    err.printf(Locale.ROOT, "sweep %d/%d %s: %s train %,.0f, sample %,.0f chars/s, peak RSS %.0f MB"
                                    + " (%.0f s, %s)%n", i + 1, points.size(), p, program, row.trainCps(),
                            row.sampleCps(), row.peakRssMb(), row.wallSeconds(), row.status());
                    err.flush();
                    BenchSweepFiles.writeCsv(rows, out.resolve("sweep.csv"));
                    BenchSweepFiles.plot(rows).write(out.resolve("sweep.png"));
                }
            }
        }
        return rows;
    }

    private Path textFor(Point p) throws IOException {
        if (p.group() != Group.VOCAB && userText != null) {
            return userText;
        }
        Path existing = texts.get(p.vocab());
        if (existing != null) {
            return existing;
        }
        Path file = out.resolve("text-vocab-" + p.vocab() + ".txt");
        BenchSweepFiles.writeAtomically(file, BenchText.of(p.vocab()));
        texts.put(p.vocab(), file);
        return file;
    }

    private List<String> charrnnCommand(Point p, Path text) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-X") || a.startsWith("-D")) {
                c.add(a); // heap size, charrnn.kernel and the other system properties this run has
            }
        }
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), CharRnnCli.class.getName(), "bench",
                "--text", text.toString()));
        c.addAll(sizes(p));
        c.add("--seconds");
        c.add(Double.toString(seconds));
        return c;
    }

    private List<String> torchCommand(Point p, Path text) {
        List<String> c = new ArrayList<>(List.of(python, reference.toString(), "--data", text.toString()));
        c.addAll(sizes(p));
        c.add("--train-seconds");
        c.add(Double.toString(seconds));
        return c;
    }

    /** @return the options both programs take, with the same names */
    private List<String> sizes(Point p) {
        List<String> c = new ArrayList<>(List.of("--config", "C3", "--cell", p.cell().name().toLowerCase(Locale.ROOT),
                "--hidden", Integer.toString(p.hidden()), "--layers", Integer.toString(p.layers()),
                "--seq", Integer.toString(p.seq()), "--batch", Integer.toString(p.batch()),
                "--sample-chars", Integer.toString(sampleChars), "--seed", Long.toString(seed)));
        if (p.embed()) {
            c.add("--embed");
        }
        return c;
    }

    private Row runOne(Point p, String program, int repeat, List<String> command, Path log)
            throws IOException, InterruptedException {
        Files.writeString(log, "== " + p + " " + program + " " + repeat + ": " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long from = Files.size(log);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (System.getenv("OPENBLAS_CORETYPE") == null && cpuHasAvx512()) {
            pb.environment().put("OPENBLAS_CORETYPE", "SkylakeX"); // compare.sh's choice: each program at its best
        }
        long t0 = System.nanoTime();
        Process process = pb.start();
        // Ctrl-C ends this JVM without running the finally below: the child must not outlive it
        Thread stopChild = new Thread(process::destroyForcibly, "bench-sweep-stop-child");
        Runtime.getRuntime().addShutdownHook(stopChild);
        Path status = Path.of("/proc", Long.toString(process.pid()), "status");
        long peakKiB = -1;
        String failure = null;
        try {
            while (!process.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
                peakKiB = Math.max(peakKiB, vmHwmKiB(status));
                if (System.nanoTime() - t0 > TIMEOUT_SECONDS * 1_000_000_000L) {
                    failure = "timed out after " + TIMEOUT_SECONDS + " s";
                    break;
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(stopChild);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (failure == null && process.exitValue() != 0) {
            failure = "exit status " + process.exitValue() + " (see sweep.log)";
        }
        JsonObject result = lastResult(log, from);
        if (failure == null && result == null) {
            failure = "no RESULT line (see sweep.log)";
        }
        double train = number(result, "train_cps_median");
        double sample = number(result, "sample_cps_median");
        double reported = number(result, "peak_rss_mb"); // charrnn's own VmHWM at its end; NaN for the reference
        double rss = Double.isNaN(reported) ? peakKiB / 1024.0 : Math.max(peakKiB / 1024.0, reported);
        return new Row(p, program, repeat, train, sample, rss > 0 ? rss : Double.NaN, wall,
                failure == null ? "ok" : failure);
    }

    private static JsonObject lastResult(Path log, long from) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            bytes = new byte[(int) Math.max(0, f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
        }
        List<String> results = new String(bytes, StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("RESULT ")).toList();
        return results.isEmpty() ? null
                : JsonParser.parseString(results.get(results.size() - 1).substring(7)).getAsJsonObject();
    }

    private static double number(JsonObject j, String key) {
        return j == null || !j.has(key) || j.get(key).isJsonNull() ? Double.NaN : j.get(key).getAsDouble();
    }

    /** @return VmHWM of a /proc/PID/status file in KiB, or -1 (the process has ended, or no /proc) */
    static long vmHwmKiB(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    private static boolean cpuHasAvx512() {
        try {
            return Files.readString(Path.of("/proc/cpuinfo")).contains("avx512f");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
