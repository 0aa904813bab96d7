package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.charrnn.diagnostics.BenchmarkProbes;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.text.Vocabulary;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * One configuration of {@code charrnn bench}: its training windows, its sampling runs and the limits
 * beside them, as one {@code RESULT} object (the fields are documented on {@link BenchCommand}).
 */
final class BenchRun {
    static final int WINDOWS = 3;
    static final int SAMPLE_WARMUP_CHARS = 20_000;
    /** The sampling warm-up stops after this long even if it has not reached its characters (large models). */
    static final double SAMPLE_WARMUP_SECONDS = 5;
    static final int SAMPLE_REPEATS = 3;

    private BenchRun() {
    }

    /**
     * The sizes one configuration runs at: its own, or the overrides of the command line.
     *
     * @param embed a learned embedding of {@code hidden} dimensions as input (torch_charrnn.py's
     *     {@code --embed}) instead of one-hot
     */
    record Shape(CellType cell, int hidden, int layers, int seq, int batch, boolean embed) {
        static Shape of(BenchCommand.Config c, CellType cell, Integer hidden, Integer layers, Integer seq,
                        Integer batch, boolean embed) {
            boolean c1 = c == BenchCommand.Config.C1;
            boolean c3 = c == BenchCommand.Config.C3;
            return new Shape(cell != null ? cell : c3 ? CellType.LSTM : CellType.RNN,
                    hidden != null ? hidden : c1 ? 100 : 512,
                    layers != null ? layers : c3 ? 2 : 1,
                    seq != null ? seq : c1 ? 25 : 100,
                    batch != null ? batch : c1 ? 1 : 64,
                    embed);
        }

        int embedding() {
            return embed ? hidden : 0;
        }
    }

    /**
     * @return float32 operations of one forward step per character: Σ_l 2·G·H·(in_l + H) + 2·H·V,
     *     in_0 = 0 for one-hot input (a row gather), the embedding size for an embedding (its lookup is
     *     a gather too), in_l = H above
     */
    static double forwardFlopsPerChar(CellType cell, int hidden, int layers, int vocab, int embedding) {
        int gates = switch (cell) {
            case RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
        double flops = 2.0 * hidden * vocab;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? embedding : hidden;
            flops += 2.0 * gates * hidden * ((double) in + hidden);
        }
        return flops;
    }

