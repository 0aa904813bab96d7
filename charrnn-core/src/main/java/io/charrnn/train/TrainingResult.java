package io.charrnn.train;

import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import java.time.Duration;
import java.util.OptionalDouble;

/**
 * The outcome of {@link Trainer#train} or {@link Trainer#resume}.
 *
 * @param model the trained model, a new immutable snapshot: with {@code keepBestWeights} (the
 *     default) and a validation split, the weights of the validation pass with the lowest loss
 *     (or the last step's, if they validate lower), otherwise those after the last step
 * @param steps optimizer steps taken in total (a resumed run counts the steps before the checkpoint)
 * @param epochs passes over the training split completed
 * @param loss the last step's mean loss, nats per character
 * @param smoothLoss the last smoothed loss, nats per character
 * @param validationLoss mean loss of {@code model} on the validation split, nats per character;
 *     empty if the corpus has no validation text
 * @param elapsed wall-clock time of this call
 * @param charactersPerSecond training characters processed per second in this call
 * @param history every step's loss and every validation pass, numbered by this run's step counter
 *     (a resumed run's includes the steps before the checkpoint); {@code model}'s
 *     {@link io.charrnn.model.TrainingInfo#history()} holds the same curve numbered from the model's
 *     first step. For a validation pass's epoch and whether it was the best so far, use
 *     {@link TrainingListener#onValidation}
 * @param stopReason why the run ended
 * @param modelStep the step after which {@code model}'s weights were taken: {@code steps}, or the
 *     step of the best validation pass when the model holds its weights
 * @param lastValidationLoss mean loss of the weights after the last step on the validation split,
 *     nats per character; empty if the corpus has no validation text
 */
public record TrainingResult(RnnModel model, long steps, int epochs, double loss, double smoothLoss,
                             OptionalDouble validationLoss, Duration elapsed, double charactersPerSecond,
                             LossHistory history, StopReason stopReason,
                             long modelStep, OptionalDouble lastValidationLoss) {
    /** @return whether early stopping ended the run ({@link StopReason#EARLY_STOPPING}) */
    public boolean stoppedEarly() {
        return stopReason == StopReason.EARLY_STOPPING;
    }

    /**
     * @return whether a {@link TrainingControl} stopped the run before its limits
     *     ({@link StopReason#REQUESTED}); {@link #model()} then holds the weights after the last step,
     *     or an earlier validation pass's ({@link #keptBest()})
     */
    public boolean interrupted() {
        return stopReason == StopReason.REQUESTED;
    }

    /** @return whether {@code model} holds earlier weights than those after the last step */
    public boolean keptBest() {
        return modelStep != steps;
    }

    /** @return the validation loss in bits per character, if there is one */
    public OptionalDouble validationBitsPerCharacter() {
        return validationLoss.isPresent() ? OptionalDouble.of(validationLoss.getAsDouble() / Math.log(2))
                : OptionalDouble.empty();
    }
}
