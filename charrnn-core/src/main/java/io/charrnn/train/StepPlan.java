package io.charrnn.train;

/**
 * What one step of a {@link DataParallel} run reads: every stream's window {@code window} of epoch
 * {@code epoch}. With {@link Batching#STREAMS} stream {@code b} of {@code B} reads the
 * {@code sequenceLength + 1} codes from {@code b·⌊(n − 1)/B⌋ + window·sequenceLength} of the
 * training split's {@code n}.
 *
 * @param step the number the step will have, from 1
 * @param epoch passes over the training split completed before the step
 * @param window the window of the epoch the step reads, from 0
 * @param resetsState whether every stream starts this window from zero hidden state
 * @param learningRate the rate the update will use
 */
public record StepPlan(long step, int epoch, int window, boolean resetsState, double learningRate) {
}
