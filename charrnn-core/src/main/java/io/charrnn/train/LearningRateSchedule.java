package io.charrnn.train;

import io.charrnn.internal.check.Check;

/**
 * How the learning rate changes with completed epochs. Immutable values.
 *
 * <pre>{@code
 * LearningRateSchedule.constant();                 // the optimizer's rate throughout
 * LearningRateSchedule.stepDecay(0.5, 5);          // torch-rnn: ×0.5 every 5 epochs
 * LearningRateSchedule.exponentialDecay(0.97, 10); // char-rnn: ×0.97 per epoch from epoch 10 on
 * }</pre>
 */
public sealed interface LearningRateSchedule permits LearningRateSchedule.Constant, LearningRateSchedule.StepDecay,
        LearningRateSchedule.ExponentialDecay {

    /**
     * @param base the optimizer's learning rate
     * @param completedEpochs passes over the training split finished before this step
     * @return the learning rate for the step
     */
    double rate(double base, int completedEpochs);

    /** The optimizer's rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(double base, int completedEpochs) {
            return base;
        }
    }

    /**
     * {@code base · factor^floor(completedEpochs / everyEpochs)}.
     *
     * @param factor in {@code (0, 1]}
     * @param everyEpochs {@code >= 1}
     */
    record StepDecay(double factor, int everyEpochs) implements LearningRateSchedule {
        /**
         * Checks the components.
         *
         * @param factor in {@code (0, 1]}
         * @param everyEpochs {@code >= 1}
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public StepDecay {
            Check.share("factor", factor);
            Check.atLeast("everyEpochs", everyEpochs, 1);
        }

        @Override
        public double rate(double base, int completedEpochs) {
            return base * Math.pow(factor, completedEpochs / everyEpochs);
        }
    }

    /**
     * {@code base · factor^max(0, completedEpochs − startEpoch + 1)}: the rate is multiplied by
     * {@code factor} at the end of every epoch from epoch {@code startEpoch} (counted from 1) on,
     * as char-rnn's {@code learning_rate_decay_after}.
     *
     * @param factor in {@code (0, 1]}
     * @param startEpoch {@code >= 1}
     */
    record ExponentialDecay(double factor, int startEpoch) implements LearningRateSchedule {
        /**
         * Checks the components.
         *
         * @param factor in {@code (0, 1]}
         * @param startEpoch {@code >= 1}
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public ExponentialDecay {
            Check.share("factor", factor);
            Check.atLeast("startEpoch", startEpoch, 1);
        }

        @Override
        public double rate(double base, int completedEpochs) {
            return base * Math.pow(factor, Math.max(0, completedEpochs - startEpoch + 1));
        }
    }

    /** @return the constant schedule */
    static LearningRateSchedule constant() {
        return new Constant();
    }

    /**
     * @param factor in {@code (0, 1]}
     * @param everyEpochs {@code >= 1}
     * @return step decay: ×{@code factor} every {@code everyEpochs} epochs
     * @throws IllegalArgumentException if a value is out of range
     */
    static LearningRateSchedule stepDecay(double factor, int everyEpochs) {
        return new StepDecay(factor, everyEpochs);
    }

    /**
     * @param factor in {@code (0, 1]}
     * @param startEpoch {@code >= 1}, counted from 1
     * @return exponential decay: ×{@code factor} per epoch from epoch {@code startEpoch} on
     * @throws IllegalArgumentException if a value is out of range
     */
    static LearningRateSchedule exponentialDecay(double factor, int startEpoch) {
        return new ExponentialDecay(factor, startEpoch);
    }
}
