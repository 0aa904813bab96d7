package io.charrnn.train;

import io.charrnn.internal.check.Check;

/**
 * How gradients become weight updates. A closed set of immutable values; the moments they need
 * are created fresh for every training run.
 */
public sealed interface Optimizer permits Optimizer.Sgd, Optimizer.Adagrad, Optimizer.RmsProp, Optimizer.Adam {

    /** @return the base learning rate */
    double learningRate();

    /**
     * Plain stochastic gradient descent, {@code w -= lr·g}, optionally with classical momentum
     * ({@code v = momentum·v + g; w -= lr·v}).
     *
     * @param learningRate finite and {@code > 0}
     * @param momentum in {@code [0, 1)}
     */
    record Sgd(double learningRate, double momentum) implements Optimizer {
        /**
         * Checks the components.
         *
         * @param learningRate finite and {@code > 0}
         * @param momentum in {@code [0, 1)}
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public Sgd {
            checkRate(learningRate);
            Check.fraction("momentum", momentum);
        }
    }

    /**
     * Adagrad, as in min-char-rnn: {@code m += g²; w -= lr·g/(sqrt(m) + epsilon)}.
     *
     * @param learningRate finite and {@code > 0} (min-char-rnn: 0.1)
     * @param epsilon finite and {@code > 0} (min-char-rnn: 1e-8)
     */
    record Adagrad(double learningRate, double epsilon) implements Optimizer {
        /**
         * Checks the components.
         *
         * @param learningRate finite and {@code > 0} (min-char-rnn: 0.1)
         * @param epsilon finite and {@code > 0} (min-char-rnn: 1e-8)
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public Adagrad {
            checkRate(learningRate);
            checkEpsilon(epsilon);
        }
    }

    /**
     * RMSProp, as in char-rnn: {@code m = decay·m + (1 − decay)·g²; w -= lr·g/(sqrt(m) + epsilon)}.
     *
     * @param learningRate finite and {@code > 0} (char-rnn: 2e-3)
     * @param decay the moving average's decay in {@code [0, 1)} (char-rnn: 0.95)
     * @param epsilon finite and {@code > 0} (char-rnn: 1e-8)
     */
    record RmsProp(double learningRate, double decay, double epsilon) implements Optimizer {
        /**
         * Checks the components.
         *
         * @param learningRate finite and {@code > 0} (char-rnn: 2e-3)
         * @param decay the moving average's decay in {@code [0, 1)} (char-rnn: 0.95)
         * @param epsilon finite and {@code > 0} (char-rnn: 1e-8)
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public RmsProp {
            checkRate(learningRate);
            Check.fraction("decay", decay);
            checkEpsilon(epsilon);
        }
    }

    /**
     * Adam (Kingma and Ba 2015) with bias correction.
     *
     * @param learningRate finite and {@code > 0} (PyTorch course projects: 1e-3; char-rnn LSTM: 2e-3)
     * @param beta1 first-moment decay in {@code [0, 1)}, usually 0.9
     * @param beta2 second-moment decay in {@code [0, 1)}, usually 0.999
     * @param epsilon finite and {@code > 0}, usually 1e-8
     */
    record Adam(double learningRate, double beta1, double beta2, double epsilon) implements Optimizer {
        /**
         * Checks the components.
         *
         * @param learningRate finite and {@code > 0} (PyTorch course projects: 1e-3; char-rnn LSTM: 2e-3)
         * @param beta1 first-moment decay in {@code [0, 1)}, usually 0.9
         * @param beta2 second-moment decay in {@code [0, 1)}, usually 0.999
         * @param epsilon finite and {@code > 0}, usually 1e-8
         * @throws IllegalArgumentException naming the first component out of range and its value
         */
        public Adam {
            checkRate(learningRate);
            Check.fraction("beta1", beta1);
            Check.fraction("beta2", beta2);
            checkEpsilon(epsilon);
        }
    }

    /**
     * @param learningRate finite and {@code > 0}
     * @return SGD without momentum
     * @throws IllegalArgumentException if a value is out of range
     */
    static Optimizer sgd(double learningRate) {
        return new Sgd(learningRate, 0);
    }

    /**
     * @param learningRate finite and {@code > 0}
     * @return Adagrad with epsilon 1e-8 (min-char-rnn uses learning rate 0.1)
     * @throws IllegalArgumentException if a value is out of range
     */
    static Optimizer adagrad(double learningRate) {
        return new Adagrad(learningRate, 1e-8);
    }

    /**
     * @param learningRate finite and {@code > 0}
     * @param momentum in {@code [0, 1)}
     * @return SGD with classical momentum (e.g. 0.9)
     * @throws IllegalArgumentException if a value is out of range
     */
    static Optimizer sgd(double learningRate, double momentum) {
        return new Sgd(learningRate, momentum);
    }

    /**
     * @param learningRate finite and {@code > 0}
     * @return RMSProp with char-rnn's decay 0.95 and epsilon 1e-8 (char-rnn's learning rate: 2e-3)
     * @throws IllegalArgumentException if a value is out of range
     */
    static Optimizer rmsprop(double learningRate) {
        return new RmsProp(learningRate, 0.95, 1e-8);
    }

    /**
     * @param learningRate finite and {@code > 0}
     * @return Adam with beta1 0.9, beta2 0.999, epsilon 1e-8
     * @throws IllegalArgumentException if a value is out of range
     */
    static Optimizer adam(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    private static void checkRate(double learningRate) {
        Check.positive("learningRate", learningRate);
    }

    private static void checkEpsilon(double epsilon) {
        Check.positive("epsilon", epsilon);
    }
}
