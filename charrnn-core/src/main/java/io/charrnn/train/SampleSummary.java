package io.charrnn.train;

/**
 * A text sampled from the model as it was at a training step: the evolution of samples over
 * training, as min-char-rnn prints it.
 *
 * @param step the optimizer step after which it was drawn
 * @param text the sample
 */
public record SampleSummary(long step, String text) {
}
