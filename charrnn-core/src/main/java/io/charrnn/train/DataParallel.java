package io.charrnn.train;

import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.check.Check;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The driver's side of data-parallel training on any engine (Spark, MPI, threads): a {@link Trainer}
 * run whose steps' gradients are computed elsewhere, shard by shard, by {@link ShardWorker}s.
 *
 * <pre>{@code
 * DataParallel run = DataParallel.builder(trainer, text).start(model);
 * ShardSpec spec = run.shardSpec();                       // ship once to the workers
 * while (run.hasNextStep()) {
 *     StepPlan plan = run.nextStep();
 *     float[] weights = run.weights();                    // ship to the workers
 *     // each worker: spec.worker(n).compute(weights, plan, itsCodes, itsState) -> ShardResult
 *     run.apply(sumOfLosses, sumOfGradients, () -> spec.joinState(shardStates));
 * }
 * TrainingResult result = run.finish(() -> spec.joinState(shardStates));
 * }</pre>
 *
 * <p>{@link #apply} does what one machine's step does after the backward pass: clipping, weight
 * decay, the optimizer, the schedule, listeners, validation, early stopping, sampling and
 * checkpoints, all as the trainer is configured. With the same global batch the run equals
 * {@link Trainer#train} up to the order in which the shards' gradients are summed (float32
 * round-off), and its checkpoints are ordinary ones: {@link Trainer#resume} continues them on one
 * machine, {@link Builder#resume} continues a single machine's here. Only {@link Batching#STREAMS}
 * shards by streams with carried state. Single-threaded.
 */
public final class DataParallel {
    private final TrainingRun run;
    private final ShardSpec spec;

    private DataParallel(TrainingRun run, ShardSpec spec) {
        this.run = run;
        this.spec = spec;
    }

    /**
     * @param trainer the settings of the run (its batch size is the global batch)
     * @param text the training split's vocabulary, length and checksum
     * @return a builder of a run
     * @throws IllegalArgumentException if the trainer's batching is not {@link Batching#STREAMS}
     */
    public static Builder builder(Trainer trainer, TrainingText text) {
        return new Builder(trainer, text);
    }

    /** @return what workers need to compute shards; serializable */
    public ShardSpec shardSpec() {
        return spec;
    }

    /** @return whether another step is due: no limit reached, no early stop, no stop requested */
    public boolean hasNextStep() {
        return run.hasNext();
    }

    /** @return what the next step reads, and the learning rate {@link #apply} will use for it */
    public StepPlan nextStep() {
        return run.plan();
    }

    /** @return the windows of one epoch */
    public int windowsPerEpoch() {
        return run.windowsPerEpoch();
    }

    /** @return a copy of the current weights, flat */
    public float[] weights() {
        return run.parameters().clone();
    }

    /**
     * @return the hidden state of all streams to carry into the first step: a resumed checkpoint's,
     *     or zeros
     */
    public float[] initialHiddenState() {
        float[] s = run.initialState();
        return s != null ? s : new float[spec.stateSizePerStream() * spec.batchSize()];
    }

    /**
     * Completes the planned step with the shards' summed loss and gradient.
     *
     * @param lossSum the sum of the shards' {@link ShardResult#lossSum()}
     * @param gradient the sum of the shards' gradients; overwritten (clipped)
     * @param startNanos when the step started ({@link System#nanoTime()}), for its speed
     * @param hiddenState the hidden state of all streams after the step; asked for only when a
     *     checkpoint is written
     * @return the step's summary, as the listeners got it
     * @throws TrainingDivergedException if the loss or gradient is not finite
     * @throws IllegalArgumentException if the gradient has the wrong length
     */
    public StepSummary apply(double lossSum, float[] gradient, long startNanos, Supplier<float[]> hiddenState) {
        Objects.requireNonNull(gradient, "gradient");
        Objects.requireNonNull(hiddenState, "hiddenState");
        if (gradient.length != spec.parameterCount()) {
            throw new IllegalArgumentException("gradient must have " + spec.parameterCount() + " values, got "
                    + gradient.length);
        }
        return run.apply(lossSum, gradient, startNanos, hiddenState);
    }

    /**
     * @param count local steps of a round of periodic averaging, {@code >= 1}
     * @return the plans of the next {@code count} steps, fewer where a step or epoch limit ends the run;
     *     their learning rates are those {@link #applyAverage} records (a budget schedule over a time
     *     limit reads the time once, now, for the whole round)
     */
    public List<StepPlan> nextSteps(int count) {
        Check.atLeast("count", count, 1);
        return run.plans(count);
    }

    /** @return copies of the optimizer's moments (e.g. Adam's {@code m}, {@code v}), flat like the weights */
    public Map<String, float[]> optimizerMoments() {
        return run.moments();
    }

    /** @return the optimizer's scalar state (e.g. Adam's powers of its betas) */
    public Map<String, Double> optimizerScalars() {
        return run.scalars();
    }

    /**
     * Completes a round of periodic averaging (local SGD): each shard took the round's steps from
     * the same weights and optimizer state with {@link ShardWorker#localSteps}; this installs the
     * averages of their weights and moments, records each step's loss and tells the listeners, and
     * validates, samples and checkpoints if a step of the round was due to (at the round's end).
     *
     * @param lossSums per step of the round, the sum over the shards of {@link LocalRound#lossSums()}
     * @param weights the average of the shards' weights
     * @param moments the average of the shards' moments
     * @param scalars the optimizer's scalars after the round (equal on every shard)
     * @param startNanos when the round started ({@link System#nanoTime()})
     * @param hiddenState the hidden state of all streams now; asked for only by a checkpoint
     * @throws TrainingDivergedException if a loss is not finite
     */
    public void applyAverage(double[] lossSums, float[] weights, Map<String, float[]> moments,
                             Map<String, Double> scalars, long startNanos, Supplier<float[]> hiddenState) {
        if (weights.length != spec.parameterCount()) {
            throw new IllegalArgumentException("weights must have " + spec.parameterCount() + " values, got "
                    + weights.length);
        }
        run.applyRound(lossSums.clone(), weights, moments, scalars, startNanos, hiddenState);
    }

    /**
     * Ends the run: writes the stop checkpoint if a {@link TrainingControl} stopped it and one is
     * configured, and returns the result as {@link Trainer#train} does.
     *
     * @param hiddenState the hidden state of all streams now; asked for only by a stop checkpoint
     * @return the result
     */
    public TrainingResult finish(Supplier<float[]> hiddenState) {
        run.stop(hiddenState);
        return run.finish();
    }

    /** Gathers how a run starts: validation and stop control; {@link #start} or {@link #resume}. */
    public static final class Builder {
        private final Trainer trainer;
        private final TrainingText text;
        private ToDoubleFunction<float[]> validation;
        private long validationLength;
        private TrainingControl control = new TrainingControl();

        private Builder(Trainer trainer, TrainingText text) {
            this.trainer = Objects.requireNonNull(trainer, "trainer");
            this.text = Objects.requireNonNull(text, "text");
            if (trainer.batching() != Batching.STREAMS) {
                throw new IllegalArgumentException("data-parallel training shards the streams of Batching.STREAMS, "
                        + "got " + trainer.batching());
            }
        }

        /**
         * Validates through the engine: the trainer's validation, early stopping and best weights
         * then work as on one machine.
         *
         * @param characters the validation split's length in code points, {@code >= 2}
         * @param meanLoss the mean cross-entropy per character of the validation split under the
         *     flat weights given
         * @return this builder
         */
        public Builder validation(long characters, ToDoubleFunction<float[]> meanLoss) {
            if (characters < 2) {
                throw new IllegalArgumentException("a validation split needs at least 2 characters, got " + characters);
            }
            this.validation = Objects.requireNonNull(meanLoss, "meanLoss");
            this.validationLength = characters;
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
         * @param model an unbound model or one bound to the text's vocabulary
         * @return a run from the model's weights
         * @throws IllegalArgumentException as {@link Trainer#train} for a corpus of this text
         */
        public DataParallel start(RnnModel model) {
            Objects.requireNonNull(model, "model");
            RunChecks.checkText(trainer, model, text.vocabulary(), text.length(), validationLength);
            return create(model.withVocabulary(text.vocabulary()), null);
        }

        /**
         * @param checkpoint a checkpoint of a run with the same training settings, on one machine or not
         * @return the run continued from it
         * @throws IOException if the checkpoint cannot be read
         * @throws IllegalArgumentException if the settings or the text differ from the checkpoint's
         */
        public DataParallel resume(Path checkpoint) throws IOException {
            CheckpointData data = RunChecks.readCheckpoint(trainer, checkpoint);
            RunChecks.checkText(trainer, data.model(), text.vocabulary(), text.length(), validationLength);
            return create(data.model(), data);
        }

        private DataParallel create(RnnModel model, CheckpointData data) {
            TrainingRun run = new TrainingRun(trainer, model, new EngineText(text, validation), data, control, false);
            ShardSpec spec = new ShardSpec(model.config(), text.vocabulary().size(), trainer, run.resetCode());
            return new DataParallel(run, spec);
        }
    }

    /** A text the engine holds. */
    private record EngineText(TrainingText text, ToDoubleFunction<float[]> validation) implements RunText {
        @Override
        public Vocabulary vocabulary() {
            return text.vocabulary();
        }

        @Override
        public int trainingLength() {
            return text.length();
        }

        @Override
        public String fingerprint() {
            return text.fingerprint();
        }

        @Override
        public boolean validates() {
            return validation != null;
        }

        @Override
        public double validationLoss(ParameterLayout layout, float[] weights, int steps, int batch, int resetCode) {
            return validation.applyAsDouble(weights.clone());
        }
    }
}
