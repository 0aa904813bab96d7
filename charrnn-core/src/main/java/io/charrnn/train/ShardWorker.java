package io.charrnn.train;

import io.charrnn.internal.cells.Kernel;
import io.charrnn.internal.cells.Kernels;
import java.util.Objects;

/**
 * Computes the loss and gradient of one shard of a {@link DataParallel} run's steps: {@code streams}
 * of the {@code B} streams, with their carried hidden state. Holds a kernel for that shape: keep one
 * per shard shape and thread, and close it. Not thread-safe.
 *
 * <p>The gradient is that of the step's global mean loss (divided by {@code T·B}, not by the
 * shard's characters), so the shards' gradients add up to the single-machine step's. A model with
 * dropout draws its masks from the run's seed and the step for the shard's shape, so a sharded
 * run's masks differ from a single machine's (the training is equivalent, not equal).
 */
public final class ShardWorker implements AutoCloseable {
    private final ShardSpec spec;
    private final int streams;
    private final int steps;
    private final Kernel kernel;
    private final int[] inputs;
    private final int[] targets;

    ShardWorker(ShardSpec spec, int streams) {
        this.spec = spec;
        this.streams = streams;
        this.steps = spec.sequenceLength();
        this.kernel = Kernels.forTraining(spec.layout(), steps, streams);
        kernel.resetBefore(spec.resetCode());
        this.inputs = new int[steps * streams];
        this.targets = new int[steps * streams];
    }

    /** @return the streams of a shard */
    public int streams() {
        return streams;
    }

    /**
     * Runs one step's forward and backward pass over the shard.
     *
     * @param weights the flat weights of the step ({@link DataParallel#weights()}), read only
     * @param plan the step
     * @param codes {@code streams × (T + 1)} vocabulary indices, stream by stream: each stream's
     *     window and the code after it
     * @param hiddenState the shard's hidden state from its previous step; ignored (zero state) when
     *     the plan {@link StepPlan#resetsState resets} it or null
     * @return the summed loss, the gradient and the hidden state after the step
     * @throws IllegalArgumentException if an array has the wrong length or a code is outside the vocabulary
     */
    public ShardResult compute(float[] weights, StepPlan plan, int[] codes, float[] hiddenState) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(codes, "codes");
        if (weights.length != spec.parameterCount()) {
            throw new IllegalArgumentException("weights must have " + spec.parameterCount() + " values, got "
                    + weights.length);
        }
        if (codes.length != streams * (steps + 1)) {
            throw new IllegalArgumentException("codes must hold " + streams + " streams × (sequenceLength + 1) = "
                    + streams * (steps + 1) + " values, got " + codes.length);
        }
        int v = spec.vocabularySize();
        for (int s = 0; s < streams; s++) {
            for (int t = 0; t < steps; t++) {
                int in = codes[s * (steps + 1) + t];
                int out = codes[s * (steps + 1) + t + 1];
                if (in < 0 || in >= v || out < 0 || out >= v) {
                    throw new IllegalArgumentException("codes must be vocabulary indices in [0, " + v + "), got "
                            + (in < 0 || in >= v ? in : out) + " in stream " + s);
                }
                inputs[t * streams + s] = in;
                targets[t * streams + s] = out;
            }
        }
        if (plan.resetsState() || hiddenState == null) {
            kernel.resetState();
        } else {
            kernel.restoreState(hiddenState);
        }
        if (spec.dropout() > 0) {
            kernel.dropout(spec.dropout(), Kernels.dropoutSeed(spec.seed(), plan.step() - 1));
        }
        float[] gradient = new float[weights.length];
        double global = (double) steps * spec.batchSize();
        double sum = kernel.trainStep(weights, inputs, targets, 1.0 / global, gradient);
        return new ShardResult(sum, gradient, kernel.state());
    }

    /**
     * Takes a round of local steps on the shard alone (periodic averaging, local SGD): each step's
     * gradient is that of the shard's mean loss, clipped, and applied with the trainer's optimizer,
     * weight decay and the plan's rate, from the given weights and optimizer state.
     *
     * @param weights the round's starting weights; not changed
     * @param moments the optimizer's moments at the round's start ({@link DataParallel#optimizerMoments()}); not changed
     * @param scalars the optimizer's scalars at the round's start
     * @param plans the round's steps ({@link DataParallel#nextSteps})
     * @param codes per step, the shard's codes as {@link #compute} takes them
     * @param hiddenState the shard's hidden state at the round's start, or null for zero state
     * @return each step's summed loss, and the weights, optimizer state and hidden state after the round
     * @throws IllegalArgumentException if the plans and codes differ in number or an array is wrong
     */
    public LocalRound localSteps(float[] weights, java.util.Map<String, float[]> moments,
                                 java.util.Map<String, Double> scalars, java.util.List<StepPlan> plans, int[][] codes,
                                 float[] hiddenState) {
        if (plans.size() != codes.length) {
            throw new IllegalArgumentException("one window of codes per plan: " + plans.size() + " plans, "
                    + codes.length + " windows");
        }
        float[] params = weights.clone();
        Updater updater = Updater.create(spec.optimizer(), params.length);
        updater.restoreMoments(moments);
        updater.restoreScalars(scalars);
        int[][] matrices = WeightDecay.matrices(spec.layout());
        double[] sums = new double[plans.size()];
        float[] state = hiddenState;
        float[] gradient = new float[params.length];
        double shardScale = (double) spec.batchSize() / streams; // from the global mean to the shard's mean
        for (int i = 0; i < plans.size(); i++) {
            StepPlan plan = plans.get(i);
            ShardResult r = compute(params, plan, codes[i], state);
            sums[i] = r.lossSum();
            state = r.hiddenState();
            float[] g = r.gradient();
            for (int j = 0; j < g.length; j++) {
                gradient[j] = (float) (g[j] * shardScale);
            }
            Clipping.clip(gradient, spec.clipValue(), spec.clipNorm());
            WeightDecay.decay(params, matrices, plan.learningRate(), spec.weightDecay());
            updater.update(params, gradient, plan.learningRate());
        }
        java.util.Map<String, float[]> after = new java.util.LinkedHashMap<>();
        updater.moments().forEach((k, v) -> after.put(k, v.clone()));
        return new LocalRound(sums, params, after, java.util.Map.copyOf(updater.scalars()), state);
    }

    /** Frees the kernel. */
    @Override
    public void close() {
        kernel.close();
    }
}
