package io.charrnn.examples.spark;

import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The figures of docs/spark.md (run by tools/spark/measure.sh): per configuration (C2, C3 of
 * {@code charrnn bench}), the training speed of the single-machine {@link Trainer} and of
 * synchronous Spark training on {@code local[1]} and {@code local[2]}, alternating, and the cost of
 * one step's exchange alone (broadcast of the weights and treeAggregate of one gradient per
 * partition, with no computing). Prints medians over the timed steps of all rounds.
 */
public final class SparkMeasure {
    private SparkMeasure() {
    }

    /**
     * @param args text file, rounds, timed steps per run, configurations (comma-separated C2,C3)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path text = Path.of(args[0]);
        int rounds = Integer.parseInt(args[1]);
        int steps = Integer.parseInt(args[2]);
        String[] configs = args[3].split(",");
        Corpus corpus = Corpus.open(text);
        for (String config : configs) {
            boolean c3 = config.equals("C3");
            RnnModel model = RnnModel.builder().cell(c3 ? CellType.LSTM : CellType.RNN).hidden(512).layers(c3 ? 2 : 1)
                    .seed(1).build();
            int warm = 2;
            List<Double> single = new ArrayList<>();
            List<Double> one = new ArrayList<>();
            List<Double> two = new ArrayList<>();
            List<Double> exchangeOne = new ArrayList<>();
            List<Double> exchangeTwo = new ArrayList<>();
            List<Double> stepOne = new ArrayList<>();
            List<Double> stepTwo = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                trainer(c3, warm + steps, single, warm).build().train(model, corpus);
                spark("local[1]", text, model, trainer(c3, warm + steps, one, warm), exchangeOne, stepOne, steps);
                spark("local[2]", text, model, trainer(c3, warm + steps, two, warm), exchangeTwo, stepTwo, steps);
            }
            long params = model.withVocabulary(corpus.vocabulary()).parameterCount();
            System.out.printf(Locale.ROOT, "RESULT %s params=%d single=%.0f local1=%.0f local2=%.0f chars/s; "
                            + "exchange local1=%.1f ms (%.1f%% of a step of %.0f ms), local2=%.1f ms (%.1f%% of %.0f ms)%n",
                    config, params, median(single), median(one), median(two), median(exchangeOne),
                    100 * median(exchangeOne) / median(stepOne), median(stepOne), median(exchangeTwo),
                    100 * median(exchangeTwo) / median(stepTwo), median(stepTwo));
        }
    }

    private static Trainer.Builder trainer(boolean c3, int steps, List<Double> cps, int warm) {
        return Trainer.builder().optimizer(Optimizer.adam(c3 ? 2e-3 : 1e-3)).sequenceLength(100).batchSize(64)
                .steps(steps).listener(s -> {
                    if (s.step() > warm) {
                        cps.add(s.charactersPerSecond());
                    }
                });
    }

    private static void spark(String master, Path text, RnnModel model, Trainer.Builder trainer, List<Double> exchange,
                              List<Double> stepMs, int steps) throws Exception {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("measure").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("ERROR");
            int partitions = sc.defaultParallelism();
            List<Double> cps = new ArrayList<>();
            Trainer t = trainer.listener(s -> cps.add(s.charactersPerSecond())).build();
            SparkTraining.builder(sc, t).partitions(partitions).build().train(model, text.toUri().toString());
            for (double c : cps.subList(Math.min(2, cps.size()), cps.size())) {
                stepMs.add(100 * 64 / c * 1000);
            }
            int size = (int) model.withVocabulary(Corpus.open(text).vocabulary()).parameterCount();
            for (int i = 0; i < steps + 2; i++) {
                long t0 = System.nanoTime();
                Broadcast<float[]> w = sc.broadcast(new float[size]);
                float[] sum = sc.parallelize(IntStream.range(0, partitions).boxed().toList(), partitions)
                        .treeAggregate(new float[0], (acc, p) -> {
                            float[] g = new float[w.value().length];
                            return add(acc, g);
                        }, SparkMeasure::add, 2);
                w.destroy();
                if (sum.length != size) {
                    throw new IllegalStateException("exchange gave " + sum.length + " values");
                }
                if (i >= 2) {
                    exchange.add((System.nanoTime() - t0) / 1e6);
                }
            }
        }
    }

    private static float[] add(float[] a, float[] b) {
        if (a.length == 0) {
            return b;
        }
        if (b.length == 0) {
            return a;
        }
        for (int i = 0; i < a.length; i++) {
            a[i] += b[i];
        }
        return a;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
