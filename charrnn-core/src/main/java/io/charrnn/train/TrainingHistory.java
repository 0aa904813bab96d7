package io.charrnn.train;

import java.util.Arrays;
import java.util.List;

/**
 * The loss of every step and every validation pass of a run, for plots. Immutable; the array
 * accessors return copies.
 */
public final class TrainingHistory {
    private final float[] losses;
    private final float[] smoothLosses;
    private final List<ValidationSummary> validations;
    private final long firstStep;

    TrainingHistory(long firstStep, float[] losses, float[] smoothLosses, List<ValidationSummary> validations) {
        this.firstStep = firstStep;
        this.losses = losses;
        this.smoothLosses = smoothLosses;
        this.validations = List.copyOf(validations);
    }

    /** @return the step number of the first entry of {@link #losses()} */
    public long firstStep() {
        return firstStep;
    }

    /** @return each step's mean training loss, nats per character, in step order */
    public float[] losses() {
        return losses.clone();
    }

    /** @return each step's smoothed loss, nats per character */
    public float[] smoothLosses() {
        return smoothLosses.clone();
    }

    /** @return every validation pass, in order */
    public List<ValidationSummary> validations() {
        return validations;
    }

    @Override
    public String toString() {
        return "TrainingHistory[steps=" + losses.length + ", validations=" + validations.size() + "]";
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