    static JsonObject run(BenchCommand.Config c, Shape s, Vocabulary vocabulary, Corpus train, long seed,
                          double seconds, int sampleChars, PrintWriter err, double peak) {
        boolean c1 = c == BenchCommand.Config.C1;
        double learningRate = c == BenchCommand.Config.C3 ? 2e-3 : 1e-3;
        int warmupSteps = c1 ? 50 : 3;
        int seq = s.seq();
        int batch = s.batch();
        RnnModel model = RnnModel.builder().cell(s.cell()).hidden(s.hidden()).layers(s.layers())
                .embedding(s.embedding()).seed(seed).build(); // unbound: each run binds its own, and drops it
        String input = s.embed() ? "embedding" : "one-hot";
        err.printf(Locale.ROOT, "bench %s: %d-layer %s H=%d T=%d B=%d V=%d %s, %d warm-up steps%n", c, s.layers(),
                s.cell() == CellType.RNN ? "vanilla tanh" : s.cell().name(), s.hidden(), seq, batch, vocabulary.size(),
                input, warmupSteps);
        err.flush();
        // A throw-away run of the warm-up steps estimates the step time (and warms the JIT); the
        // measured run then does its own warm-up steps, untimed, and the timed windows after them, in
        // one training run. Its time limit leaves room for the step that closes the last window:
        // the windows are measured by the listener, not by the limit.
        TrainingResult probe = trainer(c1, learningRate, seq, batch, seed).steps(warmupSteps).build()
                .train(model, train);
        double warmSeconds = probe.elapsed().toNanos() / 1e9;
        probe = null;
        // The probe's kernel (its activations are on the heap as well as off it) is garbage now, but
        // with a heap of a quarter of the RAM the collector would leave it there while the timed run
        // allocates its own: the peak RSS would count two kernels, where 'charrnn train' has one.
        System.gc();
        double stepSeconds = warmSeconds / warmupSteps;
        BenchWindows windows = new BenchWindows(warmupSteps, seconds / WINDOWS, (long) seq * batch);
        Duration limit = Duration.ofNanos((long) ((2 * warmSeconds + seconds + 3 * stepSeconds + 0.1) * 1e9));
        TrainingResult timed = trainer(c1, learningRate, seq, batch, seed).timeLimit(limit).listener(windows).build()
                .train(model, train);
        double[] trainCps = windows.charsPerSecond();
        err.printf(Locale.ROOT, "bench %s: training %s chars/s (steps per window %s), last loss %.4f%n", c,
                Arrays.toString(round(trainCps)), windows.steps(), windows.lastLoss);
        err.flush();

        Sampler sampler = Sampler.builder(timed.model()).strategy(SamplingStrategy.temperature(1.0)).build();
        SplittableRandom rng = new SplittableRandom(seed);
        long warmStart = System.nanoTime();
        for (int done = 0; done < SAMPLE_WARMUP_CHARS
                && System.nanoTime() - warmStart < SAMPLE_WARMUP_SECONDS * 1e9; done += 500) {
            sampler.generate("", 500, rng);
        }
        double[] sampleCps = new double[SAMPLE_REPEATS];
        String sample = "";
        for (int r = 0; r < SAMPLE_REPEATS; r++) {
            long t0 = System.nanoTime();
            sample = sampler.generate("", sampleChars, rng);
            sampleCps[r] = sampleChars / ((System.nanoTime() - t0) / 1e9);
        }
        err.printf(Locale.ROOT, "bench %s: sampling %s chars/s%n", c, Arrays.toString(round(sampleCps)));
        err.flush();
        BenchmarkProbes.samplingProductNanosPerChar(timed.model(), sampleChars); // warm-up
        double[] productNanos = new double[SAMPLE_REPEATS];
        for (int r = 0; r < SAMPLE_REPEATS; r++) {
            productNanos[r] = BenchmarkProbes.samplingProductNanosPerChar(timed.model(), sampleChars);
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
        j.addProperty("hidden", s.hidden());
        j.addProperty("seq", seq);
        j.addProperty("batch", batch);
        j.addProperty("layers", s.layers());
        j.addProperty("cell", s.cell().name().toLowerCase(Locale.ROOT));
        j.addProperty("input", input);
        j.addProperty("vocab", vocabulary.size());
        j.addProperty("sample_chars", sampleChars);
        j.addProperty("last_train_loss", finiteOrNull(windows.lastLoss));
        j.addProperty("loss", "mean nats/char");
        j.addProperty("mode", "throughput");
        j.addProperty("sample_text", sample.substring(0, sample.offsetByCodePoints(0,
                Math.min(120, sample.codePointCount(0, sample.length())))));
        j.addProperty("java", System.getProperty("java.version"));
        j.addProperty("kernel", System.getProperty("charrnn.kernel", "auto"));
        j.addProperty("peer", "charrnn");
        double trainFlops = 3 * forwardFlopsPerChar(s.cell(), s.hidden(), s.layers(), vocabulary.size(), s.embedding());
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

    /** The configuration's optimizer and clipping: Adagrad 0.1 clipped by value for C1, else Adam clipped by norm. */
    private static Trainer.Builder trainer(boolean c1, double learningRate, int seq, int batch, long seed) {
        return Trainer.builder().sequenceLength(seq).batchSize(batch).seed(seed)
                .optimizer(c1 ? Optimizer.adagrad(0.1) : Optimizer.adam(learningRate))
                .gradientClipValue(c1 ? 5 : Double.POSITIVE_INFINITY)
                .gradientClipNorm(c1 ? Double.POSITIVE_INFINITY : 5);
    }

    static double median(double[] xs) {
        if (xs.length == 0) {
            return Double.NaN;
        }
        double[] s = xs.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    static double round1(double x) {
        return Math.round(x * 10) / 10.0;
    }

    private static double[] round(double[] xs) {
        return Arrays.stream(xs).map(BenchRun::round1).toArray();
    }

    static JsonArray array(double[] xs) {
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
