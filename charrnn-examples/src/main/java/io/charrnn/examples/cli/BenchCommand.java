package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.text.Texts;
import io.charrnn.text.Vocabulary;
import io.charrnn.train.Optimizer;
import io.charrnn.train.StepSummary;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code charrnn bench}: training and sampling throughput for the configurations of DESIGN.md,
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
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measures training and sampling characters per second for the benchmark configurations "
                + "and prints one line 'RESULT {json}' per configuration on stdout (progress goes to stderr), "
                + "like ../shared/bench/torch_charrnn.py.",
                "C1: vanilla tanh H=100 T=25 B=1 one-hot, Adagrad 0.1, clip by value 5 (min-char-rnn).",
                "C2: vanilla tanh H=512 T=100 B=64 one-hot, Adam 1e-3, clip norm 5 (PyTorch course project).",
                "C3: 2-layer LSTM H=512 T=100 B=64 one-hot, Adam 2e-3, clip norm 5 (char-rnn / torch-rnn default)."})
final class BenchCommand implements Callable<Integer> {
    /** The benchmark configurations. */
    enum Config { C1, C2, C3 }

    static final int WINDOWS = 3;
    static final int SAMPLE_CHARS = 2000;
    static final int SAMPLE_WARMUP_CHARS = 20_000;
    static final int SAMPLE_REPEATS = 3;

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

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!(seconds > 0 && Double.isFinite(seconds))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--seconds must be > 0, got " + seconds);
        }
        List<Config> todo = configs == null || configs.isEmpty() ? List.of(Config.C1, Config.C2) : configs;
        Path textPath = DefaultCorpus.orDefault(text);
        err.println("bench: reading " + textPath);
        err.flush();
        String all = Texts.read(textPath);
        Vocabulary vocabulary = Vocabulary.fromText(all);
        // Train on the first 90 % (the peers' split); no validation part, so no validation pass.
        int cut = all.offsetByCodePoints(0, (int) (all.codePointCount(0, all.length()) * 0.9));
        Corpus train = Corpus.of(all.substring(0, cut), vocabulary).withSplit(0, 0);
        err.printf(Locale.ROOT, "bench: %,d characters, vocabulary %d, training on %,d; %.0f s timed per config%n",
                all.codePointCount(0, all.length()), vocabulary.size(), train.length(), seconds);
        for (Config c : todo) {
            JsonObject result = run(c, vocabulary, train, err);
            out.println("RESULT " + result);
            out.flush();
        }
        return 0;
    }

    private JsonObject run(Config c, Vocabulary vocabulary, Corpus train, PrintWriter err) {
        boolean c1 = c == Config.C1;
        boolean c3 = c == Config.C3;
        int layers = c3 ? 2 : 1;
        CellType cell = c3 ? CellType.LSTM : CellType.RNN;
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
                c3 ? "LSTM" : "vanilla tanh", hidden, seq, batch, warmupSteps);
        err.flush();
        // A throw-away run of the warm-up steps estimates the step time (and warms the JIT); the
        // measured run then does its own warm-up steps, untimed, and the timed windows after them, in
        // one training run. Its time limit leaves room for the step that closes the last window:
        // the windows are measured by the listener, not by the limit.
        TrainingResult probe = base.steps(warmupSteps).build().train(model, train);
        double warmSeconds = probe.elapsed().toNanos() / 1e9;
        double stepSeconds = warmSeconds / warmupSteps;
        Windows windows = new Windows(warmupSteps, seconds / WINDOWS, (long) seq * batch);
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
        return j;
    }

    /** Splits the timed steps into windows the way the Python peers do. */
    private static final class Windows implements io.charrnn.train.TrainingListener {
        private final long warmupSteps;
        private final double windowSeconds;
        private final long charsPerStep;
        private final List<Double> cps = new ArrayList<>();
        private final List<Long> steps = new ArrayList<>();
        private long windowStartNanos;
        private long windowStartStep;
        private long lastNanos;
        private long lastStep;
        double lastLoss = Double.NaN;

        Windows(long warmupSteps, double windowSeconds, long charsPerStep) {
            this.warmupSteps = warmupSteps;
            this.windowSeconds = windowSeconds;
            this.charsPerStep = charsPerStep;
        }

        @Override
        public void onStep(StepSummary s) {
            if (cps.size() == WINDOWS) {
                return;
            }
            lastLoss = s.loss();
            lastNanos = s.elapsed().toNanos();
            lastStep = s.step();
            if (s.step() <= warmupSteps) {
                windowStartNanos = lastNanos; // the timed part starts when the warm-up ends
                windowStartStep = lastStep;
                return;
            }
            double dt = (lastNanos - windowStartNanos) / 1e9;
            if (dt >= windowSeconds) {
                close(dt);
            }
        }

        private void close(double dt) {
            long n = lastStep - windowStartStep;
            cps.add(n * charsPerStep / dt);
            steps.add(n);
            windowStartNanos = lastNanos;
            windowStartStep = lastStep;
        }

        double[] charsPerSecond() {
            if (cps.size() < WINDOWS && lastStep > windowStartStep) {
                close((lastNanos - windowStartNanos) / 1e9); // the limit ended a window early
            }
            return cps.stream().mapToDouble(Double::doubleValue).toArray();
        }

        List<Long> steps() {
            return steps;
        }

        JsonArray stepsJson() {
            JsonArray a = new JsonArray();
            steps.forEach(a::add);
            return a;
        }
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
