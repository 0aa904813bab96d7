package io.charrnn.train;

import io.charrnn.internal.access.CorpusAccess;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.cells.Kernel;
import io.charrnn.internal.cells.Kernels;
import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.text.Codes;
import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/** One call of {@link Trainer#train} or {@link Trainer#resume}: the only mutable copy of the weights. */
final class TrainingRun {
    private final Trainer config;
    private final RnnModel start;
    private final Corpus corpus;
    private final ParameterLayout layout;
    private final float[] params;
    private final float[] grads;
    private final Updater updater;
    private final BatchSource batches;
    private final Codes validationCodes;
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
    private double bestLoss = Double.POSITIVE_INFINITY;
    private long bestStep = -1;
    private int badValidations;
    private float[] bestParams;
    private float[] pendingState; // hidden state to restore into the kernel (resume)
    private final long historyFirstStep;
    private final long stepAtStart; // the step counter's value when this call began
    private final RunCurve.Floats losses = new RunCurve.Floats();
    private final RunCurve.Floats smoothLosses = new RunCurve.Floats();
    private final List<ValidationSummary> validations = new ArrayList<>();
    private final List<Path> checkpoints = new ArrayList<>();

    private long checkpointedStep = -1; // the step of the last checkpoint written by this call

    TrainingRun(Trainer config, RnnModel model, Corpus corpus, CheckpointData resume, TrainingControl control) {
        this.config = config;
        this.control = control;
        this.start = model;
        this.corpus = corpus;
        ModelEngine engine = ModelAccess.engine(model);
        this.layout = engine.layout();
        this.params = engine.copyOfParameters();
        this.grads = new float[params.length];
        this.updater = Updater.create(config.optimizer, params.length);
        Codes trainCodes = CorpusAccess.codes(corpus, Corpus.Split.TRAIN);
        this.batches = new BatchSource(config.batching, trainCodes, config.sequenceLength, config.batchSize,
                config.chunkWindows, config.seed);
        this.validationCodes = CorpusAccess.codes(corpus, Corpus.Split.VALIDATION);
        this.trainingText = fingerprint(trainCodes);
        this.resetCode = config.resetCodePoint < 0 ? -1 : corpus.vocabulary().indexOf(config.resetCodePoint);
        this.charsPerStep = config.sequenceLength * config.batchSize;
        this.matrices = layout.tensors().stream().filter(t -> !t.vector())
                .map(t -> new int[] {t.offset(), t.size()}).toArray(int[][]::new);
        this.smooth = Math.log(corpus.vocabulary().size());
        if (resume != null) {
            checkResumable(resume, model);
        }
        if (resume == null) {
            historyFirstStep = 1;
            stepAtStart = 0;
        } else {
            step = resume.step();
            stepAtStart = resume.step();
            epoch = resume.epoch();
            window = resume.window();
            smooth = resume.smoothLoss();
            lastFinite = resume.lastFiniteLoss();
            loss = resume.lastFiniteLoss();
            bestLoss = resume.bestLoss();
            bestStep = resume.bestStep();
            badValidations = resume.badValidations();
            bestParams = resume.bestParameters();
            updater.restoreMoments(resume.moments());
            updater.restoreScalars(resume.optimizerScalars());
            pendingState = resume.hiddenState();
            historyFirstStep = resume.historyFirstStep();
            losses.addAll(resume.losses());
            smoothLosses.addAll(resume.smoothLosses());
            validations.addAll(resume.validations());
        }
    }

    /** @return length and CRC-32 of a code sequence, to recognise the corpus of a checkpoint */
    static String fingerprint(int[] codes) {
        return fingerprint(Codes.of(codes));
    }

    /** @return length and CRC-32 of the codes as big-endian ints, read in blocks */
    static String fingerprint(Codes codes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        codes.checksum(crc);
        return "length=" + codes.length() + " crc32=" + Long.toHexString(crc.getValue());
    }

    private void checkResumable(CheckpointData resume, RnnModel model) {
        if (!resume.trainingText().equals(trainingText)) {
            throw new IllegalArgumentException("the corpus differs from the checkpoint's: its training split has "
                    + trainingText + ", the checkpoint's had " + resume.trainingText() + "; resume on the same text "
                    + "and split");
        }
        if (resume.window() >= batches.windowsPerEpoch()) {
            throw new IllegalArgumentException("the checkpoint's data position (window " + resume.window()
                    + ") lies beyond an epoch of " + batches.windowsPerEpoch() + " windows");
        }
        int state = layout.stateSize(config.batchSize);
        if (resume.hiddenState().length != state) {
            throw new IllegalArgumentException("the checkpoint's hidden state must have layers × batchSize × hidden"
                    + (model.config().cell() == io.charrnn.model.CellType.LSTM ? " × 2 (h and c)" : "") + " = "
                    + state + " values, found " + resume.hiddenState().length);
        }
    }

