package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.charrnn.diagnostics.BenchmarkProbes;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.text.Newlines;
import io.charrnn.text.Texts;
import io.charrnn.text.Vocabulary;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code charrnn bench}: training and sampling throughput for the configurations C1-C3 (docs/performance.md),
 * measured the way {@code ../shared/bench/torch_charrnn.py} measures them, printing the same
 * {@code RESULT {json}} line.
 *
 * <p>Training: the first 90 % of the text, cut into B contiguous streams; warm-up steps (50 for C1,
 * 3 otherwise) run first and are not timed; then {@code --seconds} of training split into three
 * windows, each closed by the first step that ends after a third of the time; chars/s per window is
 * steps × B × T over the window's time, and the median is reported. Sampling: batch 1, temperature
 * 1.0, a warm-up of 20,000 characters (or 5 s, whichever ends first: a large model samples slowly), then
 * three runs of {@code --sample-chars} (2,000) characters; median chars/s. The peers
 * warm up with 100 characters; the JVM needs more before its JIT has compiled the sampling loop
 * (after 100 characters the first timed run was 2-3x slower than the next), and a long-running
 * application samples at the warmed-up rate.
 *
 * <p>Each {@code RESULT} line also gives the GEMM-bound limit and the fraction of it reached, and
 * the memory used. The limit is the float32 floating-point work per training character divided by
 * the rate {@code Nd4j.gemm} reaches on 2048×2048 FLOAT matrices in this process ({@link BenchmarkProbes#gemmGflops},
 * median of {@value #PEAK_REPEATS} products, measured once per run). Work per character
 * ({@link BenchRun#forwardFlopsPerChar}): forward = Σ over layers of 2·G·H·(in + H), with G = 1 (vanilla),
 * 4 (LSTM) or 3 (GRU) gate blocks and in = H for layers above the first, 0 for a one-hot first layer
 * (its input product is a row gather, not a product), plus 2·H·V for the output layer;
 * training = 3 × forward (the backward pass is two products of the forward's size). Element-wise work
 * (activations, softmax, the optimizer) is not counted. Memory: the process's peak resident set
 * ({@code VmHWM} of {@code /proc/self/status}, Linux; it only grows, so a later configuration in the
 * same run reports at least an earlier one's), the peak Java heap in use during the configuration
 * (all heap pools' peaks, reset before each configuration) and the maximum heap.
 *
 * <p>The sampling counterpart of the limit: the products of a character alone, timed as the sampler
 * runs them ({@link BenchmarkProbes#samplingProductNanosPerChar}: the same weight rows, the same split across
 * two threads, nothing else), median of three runs of 2,000 characters. {@code sample_limit_cps}
 * is one over that time, {@code sample_limit_fraction} the sampling median over it,
 * {@code sample_weight_mb_per_char} the weights those products read per character and
 * {@code sample_product_gbps} the rate they were read at. The 2-layer LSTM at 512 reads 12.6 MB per
 * character, from L3 on this machine, so its limit is the memory bandwidth of two cores.
 *
 * <p>{@code --cell --hidden --layers --seq --batch --embed} override every configuration's sizes, as
 * the same options of {@code torch_charrnn.py} do; {@code --vocab N} benches on a generated text of N
 * distinct characters ({@link BenchText}); {@code --sweep} runs a grid beside the reference
 * ({@link BenchSweep}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures training and sampling characters per second for the benchmark configurations "
                + "and prints one line 'RESULT {json}' per configuration on stdout (progress goes to stderr), "
                + "like ../shared/bench/torch_charrnn.py.",
                "C1: vanilla tanh H=100 T=25 B=1 one-hot, Adagrad 0.1, clip by value 5 (min-char-rnn).",
                "C2: vanilla tanh H=512 T=100 B=64 one-hot, Adam 1e-3, clip norm 5 (PyTorch course project).",
                "C3: 2-layer LSTM H=512 T=100 B=64 one-hot, Adam 2e-3, clip norm 5 (char-rnn / torch-rnn default).",
                "Each RESULT also has train_limit_fraction (of the GEMM-bound limit: float32 work per training "
                        + "character, 3 x forward, over the Nd4j.gemm 2048^2 rate), peak_rss_mb (VmHWM), heap_peak_mb "
                        + "and heap_max_mb; sample_limit_fraction (of the product-bound sampling limit: one character's "
                        + "products alone, as the sampler runs them) and sample_weight_mb_per_char."})
final class BenchCommand implements Callable<Integer> {
    /** The benchmark configurations. */
    enum Config { C1, C2, C3 }

    static final int PEAK_SIZE = 2048;
    static final int PEAK_REPEATS = 5;
    static final int STARTUP_RUNS = 5;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "C", split = ",",
            description = "Configurations to run: ${COMPLETION-CANDIDATES} (default: C1 then C2).")
    List<Config> configs;

    @Option(names = "--text", paramLabel = "FILE",
            description = "Corpus (default: the Guava sources in target/corpus/guava-sources.jar).")
    Path text;

    @Option(names = "--newlines", paramLabel = "RULE", defaultValue = "LF",
            description = "Line endings: lf reads CRLF and a lone CR as LF, as the PyTorch reference's "
                    + "open(path, encoding=\"utf-8\").read() does; keep keeps every character (default: lf).")
    Newlines newlines;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "20",
            description = "Timed training per configuration, after warm-up (default: ${DEFAULT-VALUE}).")
    double seconds;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1234", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--cell", paramLabel = "CELL",
            description = "Recurrent cell for every configuration: ${COMPLETION-CANDIDATES} (default: the "
                    + "configuration's own: rnn for C1 and C2, lstm for C3). Sizes, layers and optimizer stay "
                    + "the configuration's.")
    CellType cell;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Hidden units per layer for every configuration (default: the configuration's: 100 for C1, "
                    + "512 for C2 and C3).")
    Integer hidden;

    @Option(names = "--layers", paramLabel = "N",
            description = "Layers for every configuration (default: the configuration's: 1 for C1 and C2, 2 for C3).")
    Integer layers;

    @Option(names = "--seq", paramLabel = "T",
            description = "Characters per BPTT window for every configuration (default: 25 for C1, 100 for C2 and C3).")
    Integer seq;

    @Option(names = "--batch", paramLabel = "B",
            description = "Parallel streams for every configuration (default: 1 for C1, 64 for C2 and C3).")
    Integer batch;

    @Option(names = "--embed",
            description = "A learned character embedding of H dimensions as input instead of one-hot "
                    + "(torch_charrnn.py's --embed).")
    boolean embed;

    @Option(names = "--vocab", paramLabel = "N",
            description = "Instead of --text: a generated text of N distinct characters (" + BenchText.MIN_VOCAB + ".."
                    + BenchText.MAX_VOCAB + "; 1,000,000 characters, Zipf-distributed, fixed seed: ASCII, then CJK). "
                    + "With --sweep: only the vocabulary points of that size.")
    Integer vocab;

    @Option(names = "--sample-chars", paramLabel = "N", defaultValue = "2000",
            description = "Characters per timed sampling run (default: ${DEFAULT-VALUE}).")
    int sampleChars;

    @Option(names = "--sweep", paramLabel = "SIZES", split = ",",
            description = "Instead of configurations: run this command and the PyTorch reference alternately, each "
                    + "in its own process, over the grid of issue 22 for the sizes given (hidden, batch, seq, vocab), "
                    + "and write sweep.csv, sweep.png and sweep.log to --out. --cell, --hidden, --layers, --seq, "
                    + "--batch, --vocab and --embed keep only the points with those values; --seconds is per point "
                    + "and program; --text (a plain file) replaces the generated 65-character text of the groups "
                    + "other than vocab.")
    List<BenchSweep.Group> sweep;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "1",
            description = "With --sweep: alternating runs of both programs per point (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-sweep",
            description = "With --sweep: the folder of the CSV, the plot, the log and the generated texts "
                    + "(default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--reference", paramLabel = "SCRIPT", defaultValue = "../shared/bench/torch_charrnn.py",
            description = "With --sweep: the PyTorch reference (default: ${DEFAULT-VALUE}).")
    Path reference;

    @Option(names = "--python", paramLabel = "EXE", defaultValue = "/usr/bin/python3",
            description = "With --sweep: the Python that runs the reference (default: ${DEFAULT-VALUE}).")
    String python;

    @Option(names = "--peak",
            description = "Measure the GEMM peak (Nd4j.gemm, FLOAT, 2048x2048, median of " + PEAK_REPEATS
                    + ") and print it as one line 'PEAK {json}'; alone, runs no configuration.")
    boolean peakOnly;

    @Option(names = "--startup",
            description = "Instead of training and sampling: save a model of each configuration's size (random "
                    + "weights), then time " + STARTUP_RUNS + " runs of a new JVM doing 'charrnn sample --model M "
                    + "--length 1' (after one untimed run, so the files are in the page cache) and print one line "
                    + "'STARTUP {json}' per configuration: the time to the first sampled character.")
    boolean startup;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CommandLine cl = spec.commandLine();
        if (!(seconds > 0 && Double.isFinite(seconds))) {
            throw new CommandLine.ParameterException(cl, "--seconds must be > 0, got " + seconds);
        }
        if (hidden != null && hidden < 1) {
            throw new CommandLine.ParameterException(cl, "--hidden must be >= 1, got " + hidden);
        }
        if (layers != null && layers < 1) {
            throw new CommandLine.ParameterException(cl, "--layers must be >= 1, got " + layers);
        }
        if (seq != null && seq < 1) {
            throw new CommandLine.ParameterException(cl, "--seq must be >= 1, got " + seq);
        }
        if (batch != null && batch < 1) {
            throw new CommandLine.ParameterException(cl, "--batch must be >= 1, got " + batch);
        }
        if (sampleChars < 1) {
            throw new CommandLine.ParameterException(cl, "--sample-chars must be >= 1, got " + sampleChars);
        }
        if (vocab != null && (vocab < BenchText.MIN_VOCAB || vocab > BenchText.MAX_VOCAB)) {
            throw new CommandLine.ParameterException(cl, "--vocab must be " + BenchText.MIN_VOCAB + " to "
                    + BenchText.MAX_VOCAB + " distinct characters, got " + vocab);
        }
        if (sweep != null) {
            return sweep(cl, err);
        }
        for (String o : List.of("--repeats", "--out", "--reference", "--python")) {
            if (cl.getParseResult().hasMatchedOption(o)) {
                throw new CommandLine.ParameterException(cl, o + " only applies to --sweep, which was not given");
            }
        }
        if (vocab != null && text != null) {
            throw new CommandLine.ParameterException(cl, "--vocab generates the text: give --vocab or --text, not "
                    + "both (got --vocab " + vocab + " and --text " + text + ")");
        }
        boolean noConfigs = configs == null || configs.isEmpty();
        double peak = Double.NaN;
        if (peakOnly) {
            peak = printPeak(out, err);
            if (noConfigs) {
                return 0;
            }
        }
        List<Config> todo = noConfigs ? List.of(Config.C1, Config.C2) : configs;
        String all;
        if (vocab != null) {
            err.println("bench: generating a text of " + vocab + " distinct characters");
            all = BenchText.of(vocab);
        } else {
            Path textPath = DefaultCorpus.orDefault(text);
            err.println("bench: reading " + textPath);
            err.flush();
            all = Texts.read(textPath, newlines);
        }
        Vocabulary vocabulary = Vocabulary.fromText(all);
        // Train on the first 90 % (the peers' split); no validation part, so no validation pass.
        int cut = all.offsetByCodePoints(0, (int) (all.codePointCount(0, all.length()) * 0.9));
        Corpus train = Corpus.of(all.substring(0, cut), vocabulary).withSplit(0, 0);
        err.printf(Locale.ROOT, "bench: %,d characters, vocabulary %d, training on %,d; %.0f s timed per config%n",
                all.codePointCount(0, all.length()), vocabulary.size(), train.length(), startup ? 0 : seconds);
        if (startup) {
            for (Config c : todo) {
                out.println("STARTUP " + startup(c, vocabulary, err));
                out.flush();
            }
            return 0;
        }
        if (Double.isNaN(peak)) {
            peak = BenchmarkProbes.medianGemmGflops(PEAK_SIZE, PEAK_REPEATS);
            err.printf(Locale.ROOT, "bench: GEMM peak %.1f GFLOP/s (Nd4j.gemm FLOAT %d^2)%n", peak, PEAK_SIZE);
        }
        for (Config c : todo) {
            ProcessMemory.resetHeapPeaks();
            JsonObject result = BenchRun.run(c, shape(c), vocabulary, train, seed, seconds, sampleChars, err, peak);
            out.println("RESULT " + result);
            out.flush();
        }
        return 0;
    }

    private BenchRun.Shape shape(Config c) {
        return BenchRun.Shape.of(c, cell, hidden, layers, seq, batch, embed);
    }

    /** {@code --sweep}: every check before the first run, then the grid's points in order. */
    private int sweep(CommandLine cl, PrintWriter err) throws IOException, InterruptedException {
        if (peakOnly || startup || (configs != null && !configs.isEmpty())) {
            throw new CommandLine.ParameterException(cl, "--sweep runs its own grid (C3's optimizer at each point's "
                    + "sizes): it cannot be combined with --config, --peak or --startup");
        }
        if (text != null && !Files.isRegularFile(text)) {
            throw new CommandLine.ParameterException(cl, "--text must be a plain text file with --sweep (the "
                    + "reference reads it too), got " + text);
        }
        if (!Files.isRegularFile(reference)) {
            throw new CommandLine.ParameterException(cl, "--reference must be the PyTorch reference script "
                    + "torch_charrnn.py, got " + reference + ", which is not a file");
        }
        if (python.contains("/") && !Files.isExecutable(Path.of(python))) {
            throw new CommandLine.ParameterException(cl, "--python must be an executable Python, got " + python);
        }
        if (repeats < 1) {
            throw new CommandLine.ParameterException(cl, "--repeats must be >= 1, got " + repeats);
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(cl, "--out must be a folder, got " + out + ", which is a file");
        }
        if (Files.exists(out.resolve("sweep.csv"))) {
            throw new CommandLine.ParameterException(cl, "--out must not hold a sweep already (it would be replaced), "
                    + "got " + out + ", which has sweep.csv: give another folder, or move that one away");
        }
        int textVocab = text == null ? 65 : Vocabulary.fromText(Texts.read(text, newlines)).size();
        List<BenchSweep.Point> points = BenchSweep.filter(BenchSweep.grid(sweep, textVocab), cell, hidden, layers, seq,
                batch, vocab, embed);
        if (points.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "no point of the grid for " + sweep + " has the sizes given ("
                    + String.join(" ", cl.getParseResult().expandedArgs()) + ")");
        }
        err.printf(Locale.ROOT, "bench: sweep of %d points x 2 programs x %d, %.0f s of training each, into %s%n",
                points.size(), repeats, seconds, out);
        err.flush();
        new BenchSweep(out, text, reference, python, seconds, sampleChars, repeats, seed, err).run(points);
        err.println("bench: wrote " + out.resolve("sweep.csv") + " and " + out.resolve("sweep.png"));
        err.flush();
        return 0;
    }

    private double printPeak(PrintWriter out, PrintWriter err) {
        err.printf(Locale.ROOT, "bench: GEMM peak, Nd4j.gemm FLOAT %d^2, %d products%n", PEAK_SIZE, PEAK_REPEATS);
        err.flush();
        double[] runs = BenchmarkProbes.gemmGflops(PEAK_SIZE, PEAK_REPEATS);
        double peak = BenchRun.median(runs);
        JsonObject j = new JsonObject();
        j.addProperty("gemm_gflops_median", BenchRun.round1(peak));
        j.add("gemm_gflops_runs", BenchRun.array(runs));
        j.addProperty("n", PEAK_SIZE);
        j.addProperty("dtype", "float32");
        j.addProperty("openblas_coretype", BenchmarkProbes.openBlasCoreType());
        out.println("PEAK " + j);
        out.flush();
        return peak;
    }

    private JsonObject startup(Config c, Vocabulary vocabulary, PrintWriter err) throws IOException,
            InterruptedException {
        BenchRun.Shape s = shape(c);
        CellType cellType = s.cell();
        int hidden = s.hidden();
        int layers = s.layers();
        RnnModel model = RnnModel.builder().cell(cellType).hidden(hidden).layers(layers).embedding(s.embedding())
                .seed(seed).vocabulary(vocabulary).build();
        Path dir = Files.createTempDirectory("charrnn-startup");
        Path file = dir.resolve("model.charrnn");
        try {
            ModelStore.save(model, file);
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            List<String> command = List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                    CharRnnCli.class.getName(), "sample", "--model", file.toString(), "--length", "1", "--seed", "1");
            err.printf(Locale.ROOT, "bench %s: startup of %s, %d-layer %s H=%d (%,d bytes)%n", c,
                    String.join(" ", command), layers, cellType, hidden, Files.size(file));
            err.flush();
            double[] runs = new double[STARTUP_RUNS];
            for (int r = -1; r < STARTUP_RUNS; r++) {
                long t0 = System.nanoTime();
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                byte[] printed = p.getInputStream().readAllBytes();
                int status = p.waitFor();
                double seconds = (System.nanoTime() - t0) / 1e9;
                if (status != 0) {
                    throw new IllegalStateException("'charrnn sample' exited with status " + status + ": "
                            + new String(printed, StandardCharsets.UTF_8).strip());
                }
                if (r >= 0) {
                    runs[r] = seconds;
                }
            }
            err.printf(Locale.ROOT, "bench %s: time to the first character %s s%n", c,
                    Arrays.toString(Arrays.stream(runs).map(x -> Math.round(x * 1000) / 1000.0).toArray()));
            JsonObject j = new JsonObject();
            j.addProperty("config", c.name());
            j.addProperty("first_char_seconds_median", Math.round(BenchRun.median(runs) * 1000) / 1000.0);
            JsonArray a = new JsonArray();
            for (double x : runs) {
                a.add(Math.round(x * 1000) / 1000.0);
            }
            j.add("first_char_seconds_runs", a);
            j.addProperty("cell", cellType.name().toLowerCase(Locale.ROOT));
            j.addProperty("hidden", hidden);
            j.addProperty("layers", layers);
            j.addProperty("model_bytes", Files.size(file));
            j.addProperty("command", "java -cp CLASSPATH " + CharRnnCli.class.getName()
                    + " sample --model MODEL --length 1 --seed 1");
            return j;
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }
}
