package io.charrnn.examples.spark;

import io.charrnn.model.RnnModel;
import io.charrnn.train.DataParallel;
import io.charrnn.train.ShardSpec;
import io.charrnn.train.StepPlan;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingControl;
import io.charrnn.train.TrainingResult;
import io.charrnn.train.TrainingText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Trains a model data-parallel on Spark, synchronously: each step the driver broadcasts the
 * weights, every partition computes the gradient of its shard of the {@code B} streams (their hidden
 * states and file positions travel with the shards), {@code treeAggregate} sums the gradients and
 * the driver applies the update through the {@link Trainer}'s optimizer, clipping, schedule,
 * listeners, validation and checkpoints ({@link DataParallel}). Or, with {@link Builder#averageEvery},
 * by periodic averaging: {@code k} local steps per partition between averages of the weights. The
 * text is read by the executors from any Hadoop path; the driver never holds it.
 *
 * <pre>{@code
 * TrainingResult r = SparkTraining.builder(sc, trainer).partitions(8).build().train(model, "hdfs:///corpus.txt");
 * }</pre>
 */
public final class SparkTraining {
    private final JavaSparkContext sc;
    private final Trainer trainer;
    private final int partitions;
    private final long blockBytes;
    private final double validationFraction;
    private final TrainingControl control;
    private final long failFirstAttemptAt;
    private final int averageEvery;
    private ShardTask validationTask; // the run's, while it runs

    private SparkTraining(Builder b) {
        this.averageEvery = b.averageEvery;
        this.sc = b.sc;
        this.trainer = b.trainer;
        this.partitions = b.partitions;
        this.blockBytes = b.blockBytes;
        this.validationFraction = b.validationFraction;
        this.control = b.control;
        this.failFirstAttemptAt = b.failFirstAttemptAt;
    }

    /**
     * @param sc the Spark context
     * @param trainer the settings; its batch size is the global batch, its batching must be STREAMS
     * @return a builder
     */
    public static Builder builder(JavaSparkContext sc, Trainer trainer) {
        return new Builder(sc, trainer);
    }

    /**
     * Trains a copy of {@code model} on the text at {@code path}.
     *
     * @param model an unbound model or one bound to the text's vocabulary
     * @param path a UTF-8 text file on any file system Spark reads (file:, hdfs:, s3a:)
     * @return the result
     * @throws IOException if the text does not exist or is not valid UTF-8
     * @throws IllegalArgumentException if the text is too short for the batch or the partitions
     */
    public TrainingResult train(RnnModel model, String path) throws IOException {
        Objects.requireNonNull(model, "model");
        Text t = index(path);
        return run(t, builder(t).start(model));
    }

    /**
     * Continues a run from a checkpoint, of a run on Spark or on one machine with the same settings.
     *
     * @param checkpoint the checkpoint file (on the driver)
     * @param path the text of the original run
     * @return the result, counting the steps before the checkpoint
     * @throws IOException if the checkpoint or the text cannot be read
     * @throws IllegalArgumentException if the settings, the text or its vocabulary differ from the checkpoint's
     */
    public TrainingResult resume(Path checkpoint, String path) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Text t = index(path);
        return run(t, builder(t).resume(checkpoint));
    }

    private record Text(TextIndex index, TrainingText training) {
    }

    private Text index(String path) throws IOException {
        Objects.requireNonNull(path, "path");
        TextIndex index = TextIndex.build(sc, path, blockBytes, validationFraction);
        long perShard = trainer.batchSize() / partitions;
        if (perShard < 1) {
            throw new IllegalArgumentException("each of the " + partitions + " partitions needs at least one of the "
                    + trainer.batchSize() + " streams (batchSize); use at most " + trainer.batchSize() + " partitions");
        }
        if (index.trainLength < 2) {
            throw new IllegalArgumentException("the text " + path + " has " + index.trainLength
                    + " training characters; it needs at least sequenceLength × batchSize + 1");
        }
        return new Text(index, index.trainingText(sc));
    }

    private DataParallel.Builder builder(Text t) {
        DataParallel.Builder b = DataParallel.builder(trainer, t.training()).control(control);
        int length = t.index().validationLength;
        if (length >= 2) {
            b.validation(length, weights -> validationLoss(t.index(), weights));
        }
        return b;
    }

    /** The validation split scored as {@code Trainer} scores it, its streams spread over the partitions. */
    private double validationLoss(TextIndex index, float[] weights) {
        long predictions = index.validationLength - 1L;
        int streams = (int) Math.max(1, Math.min(trainer.batchSize(), predictions / trainer.sequenceLength()));
        long len = predictions / streams;
        int shards = Math.min(partitions, streams);
        List<int[]> ranges = new ArrayList<>();
        for (int p = 0; p < shards; p++) {
            ranges.add(new int[] {(int) ((long) streams * p / shards), (int) ((long) streams * (p + 1) / shards)});
        }
        Broadcast<float[]> w = sc.broadcast(weights);
        ShardTask task = validationTask;
        double[] sum = sc.parallelize(ranges, shards).map(r -> task.validate(w.value(), r[0], r[1], len))
                .reduce((a, b) -> new double[] {a[0] + b[0], a[1] + b[1]});
        w.destroy();
        return sum[0] / sum[1];
    }

    private TrainingResult run(Text t, DataParallel run) {
        ShardSpec spec = run.shardSpec();
        String id = UUID.randomUUID().toString();
        ShardTask task = new ShardTask(id, t.index(), spec, failFirstAttemptAt);
        validationTask = task;
        List<Shard> shards = new ArrayList<>();
        float[] state = run.initialHiddenState();
        int b = trainer.batchSize();
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) b * p / partitions);
            int to = (int) ((long) b * (p + 1) / partitions);
            shards.add(Shard.of(p, from, to, spec.sliceState(state, from, to)));
        }
        AtomicReference<List<Shard>> current = new AtomicReference<>(shards);
        try {
            while (averageEvery > 0 && run.hasNextStep()) {
                long t0 = System.nanoTime();
                List<StepPlan> plans = run.nextSteps(averageEvery);
                ShardTask.Plans serial = ShardTask.Plans.of(plans);
                Broadcast<ShardTask.Start> start = sc.broadcast(new ShardTask.Start(run.weights(),
                        new HashMap<>(run.optimizerMoments()), new HashMap<>(run.optimizerScalars())));
                ShardTask.Average sum = sc.parallelize(current.get(), partitions).treeAggregate(new ShardTask.Average(),
                        (acc, shard) -> acc.add(task.round(shard, start.value(), serial)), ShardTask.Average::add, 2);
                start.destroy();
                List<Shard> next = new ArrayList<>(sum.shards);
                next.sort(Comparator.comparingInt(Shard::index));
                current.set(next);
                run.applyAverage(sum.lossSums, sum.weights, sum.moments, sum.scalars, t0, () -> joined(spec, current.get()));
            }
            while (run.hasNextStep()) {
                long t0 = System.nanoTime();
                StepPlan plan = run.nextStep();
                Broadcast<float[]> weights = sc.broadcast(run.weights());
                long step = plan.step();
                int epoch = plan.epoch();
                int window = plan.window();
                boolean resets = plan.resetsState();
                ShardTask.Sum sum = sc.parallelize(current.get(), partitions).treeAggregate(new ShardTask.Sum(),
                        (acc, shard) -> acc.add(task.step(shard, weights.value(), step, epoch, window, resets)),
                        ShardTask.Sum::merge, 2);
                weights.destroy();
                List<Shard> next = new ArrayList<>(sum.shards);
                next.sort(Comparator.comparingInt(Shard::index));
                current.set(next);
                run.apply(sum.lossSum, sum.gradient, t0, () -> joined(spec, current.get()));
            }
            return run.finish(() -> joined(spec, current.get()));
        } finally {
            Workers.release(id); // local mode; executors' workers go with their JVMs
            Streams.close(t.index().path);
        }
    }

    private static float[] joined(ShardSpec spec, List<Shard> shards) {
        List<float[]> states = new ArrayList<>();
        for (Shard s : shards) {
            states.add(s.hiddenState() != null ? s.hiddenState() : new float[s.streams() * spec.stateSizePerStream()]);
        }
        return spec.joinState(states);
    }

    /** Gathers the options of a Spark run. */
    public static final class Builder {
        private final JavaSparkContext sc;
        private final Trainer trainer;
        private int partitions;
        private long blockBytes = 16L << 20;
        private double validationFraction = 0.1;
        private TrainingControl control = new TrainingControl();
        private long failFirstAttemptAt = -1;
        private int averageEvery;

        private Builder(JavaSparkContext sc, Trainer trainer) {
            this.sc = Objects.requireNonNull(sc, "sc");
            this.trainer = Objects.requireNonNull(trainer, "trainer");
            this.partitions = Math.min(trainer.batchSize(), sc.defaultParallelism());
        }

        /**
         * @param count partitions (tasks) per step, each a shard of about {@code batchSize / count}
         *     streams; in {@code [1, batchSize]}; default: the context's default parallelism
         * @return this builder
         */
        public Builder partitions(int count) {
            if (count < 1 || count > trainer.batchSize()) {
                throw new IllegalArgumentException("partitions must be in [1, batchSize = " + trainer.batchSize()
                        + "], got " + count);
            }
            this.partitions = count;
            return this;
        }

        /**
         * @param bytes bytes of text per indexing task, {@code >= 64}; default 16 MiB
         * @return this builder
         */
        public Builder blockBytes(long bytes) {
            if (bytes < 64) {
                throw new IllegalArgumentException("blockBytes must be >= 64, got " + bytes);
            }
            this.blockBytes = bytes;
            return this;
        }

        /**
         * @param fraction the end of the text held out for validation, in {@code [0, 1)}; default
         *     0.1 as {@code Corpus}
         * @return this builder
         */
        public Builder validationFraction(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("validation fraction must be in [0, 1), got " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        /**
         * @param control stops the run after the step under way when asked to
         * @return this builder
         */
        public Builder control(TrainingControl control) {
            this.control = Objects.requireNonNull(control, "control");
            return this;
        }

        /**
         * Periodic averaging (local SGD, as DL4J's parameter averaging) instead of synchronous
         * steps: every partition takes {@code k} steps on its shard alone with its own copy of the
         * optimizer, then the driver averages the weights and optimizer moments (weighted by
         * streams) and broadcasts them: one exchange per {@code k} steps. Validation and
         * checkpoints fall at the ends of rounds.
         *
         * @param k local steps between averages, {@code >= 1}
         * @return this builder
         */
        public Builder averageEvery(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("averageEvery must be >= 1, got " + k);
            }
            this.averageEvery = k;
            return this;
        }

        /** For tests: the first attempt of shard 0's task of this step fails (Spark retries it). */
        Builder failFirstAttemptAt(long step) {
            this.failFirstAttemptAt = step;
            return this;
        }

        /** @return the Spark training */
        public SparkTraining build() {
            return new SparkTraining(this);
        }
    }
}
