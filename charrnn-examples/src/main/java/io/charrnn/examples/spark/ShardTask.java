package io.charrnn.examples.spark;

import io.charrnn.train.ShardResult;
import io.charrnn.train.ShardSpec;
import io.charrnn.train.ShardWorker;
import io.charrnn.train.StepPlan;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import io.charrnn.train.LocalRound;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import org.apache.spark.TaskContext;

/**
 * What an executor does for one shard of one step: reads its streams' windows from the file,
 * from the byte offsets its shard carries, and computes the shard's loss and gradient. Serializable,
 * sent with every task (it is small: the weights go by broadcast).
 */
final class ShardTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String run;
    private final TextIndex text;
    private final ShardSpec spec;
    private final long failFirstAttemptAt; // a test's injected failure: the step whose first attempt fails, or -1

    ShardTask(String run, TextIndex text, ShardSpec spec, long failFirstAttemptAt) {
        this.run = run;
        this.text = text;
        this.spec = spec;
        this.failFirstAttemptAt = failFirstAttemptAt;
    }

    /** One shard's share of a step, and the shard as it goes into the next step. */
    record Outcome(double lossSum, float[] gradient, Shard shard) implements Serializable {
    }

    /** The sum of a step's outcomes: what treeAggregate carries. */
    static final class Sum implements Serializable {
        private static final long serialVersionUID = 1L;
        double lossSum;
        float[] gradient;
        final List<Shard> shards = new ArrayList<>();

        Sum add(Outcome o) {
            lossSum += o.lossSum();
            if (gradient == null) {
                gradient = o.gradient();
            } else {
                float[] g = o.gradient();
                for (int i = 0; i < g.length; i++) {
                    gradient[i] += g[i];
                }
            }
            shards.add(o.shard());
            return this;
        }

        Sum merge(Sum other) {
            if (other.gradient == null) {
                return this;
            }
            if (gradient == null) {
                return other;
            }
            lossSum += other.lossSum;
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] += other.gradient[i];
            }
            shards.addAll(other.shards);
            return this;
        }
    }

    /** A shard's windows of one step, and where its streams' next windows start. */
    private record Windows(int[] codes, long[] nextPosition, long[] nextByte) {
    }

    private Windows read(Shard shard, long[] knownPosition, long[] knownByte, int window) {
        int steps = spec.sequenceLength();
        int n = shard.streams();
        long streamLength = (text.trainLength - 1) / spec.batchSize();
        int[] codes = new int[n * (steps + 1)];
        long[] nextPosition = new long[n];
        long[] nextByte = new long[n];
        long[] ends = new long[steps + 1];
        try {
            for (int i = 0; i < n; i++) {
                long position = (shard.from() + i) * streamLength + (long) window * steps;
                long known = knownPosition[i] == position ? knownByte[i] : -1;
                int[] one = text.read(position, known, steps + 1, ends);
                System.arraycopy(one, 0, codes, i * (steps + 1), steps + 1);
                nextPosition[i] = position + steps;
                nextByte[i] = ends[steps - 1];
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Windows(codes, nextPosition, nextByte);
    }

    private void maybeFail(Shard shard, long step) {
        TaskContext context = TaskContext.get();
        if (step == failFirstAttemptAt && shard.index() == 0 && context != null && context.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of the first attempt of step " + step + ", shard 0");
        }
    }

    Outcome step(Shard shard, float[] weights, long step, int epoch, int window, boolean resets) {
        maybeFail(shard, step);
        Windows w = read(shard, shard.nextPosition(), shard.nextByte(), window);
        ShardWorker worker = Workers.borrow(run, spec, shard.streams());
        try {
            ShardResult r = worker.compute(weights, new StepPlan(step, epoch, window, resets, Double.NaN), w.codes(),
                    shard.hiddenState());
            return new Outcome(r.lossSum(), r.gradient(),
                    new Shard(shard.index(), shard.from(), shard.to(), r.hiddenState(), w.nextPosition(), w.nextByte()));
        } finally {
            Workers.giveBack(run, worker);
        }
    }

    /** The weights and optimizer state a round of periodic averaging starts from (broadcast). */
    record Start(float[] weights, HashMap<String, float[]> moments, HashMap<String, Double> scalars)
            implements Serializable {
    }

    /** A round's steps, serializable. */
    record Plans(long[] steps, int[] epochs, int[] windows, boolean[] resets, double[] rates) implements Serializable {
        static Plans of(List<StepPlan> plans) {
            int k = plans.size();
            Plans p = new Plans(new long[k], new int[k], new int[k], new boolean[k], new double[k]);
            for (int i = 0; i < k; i++) {
                StepPlan s = plans.get(i);
                p.steps[i] = s.step();
                p.epochs[i] = s.epoch();
                p.windows[i] = s.window();
                p.resets[i] = s.resetsState();
                p.rates[i] = s.learningRate();
            }
            return p;
        }

        List<StepPlan> toList() {
            List<StepPlan> list = new ArrayList<>();
            for (int i = 0; i < steps.length; i++) {
                list.add(new StepPlan(steps[i], epochs[i], windows[i], resets[i], rates[i]));
            }
            return list;
        }
    }

    /** The weighted sum of a round's shards: weights and moments weighted by streams / B. */
    static final class Average implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] lossSums;
        float[] weights;
        HashMap<String, float[]> moments;
        HashMap<String, Double> scalars;
        final List<Shard> shards = new ArrayList<>();

        Average add(Average o) {
            if (o.weights == null) {
                return this;
            }
            if (weights == null) {
                return o;
            }
            for (int i = 0; i < lossSums.length; i++) {
                lossSums[i] += o.lossSums[i];
            }
            addTo(weights, o.weights);
            moments.forEach((k, v) -> addTo(v, o.moments.get(k)));
            shards.addAll(o.shards);
            return this;
        }

        private static void addTo(float[] a, float[] b) {
            for (int i = 0; i < a.length; i++) {
                a[i] += b[i];
            }
        }
    }

    Average round(Shard shard, Start start, Plans plans) {
        maybeFail(shard, plans.steps()[0]);
        List<StepPlan> list = plans.toList();
        int[][] codes = new int[list.size()][];
        long[] position = shard.nextPosition();
        long[] bytes = shard.nextByte();
        for (int i = 0; i < list.size(); i++) {
            Windows w = read(shard, position, bytes, list.get(i).window());
            codes[i] = w.codes();
            position = w.nextPosition();
            bytes = w.nextByte();
        }
        ShardWorker worker = Workers.borrow(run, spec, shard.streams());
        try {
            LocalRound r = worker.localSteps(start.weights(), start.moments(), start.scalars(), list, codes,
                    shard.hiddenState());
            float share = (float) shard.streams() / spec.batchSize();
            Average a = new Average();
            a.lossSums = r.lossSums();
            a.weights = scaled(r.weights(), share);
            a.moments = new HashMap<>();
            r.moments().forEach((k, v) -> a.moments.put(k, scaled(v, share)));
            a.scalars = new HashMap<>(r.scalars());
            a.shards.add(new Shard(shard.index(), shard.from(), shard.to(), r.hiddenState(), position, bytes));
            return a;
        } finally {
            Workers.giveBack(run, worker);
        }
    }

    /**
     * Scores validation streams {@code [from, to)} of {@code len} predictions each (the split cut as
     * {@code Trainer} cuts it): reads their codes, {@code (to − from)·len + 1} of them, and sums.
     */
    double[] validate(float[] weights, int from, int to, long len) {
        long first = text.trainLength + from * len;
        int count = (int) ((to - from) * len + 1);
        try {
            int[] codes = text.read(first, -1, count, new long[count]);
            return spec.sumLoss(weights, codes, to - from);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float[] scaled(float[] a, float factor) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * factor;
        }
        return out;
    }
}
