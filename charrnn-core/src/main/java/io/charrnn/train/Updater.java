package io.charrnn.train;

import java.util.Map;

/**
 * The mutable state of an {@link Optimizer} during one training run, updating the flat parameter
 * buffer in one pass. Plain Java: for the sizes here (23 k floats for C1 to 3.3 M for C3) one loop
 * beats the several ND4J updater calls it replaces.
 *
 * <p>The state (moments and step counters) can be exported and restored exactly, for checkpoints.
 */
abstract sealed class Updater permits Updater.Sgd, Updater.Adagrad, Updater.RmsProp, Updater.Adam {

    /**
     * Applies one update.
     *
     * @param params the flat parameters, updated in place
     * @param grads the flat gradient (may be overwritten)
     * @param learningRate the learning rate for this step
     */
    public abstract void update(float[] params, float[] grads, double learningRate);

    /** @return the moment arrays by name (live, not copies) */
    public abstract Map<String, float[]> moments();

    /** @return the scalar state (step counters), by name */
    public Map<String, Double> scalars() {
        return Map.of();
    }

    /** Restores the scalar state written by {@link #scalars()}. */
    public void restoreScalars(Map<String, Double> values) {
        // stateless but for the moments
    }

    /**
     * Copies saved moments in.
     *
     * @throws IllegalArgumentException if a moment is missing or of the wrong length
     */
    public void restoreMoments(Map<String, float[]> saved) {
        for (Map.Entry<String, float[]> e : moments().entrySet()) {
            float[] s = saved.get(e.getKey());
            if (s == null || s.length != e.getValue().length) {
                throw new IllegalArgumentException("optimizer moment '" + e.getKey() + "' must have "
                        + e.getValue().length + " values, got " + (s == null ? "none" : s.length));
            }
            System.arraycopy(s, 0, e.getValue(), 0, s.length);
        }
    }

    /** @return fresh state for an optimizer over {@code size} parameters */
    public static Updater create(Optimizer optimizer, int size) {
        if (optimizer instanceof Optimizer.Sgd s) {
            return new Sgd(s.momentum(), s.momentum() > 0 ? new float[size] : null);
        }
        if (optimizer instanceof Optimizer.Adagrad a) {
            return new Adagrad((float) a.epsilon(), new float[size]);
        }
        if (optimizer instanceof Optimizer.RmsProp r) {
            return new RmsProp((float) r.decay(), (float) r.epsilon(), new float[size]);
        }
        Optimizer.Adam a = (Optimizer.Adam) optimizer;
        return new Adam(a.beta1(), a.beta2(), a.epsilon(), new float[size], new float[size]);
    }

    /** SGD, with momentum when {@code velocity} is not null. */
    static final class Sgd extends Updater {
        private final float momentum;
        private final float[] velocity;

        Sgd(double momentum, float[] velocity) {
            this.momentum = (float) momentum;
            this.velocity = velocity;
        }

        @Override
        public void update(float[] p, float[] g, double learningRate) {
            float lr = (float) learningRate;
            if (velocity == null) {
                for (int i = 0; i < p.length; i++) {
                    p[i] -= lr * g[i];
                }
            } else {
                for (int i = 0; i < p.length; i++) {
                    velocity[i] = momentum * velocity[i] + g[i];
                    p[i] -= lr * velocity[i];
                }
            }
        }

        @Override
        public Map<String, float[]> moments() {
            return velocity == null ? Map.of() : Map.of("velocity", velocity);
        }
    }

    /** Adagrad: {@code m += g²; p -= lr·g/(sqrt(m) + eps)}. */
    static final class Adagrad extends Updater {
        private final float epsilon;
        private final float[] memory;

        Adagrad(float epsilon, float[] memory) {
            this.epsilon = epsilon;
            this.memory = memory;
        }

        @Override
        public void update(float[] p, float[] g, double learningRate) {
            float lr = (float) learningRate;
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float m = memory[i] + gi * gi;
                memory[i] = m;
                p[i] -= lr * gi / ((float) Math.sqrt(m) + epsilon);
            }
        }

        @Override
        public Map<String, float[]> moments() {
            return Map.of("memory", memory);
        }
    }

    /** RMSProp: {@code m = d·m + (1 − d)·g²; p -= lr·g/(sqrt(m) + eps)}. */
    static final class RmsProp extends Updater {
        private final float decay;
        private final float epsilon;
        private final float[] meanSquare;

        RmsProp(float decay, float epsilon, float[] meanSquare) {
            this.decay = decay;
            this.epsilon = epsilon;
            this.meanSquare = meanSquare;
        }

        @Override
        public void update(float[] p, float[] g, double learningRate) {
            float lr = (float) learningRate;
            float d = decay;
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float m = d * meanSquare[i] + (1 - d) * gi * gi;
                meanSquare[i] = m;
                p[i] -= lr * gi / ((float) Math.sqrt(m) + epsilon);
            }
        }

        @Override
        public Map<String, float[]> moments() {
            return Map.of("meanSquare", meanSquare);
        }
    }

    /** Adam with bias correction folded into the step size. */
    static final class Adam extends Updater {
        private final float beta1;
        private final float beta2;
        private final float epsilon;
        private final float[] m;
        private final float[] v;
        private double beta1Power = 1;
        private double beta2Power = 1;

        Adam(double beta1, double beta2, double epsilon, float[] m, float[] v) {
            this.beta1 = (float) beta1;
            this.beta2 = (float) beta2;
            this.epsilon = (float) epsilon;
            this.m = m;
            this.v = v;
        }

        @Override
        public void update(float[] p, float[] g, double learningRate) {
            beta1Power *= beta1;
            beta2Power *= beta2;
            // lr_t = lr·sqrt(1 - b2^t)/(1 - b1^t); eps scaled likewise, as in PyTorch's formula
            double c2 = Math.sqrt(1 - beta2Power);
            float step = (float) (learningRate * c2 / (1 - beta1Power));
            float eps = (float) (epsilon * c2);
            float b1 = beta1;
            float b2 = beta2;
            for (int i = 0; i < p.length; i++) {
                float gi = g[i];
                float mi = b1 * m[i] + (1 - b1) * gi;
                float vi = b2 * v[i] + (1 - b2) * gi * gi;
                m[i] = mi;
                v[i] = vi;
                p[i] -= step * mi / ((float) Math.sqrt(vi) + eps);
            }
        }

        @Override
        public Map<String, float[]> moments() {
            return Map.of("m", m, "v", v);
        }

        @Override
        public Map<String, Double> scalars() {
            return Map.of("beta1Power", beta1Power, "beta2Power", beta2Power);
        }

        @Override
        public void restoreScalars(Map<String, Double> values) {
            beta1Power = power(values, "beta1Power");
            beta2Power = power(values, "beta2Power");
        }

        /** A saved power of a beta: in [0, 1], since betas lie in [0, 1). */
        private static double power(Map<String, Double> values, String name) {
            Double x = values.get(name);
            if (x == null || !(x >= 0 && x <= 1)) {
                throw new IllegalArgumentException("the optimizer state must hold " + name + " in [0, 1], got "
                        + (x == null ? "none" : x));
            }
            return x;
        }
    }
}
