package io.charrnn.train;

/**
 * Lets a caller stop a running training after its current step, from any thread: from a
 * listener, a signal handler or a UI. A run stopped this way finishes the step under way (and that
 * step's validation, sample and checkpoint, if they are due), then returns normally with
 * {@link TrainingResult#stopReason()} {@link StopReason#REQUESTED} and the weights after that
 * step (or an earlier validation pass's, see {@link Trainer.Builder#keepBestWeights}); with {@link Trainer.Builder#checkpointOnStop} it also writes a checkpoint to resume from.
 *
 * <pre>{@code
 * TrainingControl control = new TrainingControl();
 * Runtime.getRuntime().addShutdownHook(new Thread(control::requestStop)); // or a button, a timer
 * TrainingResult result = trainer.train(model, corpus, control);
 * if (result.stopReason() == StopReason.REQUESTED) { ... }
 * }</pre>
 *
 * <p>A request cannot be withdrawn: a run given a control that was already asked to stop takes no
 * step. Use one control per run. Thread-safe.
 */
public final class TrainingControl {
    private volatile boolean stopRequested;

    /** Creates a control that has not been asked to stop. */
    public TrainingControl() {
    }

    /**
     * Asks the run to stop after the step under way; returns at once, without waiting for it. Calling
     * it again does nothing more.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** @return whether {@link #requestStop} was called */
    public boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public String toString() {
        return "TrainingControl[stopRequested=" + stopRequested + "]";
    }
}
