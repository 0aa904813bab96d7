package io.charrnn.train;

import io.charrnn.internal.check.Check;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Trains a model on a corpus with truncated backpropagation through time. The loss is the mean
 * cross-entropy per character; training windows come from one of the {@link Batching} strategies
 * (char-rnn's parallel streams with carried state by default).
 *
 * <pre>{@code
 * TrainingResult result = Trainer.builder()
 *     .optimizer(Optimizer.adam(2e-3)).sequenceLength(50).batchSize(16).epochs(10)
 *     .validateEvery(500).patience(5)                                   // early stopping
 *     .checkpointEvery(1000, Path.of("checkpoints"))                    // exact resume
 *     .listener(s -> System.out.println(s.step() + " " + s.loss()))
 *     .build()
 *     .train(model, Corpus.of(text));
 * }</pre>
 *
 * <p>Stops at the first of {@code steps}, {@code epochs} and {@code timeLimit}, or when early
 * stopping's patience runs out; with none of the first three, after one epoch. Validation runs on
 * the corpus's validation split every {@code validateEvery} steps and at every epoch end.
 *
 * <p>An immutable configuration: {@link #train} leaves its model untouched and returns a new one,
 * and one trainer can run on several threads. <b>Reproducibility:</b> with the same settings,
 * model and corpus, training gives bit-identical weights on the same machine and thread settings;
 * resuming from a checkpoint gives the same weights as the uninterrupted run (except where a time
 * limit decides them: the steps it allows, and the rates of a budget schedule over it, follow the
 * clock). The plain-Java kernel
 * (small models) gives identical results on any machine; the ND4J kernel (large models) depends on
 * OpenBLAS's kernels and thread count, which may round differently on another CPU.
 */
public final class Trainer {
    final Optimizer optimizer;
    final LearningRateSchedule schedule;
    final Batching batching;
    final int chunkWindows;
    final int sequenceLength;
    final int batchSize;
    final long steps;
    final int epochs;
    final Duration timeLimit;
    final double clipValue;
    final double clipNorm;
    final double weightDecay;
    final long seed;
    final long validateEvery;
    final int patience;
    final long sampleEvery;
    final int sampleLength;
    final double sampleTemperature;
    final long checkpointEvery;
    final Path checkpointDirectory;
    final int keepCheckpoints;
    final Path stopCheckpointDirectory; // null: no checkpoint when a TrainingControl stops the run
    final int resetCodePoint; // -1: none
    final boolean keepBestWeights;
    final List<TrainingListener> listeners;
    final LongSupplier clock; // System::nanoTime; tests drive the time budget with their own

    private Trainer(Builder b) {
        this.optimizer = b.optimizer;
        this.schedule = b.schedule;
        this.batching = b.batching;
        this.chunkWindows = b.chunkWindows;
        this.sequenceLength = b.sequenceLength;
        this.batchSize = b.batchSize;
        this.steps = b.steps;
        // with no stop condition at all, one pass over the training split
        boolean unbounded = b.steps == Long.MAX_VALUE && b.epochs == Integer.MAX_VALUE && b.timeLimit == null;
        this.epochs = unbounded ? 1 : b.epochs;
        this.timeLimit = b.timeLimit;
        this.clipValue = b.clipValue;
        this.clipNorm = b.clipNorm;
        this.weightDecay = b.weightDecay;
        this.seed = b.seed;
        this.validateEvery = b.validateEvery;
        this.patience = b.patience;
        this.sampleEvery = b.sampleEvery;
        this.sampleLength = b.sampleLength;
        this.sampleTemperature = b.sampleTemperature;
        this.checkpointEvery = b.checkpointEvery;
        this.checkpointDirectory = b.checkpointDirectory;
        this.keepCheckpoints = b.keepCheckpoints;
        this.stopCheckpointDirectory = b.stopCheckpointDirectory;
        this.resetCodePoint = b.resetCodePoint;
        this.keepBestWeights = b.keepBestWeights;
        this.listeners = List.copyOf(b.listeners);
        this.clock = b.clock;
        if (isBudget(schedule) && unbounded) {
            throw new IllegalArgumentException("the " + schedule + " schedule decays the rate over the training budget, "
                    + "so it needs steps, epochs or timeLimit; got none of them");
        }
    }

    /** @return whether the schedule follows the fraction of the training budget used */
    static boolean isBudget(LearningRateSchedule schedule) {
        return schedule instanceof LearningRateSchedule.Cosine || schedule instanceof LearningRateSchedule.Linear;
    }

    /**
     * @return a builder with defaults: Adam 2e-3, constant rate, sequence length 50, batch 16,
     *     streams batching, clip norm 5, one epoch, keeping the best validation's weights; the
     *     accessors of {@code builder().build()} give these values
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains a copy of {@code model} on the corpus's training split.
     *
     * @param model an unbound model (bound here to the corpus's vocabulary) or one bound to the
     *     same vocabulary as the corpus
     * @param corpus the text
     * @return the trained model and figures of the run
     * @throws IllegalArgumentException if the vocabularies differ, the vocabulary has only one
     *     character, the training split is too short for one window of every stream, or {@code patience} is set without a validation split
     * @throws TrainingDivergedException if the loss, gradient or weights become NaN or infinite
     * @throws java.io.UncheckedIOException if a checkpoint cannot be written
     */
    public TrainingResult train(RnnModel model, Corpus corpus) {
        return train(model, corpus, new TrainingControl());
    }

    /**
     * Trains a copy of {@code model} as {@link #train(RnnModel, Corpus)} does, and stops after the
     * step under way when {@code control} is asked to ({@link TrainingControl#requestStop()}, from
     * any thread, a listener included): the result then has {@link StopReason#REQUESTED} and the
     * weights after that step (or an earlier validation pass's, see {@link Builder#keepBestWeights}),
     * and with {@link Builder#checkpointOnStop} a checkpoint of the last step is written.
     *
     * @param model an unbound model or one bound to the corpus's vocabulary
     * @param corpus the text
     * @param control stops the run early; one control per run
     * @return the trained model and figures of the run
     * @throws IllegalArgumentException if the vocabularies differ, the training split is too short
     *     for one window of every stream, or {@code patience} is set without a validation split
     * @throws TrainingDivergedException if the loss, gradient or weights become NaN or infinite
     * @throws java.io.UncheckedIOException if a checkpoint cannot be written
     */
    public TrainingResult train(RnnModel model, Corpus corpus, TrainingControl control) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(control, "control");
        RunChecks.checkCorpus(this, model, corpus);
        // a model bound here is this run's alone, so the run takes its weights instead of a copy
        return new TrainingRun(this, model.withVocabulary(corpus.vocabulary()), corpus, null, control,
                !model.isBound()).run();
    }

    /**
     * Continues a run from a checkpoint written by a trainer with the same training settings, so
     * that the result equals that of the uninterrupted run, bit for bit. Stop conditions, validation,
     * sampling, checkpointing and listeners may differ; {@code steps}, {@code epochs} and the time
     * limit count from the start of the original run (the time limit counts the training time of
     * every call, recorded in the checkpoint; a checkpoint written before that was recorded counts
     * as 0). With a time budget the weights depend on the clock, so only a steps or epochs budget
     * resumes bit for bit. A budget schedule ({@link LearningRateSchedule#cosine}) reads the limits
     * of this trainer: resume with the original ones to continue the original schedule (other ones
     * stretch or cut it from the checkpoint on).
     *
     * @param checkpoint a checkpoint file
     * @param corpus the corpus of the original run
     * @return the result, counting the steps before the checkpoint
     * @throws IOException if the checkpoint cannot be read or is not a valid checkpoint
     * @throws IllegalArgumentException if this trainer's training settings differ from the
     *     checkpoint's, or the corpus does not match
     */
    public TrainingResult resume(Path checkpoint, Corpus corpus) throws IOException {
        return resume(checkpoint, corpus, new TrainingControl());
    }

    /**
     * Continues a run from a checkpoint as {@link #resume(Path, Corpus)} does, and stops after the
     * step under way when {@code control} is asked to (see {@link #train(RnnModel, Corpus, TrainingControl)}).
     *
     * @param checkpoint a checkpoint file
     * @param corpus the corpus of the original run
     * @param control stops the run early; one control per run
     * @return the result, counting the steps before the checkpoint
     * @throws IOException if the checkpoint cannot be read or is not a valid checkpoint
     * @throws IllegalArgumentException if this trainer's training settings differ from the
     *     checkpoint's, or the corpus does not match
     */
    public TrainingResult resume(Path checkpoint, Corpus corpus, TrainingControl control) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(corpus, "corpus");
        Objects.requireNonNull(control, "control");
        CheckpointData data = RunChecks.readCheckpoint(this, checkpoint);
        RunChecks.checkCorpus(this, data.model(), corpus);
        TrainingRun run = new TrainingRun(this, data.model(), corpus, data, control, true);
        data = null; // the run took what it needs: the checkpoint's copies of the weights and moments go
        return run.run();
    }

    /** @return the update rule */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** @return how the learning rate changes over the run */
    public LearningRateSchedule schedule() {
        return schedule;
    }

    /** @return how windows are cut from the text */
    public Batching batching() {
        return batching;
    }

    /** @return windows per chunk for {@link Batching#SHUFFLED_CHUNKS} */
    public int chunkWindows() {
        return chunkWindows;
    }

    /** @return characters per window (the truncated BPTT length) */
    public int sequenceLength() {
        return sequenceLength;
    }

    /** @return parallel streams per step */
    public int batchSize() {
        return batchSize;
    }

    /** @return the bound of every gradient entry; infinity for none */
    public double gradientClipValue() {
        return clipValue;
    }

    /** @return the largest global L2 norm of the gradient; infinity for none */
    public double gradientClipNorm() {
        return clipNorm;
    }

    /** @return the decoupled weight decay of the weight matrices */
    public double weightDecay() {
        return weightDecay;
    }

    /** @return the seed of the run's randomness */
    public long seed() {
        return seed;
    }

    /** @return how many of the newest periodic checkpoints are kept */
    public int keepCheckpoints() {
        return keepCheckpoints;
    }

    /**
     * @return whether a run that validated returns the weights of its best validation pass
     *     rather than those after the last step (see {@link Builder#keepBestWeights})
     */
    public boolean keepBestWeights() {
        return keepBestWeights;
    }

    /** The settings that decide the weights; a resume must use the same. */
    String signature() {
        return String.format(Locale.ROOT, "optimizer=%s schedule=%s batching=%s chunkWindows=%d sequenceLength=%d "
                        + "batchSize=%d clipValue=%s clipNorm=%s weightDecay=%s seed=%d%s", optimizer, schedule, batching,
                chunkWindows, sequenceLength, batchSize, clipValue, clipNorm, weightDecay, seed,
                resetCodePoint < 0 ? "" : " resetStateAt=U+" + String.format(Locale.ROOT, "%04X", resetCodePoint));
    }

    @Override
    public String toString() {
        return "Trainer[" + signature() + ", steps=" + (steps == Long.MAX_VALUE ? "-" : steps) + ", epochs="
                + (epochs == Integer.MAX_VALUE ? "-" : epochs) + ", timeLimit=" + (timeLimit == null ? "-" : timeLimit)
                + ", validateEvery=" + (validateEvery == 0 ? "-" : validateEvery) + ", patience="
                + (patience == 0 ? "-" : patience) + ", keep=" + (keepBestWeights ? "best" : "last") + "]";
    }

    /**
     * Gathers a trainer's settings; each setter checks its argument at once. Mutable and
     * single-threaded.
     */
    public static final class Builder {
        private Optimizer optimizer = Optimizer.adam(2e-3);
        private LearningRateSchedule schedule = LearningRateSchedule.constant(); // the default schedule
        private Batching batching = Batching.STREAMS;
        private int chunkWindows = 8;
        private int sequenceLength = 50;
        private int batchSize = 16;
        private long steps = Long.MAX_VALUE;
        private int epochs = Integer.MAX_VALUE;
        private Duration timeLimit;
        private double clipValue = Double.POSITIVE_INFINITY;
        private double clipNorm = 5.0;
        private double weightDecay = 0;
        private long seed = 42;
        private long validateEvery = 0;
        private int patience = 0;
        private long sampleEvery = 0;
        private int sampleLength = 200;
        private double sampleTemperature = 1.0;
        private long checkpointEvery = 0;
        private Path checkpointDirectory;
        private int keepCheckpoints = 3;
        private Path stopCheckpointDirectory;
        private int resetCodePoint = -1;
        private boolean keepBestWeights = true;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private LongSupplier clock = System::nanoTime;

        private Builder() {
        }

        /**
         * @param optimizer the update rule; default {@code Optimizer.adam(2e-3)}
         * @return this builder
         */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /**
         * @param schedule how the learning rate changes with epochs or over the training budget;
         *     default constant. A budget schedule ({@link LearningRateSchedule#cosine},
         *     {@link LearningRateSchedule#linear}) needs {@code steps}, {@code epochs} or
         *     {@code timeLimit}, checked by {@link #build()}
         * @return this builder
         */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * @param batching how windows are cut from the text; default {@link Batching#STREAMS}
         * @return this builder
         */
        public Builder batching(Batching batching) {
            this.batching = Objects.requireNonNull(batching, "batching");
            return this;
        }

        /**
         * @param windows windows per chunk for {@link Batching#SHUFFLED_CHUNKS}, {@code >= 1}; default 8
         * @return this builder
         */
        public Builder chunkWindows(int windows) {
            this.chunkWindows = Check.atLeast("chunkWindows", windows, 1);
            return this;
        }

        /**
         * @param length characters per window (truncated BPTT length), {@code >= 1}; default 50
         * @return this builder
         */
        public Builder sequenceLength(int length) {
            this.sequenceLength = Check.atLeast("sequenceLength", length, 1);
            return this;
        }

        /**
         * @param size parallel streams per step, {@code >= 1}; default 16
         * @return this builder
         */
        public Builder batchSize(int size) {
            this.batchSize = Check.atLeast("batchSize", size, 1);
            return this;
        }

        /**
         * @param steps stop after this many optimizer steps, {@code >= 1}
         * @return this builder
         */
        public Builder steps(long steps) {
            this.steps = Check.atLeast("steps", steps, 1);
            return this;
        }

        /**
         * @param epochs stop after this many passes over the training split, {@code >= 1}
         * @return this builder
         */
        public Builder epochs(int epochs) {
            this.epochs = Check.atLeast("epochs", epochs, 1);
            return this;
        }

        /**
         * @param limit stop starting new steps after this much wall-clock training time, {@code > 0};
         *     counted over the run and, after {@link Trainer#resume}, the calls before it
         * @return this builder
         */
        public Builder timeLimit(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            Check.argument(!limit.isNegative() && !limit.isZero(), "timeLimit must be > 0, got %s", limit);
            this.timeLimit = limit;
            return this;
        }

        /**
         * @param value clamp every gradient entry to {@code [-value, value]} (min-char-rnn: 5);
         *     {@code > 0}, infinity for none (the default)
         * @return this builder
         */
        public Builder gradientClipValue(double value) {
            Check.argument(value > 0, "gradientClipValue must be > 0 (infinity for none), got %s", value);
            this.clipValue = value;
            return this;
        }

        /**
         * @param maxNorm rescale the gradient when its global L2 norm exceeds this (PyTorch
         *     course projects: 5, the default); {@code > 0}, infinity for none
         * @return this builder
         */
        public Builder gradientClipNorm(double maxNorm) {
            Check.argument(maxNorm > 0, "gradientClipNorm must be > 0 (infinity for none), got %s", maxNorm);
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * @param decay decoupled weight decay (as AdamW): each step, weight matrices (not biases)
         *     shrink by {@code learningRate · decay · w}; finite and {@code >= 0}, default 0
         * @return this builder
         */
        public Builder weightDecay(double decay) {
            this.weightDecay = Check.atLeast("weightDecay", decay, 0.0);
            return this;
        }

        /**
         * @param seed the seed of the run's randomness: the window positions of random batching,
         *     the chunk order of shuffled chunks and the dropout masks of a model with
         *     {@link io.charrnn.model.ModelConfig#dropout()} (drawn from the seed and the step); default
         *     42. (The initial weights come from the model's own seed.)
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param steps validate every this many steps, {@code >= 1} (validation also runs at epoch ends)
         * @return this builder
         */
        public Builder validateEvery(long steps) {
            this.validateEvery = Check.atLeast("validateEvery", steps, 1);
            return this;
        }

        /**
         * @param validations early stopping: stop after this many validation passes in a row
         *     without a new best (and, with {@link #keepBestWeights}, the default, return the best
         *     model); {@code >= 1} (the course project: 5)
         * @return this builder
         */
        public Builder patience(int validations) {
            this.patience = Check.atLeast("patience", validations, 1);
            return this;
        }

        /**
         * Draws a sample every {@code steps} steps and hands it to the listeners' {@code onSample}.
         *
         * @param steps {@code >= 1}
         * @param length characters per sample, {@code >= 1}
         * @param temperature finite and {@code > 0}
         * @return this builder
         */
        public Builder sampleEvery(long steps, int length, double temperature) {
            Check.argument(steps >= 1 && length >= 1, "sampleEvery steps and length must be >= 1, got %s and %s", steps,
                    length);
            this.sampleTemperature = Check.positive("temperature", temperature);
            this.sampleEvery = steps;
            this.sampleLength = length;
            return this;
        }

        /**
         * Writes a checkpoint every {@code steps} steps into {@code directory} (which must exist),
         * atomically, named {@code checkpoint-<step>.charrnn}; older ones beyond
         * {@link #keepCheckpoints} are deleted.
         *
         * @param steps {@code >= 1}
         * @param directory an existing directory
         * @return this builder
         */
        public Builder checkpointEvery(long steps, Path directory) {
            Objects.requireNonNull(directory, "directory");
            Check.atLeast("checkpointEvery", steps, 1);
            Check.argument(Files.isDirectory(directory), "checkpoint directory must exist, got %s", directory);
            this.checkpointEvery = steps;
            this.checkpointDirectory = directory;
            return this;
        }

        /**
         * Writes a checkpoint when a {@link TrainingControl} stops a run (not when a limit, early
         * stopping or divergence ends it), so that {@link Trainer#resume} can continue it: into
         * {@code directory}, created if missing, named like the periodic ones and counted among the
         * {@link #keepCheckpoints} newest. Nothing is written if the run took no step or the last step
         * was just checkpointed.
         *
         * @param directory where the checkpoint goes; an existing directory or a path to create
         * @throws IllegalArgumentException if {@code directory} exists and is not a directory
         * @return this builder
         */
        public Builder checkpointOnStop(Path directory) {
            Objects.requireNonNull(directory, "directory");
            Check.argument(!Files.exists(directory) || Files.isDirectory(directory),
                    "checkpointOnStop needs a directory, got the file %s", directory);
            this.stopCheckpointDirectory = directory;
            return this;
        }

        /**
         * @param count how many of the newest checkpoints to keep, {@code >= 1}; default 3
         * @return this builder
         */
        public Builder keepCheckpoints(int count) {
            this.keepCheckpoints = Check.atLeast("keepCheckpoints", count, 1);
            return this;
        }

        /**
         * Treats a character as a document boundary: wherever it is the input, every layer's
         * hidden state starts from zero (in training and validation), so documents joined with it
         * do not leak into each other. Sampling and {@code Evaluation} carry state across it.
         *
         * @param codePoint a character of the corpus, e.g. {@code '\u001E'} or {@code '\n'}
         * @return this builder
         */
        public Builder resetStateAt(int codePoint) {
            Check.argument(Character.isValidCodePoint(codePoint), "resetStateAt must be a valid code point, got %s",
                    codePoint);
            this.resetCodePoint = codePoint;
            return this;
        }

        /**
         * Chooses the weights a run returns when it validated: with {@code true} (the default) those
         * of the validation pass with the lowest loss, unless the weights after the last step
         * validate lower still; with {@code false} always those after the last step. A run without
         * a validation split returns the last weights either way. {@link TrainingResult#modelStep()}
         * tells which step's weights the model holds.
         *
         * @param keepBest whether to return the best validation's weights
         * @return this builder
         */
        public Builder keepBestWeights(boolean keepBest) {
            this.keepBestWeights = keepBest;
            return this;
        }

        /**
         * @param listener called on the training thread; may be given several times
         * @return this builder
         */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** The clock of the time limit and the time budget, in nanoseconds; tests give their own. */
        Builder clock(LongSupplier nanoTime) {
            this.clock = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /**
         * @return the trainer
         * @throws IllegalArgumentException if the schedule decays over the training budget
         *     ({@link LearningRateSchedule.Cosine}, {@link LearningRateSchedule.Linear}) and none of
         *     {@code steps}, {@code epochs} and {@code timeLimit} is set
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
