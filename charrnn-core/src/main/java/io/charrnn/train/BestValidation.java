package io.charrnn.train;

/**
 * Early stopping's record of a run's validation passes: the lowest loss, its step and (when the
 * run keeps the best weights) a copy of its weights, and how many passes in a row brought no new best.
 */
final class BestValidation {
    private final int patience; // 0: no early stopping
    private final boolean keepWeights;
    private double loss = Double.POSITIVE_INFINITY;
    private long step = -1;
    private int badValidations;
    private float[] parameters;

    BestValidation(int patience, boolean keepWeights) {
        this.patience = patience;
        this.keepWeights = keepWeights;
    }

    /** Continues from a checkpoint's record. */
    void restore(CheckpointData.EarlyStopping e) {
        loss = e.bestLoss();
        step = e.bestStep();
        badValidations = e.badValidations();
        parameters = e.bestParameters();
    }

    /** @return the record, for a checkpoint (the weights not copied) */
    CheckpointData.EarlyStopping state() {
        return new CheckpointData.EarlyStopping(loss, step, badValidations, parameters);
    }

    /**
     * Records a validation pass.
     *
     * @return whether {@code validationLoss} is a new best
     */
    boolean record(double validationLoss, long atStep, float[] weights) {
        boolean best = validationLoss < loss;
        if (best) {
            loss = validationLoss;
            step = atStep;
            badValidations = 0;
            if (keepWeights) {
                parameters = weights.clone();
            }
        } else {
            badValidations++;
        }
        return best;
    }

    /** @return whether patience has run out */
    boolean exhausted() {
        return patience > 0 && badValidations >= patience;
    }

    double loss() {
        return loss;
    }

    long step() {
        return step;
    }

    /** @return the best pass's weights, or null if none were kept */
    float[] parameters() {
        return parameters;
    }
}
