package io.charrnn.examples.cli;

import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.train.StepSummary;
import io.charrnn.train.TrainingDivergedException;
import io.charrnn.train.TrainingListener;
import io.charrnn.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * What {@code charrnn train} says about a run: the summary of the result and which weights were
 * kept, the samples after training, the divergence message in the CLI's words, and the newest
 * checkpoint written (to name it when the run stops or fails).
 */
final class TrainReport {
    static final int SAMPLE_LENGTH = 300;
    static final double[] SAMPLE_TEMPERATURES = {0.5, 0.8, 1.0};

    private TrainReport() {
    }

    /** Prints the run's steps, speed and losses, and the validation loss of the weights kept. */
    static void summary(PrintWriter out, TrainingResult result) {
        out.printf(Locale.ROOT, "trained %,d steps (%d epochs) in %s at %,.0f chars/s; last loss %.4f, smooth loss %.4f "
                        + "nats/char%n", result.steps(), result.epochs(), ProgressLine.clock(result.elapsed().toMillis() / 1e3),
                result.charactersPerSecond(), result.loss(), result.smoothLoss());
        if (result.validationLoss().isPresent()) {
            out.printf(Locale.ROOT, "validation: %.4f nats/char, %.4f bits/char%s%n", result.validationLoss().getAsDouble(),
                    result.validationBitsPerCharacter().getAsDouble(), keptWeights(result));
        } else {
            out.println("validation: none (the text has no validation part)");
        }
    }

    /** Prints a sample at each of {@link #SAMPLE_TEMPERATURES}, character by character. */
    static void samples(PrintWriter out, RnnModel model, long seed) {
        for (double t : SAMPLE_TEMPERATURES) {
            out.printf(Locale.ROOT, "%n--- sample, temperature %.1f ---%n", t);
            Sampler sampler = Sampler.builder(model).strategy(SamplingStrategy.temperature(t)).build();
            sampler.generate("", SAMPLE_LENGTH, new SplittableRandom(seed), cp -> {
                out.print(Character.toString(cp));
                out.flush();
            });
            out.println();
        }
        out.flush();
    }

    /** @return which step's weights the saved model holds, and how the other choice of {@code --keep} compares */
    static String keptWeights(TrainingResult result) {
        double last = result.lastValidationLoss().getAsDouble();
        if (result.keptBest()) {
            return String.format(Locale.ROOT, ", the best validation, at step %,d: the saved model has its weights "
                    + "(the last step's, %,d, had %.4f nats/char; --keep last saves those)", result.modelStep(),
                    result.steps(), last);
        }
        Optional<LossHistory.Validation> best = result.history().validations().stream()
                .min(Comparator.comparingDouble(LossHistory.Validation::loss));
        if (best.isPresent() && best.get().loss() < last) { // --keep last
            return String.format(Locale.ROOT, ", after the last step (step %,d had the best validation, %.4f nats/char; "
                    + "--keep best saves those)", best.get().step(), best.get().loss());
        }
        return ", after the last step (the best validation)";
    }

    /** The library's divergence message in the CLI's words, naming the checkpoint to go back to. */
    static IllegalStateException diverged(TrainingDivergedException e, Path lastCheckpoint) {
        String message = e.getMessage().replace("lower the learning rate", "lower --lr")
                .replace("(gradientClipNorm / gradientClipValue)", "(--clip-norm / --clip-value)");
        return new IllegalStateException(message + (lastCheckpoint == null ? ""
                : "; the last good checkpoint is " + lastCheckpoint), e);
    }

    /** Remembers the newest checkpoint written, to name it when training stops or fails. */
    static final class LastCheckpoint implements TrainingListener {
        volatile Path file;

        @Override
        public void onStep(StepSummary step) {
        }

        @Override
        public void onCheckpoint(long step, Path checkpoint) {
            file = checkpoint;
        }
    }
}
