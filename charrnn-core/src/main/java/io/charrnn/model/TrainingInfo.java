package io.charrnn.model;

import java.util.Objects;

/**
 * How a model was trained, kept with it and saved in its file: the figures a user wants to see
 * next to a model. Deterministic (no clock times), so equal training gives equal info.
 *
 * @param steps optimizer steps taken in total, {@code >= 0}
 * @param characters training characters processed in total, {@code >= 0}
 * @param loss the last training step's mean loss in nats per character (NaN if none)
 * @param validationLoss mean validation loss in nats per character after training (NaN if none)
 * @param trainer a readable description of the trainer's settings
 */
public record TrainingInfo(long steps, long characters, double loss, double validationLoss, String trainer) {
    /**
     * @throws IllegalArgumentException if a count is negative
     */
    public TrainingInfo {
        Objects.requireNonNull(trainer, "trainer");
        if (steps < 0 || characters < 0) {
            throw new IllegalArgumentException("steps and characters must be >= 0, got " + steps + " and " + characters);
        }
    }
}
