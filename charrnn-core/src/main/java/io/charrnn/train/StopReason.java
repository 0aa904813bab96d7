package io.charrnn.train;

/** Why a run of {@link Trainer#train} or {@link Trainer#resume} ended. */
public enum StopReason {
    /** It took the configured number of {@code steps}. */
    STEPS,
    /** It completed the configured number of {@code epochs} (one, when no limit was set). */
    EPOCHS,
    /** Its {@code timeLimit} ran out. */
    TIME_LIMIT,
    /** Early stopping: {@code patience} validations passed without a new best. */
    EARLY_STOPPING,
    /** Its {@link TrainingControl} asked it to stop before any limit was reached. */
    REQUESTED
}
