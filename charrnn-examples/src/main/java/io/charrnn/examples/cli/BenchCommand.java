package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.charrnn.diagnostics.BenchmarkProbes;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
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
 * 1.0, a 20,000-character warm-up, then three runs of 2,000 characters; median chars/s. The peers
 * warm up with 100 characters; the JVM needs more before its JIT has compiled the sampling loop
 * (after 100 characters the first timed run was 2-3x slower than the next), and a long-running
 * application samples at the warmed-up rate.
 *
 * <p>Each {@code RESULT} line also gives the GEMM-bound limit and the fraction of it reached, and
 * the memory used. The limit is the float32 floating-point work per training character divided by
 * the rate {@code Nd4j.gemm} reaches on 2048×2048 FLOAT matrices in this process ({@link BenchmarkProbes#gemmGflops},
 * median of {@value #PEAK_REPEATS} products, measured once per run). Work per character
 * ({@link #forwardFlopsPerChar}): forward = Σ over layers of 2·G·H·(in + H), with G = 1 (vanilla),
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

    static final int WINDOWS = 3;
    static final int SAMPLE_CHARS = 2000;
    static final int SAMPLE_WARMUP_CHARS = 20_000;
    static final int SAMPLE_REPEATS = 3;
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
        if (!(seconds > 0 && Double.isFinite(seconds))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0, got " + seconds);
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
        Path textPath = DefaultCorpus.orDefault(text);
        err.println("bench: reading " + textPath);
        err.flush();
        String all = Texts.read(textPath);
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
            JsonObject result = run(c, vocabulary, train, err, peak);
            out.println("RESULT " + result);
            out.flush();
        }
        return 0;
    }

    private double printPeak(PrintWriter out, PrintWriter err) {
        err.printf(Locale.ROOT, "bench: GEMM peak, Nd4j.gemm FLOAT %d^2, %d products%n", PEAK_SIZE, PEAK_REPEATS);
        err.flush();
        double[] runs = BenchmarkProbes.gemmGflops(PEAK_SIZE, PEAK_REPEATS);
        double peak = median(runs);
        JsonObject j = new JsonObject();
        j.addProperty("gemm_gflops_median", round1(peak));
        j.add("gemm_gflops_runs", array(runs));
        j.addProperty("n", PEAK_SIZE);
        j.addProperty("dtype", "float32");
        j.addProperty("openblas_coretype", BenchmarkProbes.openBlasCoreType());
        out.println("PEAK " + j);
        out.flush();
        return peak;
    }

    private JsonObject startup(Config c, Vocabulary vocabulary, PrintWriter err) throws IOException,
            InterruptedException {
        CellType cellType = cell != null ? cell : c == Config.C3 ? CellType.LSTM : CellType.RNN;
        int hidden = c == Config.C1 ? 100 : 512;
        int layers = c == Config.C3 ? 2 : 1;
        RnnModel model = RnnModel.builder().cell(cellType).hidden(hidden).layers(layers).seed(seed)
                .vocabulary(vocabulary).build();
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
            j.addProperty("first_char_seconds_median", Math.round(median(runs) * 1000) / 1000.0);
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

    /**
     * @return float32 operations of one forward step per character: Σ_l 2·G·H·(in_l + H) + 2·H·V,
     *     in_0 = 0 for one-hot input (a row gather), in_l = H above
     */
    static double forwardFlopsPerChar(CellType cell, int hidden, int layers, int vocab) {
        int gates = switch (cell) {
            case RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
        double flops = 2.0 * hidden * vocab;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? 0 : hidden;
            flops += 2.0 * gates * hidden * (in + hidden);
        }
        return flops;
    }

    private JsonObject run(Config c, Vocabulary vocabulary, Corpus train, PrintWriter err, double peak) {
        boolean c1 = c == Config.C1;
        boolean c3 = c == Config.C3;
        int layers = c3 ? 2 : 1;
        CellType cell = this.cell != null ? this.cell : c3 ? CellType.LSTM : CellType.RNN;
        double learningRate = c3 ? 2e-3 : 1e-3;
        int hidden = c1 ? 100 : 512;
        int seq = c1 ? 25 : 100;
        int batch = c1 ? 1 : 64;
        int warmupSteps = c1 ? 50 : 3;
        RnnModel model = RnnModel.builder().cell(cell).hidden(hidden).layers(layers).seed(seed).vocabulary(vocabulary)
                .build();
        Trainer.Builder base = Trainer.builder().sequenceLength(seq).batchSize(batch).seed(seed);
        if (c1) {
            base.optimizer(Optimizer.adagrad(0.1)).gradientClipValue(5).gradientClipNorm(Double.POSITIVE_INFINITY);
        } else {
            base.optimizer(Optimizer.adam(learningRate)).gradientClipNorm(5);
        }

        err.printf(Locale.ROOT, "bench %s: %d-layer %s H=%d T=%d B=%d one-hot, %d warm-up steps%n", c, layers,
                cell == CellType.RNN ? "vanilla tanh" : cell.name(), hidden, seq, batch, warmupSteps);
        err.flush();
        // A throw-away run of the warm-up steps estimates the step time (and warms the JIT); the
        // measured run then does its own warm-up steps, untimed, and the timed windows after them, in
        // one training run. Its time limit leaves room for the step that closes the last window:
        // the windows are measured by the listener, not by the limit.
        TrainingResult probe = base.steps(warmupSteps).build().train(model, train);
        double warmSeconds = probe.elapsed().toNanos() / 1e9;
        double stepSeconds = warmSeconds / warmupSteps;
        BenchWindows windows = new BenchWindows(warmupSteps, seconds / WINDOWS, (long) seq * batch);
        Duration limit = Duration.ofNanos((long) ((2 * warmSeconds + seconds + 3 * stepSeconds + 0.1) * 1e9));
        TrainingResult timed = Trainer.builder().sequenceLength(seq).batchSize(batch).seed(seed)
                .optimizer(c1 ? Optimizer.adagrad(0.1) : Optimizer.adam(learningRate))
                .gradientClipValue(c1 ? 5 : Double.POSITIVE_INFINITY)
                .gradientClipNorm(c1 ? Double.POSITIVE_INFINITY : 5)
                .timeLimit(limit).listener(windows).build().train(model, train);
        double[] trainCps = windows.charsPerSecond();
        err.printf(Locale.ROOT, "bench %s: training %s chars/s (steps per window %s), last loss %.4f%n", c,
                Arrays.toString(round(trainCps)), windows.steps(), windows.lastLoss);
        err.flush();

        Sampler sampler = Sampler.builder(timed.model()).strategy(SamplingStrategy.temperature(1.0)).build();
        SplittableRandom rng = new SplittableRandom(seed);
        sampler.generate("", SAMPLE_WARMUP_CHARS, rng);
        double[] sampleCps = new double[SAMPLE_REPEATS];
        String sample = "";
        for (int r = 0; r < SAMPLE_REPEATS; r++) {
            long t0 = System.nanoTime();
            sample = sampler.generate("", SAMPLE_CHARS, rng);
            sampleCps[r] = SAMPLE_CHARS / ((System.nanoTime() - t0) / 1e9);
        }
        err.printf(Locale.ROOT, "bench %s: sampling %s chars/s%n", c, Arrays.toString(round(sampleCps)));
        err.flush();
        BenchmarkProbes.samplingProductNanosPerChar(timed.model(), SAMPLE_CHARS); // warm-up
        double[] productNanos = new double[SAMPLE_REPEATS];
        for (int r = 0; r < SAMPLE_REPEATS; r++) {
            productNanos[r] = BenchmarkProbes.samplingProductNanosPerChar(timed.model(), SAMPLE_CHARS);
        }
        double sampleLimitCps = 1e9 / median(productNanos);
        long productBytes = BenchmarkProbes.samplingProductBytesPerChar(timed.model());

        JsonObject j = new JsonObject();
        j.addProperty("config", c.name());
        j.addProperty("train_cps_median", finiteOrNull(round1(median(trainCps))));
        j.addProperty("sample_cps_median", finiteOrNull(round1(median(sampleCps))));
        j.add("train_cps_windows", array(trainCps));
        j.add("sample_cps_runs", array(sampleCps));
        j.add("steps_per_window", windows.stepsJson());
        j.addProperty("warmup_steps", warmupSteps);
        j.addProperty("ms_per_step", finiteOrNull(Math.round(1e6 * seq * batch / median(trainCps)) / 1000.0));
        j.addProperty("hidden", hidden);
        j.addProperty("seq", seq);
        j.addProperty("batch", batch);
        j.addProperty("layers", layers);
        j.addProperty("cell", cell.name().toLowerCase(Locale.ROOT));
        j.addProperty("input", "one-hot");
        j.addProperty("vocab", vocabulary.size());
        j.addProperty("last_train_loss", finiteOrNull(windows.lastLoss));
        j.addProperty("loss", "mean nats/char");
        j.addProperty("mode", "throughput");
        j.addProperty("sample_text", sample.substring(0, sample.offsetByCodePoints(0,
                Math.min(120, sample.codePointCount(0, sample.length())))));
        j.addProperty("java", System.getProperty("java.version"));
        j.addProperty("kernel", System.getProperty("charrnn.kernel", "auto"));
        j.addProperty("peer", "charrnn");
        double trainFlops = 3 * forwardFlopsPerChar(cell, hidden, layers, vocabulary.size());
        double limitCps = peak * 1e9 / trainFlops;
        j.addProperty("train_flops_per_char", Math.round(trainFlops));
        j.addProperty("gemm_peak_gflops", finiteOrNull(round1(peak)));
        j.addProperty("train_limit_cps", finiteOrNull(round1(limitCps)));
        j.addProperty("train_limit_fraction", finiteOrNull(Math.round(1000 * median(trainCps) / limitCps) / 1000.0));
        j.addProperty("sample_limit_cps", finiteOrNull(round1(sampleLimitCps)));
        j.addProperty("sample_limit_fraction",
                finiteOrNull(Math.round(1000 * median(sampleCps) / sampleLimitCps) / 1000.0));
        j.addProperty("sample_weight_mb_per_char", Math.round(productBytes / 1e4) / 100.0);
        j.addProperty("sample_product_gbps", finiteOrNull(round1(productBytes * sampleLimitCps / 1e9)));
        long rss = ProcessMemory.peakResidentKiB();
        double heapPeak = ProcessMemory.heapPeakBytes() / 1048576.0;
        double heapMax = Runtime.getRuntime().maxMemory() / 1048576.0;
        j.addProperty("peak_rss_mb", rss < 0 ? null : round1(rss / 1024.0));
        j.addProperty("heap_peak_mb", round1(heapPeak));
        j.addProperty("heap_max_mb", round1(heapMax));
        err.printf(Locale.ROOT, "bench %s: %.0f%% of the GEMM-bound limit %.0f chars/s (%.2f MFLOP/char at %.1f GFLOP/s); "
                        + "peak RSS %s MiB, peak heap %.0f of %.0f MiB%n", c, 100 * median(trainCps) / limitCps, limitCps,
                trainFlops / 1e6, peak, rss < 0 ? "?" : String.format(Locale.ROOT, "%.0f", rss / 1024.0), heapPeak,
                heapMax);
        err.printf(Locale.ROOT, "bench %s: sampling at %.0f%% of the product-bound limit %.0f chars/s (%.2f MB of "
                + "weights per char at %.1f GB/s)%n", c, 100 * median(sampleCps) / sampleLimitCps, sampleLimitCps,
                productBytes / 1e6, productBytes * sampleLimitCps / 1e9);
        err.flush();
        return j;
    }

    private static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static double[] round(double[] xs) {
        return Arrays.stream(xs).map(BenchCommand::round1).toArray();
    }

    private static JsonArray array(double[] xs) {
        JsonArray a = new JsonArray();
        for (double x : xs) {
            a.add(round1(x));
        }
        return a;
    }

    private static Double finiteOrNull(double x) {
        return Double.isFinite(x) ? x : null;
    }
}
