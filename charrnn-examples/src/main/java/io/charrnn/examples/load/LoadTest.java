package io.charrnn.examples.load;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Load checks: many threads sampling from one model for a while (after a warm-up of a tenth of
 * that with all threads), and one long training run. Each
 * reports throughput, errors, whether identical seeds gave identical outputs, and memory (heap in
 * use after a GC, and the process's resident set from {@code /proc/self/status}) after warm-up and
 * at the end, so that growth of heap or native memory shows.
 *
 * <pre>
 * java -cp charrnn.jar io.charrnn.examples.load.LoadTest --text input.txt --threads 16 --seconds 60 --steps 20000
 * </pre>
 */
public final class LoadTest {
    private LoadTest() {
    }

    /** Heap in use after a GC, heap committed and resident set size, in bytes ({@code -1} where unknown). */
    public record Memory(long heapUsed, long heapCommitted, long rss) {
        /**
         * @return the memory now: the least heap in use over three GCs, since threads that are still
         *     running allocate between a GC and the reading (16 sampling threads, tens of MB)
         */
        public static Memory now() {
            java.lang.management.MemoryUsage least = null;
            for (int i = 0; i < 3; i++) {
                System.gc();
                java.lang.management.MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
                if (least == null || heap.getUsed() < least.getUsed()) {
                    least = heap;
                }
            }
            return new Memory(least.getUsed(), least.getCommitted(), LoadTest.rss());
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "heap used %.1f MiB (committed %.1f MiB), RSS %.1f MiB",
                    heapUsed / 1048576.0, heapCommitted / 1048576.0, rss / 1048576.0);
        }
    }

    /** What many threads sampling from one model did. */
    public record SamplingReport(int threads, double seconds, long samples, long characters, long errors,
                                 long mismatches, Memory start, Memory end, String firstError) {
        /** @return samples per second across all threads */
        public double samplesPerSecond() {
            return samples / seconds;
        }

        /** @return characters per second across all threads */
        public double charactersPerSecond() {
            return characters / seconds;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "sampling: %d threads, %.1f s after warm-up: %,d samples (%,.1f/s), %,d characters "
                            + "(%,.0f/s); over the whole run %d errors, %d outputs differing from the same seed's "
                            + "reference%n"
                            + "  memory after warm-up: %s%n  memory at the end:     %s%s", threads, seconds, samples,
                    samplesPerSecond(), characters, charactersPerSecond(), errors, mismatches, start, end,
                    firstError == null ? "" : "\n  first error: " + firstError);
        }
    }

    /** What a long training run did. */
    public record TrainingReport(long steps, double seconds, long warmupStep, Memory atWarmup, Memory end,
                                 double finalLoss, boolean repeatIdentical, long repeatSteps) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "training: %,d steps in %.1f s (%.1f steps/s), final loss %.4f; a "
                            + "second run of %,d steps with the same seed %s%n  memory at step %,d: %s%n"
                            + "  memory at the end:   %s", steps, seconds, steps / seconds, finalLoss, repeatSteps,
                    repeatIdentical ? "gave identical losses" : "DIFFERED", warmupStep, atWarmup, end);
        }
    }

    /** @return VmRSS of this process in bytes, or -1 where {@code /proc/self/status} is missing */
    public static long rss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }

    /**
     * Samples from one model on {@code threads} threads: first for {@code warmup} (not counted),
     * then for {@code duration}, between the two memory readings. Seeds cycle through {@code seeds}
     * values, whose outputs are first generated on this thread as references; every sample is
     * compared with its seed's reference.
     *
     * @param model a bound model
     * @param threads sampling threads, {@code >= 1}
     * @param warmup how long all threads sample before the first memory reading
     * @param duration how long they sample after it
     * @param length characters per sample
     * @param seeds how many distinct seeds, {@code >= 1}
     * @return the report
     * @throws InterruptedException if the calling thread is interrupted while the threads sample
     */
    public static SamplingReport sampling(RnnModel model, int threads, Duration warmup, Duration duration, int length,
                                          int seeds) throws InterruptedException {
        if (threads < 1 || seeds < 1 || length < 0) {
            throw new IllegalArgumentException("threads and seeds must be >= 1 and length >= 0, got " + threads + ", "
                    + seeds + " and " + length);
        }
        Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
        String[] reference = new String[seeds];
        for (int s = 0; s < seeds; s++) {
            reference[s] = sampler.generate("", length, new SplittableRandom(s));
        }
        AtomicLong samples = new AtomicLong();
        AtomicLong characters = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong mismatches = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread w = new Thread(() -> {
                for (long i = 0; !stop.get(); i++) {
                    int seed = (int) ((thread * 7L + i) % seeds);
                    try {
                        String text = sampler.generate("", length, new SplittableRandom(seed));
                        if (!text.equals(reference[seed])) {
                            mismatches.incrementAndGet();
                        }
                        samples.incrementAndGet();
                        characters.addAndGet(text.codePointCount(0, text.length()));
                    } catch (RuntimeException | Error e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                }
            }, "load-sampler-" + t);
            workers.add(w);
            w.start();
        }
        Thread.sleep(warmup.toMillis());
        Memory start = Memory.now();
        long samples0 = samples.get();
        long characters0 = characters.get();
        long t0 = System.nanoTime();
        Thread.sleep(duration.toMillis());
        long samples1 = samples.get();
        long characters1 = characters.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Memory end = Memory.now();
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        return new SamplingReport(threads, seconds, samples1 - samples0, characters1 - characters0, errors.get(),
                mismatches.get(), start, end, firstError.get());
    }

    /**
     * Trains a model for {@code steps} steps, measuring memory at {@code warmupStep} and at the end,
     * then trains again for {@code repeatSteps} steps with the same seed and checks that the losses
     * match the long run's, step for step.
     *
     * @param model the model to train
     * @param corpus the text
     * @param trainer the settings, without a step limit
     * @param steps steps of the long run
     * @param warmupStep when to take the first memory reading, {@code < steps}
     * @param repeatSteps steps of the repeat run, {@code <= steps}
     * @return the report
     */
    public static TrainingReport training(RnnModel model, Corpus corpus, Trainer.Builder trainer, long steps,
                                          long warmupStep, long repeatSteps) {
        if (!(warmupStep >= 1 && warmupStep < steps && repeatSteps >= 1 && repeatSteps <= steps)) {
            throw new IllegalArgumentException("need 1 <= warmupStep < steps and 1 <= repeatSteps <= steps, got "
                    + warmupStep + ", " + steps + " and " + repeatSteps);
        }
        Memory[] warm = new Memory[1];
        long t0 = System.nanoTime();
        TrainingResult run = trainer.steps(steps).listener(s -> {
            if (s.step() == warmupStep && warm[0] == null) {
                warm[0] = Memory.now();
            }
        }).build().train(model, corpus);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Memory end = Memory.now();
        TrainingResult again = trainer.steps(repeatSteps).build().train(model, corpus);
        boolean identical = Arrays.equals(Arrays.copyOf(run.history().losses(), (int) repeatSteps),
                again.history().losses());
        return new TrainingReport(run.steps(), seconds, warmupStep, warm[0], end, run.loss(), identical, repeatSteps);
    }

    /**
     * @param args {@code [--text FILE] [--model MODEL] [--threads 16] [--seconds 60] [--length 200]
     *     [--steps 20000] [--hidden 64]}; without {@code --model}, a model of {@code --hidden} units
     *     is trained on the text for 300 steps to sample from
     * @throws Exception if reading, training or sampling fails
     */
    public static void main(String[] args) throws Exception {
        Path text = null;
        Path modelFile = null;
        int threads = 16;
        double seconds = 60;
        int length = 200;
        long steps = 20_000;
        int hidden = 64;
        for (int i = 0; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                usage("missing a value after " + args[i]);
            }
            String v = args[i + 1];
            switch (args[i]) {
                case "--text" -> text = Path.of(v);
                case "--model" -> modelFile = Path.of(v);
                case "--threads" -> threads = Integer.parseInt(v);
                case "--seconds" -> seconds = Double.parseDouble(v);
                case "--length" -> length = Integer.parseInt(v);
                case "--steps" -> steps = Long.parseLong(v);
                case "--hidden" -> hidden = Integer.parseInt(v);
                default -> usage("unknown option " + args[i]);
            }
        }
        if (text == null) {
            usage("--text is required");
        }
        System.out.printf(Locale.ROOT, "java %s, %d processors, max heap %.0f MiB, RSS at start %.1f MiB%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() / 1048576.0, rss() / 1048576.0);
        Corpus corpus = Corpus.open(text);
        RnnModel model;
        if (modelFile != null) {
            model = ModelFiles.load(modelFile);
        } else {
            model = Trainer.builder().optimizer(Optimizer.adam(3e-3)).sequenceLength(50).batchSize(16).steps(300)
                    .build().train(RnnModel.builder().hidden(hidden).seed(1).build(), corpus).model();
        }
        System.out.println("model: " + model);
        if (seconds > 0) {
            System.out.println(sampling(model, threads, Duration.ofMillis(Math.round(seconds * 100)),
                    Duration.ofMillis(Math.round(seconds * 1000)), length, 64));
        }
        if (steps > 0) {
            Trainer.Builder trainer = Trainer.builder().optimizer(Optimizer.adam(3e-3)).sequenceLength(50)
                    .batchSize(16).seed(7);
            long warm = Math.min(1000, Math.max(1, steps / 20));
            System.out.println(training(RnnModel.builder().hidden(hidden).seed(2).build(), corpus, trainer, steps, warm,
                    Math.min(steps, 1000)));
        }
    }

    private static void usage(String problem) {
        System.err.println("LoadTest: " + problem + "\nusage: LoadTest --text FILE [--model MODEL] [--threads 16] "
                + "[--seconds 60] [--length 200] [--steps 20000] [--hidden 64]");
        System.exit(2);
    }
}
