package io.charrnn.model;

import io.charrnn.internal.check.Check;
import java.util.Objects;

/**
 * How a model was trained, kept with it and saved in its file: the figures a user wants to see
 * next to a model, and its loss curve. Deterministic (no clock times), so equal training gives
 * equal info.
 *
 * @param steps optimizer steps taken in total, {@code >= 0}
 * @param characters training characters processed in total, {@code >= 0}
 * @param loss the last training step's mean loss in nats per character (NaN if none)
 * @param validationLoss mean validation loss in nats per character after training (NaN if none)
 * @param trainer a readable description of the trainer's settings
 * @param history every step's loss and every validation pass; empty for a model trained before
 *     models kept their curve
 */
public record TrainingInfo(long steps, long characters, double loss, double validationLoss, String trainer,
                           LossHistory history) {
    /**
     * @param steps optimizer steps taken in total, {@code >= 0}
     * @param characters training characters processed in total, {@code >= 0}
     * @param loss the last training step's mean loss in nats per character (NaN if none)
     * @param validationLoss mean validation loss in nats per character after training (NaN if none)
     * @param trainer a readable description of the trainer's settings
     * @param history every step's loss and every validation pass; empty for a model trained before
     *     models kept their curve
     * @throws IllegalArgumentException if a count is negative
     */
    public TrainingInfo {
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(history, "history");
        Check.argument(steps >= 0 && characters >= 0, "steps and characters must be >= 0, got %s and %s", steps,
                characters);
    }

    /**
     * Training info without a loss curve.
     *
     * @param steps optimizer steps taken in total, {@code >= 0}
     * @param characters training characters processed in total, {@code >= 0}
     * @param loss the last training step's mean loss in nats per character (NaN if none)
     * @param validationLoss mean validation loss in nats per character after training (NaN if none)
     * @param trainer a readable description of the trainer's settings
     * @throws IllegalArgumentException if a count is negative
     */
    public TrainingInfo(long steps, long characters, double loss, double validationLoss, String trainer) {
        this(steps, characters, loss, validationLoss, trainer, LossHistory.empty());
    }

    /**
     * @param curve the loss curve
     * @return the same info with that curve
     */
    public TrainingInfo withHistory(LossHistory curve) {
        return new TrainingInfo(steps, characters, loss, validationLoss, trainer, curve);
    }
}
