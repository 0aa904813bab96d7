package io.charrnn.train;

import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A run's loss curve: gathered step by step in {@link Floats}, returned as the run's
 * {@link LossHistory} (with the run's step numbers), and put into the trained model's
 * {@link TrainingInfo} with the model's step numbers ({@link #attach}).
 */
final class RunCurve {
    private RunCurve() {
    }

    /**
     * @param firstStep the step number of the first loss
     * @param losses each step's mean training loss
     * @param smoothLosses each step's smoothed loss
     * @param validations the run's validation passes, in order
     * @return the run's curve
     */
    static LossHistory history(long firstStep, float[] losses, float[] smoothLosses,
                               List<ValidationSummary> validations) {
        return LossHistory.of(firstStep, losses, smoothLosses,
                validations.stream().map(v -> new LossHistory.Validation(v.step(), v.loss())).toList());
    }

    /**
     * Puts a run's curve into a model made by the run: step numbers move on by the steps the model
     * had before the run, and a start model's own curve that ends there is continued.
     *
     * @param history the run's curve, with the run's step numbers
     * @param trained the run's model, whose training info counts every step
     * @param start the training info of the model the run started from
     * @param runSteps the run's step counter at the end (a resumed run counts the checkpoint's steps)
     */
    static RnnModel attach(LossHistory history, RnnModel trained, Optional<TrainingInfo> start, long runSteps) {
        TrainingInfo info = trained.trainingInfo().orElseThrow();
        long before = Math.max(0, info.steps() - runSteps);
        LossHistory curve = history.shifted(before);
        LossHistory previous = start.map(TrainingInfo::history).orElse(LossHistory.empty());
        if (!previous.isEmpty() && previous.lastStep() == before && curve.firstStep() == before + 1) {
            curve = previous.followedBy(curve);
        }
        return trained.withTrainingInfo(info.withHistory(curve));
    }

    /** Growable float buffer for the run. */
    static final class Floats {
        private float[] data = new float[256];
        private int size;

        void add(float v) {
            if (size == data.length) {
                data = Arrays.copyOf(data, data.length * 2);
            }
            data[size++] = v;
        }

        void addAll(float[] values) {
            for (float v : values) {
                add(v);
            }
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
