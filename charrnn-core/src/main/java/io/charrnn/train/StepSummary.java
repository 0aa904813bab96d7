package io.charrnn.train;

import java.time.Duration;

/**
 * What one training step did.
 *
 * @param step the step number, from 1
 * @param epoch passes over the training split completed after this step, from 0
 * @param epochProgress the fraction of the next pass done after this step, in {@code [0, 1)}: the
 *     run has made {@code epoch + epochProgress} passes
 * @param loss mean cross-entropy of this step's batch, in nats per character
 * @param smoothLoss the moving average {@code 0.999·previous + 0.001·loss} of min-char-rnn,
 *     starting from {@code ln V}
 * @param gradientNorm the global L2 norm of the gradient before clipping
 * @param learningRate the learning rate used
 * @param charactersPerSecond characters of this step divided by its wall-clock time
 * @param elapsed wall-clock time since training started
 */
public record StepSummary(long step, int epoch, double epochProgress, double loss, double smoothLoss,
                          double gradientNorm, double learningRate, double charactersPerSecond, Duration elapsed) {
}
