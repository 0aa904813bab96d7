package io.charrnn.train;

import io.charrnn.internal.ModelAccess;
import io.charrnn.internal.cells.Kernel;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.optim.Clipping;
import io.charrnn.internal.optim.Updater;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Corpus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Trains a model on a corpus with truncated backpropagation through time, char-rnn style: the
 * training split is cut into {@code batchSize} contiguous streams, read in windows of
 * {@code sequenceLength} characters with each stream's hidden state carried from one window to the
 * next; at the end of the split (an epoch) the streams start over from zero state. The loss is the
 * mean cross-entropy per character.
 *
 * <pre>{@code
 * TrainingResult result = Trainer.builder()
 *     .optimizer(Optimizer.adam(2e-3)).sequenceLength(50).batchSize(16).steps(2000)
 *     .listener(s -> System.out.println(s.step() + " " + s.loss()))
 *     .build()
 *     .train(model, Corpus.of(text));
 * }</pre>
 *
 * <p>An immutable configuration: {@link #train} leaves its model untouched and returns a new one,
 * and one trainer can run on several threads. With the same settings, model and corpus, training
 * gives bit-identical weights on the same machine and thread settings; ND4J's BLAS may round
 * differently on another CPU or thread count.
 */
public final class Trainer {
    private final Optimizer optimizer;
    private final int sequenceLength;
    private final int batchSize;
    private final long steps;
    private final int epochs;
    private final Duration timeLimit;
    private final double clipValue;
    private final double clipNorm;
    private final long seed;
    private final List<TrainingListener> listeners;

    private Trainer(Builder b) {
        this.optimizer = b.optimizer;
        this.sequenceLength = b.sequenceLength;
        this.batchSize = b.batchSize;
        this.steps = b.steps;
        // with no stop condition at all, one pass over the training split
        boolean unbounded = b.steps == Long.MAX_VALUE && b.epochs == Integer.MAX_VALUE && b.timeLimit == null;
        this.epochs = unbounded ? 1 : b.epochs;
        this.timeLimit = b.timeLimit;
        this.clipValue = b.clipValue;
        this.clipNorm = b.clipNorm;
        this.seed = b.seed;
        this.listeners = List.copyOf(b.listeners);
    }

    /** @return a builder with defaults: Adam 2e-3, sequence length 50, batch 16, clip norm 5, one epoch */
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
     * @throws IllegalArgumentException if the vocabularies differ or the training split is too short
     *     for one window of every stream
     * @throws TrainingDivergedException if the loss becomes NaN or infinite
     */
    public TrainingResult train(RnnModel model, Corpus corpus) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(corpus, "corpus");
        if (model.isBound() && !model.vocabulary().orElseThrow().equals(corpus.vocabulary())) {
            throw new IllegalArgumentException("corpus vocabulary (" + corpus.vocabulary().size()
                    + " code points) differs from the model's (" + model.vocabulary().orElseThrow().size()
                    + "); build both from one Vocabulary");
        }
        int trainLength = corpus.length(Corpus.Split.TRAIN);
        long needed = (long) sequenceLength * batchSize + 1;
        if (trainLength < needed) {
            throw new IllegalArgumentException("the training split (" + trainLength + " characters) must hold at least "
                    + "sequenceLength × batchSize + 1 = " + sequenceLength + " × " + batchSize + " + 1 = " + needed
                    + " characters; use a longer text or a smaller sequenceLength or batchSize");
        }
        RnnModel bound = model.withVocabulary(corpus.vocabulary());
        ParameterLayout layout = new ParameterLayout(bound.config(), corpus.vocabulary().size());
        float[] params = ModelAccess.parameters(bound).clone();
        float[] grads = new float[params.length];
        Updater updater = Updater.create(optimizer, params.length);

        int streamLength = (trainLength - 1) / batchSize;
        int windowsPerEpoch = streamLength / sequenceLength;
        int[] codes = corpus.codes(Corpus.Split.TRAIN);
        int[] inputs = new int[sequenceLength * batchSize];
        int[] targets = new int[inputs.length];
        int charsPerStep = inputs.length;
        double lossScale = 1.0 / charsPerStep;

        long start = System.nanoTime();
        long deadline = timeLimit == null ? Long.MAX_VALUE : start + timeLimit.toNanos();
        double smooth = Math.log(corpus.vocabulary().size());
        double loss = Double.NaN;
        double lastFinite = Double.NaN;
        long step = 0;
        int epoch = 0;
        int window = 0;
        try (Kernel kernel = Kernels.create(layout, sequenceLength, batchSize)) {
            while (step < steps && epoch < epochs && System.nanoTime() < deadline) {
                long t0 = System.nanoTime();
                fillWindow(codes, streamLength, window, inputs, targets);
                loss = kernel.trainStep(params, inputs, targets, lossScale, grads) / charsPerStep;
                step++;
                double norm = Clipping.clip(grads, clipValue, clipNorm);
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    throw new TrainingDivergedException(step, epoch, Double.isFinite(loss) ? norm : loss, lastFinite);
                }
                lastFinite = loss;
                double lr = optimizer.learningRate();
                updater.update(params, grads, lr);
                smooth = 0.999 * smooth + 0.001 * loss;
                if (++window == windowsPerEpoch) {
                    window = 0;
                    epoch++;
                    kernel.resetState();
                }
                long t1 = System.nanoTime();
                if (!listeners.isEmpty()) {
                    StepSummary summary = new StepSummary(step, epoch, loss, smooth, norm, lr,
                            charsPerStep / ((t1 - t0) / 1e9), Duration.ofNanos(t1 - start));
                    for (TrainingListener l : listeners) {
                        l.onStep(summary);
                    }
                }
            }
        }
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new TrainingDivergedException(step, epoch, p, lastFinite);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        OptionalDouble validation = OptionalDouble.empty();
        int[] validationCodes = corpus.codes(Corpus.Split.VALIDATION);
        if (validationCodes.length >= 2) {
            double[] sum = Kernels.sumLoss(layout, params, validationCodes, sequenceLength, batchSize);
            validation = OptionalDouble.of(sum[0] / sum[1]);
        }
        long previousSteps = bound.trainingInfo().map(TrainingInfo::steps).orElse(0L);
        long previousCharacters = bound.trainingInfo().map(TrainingInfo::characters).orElse(0L);
        TrainingInfo info = new TrainingInfo(previousSteps + step, previousCharacters + step * (long) charsPerStep,
                loss, validation.orElse(Double.NaN), toString());
        RnnModel trained = ModelAccess.create(bound.config(), corpus.vocabulary(), params).withTrainingInfo(info);
        double cps = step * (double) charsPerStep / Math.max(1e-9, elapsed.toNanos() / 1e9);
        return new TrainingResult(trained, step, epoch, loss, smooth, validation, elapsed, cps);
    }

    /** Window {@code w} of each stream into time-major inputs and targets. */
    private void fillWindow(int[] codes, int streamLength, int w, int[] inputs, int[] targets) {
        int b = batchSize;
        for (int s = 0; s < b; s++) {
            int base = s * streamLength + w * sequenceLength;
            for (int t = 0; t < sequenceLength; t++) {
                inputs[t * b + s] = codes[base + t];
                targets[t * b + s] = codes[base + t + 1];
            }
        }
    }

    @Override
    public String toString() {
        return "Trainer[" + optimizer + ", sequenceLength=" + sequenceLength + ", batchSize=" + batchSize
                + ", steps=" + (steps == Long.MAX_VALUE ? "-" : steps) + ", epochs=" + (epochs == Integer.MAX_VALUE ? "-" : epochs)
                + ", timeLimit=" + (timeLimit == null ? "-" : timeLimit) + ", clipValue=" + clipValue + ", clipNorm="
                + clipNorm + ", seed=" + seed + "]";
    }

    /**
     * Gathers a trainer's settings; each setter checks its argument at once. Training stops at the
     * first of steps, epochs and time limit that is reached; with none given, after one epoch.
     * Mutable and single-threaded.
     */
    public static final class Builder {
        private Optimizer optimizer = Optimizer.adam(2e-3);
        private int sequenceLength = 50;
        private int batchSize = 16;
        private long steps = Long.MAX_VALUE;
        private int epochs = Integer.MAX_VALUE;
        private Duration timeLimit;
        private double clipValue = Double.POSITIVE_INFINITY;
        private double clipNorm = 5.0;
        private long seed = 42;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** @param optimizer the update rule; default {@code Optimizer.adam(2e-3)} */
        public Builder optimizer(Optimizer optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            return this;
        }

        /** @param length characters per window (truncated BPTT length), {@code >= 1}; default 50 */
        public Builder sequenceLength(int length) {
            if (length < 1) {
                throw new IllegalArgumentException("sequenceLength must be >= 1, got " + length);
            }
            this.sequenceLength = length;
            return this;
        }

        /** @param size parallel streams per step, {@code >= 1}; default 16 */
        public Builder batchSize(int size) {
            if (size < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, got " + size);
            }
            this.batchSize = size;
            return this;
        }

        /** @param steps stop after this many optimizer steps, {@code >= 1} */
        public Builder steps(long steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be >= 1, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        /** @param epochs stop after this many passes over the training split, {@code >= 1} */
        public Builder epochs(int epochs) {
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
            }
            this.epochs = epochs;
            return this;
        }

        /** @param limit stop starting new steps after this much wall-clock time, {@code > 0} */
        public Builder timeLimit(Duration limit) {
            Objects.requireNonNull(limit, "limit");
            if (limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("timeLimit must be > 0, got " + limit);
            }
            this.timeLimit = limit;
            return this;
        }

        /**
         * @param value clamp every gradient entry to {@code [-value, value]} (min-char-rnn: 5);
         *     {@code > 0}, infinity for none (the default)
         */
        public Builder gradientClipValue(double value) {
            if (!(value > 0)) {
                throw new IllegalArgumentException("gradientClipValue must be > 0 (infinity for none), got " + value);
            }
            this.clipValue = value;
            return this;
        }

        /**
         * @param maxNorm rescale the gradient when its global L2 norm exceeds this (PyTorch
         *     course projects: 5, the default); {@code > 0}, infinity for none
         */
        public Builder gradientClipNorm(double maxNorm) {
            if (!(maxNorm > 0)) {
                throw new IllegalArgumentException("gradientClipNorm must be > 0 (infinity for none), got " + maxNorm);
            }
            this.clipNorm = maxNorm;
            return this;
        }

        /**
         * @param seed the seed of the run's own randomness; default 42. The sequential-stream batching
         *     of this version draws nothing, so the seed does not change its results yet; the random
         *     batching strategies and dropout of later versions draw from it. (The initial weights
         *     come from the model's own seed.)
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @param listener called after every step; may be given several times */
        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** @return the trainer */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
