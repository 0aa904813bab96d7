package io.charrnn.train;

/** Receives a summary after every training step, on the training thread. */
@FunctionalInterface
public interface TrainingListener {
    /**
     * Called after each optimizer step. Keep it quick: the next step waits for it.
     *
     * @param step what happened in the step
     */
    void onStep(StepSummary step);
}
