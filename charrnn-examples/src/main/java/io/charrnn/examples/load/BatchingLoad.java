package io.charrnn.examples.load;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.ContinuousBatcher;
import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * Concurrent generation with and without a {@link ContinuousBatcher}: for each number of clients,
 * each client a thread generating {@code length} characters from one model, three ways run
 * alternately, {@code rounds} times: without a batcher, with one (the texts returned whole: the
 * batcher's thread picks the characters), and with one and a sink per client (as the server
 * streams: the client's thread takes a turn after every step). It reports the medians of the total
 * characters per second and of the clients' time per character (the median client of each run),
 * and checks that every batched text equals the same seed's text without batching.
 *
 * <pre>
 * java -cp charrnn.jar io.charrnn.examples.load.BatchingLoad [--model FILE] [--clients 1,4,16,64]
 *     [--length 2000] [--rounds 3]
 * </pre>
 *
 * Without {@code --model} it uses a C3-sized model: a 2-layer LSTM of 512 units over 65 characters
 * with untrained (random, seed 1) weights, which cost the same per character as trained ones.
 */
public final class BatchingLoad {
    private BatchingLoad() {
    }

    /** One run: how long the clients took together and each, and the process's CPU time (-1 if unknown). */
    record Run(double seconds, long characters, double[] nanosPerChar, List<String> texts, long cpuNanos) {
        double charactersPerSecond() {
            return characters / seconds;
        }

        /** @return the process's CPU time per character in µs (all threads: a figure the other processes on a busy machine change little) */
        double cpuMicrosPerChar() {
            return cpuNanos / 1e3 / characters;
        }

        double medianNanosPerChar() {
            return median(nanosPerChar);
        }
    }

    /**
     * Runs {@code clients} threads, each generating {@code length} characters with seed = its index.
     *
     * @param sampler the sampler, with or without a batcher
     * @param clients threads, {@code >= 1}
     * @param length characters each
     * @param sink whether each client streams its characters to a sink (that keeps nothing)
     * @return the run
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static Run run(Sampler sampler, int clients, int length, boolean sink) throws InterruptedException {
        String[] texts = new String[clients];
        double[] perChar = new double[clients];
        Throwable[] failed = new Throwable[1];
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                try {
                    ready.countDown();
                    go.await();
                    long t0 = System.nanoTime();
                    texts[client] = sink
                            ? sampler.generate(GenerationOptions.builder().length(length).build(),
                                    new SplittableRandom(client), cp -> true).text()
                            : sampler.generate("", length, new SplittableRandom(client));
                    perChar[client] = (System.nanoTime() - t0) / (double) Math.max(1, length);
                } catch (Throwable e) {
                    failed[0] = e;
                }
            }, "client-" + c);
            threads.add(t);
            t.start();
        }
        ready.await();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long cpu = cpu0 < 0 ? -1 : processCpuNanos() - cpu0;
        if (failed[0] != null) {
            throw new IllegalStateException("a client failed: " + failed[0], failed[0]);
        }
        long chars = 0;
        for (String s : texts) {
            chars += s.codePointCount(0, s.length());
        }
        return new Run(seconds, chars, perChar, List.of(texts), cpu);
    }

    /** @return the CPU time of this process so far in ns, or -1 where the JVM does not tell */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /**
     * @param args see the class comment
     * @throws Exception if the model cannot be read or a client fails
     */
    public static void main(String[] args) throws Exception {
        Path modelFile = null;
        int[] clientCounts = {1, 4, 16, 64};
        int length = 2000;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--model" -> modelFile = Path.of(v);
                case "--clients" -> clientCounts = Arrays.stream(v.split(",")).mapToInt(Integer::parseInt).toArray();
                case "--length" -> length = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; use --model FILE --clients 1,4,16,64 --length 2000 --rounds 3");
            }
        }
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("missing a value after " + args[args.length - 1]);
        }
        RnnModel model = modelFile != null ? ModelFiles.load(modelFile) : c3Sized();
        System.out.printf(Locale.ROOT, "java %s, %d processors; model %s; %d characters per client, %d rounds%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), model, length, rounds);
        SamplingStrategy strategy = SamplingStrategy.temperature(0.8);
        Sampler plain = Sampler.builder(model).strategy(strategy).build();
        System.out.println("clients  per-client chars/s  batched chars/s  ratio   batched+sink chars/s  ratio   "
                + "per-client µs/char  batched µs/char  batched+sink µs/char  CPU µs/char: per-client batched +sink"
                + "  identical  (medians; µs/char of the median client)");
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(model).rows(64).queue(256).build()) {
            Sampler batched = Sampler.builder(model).strategy(strategy).batcher(batcher).build();
            run(plain, 2, Math.min(length, 500), false); // warm-up of every path
            run(batched, 2, Math.min(length, 500), false);
            run(batched, 2, Math.min(length, 500), true);
            for (int clients : clientCounts) {
                double[][] rate = new double[3][rounds];
                double[][] latency = new double[3][rounds];
                double[][] cpu = new double[3][rounds];
                boolean identical = true;
                for (int r = 0; r < rounds; r++) {
                    Run[] runs = {run(plain, clients, length, false), run(batched, clients, length, false),
                        run(batched, clients, length, true)};
                    for (int way = 0; way < 3; way++) {
                        rate[way][r] = runs[way].charactersPerSecond();
                        latency[way][r] = runs[way].medianNanosPerChar() / 1e3;
                        cpu[way][r] = runs[way].cpuMicrosPerChar();
                        identical &= runs[way].texts().equals(runs[0].texts());
                    }
                }
                System.out.printf(Locale.ROOT, "%7d  %19.0f  %15.0f  %5.2fx  %20.0f  %5.2fx  %18.1f  %15.1f  %20.1f"
                        + "  %21.1f %7.1f %5.1f  %s%n",
                        clients, median(rate[0]), median(rate[1]), median(rate[1]) / median(rate[0]), median(rate[2]),
                        median(rate[2]) / median(rate[0]), median(latency[0]), median(latency[1]), median(latency[2]),
                        median(cpu[0]), median(cpu[1]), median(cpu[2]), identical ? "yes" : "NO");
            }
        }
    }

    /** @return a 2-layer LSTM of 512 units over 65 characters with random (seed 1) weights */
    static RnnModel c3Sized() {
        StringBuilder alphabet = new StringBuilder("\n");
        for (char ch = ' '; alphabet.length() < 65; ch++) {
            alphabet.append(ch);
        }
        return RnnModel.builder().cell(CellType.LSTM).hidden(512).layers(2).seed(1)
                .vocabulary(Vocabulary.fromText(alphabet.toString())).build();
    }
}