    TrainingResult run() {
        long startNanos = System.nanoTime();
        long deadline = config.timeLimit == null ? Long.MAX_VALUE : startNanos + config.timeLimit.toNanos();
        long firstStep = step;
        int[] inputs = new int[charsPerStep];
        int[] targets = new int[charsPerStep];
        boolean early = false;
        double dropout = start.config().dropout();
        StopReason reason;
        try (Kernel kernel = Kernels.forTraining(layout, config.sequenceLength, config.batchSize)) {
            kernel.resetBefore(resetCode);
            if (pendingState != null) {
                kernel.restoreState(pendingState);
            }
            while (step < config.steps && epoch < config.epochs && System.nanoTime() < deadline && !early
                    && !control.isStopRequested()) {
                long t0 = System.nanoTime();
                if (batches.fill(epoch, window, inputs, targets)) {
                    kernel.resetState();
                }
                double lr = config.schedule.rate(config.optimizer.learningRate(), epoch);
                if (dropout > 0) {
                    kernel.dropout(dropout, Kernels.dropoutSeed(config.seed, step)); // fresh masks, by step
                }
                loss = kernel.trainStep(params, inputs, targets, 1.0 / charsPerStep, grads) / charsPerStep;
                step++;
                double norm = Clipping.clip(grads, config.clipValue, config.clipNorm);
                if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                    throw new TrainingDivergedException(step, epoch, Double.isFinite(loss) ? norm : loss, lastFinite);
                }
                lastFinite = loss;
                update(lr);
                smooth = 0.999 * smooth + 0.001 * loss;
                losses.add((float) loss);
                smoothLosses.add((float) smooth);
                boolean epochEnded = ++window == batches.windowsPerEpoch();
                if (epochEnded) {
                    window = 0;
                    epoch++;
                }
                long t1 = System.nanoTime();
                StepSummary summary = new StepSummary(step, epoch, window / (double) batches.windowsPerEpoch(), loss,
                        smooth, norm, lr, charsPerStep / ((t1 - t0) / 1e9), Duration.ofNanos(t1 - startNanos));
                for (TrainingListener l : config.listeners) {
                    l.onStep(summary);
                }
                if (validationCodes.length() >= 2 && (epochEnded
                        || (config.validateEvery > 0 && step % config.validateEvery == 0))) {
                    early = validate();
                }
                if (config.sampleEvery > 0 && step % config.sampleEvery == 0) {
                    sample();
                }
                if (config.checkpointEvery > 0 && step % config.checkpointEvery == 0) {
                    checkpoint(kernel, config.checkpointDirectory);
                }
            }
            requireFiniteWeights();
            reason = early ? StopReason.EARLY_STOPPING : step >= config.steps ? StopReason.STEPS
                    : epoch >= config.epochs ? StopReason.EPOCHS : control.isStopRequested() && System.nanoTime() < deadline
                    ? StopReason.REQUESTED : StopReason.TIME_LIMIT;
            if (reason == StopReason.REQUESTED && config.stopCheckpointDirectory != null && step > stepAtStart
                    && checkpointedStep != step) {
                try {
                    java.nio.file.Files.createDirectories(config.stopCheckpointDirectory);
                } catch (IOException e) {
                    throw new UncheckedIOException("could not create the checkpoint directory "
                            + config.stopCheckpointDirectory + ": " + e.getMessage(), e);
                }
                checkpoint(kernel, config.stopCheckpointDirectory);
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        OptionalDouble lastValidation = OptionalDouble.empty();
        if (validationCodes.length() >= 2) {
            ValidationSummary last = validations.isEmpty() ? null : validations.get(validations.size() - 1);
            lastValidation = OptionalDouble.of(last != null && last.step() == step ? last.loss() : validationLoss(params));
        }
        boolean useBest = config.keepBestWeights && bestParams != null && lastValidation.isPresent()
                && bestLoss < lastValidation.getAsDouble();
        float[] finalParams = useBest ? bestParams : params;
        OptionalDouble validation = useBest ? OptionalDouble.of(bestLoss) : lastValidation;
        LossHistory history = RunCurve.history(historyFirstStep, losses.toArray(), smoothLosses.toArray(),
                validations);
        RnnModel trained = RunCurve.attach(history,
 snapshot(finalParams, validation.orElse(Double.NaN)), start,
                step);
        double cps = (step - firstStep) * (double) charsPerStep / Math.max(1e-9, elapsed.toNanos() / 1e9);
        return new TrainingResult(trained, step, epoch, loss, smooth, validation, elapsed, cps, history, reason,
                useBest ? bestStep : step, lastValidation);
    }

    /** An update can overflow the weights while the loss that led to it was finite. */
    private void requireFiniteWeights() {
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new TrainingDivergedException(step, epoch, p, lastFinite);
            }
        }
    }

    private void update(double lr) {
        if (config.weightDecay > 0) {
            float shrink = (float) (1 - lr * config.weightDecay);
            for (int[] m : matrices) {
                for (int i = m[0]; i < m[0] + m[1]; i++) {
                    params[i] *= shrink;
                }
            }
        }
        updater.update(params, grads, lr);
    }

    private double validationLoss(float[] weights) {
        double[] sum = Kernels.sumLoss(layout, weights, validationCodes, config.sequenceLength, config.batchSize,
                resetCode);
        return sum[0] / sum[1];
    }

    /** @return whether early stopping ends the run */
    private boolean validate() {
        double v = validationLoss(params);
        boolean best = v < bestLoss;
        if (best) {
            bestLoss = v;
            bestStep = step;
            badValidations = 0;
            if (config.keepBestWeights) {
                bestParams = params.clone();
            }
        } else {
            badValidations++;
        }
        ValidationSummary summary = new ValidationSummary(step, epoch, v, best);
        validations.add(summary);
        for (TrainingListener l : config.listeners) {
            l.onValidation(summary);
        }
        return config.patience > 0 && badValidations >= config.patience;
    }

    private void sample() {
        requireFiniteWeights();
        RnnModel now = ModelAccess.create(start.config(), corpus.vocabulary(), params.clone());
        String text = Sampler.builder(now).strategy(SamplingStrategy.temperature(config.sampleTemperature)).build()
                .generate("", config.sampleLength, new SplittableRandom(config.seed ^ step));
        SampleSummary summary = new SampleSummary(step, text);
        for (TrainingListener l : config.listeners) {
            l.onSample(summary);
        }
    }

    /** A model of {@code weights} whose training info counts the start model's steps plus this run's. */
    private RnnModel snapshot(float[] weights, double validation) {
        long newSteps = step - stepAtStart;
        long previousSteps = start.trainingInfo().map(TrainingInfo::steps).orElse(0L);
        long previousChars = start.trainingInfo().map(TrainingInfo::characters).orElse(0L);
        TrainingInfo info = new TrainingInfo(previousSteps + newSteps, previousChars + newSteps * charsPerStep, loss,
                validation, config.toString());
        return ModelAccess.create(start.config(), corpus.vocabulary(), weights.clone()).withTrainingInfo(info);
    }

    private void checkpoint(Kernel kernel, Path directory) {
        requireFiniteWeights();
        RnnModel model = snapshot(params, Double.NaN);
        CheckpointData data = new CheckpointData(model, config.signature(), trainingText, step, epoch, window, smooth, lastFinite,
                bestLoss, bestStep, badValidations, bestParams, updater.moments(), updater.scalars(), kernel.state(),
                historyFirstStep, losses.toArray(), smoothLosses.toArray(), List.copyOf(validations));
        Path file = directory.resolve(String.format("checkpoint-%09d.charrnn", step));
        try {
            Checkpoints.write(data, file);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw new UncheckedIOException(message.contains(file.toString()) ? "could not write the checkpoint: " + message
                    : "could not write checkpoint " + file + ": " + message, e);
        }
        checkpointedStep = step;
        checkpoints.remove(file); // a stop checkpoint may land on a periodic one's name
        checkpoints.add(file);
        while (checkpoints.size() > config.keepCheckpoints) {
            Path old = checkpoints.remove(0);
            try {
                java.nio.file.Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete old checkpoint " + old + ": " + e.getMessage(), e);
            }
        }
        for (TrainingListener l : config.listeners) {
            l.onCheckpoint(step, file);
        }
    }
}
