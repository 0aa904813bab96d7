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
        long step,
        int epoch,
        int window,
        double smoothLoss,
        double lastFiniteLoss,
        double bestLoss,
        long bestStep,
        int badValidations,
        float[] bestParameters, // null when no validation has run
        Map<String, float[]> moments,
        Map<String, Double> optimizerScalars,
        float[] hiddenState,
        long historyFirstStep,
        float[] losses,
        float[] smoothLosses,
        List<ValidationSummary> validations) {
}
