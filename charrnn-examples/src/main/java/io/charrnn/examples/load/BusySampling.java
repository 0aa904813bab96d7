package io.charrnn.examples.load;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Batch-1 sampling on one thread ({@code -Dcharrnn.sample.threads=1}) against the default (a large
 * step split with a helper thread on a second core), alternately in one JVM, for C2- and C3-sized
 * models with random weights: characters per second of 2,000-character generations, median over
 * the rounds. {@code tools/perf/busy-sampling.sh} runs it while another process keeps one core busy.
 *
 * <pre>
 * java -cp charrnn.jar io.charrnn.examples.load.BusySampling [ROUNDS] [SECONDS_PER_RUN]
 * </pre>
 */
public final class BusySampling {
    private static final String PROPERTY = "charrnn.sample.threads";

    private BusySampling() {
    }

    /**
     * @param args {@code [ROUNDS] [SECONDS_PER_RUN]} (default 5 and 2)
     */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        StringBuilder alphabet = new StringBuilder("\n");
        for (char ch = ' '; alphabet.length() < 65; ch++) {
            alphabet.append(ch);
        }
        Vocabulary vocabulary = Vocabulary.fromText(alphabet.toString());
        RnnModel c2 = RnnModel.builder().cell(CellType.RNN).hidden(512).seed(1).vocabulary(vocabulary).build();
        RnnModel c3 = RnnModel.builder().cell(CellType.LSTM).hidden(512).layers(2).seed(1).vocabulary(vocabulary)
                .build();
        System.out.printf(Locale.ROOT, "java %s, %d processors; %d rounds of %.1f s per setting, alternating%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), rounds, seconds);
        String before = System.getProperty(PROPERTY);
        try {
            for (String name : new String[] {"C2", "C3"}) {
                RnnModel model = name.equals("C2") ? c2 : c3;
                rate(model, "1", seconds / 2); // warm-up of both
                rate(model, "auto", seconds / 2);
                double[] one = new double[rounds];
                double[] two = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    one[r] = rate(model, "1", seconds);
                    two[r] = rate(model, "auto", seconds);
                }
                double m1 = BatchingLoad.median(one);
                double m2 = BatchingLoad.median(two);
                System.out.printf(Locale.ROOT, "%s sampling chars/s: one thread %,.0f, default (two threads) %,.0f, "
                        + "ratio %.2f; runs one %s two %s%n", name, m1, m2, m2 / m1, rounded(one), rounded(two));
            }
        } finally {
            if (before == null) {
                System.clearProperty(PROPERTY);
            } else {
                System.setProperty(PROPERTY, before);
            }
        }
    }

    /** @return characters per second of 2,000-character generations for about {@code seconds} */
    private static double rate(RnnModel model, String threads, double seconds) {
        System.setProperty(PROPERTY, threads);
        Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(0.8)).build();
        long chars = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (seconds * 1e9);
        for (int seed = 0; System.nanoTime() < end; seed++) {
            chars += sampler.generate("", 2000, new SplittableRandom(seed)).length();
        }
        return chars / ((System.nanoTime() - t0) / 1e9);
    }

    private static String rounded(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(Math.round(values[i]));
        }
        return sb.append(']').toString();
    }
}
