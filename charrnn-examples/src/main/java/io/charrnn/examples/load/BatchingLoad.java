package io.charrnn.examples.load;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.ContinuousBatcher;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;

/**
 * Concurrent generation with and without a {@link ContinuousBatcher}: for each number of clients,
 * each client a thread generating {@code length} characters from one model, the two ways run
 * alternately, {@code rounds} times; it reports the medians of the total characters per second and
 * of the clients' time per character (the median client of each run), and checks that every
 * batched text equals the same seed's text without batching.
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

    /** One run: how long the clients took together and each. */
    record Run(double seconds, long characters, double[] nanosPerChar, List<String> texts) {
        double charactersPerSecond() {
            return characters / seconds;
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
     * @return the run
     * @throws InterruptedException if interrupted while waiting for the clients
     */
    static Run run(Sampler sampler, int clients, int length) throws InterruptedException {
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
                    texts[client] = sampler.generate("", length, new SplittableRandom(client));
                    perChar[client] = (System.nanoTime() - t0) / (double) Math.max(1, length);
                } catch (Throwable e) {
                    failed[0] = e;
                }
            }, "client-" + c);
            threads.add(t);
            t.start();
        }
        ready.await();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (failed[0] != null) {
            throw new IllegalStateException("a client failed: " + failed[0], failed[0]);
        }
        long chars = 0;
        for (String s : texts) {
            chars += s.codePointCount(0, s.length());
        }
        return new Run(seconds, chars, perChar, List.of(texts));
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
        System.out.println("clients  per-client chars/s  batched chars/s  ratio   per-client µs/char  batched µs/char"
                + "  (medians; µs/char of the median client)  identical");
        try (ContinuousBatcher batcher = ContinuousBatcher.builder(model).rows(64).queue(256).build()) {
            Sampler batched = Sampler.builder(model).strategy(strategy).batcher(batcher).build();
            run(plain, 2, Math.min(length, 500)); // warm-up of both paths
            run(batched, 2, Math.min(length, 500));
            for (int clients : clientCounts) {
                double[] plainRate = new double[rounds];
                double[] batchRate = new double[rounds];
                double[] plainLatency = new double[rounds];
                double[] batchLatency = new double[rounds];
                boolean identical = true;
                for (int r = 0; r < rounds; r++) {
                    Run a = run(plain, clients, length);
                    Run b = run(batched, clients, length);
                    plainRate[r] = a.charactersPerSecond();
                    batchRate[r] = b.charactersPerSecond();
                    plainLatency[r] = a.medianNanosPerChar() / 1e3;
                    batchLatency[r] = b.medianNanosPerChar() / 1e3;
                    identical &= a.texts().equals(b.texts());
                }
                System.out.printf(Locale.ROOT, "%7d  %19.0f  %15.0f  %5.2fx  %18.1f  %15.1f  %s%n", clients,
                        median(plainRate), median(batchRate), median(batchRate) / median(plainRate),
                        median(plainLatency), median(batchLatency), identical ? "yes" : "NO");
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
