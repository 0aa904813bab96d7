package io.charrnn.train;

/**
 * A validation pass during training.
 *
 * @param step the optimizer step after which it ran
 * @param epoch epochs completed by then
 * @param loss mean cross-entropy on the validation split, nats per character
 * @param best whether it is the lowest validation loss so far
 */
public record ValidationSummary(long step, int epoch, double loss, boolean best) {
    /** @return the loss in bits per character */
    public double bitsPerCharacter() {
        return loss / Math.log(2);
    }

    /** @return {@code exp(loss)} */
    public double perplexity() {
        return Math.exp(loss);
    }
}
