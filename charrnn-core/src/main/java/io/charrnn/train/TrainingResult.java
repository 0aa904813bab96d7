package io.charrnn.train;

import io.charrnn.model.RnnModel;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The outcome of {@link Trainer#train}.
 *
 * @param model the trained model, a new immutable snapshot
 * @param steps optimizer steps taken
 * @param epochs passes over the training split completed
 * @param loss the last step's mean loss, nats per character
 * @param smoothLoss the last smoothed loss, nats per character
 * @param validationLoss mean loss on the validation split after training, nats per character; empty
 *     if the corpus has no validation text
 * @param elapsed wall-clock training time
 * @param charactersPerSecond training characters processed per second over the whole run
 */
public record TrainingResult(RnnModel model, long steps, int epochs, double loss, double smoothLoss,
                             OptionalDouble validationLoss, Duration elapsed, double charactersPerSecond) {
    /** @return the validation loss in bits per character, if there is one */
    public OptionalDouble validationBitsPerCharacter() {
        return validationLoss.isPresent() ? OptionalDouble.of(validationLoss.getAsDouble() / Math.log(2))
                : OptionalDouble.empty();
    }
}
