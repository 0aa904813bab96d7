package io.charrnn.train;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.Kernel;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One call of {@link Trainer#train} or {@link Trainer#resume}, or one {@link DataParallel} run: the
 * only mutable copy of the weights. A run is a sequence of steps, each {@link #plan planned}, its
 * gradient computed by whoever holds the text (one kernel here in {@link #run()}, shards elsewhere)
 * and {@link #apply applied}; {@link #finish} gives the result.
 */
final class TrainingRun {
    private final Trainer config;
    // the start model's config and training info, not the model: its weights (as large as the run's) are not kept
    private final ModelConfig startConfig;
    private final Optional<TrainingInfo> startInfo;
    private final RunText text;
    private final ParameterLayout layout;
    private final float[] params;
    private float[] grads; // released by finish()
    private Updater updater; // released by finish()
    private final int windowsPerEpoch;
    private final int charsPerStep;
    private final int[][] matrices; // {offset, size} of each weight matrix, for weight decay
    private final String trainingText; // fingerprint of the training split, kept in checkpoints
    private final int resetCode; // vocabulary index of the reset character, or -1
    private final TrainingControl control;

    private long step;
    private int epoch;
    private int window;
    private double smooth;
    private double loss = Double.NaN;
    private double lastFinite = Double.NaN;
    private final BestValidation best;
    private float[] pendingState; // hidden state to restore into the kernel (resume)
    private final long historyFirstStep;
    private final long stepAtStart; // the step counter's value when this call began
    private final RunCurve.Floats losses = new RunCurve.Floats();
    private final RunCurve.Floats smoothLosses = new RunCurve.Floats();
    private final List<ValidationSummary> validations = new ArrayList<>();
    private final CheckpointFiles checkpoints;

    private long checkpointedStep = -1; // the step of the last checkpoint written by this call
    private final long startNanos;
    private final long earlierNanos; // training time of the calls before this one (a resume's checkpoint)
    private final long deadline;
    // the steps whose plans were made at plannedNanos, so that the updates use the rates the plans gave
    private long plannedFrom = -1;
    private long plannedTo = -1;
    private long plannedNanos;
    private boolean early;
    private StopReason stopReason;

    /**
     * @param adopt whether the run may take {@code model}'s weights as its own instead of copying them: only for a
     *     model no one else holds (one bound for this run, or read from the checkpoint)
     */
    TrainingRun(Trainer config, RnnModel model, Corpus corpus, CheckpointData resume, TrainingControl control,
                boolean adopt) {
        this(config, model, CorpusText.of(corpus), resume, control, adopt);
    }

    TrainingRun(Trainer config, RnnModel model, RunText text, CheckpointData resume, TrainingControl control,
                boolean adopt) {
        this.config = config;
        this.startNanos = config.clock.getAsLong();
        this.control = control;
        this.startConfig = model.config();
        this.startInfo = model.trainingInfo();
        this.text = text;
        ModelEngine engine = ModelAccess.engine(model);
        this.layout = engine.layout();
        this.params = adopt ? engine.parameters() : engine.copyOfParameters();
        this.grads = new float[params.length];
        this.updater = Updater.create(config.optimizer, params.length);
        this.windowsPerEpoch = BatchSource.windowsPerEpoch(config.batching, text.trainingLength(), config.sequenceLength,
                config.batchSize, config.chunkWindows);
        this.trainingText = text.fingerprint();
        this.resetCode = config.resetCodePoint < 0 ? -1 : text.vocabulary().indexOf(config.resetCodePoint);
        this.charsPerStep = config.sequenceLength * config.batchSize;
        this.matrices = WeightDecay.matrices(layout);
        this.smooth = Math.log(text.vocabulary().size());
        this.checkpoints = new CheckpointFiles(config.keepCheckpoints);
        this.best = new BestValidation(config.patience, config.keepBestWeights);
        this.earlierNanos = resume == null ? 0 : resume.progress().trainingNanos();
        this.deadline = config.timeLimit == null ? Long.MAX_VALUE
                : startNanos + config.timeLimit.toNanos() - Math.min(earlierNanos, config.timeLimit.toNanos());
        if (resume != null) {
            resume.checkResumes(trainingText, windowsPerEpoch, layout.stateSize(config.batchSize),
                    model.config().cell() == io.charrnn.model.CellType.LSTM);
        }
        if (resume == null) {
            historyFirstStep = 1;
            stepAtStart = 0;
        } else {
            CheckpointData.Progress p = resume.progress();
            step = p.step();
            stepAtStart = p.step();
            epoch = p.epoch();
            window = p.window();
            smooth = p.smoothLoss();
            lastFinite = p.lastFiniteLoss();
            loss = p.lastFiniteLoss();
            best.restore(resume.earlyStopping());
            updater.restoreMoments(resume.optimizer().moments());
            updater.restoreScalars(resume.optimizer().scalars());
            pendingState = resume.hiddenState();
            CheckpointData.History h = resume.history();
            historyFirstStep = h.firstStep();
            losses.addAll(h.losses());
            smoothLosses.addAll(h.smoothLosses());
            validations.addAll(h.validations());
        }
    }

    /** Runs every step on this machine, one kernel over all streams. */
    TrainingResult run() {
        int[] inputs = new int[charsPerStep];
        int[] targets = new int[charsPerStep];
        double dropout = startConfig.dropout();
        BatchSource batches = new BatchSource(config.batching, ((CorpusText) text).training(), config.sequenceLength,
                config.batchSize, config.chunkWindows, config.seed);
        try (Kernel kernel = Kernels.forTraining(layout, config.sequenceLength, config.batchSize)) {
            kernel.resetBefore(resetCode);
            if (pendingState != null) {
                kernel.restoreState(pendingState);
            }
            while (hasNext()) {
                long t0 = config.clock.getAsLong();
                if (batches.fill(epoch, window, inputs, targets)) {
                    kernel.resetState();
                }
                if (dropout > 0) {
                    kernel.dropout(dropout, Kernels.dropoutSeed(config.seed, step)); // fresh masks, by step
                }
                double sum = kernel.trainStep(params, inputs, targets, 1.0 / charsPerStep, grads);
                apply(sum, grads, t0, kernel::state);
            }
            stop(kernel::state);
        }
        return finish();
    }

    /** @return whether the run takes another step: no limit reached, no early stop, no stop asked */
    boolean hasNext() {
        return step < config.steps && epoch < config.epochs && config.clock.getAsLong() < deadline && !early
                && !control.isStopRequested();
    }

    /** @return what the next step reads and at which rate it learns (the rate {@link #apply} then uses) */
    StepPlan plan() {
        planned(step + 1, step + 1);
        return new StepPlan(step + 1, epoch, window, BatchSource.resetsState(config.batching, window,
                config.chunkWindows), rate(step, epoch, window, plannedNanos));
    }

    /** Notes that steps {@code from..to} are planned now: their rates read the time budget as of now. */
    private void planned(long from, long to) {
        plannedNanos = config.clock.getAsLong();
        plannedFrom = from;
        plannedTo = to;
    }

    /** @return the rate of the next step, which starts at {@code t0} unless a plan fixed its time */
    private double nextRate(long t0) {
        return rate(step, epoch, window, step + 1 >= plannedFrom && step + 1 <= plannedTo ? plannedNanos : t0);
    }

    /**
     * @return the schedule's rate for the step after {@code completedSteps} steps, {@code completedEpochs}
     *     epochs and {@code completedWindows} windows of the current one, starting at {@code nowNanos}
     */
    private double rate(long completedSteps, int completedEpochs, int completedWindows, long nowNanos) {
        return config.schedule.rate(config.optimizer.learningRate(), completedEpochs,
                budgetFraction(completedSteps, completedEpochs, completedWindows, nowNanos));
    }

    /** @return the largest of the fractions of the step, epoch and time budgets used, 0 where none is set */
    double budgetFraction(long completedSteps, int completedEpochs, int completedWindows, long nowNanos) {
        double p = 0;
        if (config.steps != Long.MAX_VALUE) {
            p = completedSteps / (double) config.steps;
        }
        if (config.epochs != Integer.MAX_VALUE) {
            p = Math.max(p, (completedEpochs * (double) windowsPerEpoch + completedWindows)
                    / ((double) config.epochs * windowsPerEpoch));
        }
        if (config.timeLimit != null) {
            p = Math.max(p, trainingNanos(nowNanos) / (double) config.timeLimit.toNanos());
        }
        return Math.min(1.0, p);
    }

    /** @return the training time at {@code nowNanos}: this call's and, after a resume, the earlier calls' */
    private long trainingNanos(long nowNanos) {
        return earlierNanos + (nowNanos - startNanos);
    }

    /**
     * Completes a step whose summed loss and gradient are computed: clips, decays and updates the
     * weights, advances the counters, tells the listeners, validates, samples and checkpoints when due.
     *
     * @param lossSum the summed cross-entropy of the step's T·B predictions
     * @param gradient the gradient of {@code lossSum / (T·B)}, overwritten
     * @param t0 when the step started ({@link System#nanoTime()})
     * @param hiddenState the carried hidden state after the step, asked for only by a checkpoint
     * @return the step's summary
     */
    StepSummary apply(double lossSum, float[] gradient, long t0, Supplier<float[]> hiddenState) {
        double lr = nextRate(t0);
        loss = lossSum / charsPerStep;
        step++;
        double norm = Clipping.clip(gradient, config.clipValue, config.clipNorm);
        if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
            throw new TrainingDivergedException(step, epoch, Double.isFinite(loss) ? norm : loss, lastFinite);
        }
        lastFinite = loss;
        update(gradient, lr);
        boolean epochEnded = advance();
        long t1 = config.clock.getAsLong();
        StepSummary summary = new StepSummary(step, epoch, window / (double) windowsPerEpoch, loss,
                smooth, norm, lr, charsPerStep / ((t1 - t0) / 1e9), Duration.ofNanos(t1 - startNanos));
        for (TrainingListener l : config.listeners) {
            l.onStep(summary);
        }
        if (text.validates() && (epochEnded || (config.validateEvery > 0 && step % config.validateEvery == 0))) {
            early = validate();
        }
        if (config.sampleEvery > 0 && step % config.sampleEvery == 0) {
            sample();
        }
        if (config.checkpointEvery > 0 && step % config.checkpointEvery == 0) {
            checkpoint(hiddenState.get(), config.checkpointDirectory);
        }
        return summary;
    }

    /** Records the step's loss and moves the data cursor on; @return whether the step ended an epoch */
    private boolean advance() {
        smooth = 0.999 * smooth + 0.001 * loss;
        losses.add((float) loss);
        smoothLosses.add((float) smooth);
        if (++window < windowsPerEpoch) {
            return false;
        }
        window = 0;
        epoch++;
        return true;
    }

    /** Ends the stepping: checks the weights and writes the stop checkpoint when one is due. */
    void stop(Supplier<float[]> hiddenState) {
        requireFiniteWeights();
        stopReason = reason();
        if (stopReason == StopReason.REQUESTED && config.stopCheckpointDirectory != null && step > stepAtStart
                && checkpointedStep != step) {
            CheckpointFiles.createDirectory(config.stopCheckpointDirectory);
            checkpoint(hiddenState.get(), config.stopCheckpointDirectory);
        }
    }

    private StopReason reason() {
        return early ? StopReason.EARLY_STOPPING : step >= config.steps ? StopReason.STEPS
                : epoch >= config.epochs ? StopReason.EPOCHS : control.isStopRequested() && config.clock.getAsLong() < deadline
                ? StopReason.REQUESTED : StopReason.TIME_LIMIT;
    }

    /** @return the result, after {@link #stop} */
    TrainingResult finish() {
        // The gradient and the optimizer's moments (three copies of the weights) are not needed any more: released
        // here, before the last validation, so that its kernel can reuse their memory.
        grads = null;
        updater = null;
        StopReason reason = stopReason;
        Duration elapsed = Duration.ofNanos(config.clock.getAsLong() - startNanos);
        OptionalDouble lastValidation = OptionalDouble.empty();
        if (text.validates()) {
            ValidationSummary last = validations.isEmpty() ? null : validations.get(validations.size() - 1);
            lastValidation = OptionalDouble.of(last != null && last.step() == step ? last.loss() : validationLoss(params));
        }
        boolean useBest = config.keepBestWeights && best.parameters() != null && lastValidation.isPresent()
                && best.loss() < lastValidation.getAsDouble();
        float[] finalParams = useBest ? best.parameters() : params;
        OptionalDouble validation = useBest ? OptionalDouble.of(best.loss()) : lastValidation;
        LossHistory history = RunCurve.history(historyFirstStep, losses.toArray(), smoothLosses.toArray(),
                validations);
        // the run ends here: the result may own its weights (the live ones or the best copy) instead of a copy
        RnnModel trained = RunCurve.attach(history, model(finalParams, validation.orElse(Double.NaN)), startInfo, step);
        double cps = (step - stepAtStart) * (double) charsPerStep / Math.max(1e-9, elapsed.toNanos() / 1e9);
        return new TrainingResult(trained, step, epoch, loss, smooth, validation, elapsed, cps, history, reason,
                useBest ? best.step() : step, lastValidation);
    }

    /** @return the live weights (read only) */
    float[] parameters() {
        return params;
    }

    /** @return the hidden state to carry into the first step (a resume's), or null for zero state */
    float[] initialState() {
        return pendingState == null ? null : pendingState.clone();
    }

    ParameterLayout layout() {
        return layout;
    }

    int resetCode() {
        return resetCode;
    }

    int windowsPerEpoch() {
        return windowsPerEpoch;
    }

    /** @return a model of the current weights with this run's training info */
    RnnModel current() {
        return snapshot(params, Double.NaN);
    }

    /** An update can overflow the weights while the loss that led to it was finite. */
    private void requireFiniteWeights() {
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new TrainingDivergedException(step, epoch, p, lastFinite);
            }
        }
    }

    private void update(float[] grads, double lr) {
        WeightDecay.decay(params, matrices, lr, config.weightDecay);
        updater.update(params, grads, lr);
    }

    /**
     * Completes a round of local steps ({@link DataParallel#applyAverage}): records each step's loss
     * and tells the listeners, installs the averaged weights and optimizer state, then validates,
     * samples and checkpoints if any step of the round was due to.
     */
    void applyRound(double[] lossSums, float[] weights, Map<String, float[]> moments, Map<String, Double> scalars,
                    long t0, Supplier<float[]> hiddenState) {
        boolean validateDue = false;
        boolean sampleDue = false;
        boolean checkpointDue = false;
        for (double lossSum : lossSums) {
            double lr = nextRate(t0);
            loss = lossSum / charsPerStep;
            step++;
            if (!Double.isFinite(loss)) {
                throw new TrainingDivergedException(step, epoch, loss, lastFinite);
            }
            lastFinite = loss;
            boolean epochEnded = advance();
            long t1 = config.clock.getAsLong();
            StepSummary summary = new StepSummary(step, epoch, window / (double) windowsPerEpoch, loss, smooth,
                    Double.NaN, lr, charsPerStep * lossSums.length / ((t1 - t0) / 1e9), Duration.ofNanos(t1 - startNanos));
            for (TrainingListener l : config.listeners) {
                l.onStep(summary);
            }
            validateDue |= text.validates() && (epochEnded || (config.validateEvery > 0 && step % config.validateEvery == 0));
            sampleDue |= config.sampleEvery > 0 && step % config.sampleEvery == 0;
            checkpointDue |= config.checkpointEvery > 0 && step % config.checkpointEvery == 0;
        }
        System.arraycopy(weights, 0, params, 0, params.length);
        updater.restoreMoments(moments);
        updater.restoreScalars(scalars);
        if (validateDue) {
            early = validate();
        }
        if (sampleDue) {
            sample();
        }
        if (checkpointDue) {
            checkpoint(hiddenState.get(), config.checkpointDirectory);
        }
    }

    /** @return copies of the optimizer's moments */
    Map<String, float[]> moments() {
        Map<String, float[]> copy = new java.util.LinkedHashMap<>();
        updater.moments().forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    /** @return the optimizer's scalar state */
    Map<String, Double> scalars() {
        return Map.copyOf(updater.scalars());
    }

    /**
     * @return the plans of the next {@code count} steps (fewer if a step or epoch limit comes first);
     *     their rates read the time budget, if any, as of this call
     */
    List<StepPlan> plans(int count) {
        List<StepPlan> plans = new ArrayList<>();
        int e = epoch;
        int w = window;
        planned(step + 1, step + count);
        for (long s = step; plans.size() < count && s < config.steps && e < config.epochs; s++) {
            plans.add(new StepPlan(s + 1, e, w, BatchSource.resetsState(config.batching, w, config.chunkWindows),
                    rate(s, e, w, plannedNanos)));
            if (++w == windowsPerEpoch) {
                w = 0;
                e++;
            }
        }
        return plans;
    }

    private double validationLoss(float[] weights) {
        return text.validationLoss(layout, weights, config.sequenceLength, config.batchSize, resetCode);
    }

    /** @return whether early stopping ends the run */
    private boolean validate() {
        double v = validationLoss(params);
        ValidationSummary summary = new ValidationSummary(step, epoch, v, best.record(v, step, params));
        validations.add(summary);
        for (TrainingListener l : config.listeners) {
            l.onValidation(summary);
        }
        return best.exhausted();
    }

    private void sample() {
        requireFiniteWeights();
        RnnModel now = ModelAccess.create(startConfig, text.vocabulary(), params.clone());
        String text = Sampler.builder(now).strategy(SamplingStrategy.temperature(config.sampleTemperature)).build()
                .generate("", config.sampleLength, new SplittableRandom(config.seed ^ step));
        SampleSummary summary = new SampleSummary(step, text);
        for (TrainingListener l : config.listeners) {
            l.onSample(summary);
        }
    }

    /** A model of {@code weights} whose training info counts the start model's steps plus this run's. */
    private RnnModel snapshot(float[] weights, double validation) {
        return model(weights.clone(), validation);
    }

    /** {@link #snapshot} owning {@code weights}. */
    private RnnModel model(float[] weights, double validation) {
        long newSteps = step - stepAtStart;
        long previousSteps = startInfo.map(TrainingInfo::steps).orElse(0L);
        long previousChars = startInfo.map(TrainingInfo::characters).orElse(0L);
        TrainingInfo info = new TrainingInfo(previousSteps + newSteps, previousChars + newSteps * charsPerStep, loss,
                validation, config.toString());
        return ModelAccess.create(startConfig, text.vocabulary(), weights).withTrainingInfo(info);
    }

    private void checkpoint(float[] hiddenState, Path directory) {
        requireFiniteWeights();
        RnnModel model = model(params, Double.NaN); // the live weights, not a copy: only written, here, then dropped
        CheckpointData data = new CheckpointData(model, config.signature(), trainingText,
                new CheckpointData.Progress(step, epoch, window, smooth, lastFinite,
                        trainingNanos(config.clock.getAsLong())),
                best.state(),
                new CheckpointData.OptimizerState(updater.moments(), updater.scalars()), hiddenState,
                new CheckpointData.History(historyFirstStep, losses.toArray(), smoothLosses.toArray(),
                        List.copyOf(validations)));
        Path file = checkpoints.write(data, directory, step);
        checkpointedStep = step;
        for (TrainingListener l : config.listeners) {
            l.onCheckpoint(step, file);
        }
    }
}
