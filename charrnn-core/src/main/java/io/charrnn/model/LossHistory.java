package io.charrnn.model;

import io.charrnn.internal.check.Check;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A loss curve: every optimizer step's mean training loss, its smoothed value and every validation
 * pass, all in nats per character. It is the one history type of charrnn: a training run returns
 * its curve ({@code TrainingResult.history()}), the trainer puts the same curve into the trained
 * model's {@link TrainingInfo}, and model files keep it, so a saved model can still draw its loss
 * curve.
 *
 * <p>Entry {@code i} of {@link #losses()} is step {@code firstStep() + i}. In a model's
 * {@link TrainingInfo} steps count every step the model was trained for; in a run's result they
 * count the run's steps. Immutable and thread-safe; the array accessors return copies; equal curves
 * are {@link #equals equal}.
 */
public final class LossHistory {
    private static final LossHistory EMPTY = new LossHistory(1, new float[0], new float[0], List.of());

    /**
     * One validation pass.
     *
     * @param step the optimizer step after which it ran, {@code >= 1}
     * @param loss mean loss on the validation text, nats per character, finite
     */
    public record Validation(long step, double loss) {
        /**
         * @param step the optimizer step after which it ran, {@code >= 1}
         * @param loss mean loss on the validation text, nats per character, finite
         * @throws IllegalArgumentException if the step is below 1 or the loss is not finite
         */
        public Validation {
            Check.atLeast("validation step", step, 1L);
            Check.finite("validation loss", loss);
        }

        /** @return the loss in bits per character */
        public double bitsPerCharacter() {
            return loss / Math.log(2);
        }
    }

    private final long firstStep;
    private final float[] losses;
    private final float[] smoothLosses;
    private final List<Validation> validations;

    private LossHistory(long firstStep, float[] losses, float[] smoothLosses, List<Validation> validations) {
        this.firstStep = firstStep;
        this.losses = losses;
        this.smoothLosses = smoothLosses;
        this.validations = validations;
    }

    /** @return the curve of a model trained without one (or before models kept one) */
    public static LossHistory empty() {
        return EMPTY;
    }

    /**
     * @param firstStep the step number of the first loss, {@code >= 1}
     * @param losses each step's mean training loss in nats per character, finite (copied)
     * @param smoothLosses each step's smoothed loss, as many as {@code losses}, finite (copied)
     * @param validations the validation passes in order of their steps
     * @return the curve
     * @throws IllegalArgumentException if the lengths differ, a value is not finite, the first step
     *     is below 1 or the validation steps decrease
     */
    public static LossHistory of(long firstStep, float[] losses, float[] smoothLosses, List<Validation> validations) {
        Objects.requireNonNull(losses, "losses");
        Objects.requireNonNull(smoothLosses, "smoothLosses");
        Objects.requireNonNull(validations, "validations");
        Check.atLeast("firstStep", firstStep, 1L);
        Check.argument(losses.length == smoothLosses.length,
                "losses and smoothLosses must have the same length, got %s and %s", losses.length, smoothLosses.length);
        Check.allFinite("losses", losses);
        Check.allFinite("smoothLosses", smoothLosses);
        List<Validation> v = List.copyOf(validations);
        for (int i = 1; i < v.size(); i++) {
            Check.argument(v.get(i).step() >= v.get(i - 1).step(), "validation steps must not decrease, got %s after %s",
                    v.get(i).step(), v.get(i - 1).step());
        }
        if (losses.length == 0 && v.isEmpty() && firstStep == 1) {
            return EMPTY;
        }
        return new LossHistory(firstStep, losses.clone(), smoothLosses.clone(), v);
    }

    /** @return whether it holds no step and no validation */
    public boolean isEmpty() {
        return losses.length == 0 && validations.isEmpty();
    }

    /** @return the step number of the first entry of {@link #losses()} */
    public long firstStep() {
        return firstStep;
    }

    /** @return the number of steps recorded */
    public int size() {
        return losses.length;
    }

    /** @return the step number of the last loss, {@code firstStep() - 1} when there is none */
    public long lastStep() {
        return firstStep + losses.length - 1;
    }

    /** @return each step's mean training loss, nats per character, in step order (a copy) */
    public float[] losses() {
        return losses.clone();
    }

    /** @return each step's smoothed loss, nats per character (a copy) */
    public float[] smoothLosses() {
        return smoothLosses.clone();
    }

    /** @return every validation pass, in order (unmodifiable) */
    public List<Validation> validations() {
        return validations;
    }

    /**
     * @param steps how many steps to add to every step number, {@code >= 0}
     * @return the same curve with its step numbers moved on by {@code steps}
     */
    public LossHistory shifted(long steps) {
        Check.atLeast("steps", steps, 0L);
        if (steps == 0) {
            return this;
        }
        return new LossHistory(firstStep + steps, losses, smoothLosses,
                validations.stream().map(v -> new Validation(v.step() + steps, v.loss())).toList());
    }

    /**
     * Continues this curve with a later one, for a model trained further: the later curve must start
     * right after this one's last step.
     *
     * @param later the curve of the following steps
     * @return both curves as one
     * @throws IllegalArgumentException if {@code later} does not start at {@code lastStep() + 1}
     */
    public LossHistory followedBy(LossHistory later) {
        Objects.requireNonNull(later, "later");
        if (later.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return later;
        }
        Check.argument(later.firstStep == lastStep() + 1, "the later curve must start at step %s, got %s",
                lastStep() + 1, later.firstStep);
        float[] l = Arrays.copyOf(losses, losses.length + later.losses.length);
        System.arraycopy(later.losses, 0, l, losses.length, later.losses.length);
        float[] s = Arrays.copyOf(smoothLosses, smoothLosses.length + later.smoothLosses.length);
        System.arraycopy(later.smoothLosses, 0, s, smoothLosses.length, later.smoothLosses.length);
        List<Validation> v = new java.util.ArrayList<>(validations);
        v.addAll(later.validations);
        return new LossHistory(firstStep, l, s, List.copyOf(v));
    }

    /** Equal first step, losses and smoothed losses bit for bit, and validations. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LossHistory h && firstStep == h.firstStep && Arrays.equals(losses, h.losses)
                && Arrays.equals(smoothLosses, h.smoothLosses) && validations.equals(h.validations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(firstStep, Arrays.hashCode(losses), Arrays.hashCode(smoothLosses), validations);
    }

    @Override
    public String toString() {
        return isEmpty() ? "LossHistory[empty]" : "LossHistory[steps " + firstStep + ".." + lastStep() + ", validations="
                + validations.size() + "]";
    }
}
