package io.charrnn.train;

import io.charrnn.model.RnnModel;
import java.util.List;
import java.util.Map;

/**
 * Everything an exact resume needs: the model after {@code step}, the optimizer's moments and
 * counters, the data cursor, the carried hidden state, early-stopping state and the loss history.
 * The randomness of batching is derived from (seed, epoch, window), so it needs no state of its own.
 */
record CheckpointData(
        RnnModel model,
        String signature,
        String trainingText, // length and CRC-32 of the training split's codes
        Progress progress,
        EarlyStopping earlyStopping,
        OptimizerState optimizer,
        float[] hiddenState,
        History history) {

    /**
     * Checks that a run can continue from this checkpoint.
     *
     * @param text the fingerprint of the run's training split
     * @param windowsPerEpoch the run's windows per epoch
     * @param stateSize the run's hidden state size (layers × batchSize × hidden, × 2 for an LSTM)
     * @param lstm whether the model is an LSTM
     */
    void checkResumes(String text, int windowsPerEpoch, int stateSize, boolean lstm) {
        if (!trainingText.equals(text)) {
            throw new IllegalArgumentException("the corpus differs from the checkpoint's: its training split has "
                    + text + ", the checkpoint's had " + trainingText + "; resume on the same text and split");
        }
        if (progress.window() >= windowsPerEpoch) {
            throw new IllegalArgumentException("the checkpoint's data position (window " + progress.window()
                    + ") lies beyond an epoch of " + windowsPerEpoch + " windows");
        }
        if (hiddenState.length != stateSize) {
            throw new IllegalArgumentException("the checkpoint's hidden state must have layers × batchSize × hidden"
                    + (lstm ? " × 2 (h and c)" : "") + " = " + stateSize + " values, found " + hiddenState.length);
        }
    }

    /**
     * Where the run stands: counters, data cursor, losses, and the training time of every call so far
     * (what a time limit and a time budget count; 0 in a checkpoint written before it was recorded).
     */
    record Progress(long step, int epoch, int window, double smoothLoss, double lastFiniteLoss, long trainingNanos) {
    }

    /** The best validation so far; {@code bestParameters} is null when no validation has run. */
    record EarlyStopping(double bestLoss, long bestStep, int badValidations, float[] bestParameters) {
    }

    /** The optimizer's moments (flat like the parameters) and scalar counters. */
    record OptimizerState(Map<String, float[]> moments, Map<String, Double> scalars) {
    }

    /** Every step's loss from {@code firstStep} on, and every validation pass. */
    record History(long firstStep, float[] losses, float[] smoothLosses, List<ValidationSummary> validations) {
    }
}
