package io.charrnn.examples.spark;

import io.charrnn.train.ShardResult;
import io.charrnn.train.ShardSpec;
import io.charrnn.train.ShardWorker;
import io.charrnn.train.StepPlan;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
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

    Outcome step(Shard shard, float[] weights, long step, int epoch, int window, boolean resets) {
        TaskContext context = TaskContext.get();
        if (step == failFirstAttemptAt && shard.index() == 0 && context != null && context.attemptNumber() == 0) {
            throw new IllegalStateException("injected failure of the first attempt of step " + step + ", shard 0");
        }
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
                long known = shard.nextPosition()[i] == position ? shard.nextByte()[i] : -1;
                int[] window1 = text.read(position, known, steps + 1, ends);
                System.arraycopy(window1, 0, codes, i * (steps + 1), steps + 1);
                nextPosition[i] = position + steps;
                nextByte[i] = ends[steps - 1];
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ShardWorker worker = Workers.borrow(run, spec, n);
        try {
            ShardResult r = worker.compute(weights, new StepPlan(step, epoch, window, resets, Double.NaN), codes,
                    shard.hiddenState());
            return new Outcome(r.lossSum(), r.gradient(),
                    new Shard(shard.index(), shard.from(), shard.to(), r.hiddenState(), nextPosition, nextByte));
        } finally {
            Workers.giveBack(run, worker);
        }
    }
}
