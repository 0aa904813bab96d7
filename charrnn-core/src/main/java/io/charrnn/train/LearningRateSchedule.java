package io.charrnn.train;

import io.charrnn.internal.check.Check;

/**
 * How the learning rate changes over a run: with completed epochs, or over the training budget.
 * Immutable values.
 *
 * <pre>{@code
 * LearningRateSchedule.constant();                 // the optimizer's rate throughout
 * LearningRateSchedule.stepDecay(0.5, 5);          // torch-rnn: ×0.5 every 5 epochs
 * LearningRateSchedule.exponentialDecay(0.97, 10); // char-rnn: ×0.97 per epoch from epoch 10 on
 * LearningRateSchedule.cosine(0.02, 0);            // warm up over 2 % of the budget, then cosine to 0
 * }</pre>
 *
 * <p>The budget schedules ({@link Cosine}, {@link Linear}) follow the fraction {@code p} of the
 * training budget used before each step: the largest of {@code completedSteps / steps},
 * {@code completedWindows / (epochs × windowsPerEpoch)} and {@code trainingTime / timeLimit} among
 * the limits the {@link Trainer} sets (a trainer with a budget schedule and none of them is refused).
 * With {@code w} the warm-up and {@code f} the floor fraction, the rate is {@code base · factor}:
 * <ul>
 *   <li>{@code p < w}: {@code factor = 0.1 + 0.9 · p / w} (a ramp from a tenth of the rate, never a
 *       zero step);</li>
 *   <li>otherwise, with {@code q = min(1, (p − w) / (1 − w))}: {@code factor = f + (1 − f) · shape},
 *       where {@code shape = ½ (1 + cos(π q))} for cosine and {@code 1 − q} for linear.</li>
 * </ul>
 */
public sealed interface LearningRateSchedule permits LearningRateSchedule.Constant, LearningRateSchedule.StepDecay,
        LearningRateSchedule.ExponentialDecay, LearningRateSchedule.Cosine, LearningRateSchedule.Linear {

    /**
     * @param base the optimizer's learning rate
     * @param completedEpochs passes over the training split finished before this step
     * @param budgetFraction the fraction of the training budget used before this step, in
     *     {@code [0, 1]}; only the budget schedules read it
     * @return the learning rate for the step
     */
    double rate(double base, int completedEpochs, double budgetFraction);

    /** The optimizer's rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double rate(double base, int completedEpochs, double budgetFraction) {
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
        public double rate(double base, int completedEpochs, double budgetFraction) {
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
        public double rate(double base, int completedEpochs, double budgetFraction) {
            return base * Math.pow(factor, Math.max(0, completedEpochs - startEpoch + 1));
        }
    }

    /**
     * Cosine decay over the training budget after a linear warm-up (see the interface's formula).
     *
     * @param warmup the fraction {@code w} of the budget spent ramping up, in {@code [0, 1)}
     * @param floor the fraction {@code f} of the rate kept at the end of the budget, in {@code [0, 1]}
     */
    record Cosine(double warmup, double floor) implements LearningRateSchedule {
        /**
         * Checks the components.
         *
         * @param warmup in {@code [0, 1)}
         * @param floor in {@code [0, 1]}
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public Cosine {
            Check.fraction("warmup", warmup);
            Check.probability("floor", floor);
        }

        @Override
        public double rate(double base, int completedEpochs, double budgetFraction) {
            return base * budgetFactor(budgetFraction, warmup, floor, true);
        }
    }

    /**
     * Linear decay over the training budget after a linear warm-up (see the interface's formula).
     *
     * @param warmup the fraction {@code w} of the budget spent ramping up, in {@code [0, 1)}
     * @param floor the fraction {@code f} of the rate kept at the end of the budget, in {@code [0, 1]}
     */
    record Linear(double warmup, double floor) implements LearningRateSchedule {
        /**
         * Checks the components.
         *
         * @param warmup in {@code [0, 1)}
         * @param floor in {@code [0, 1]}
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public Linear {
            Check.fraction("warmup", warmup);
            Check.probability("floor", floor);
        }

        @Override
        public double rate(double base, int completedEpochs, double budgetFraction) {
            return base * budgetFactor(budgetFraction, warmup, floor, false);
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

    /**
     * @param warmup the fraction of the budget spent ramping up from a tenth of the rate, in
     *     {@code [0, 1)} (the CLI's default: 0.02)
     * @param floor the fraction of the rate kept at the end of the budget, in {@code [0, 1]} (the
     *     CLI's default: 0)
     * @return cosine decay over the training budget
     * @throws IllegalArgumentException if a value is out of range
     */
    static LearningRateSchedule cosine(double warmup, double floor) {
        return new Cosine(warmup, floor);
    }

    /**
     * @param warmup the fraction of the budget spent ramping up from a tenth of the rate, in
     *     {@code [0, 1)} (the CLI's default: 0.02)
     * @param floor the fraction of the rate kept at the end of the budget, in {@code [0, 1]} (the
     *     CLI's default: 0)
     * @return linear decay over the training budget
     * @throws IllegalArgumentException if a value is out of range
     */
    static LearningRateSchedule linear(double warmup, double floor) {
        return new Linear(warmup, floor);
    }

    /** The multiplier of the base rate at budget fraction {@code p}: the one definition of the budget schedules. */
    private static double budgetFactor(double p, double w, double floor, boolean cosine) {
        if (p < w) {
            return 0.1 + 0.9 * p / w;
        }
        double q = Math.min(1.0, (p - w) / (1 - w));
        double shape = cosine ? 0.5 * (1 + Math.cos(Math.PI * q)) : 1 - q;
        return floor + (1 - floor) * shape;
    }
}
