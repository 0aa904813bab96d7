package io.charrnn.train;

import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import java.util.Arrays;
import java.util.List;

/**
 * The loss of every step and every validation pass of a run, for plots. Immutable; the array
 * accessors return copies. The trained model carries the same curve as a {@link LossHistory} in
 * its {@link TrainingInfo}, which model files keep.
 */
public final class TrainingHistory {
    private final LossHistory curve;
    private final List<ValidationSummary> validations;

    TrainingHistory(long firstStep, float[] losses, float[] smoothLosses, List<ValidationSummary> validations) {
        this.validations = List.copyOf(validations);
        this.curve = LossHistory.of(firstStep, losses, smoothLosses,
                this.validations.stream().map(v -> new LossHistory.Validation(v.step(), v.loss())).toList());
    }

    /** @return the step number of the first entry of {@link #losses()} */
    public long firstStep() {
        return curve.firstStep();
    }

    /** @return each step's mean training loss, nats per character, in step order */
    public float[] losses() {
        return curve.losses();
    }

    /** @return each step's smoothed loss, nats per character */
    public float[] smoothLosses() {
        return curve.smoothLosses();
    }

    /** @return the curve as the trained model keeps it, with this run's step numbers */
    public LossHistory lossHistory() {
        return curve;
    }

    /**
     * Puts this run's curve into a model made by the run: step numbers move on by the steps the
     * model had before the run, and a start model's own curve that ends there is continued.
     *
     * @param trained the run's model, whose training info counts every step
     * @param start the model the run started from
     * @param runSteps the run's step counter at the end (a resumed run counts the checkpoint's steps)
     */
    static RnnModel attach(TrainingHistory history, RnnModel trained, RnnModel start, long runSteps) {
        TrainingInfo info = trained.trainingInfo().orElseThrow();
        long before = Math.max(0, info.steps() - runSteps);
        LossHistory curve = history.curve.shifted(before);
        LossHistory previous = start.trainingInfo().map(TrainingInfo::history).orElse(LossHistory.empty());
        if (!previous.isEmpty() && previous.lastStep() == before && curve.firstStep() == before + 1) {
            curve = previous.followedBy(curve);
        }
        return trained.withTrainingInfo(info.withHistory(curve));
    }

    /** @return every validation pass, in order */
    public List<ValidationSummary> validations() {
        return validations;
    }

    @Override
    public String toString() {
        return "TrainingHistory[steps=" + curve.size() + ", validations=" + validations.size() + "]";
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
