package io.charrnn.train;

/**
 * Receives what happens during training, on the training thread. Only {@link #onStep} must be
 * written; a lambda is a listener. Keep the calls quick: training waits for them.
 */
@FunctionalInterface
public interface TrainingListener {
    /**
     * Called after each optimizer step.
     *
     * @param step what happened in the step
     */
    void onStep(StepSummary step);

    /**
     * Called after each validation pass (every {@code validateEvery} steps and at epoch ends).
     *
     * @param validation its result
     */
    default void onValidation(ValidationSummary validation) {
    }

    /**
     * Called with each periodic sample ({@code sampleEvery}).
     *
     * @param sample the sample
     */
    default void onSample(SampleSummary sample) {
    }

    /**
     * Called after each checkpoint is written.
     *
     * @param step the step it holds
     * @param file where it was written
     */
    default void onCheckpoint(long step, java.nio.file.Path file) {
    }
}
