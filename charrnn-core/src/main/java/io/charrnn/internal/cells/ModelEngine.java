package io.charrnn.internal.cells;

import io.charrnn.internal.text.Codes;
import io.charrnn.model.ModelConfig;
import java.util.Arrays;

/**
 * The engine side of one bound model, created once and held by it: the layout, the flat weights
 * (owned, never written after construction), and what is derived from them on first use (the
 * stepper's row weights). Every part of core that runs a model (sampling, scoring, diagnostics,
 * training, gradient checks, the benchmark probes) starts here, reached through
 * {@code io.charrnn.internal.access.ModelAccess}. Immutable and thread-safe.
 */
public final class ModelEngine {
    private final ParameterLayout layout;
    private final float[] parameters;
    private volatile StepperWeights stepperWeights; // built on first use

    private ModelEngine(ParameterLayout layout, float[] parameters) {
        this.layout = layout;
        this.parameters = parameters;
    }

    /**
     * @param parameters a flat buffer in layout order; the engine owns it from now on
     * @return the engine of a model of this config and vocabulary size
     * @throws IllegalArgumentException if the buffer has the wrong length or a value that is not finite
     */
    public static ModelEngine adopt(ModelConfig config, int vocabularySize, float[] parameters) {
        ParameterLayout layout = new ParameterLayout(config, vocabularySize);
        if (parameters.length != layout.size()) {
            throw new IllegalArgumentException("the model needs " + layout.size() + " parameters, got "
                    + parameters.length);
        }
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new IllegalArgumentException("weights must be finite, got " + parameters[i] + " at flat index " + i);
            }
        }
        return new ModelEngine(layout, parameters);
    }

    /** @return the engine of a fresh model whose weights are drawn from the config's seed */
    public static ModelEngine initial(ModelConfig config, int vocabularySize) {
        ParameterLayout layout = new ParameterLayout(config, vocabularySize);
        return new ModelEngine(layout, layout.initialParameters());
    }

    /** @return where each weight matrix lives in the flat buffer */
    public ParameterLayout layout() {
        return layout;
    }

    /**
     * @return the flat weights themselves, not a copy, for code that only reads them (the float64
     *     references); never write to them and never let them leave core
     */
    public float[] parameters() {
        return parameters;
    }

    /** @return a fresh copy of the flat weights, for a trainer to update */
    public float[] copyOfParameters() {
        return parameters.clone();
    }

    /** @return a fresh copy of one named weight matrix */
    public float[] copyOf(ParameterLayout.Tensor t) {
        return Arrays.copyOfRange(parameters, t.offset(), t.offset() + t.size());
    }

    /** @return whether both engines hold the same weights, bit for bit */
    public boolean sameParameters(ModelEngine other) {
        return Arrays.equals(parameters, other.parameters);
    }

    /** @return a hash of the weights, consistent with {@link #sameParameters} */
    public int parametersHash() {
        return Arrays.hashCode(parameters);
    }

    /** @return the row weights of the plain-Java stepper, built on the first call and shared after */
    public StepperWeights stepperWeights() {
        StepperWeights w = stepperWeights;
        if (w == null) {
            synchronized (this) {
                w = stepperWeights;
                if (w == null) {
                    w = new StepperWeights(layout, parameters);
                    stepperWeights = w;
                }
            }
        }
        return w;
    }

    /** @return a stepper of one row (one text), with its own zero state */
    public RnnStepper stepper() {
        return new RnnStepper(stepperWeights());
    }

    /**
     * Sums the cross-entropy of predicting each code from those before it
     * ({@link Kernels#sumLoss(ParameterLayout, float[], Codes, int, int, int)}).
     *
     * @return {summed nats, characters scored}
     */
    public double[] sumLoss(Codes codes, int steps, int batch, int resetCode) {
        return Kernels.sumLoss(layout, parameters, codes, steps, batch, resetCode);
    }
}
