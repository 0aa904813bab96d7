package io.charrnn.internal.cells;

import io.charrnn.internal.nd.NdRuntime;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the ND4J kernels of every cell share: the shape, the flat parameter and gradient arrays
 * with per-matrix views, the output buffers, the float adapters of {@link Kernel}, the
 * forward–loss–backward–carry sequence, and the row scatter of one-hot and embedding gradients.
 * Subclasses provide the cell: {@link #forward}, {@link #backward}, {@link #commitState}.
 */
abstract class NdKernelBase implements NdKernel {
    static {
        NdRuntime.ensureInitialized();
    }

    final ParameterLayout layout;
    final int steps;
    final int batch;
    final int rows;
    final int hidden;
    final int layers;
    final int vocab;
    final DataType dtype;
    final INDArray params;
    final INDArray grads;
    final INDArray probs; // [TB, V]
    final INDArray logits; // [TB, V], kept for rows whose target probability underflows
    final INDArray ones; // [1, TB], for bias gradients as GEMMs
    private final INDArray indexArray; // INT [TB]
    int[] indices = new int[0];

    NdKernelBase(ParameterLayout layout, int steps, int batch, DataType dtype) {
        if (steps < 1 || batch < 1) {
            throw new IllegalArgumentException("steps and batch must be >= 1, got " + steps + " and " + batch);
        }
        this.layout = layout;
        this.steps = steps;
        this.batch = batch;
        this.rows = steps * batch;
        this.hidden = layout.config().hidden();
        this.layers = layout.config().layers();
        this.vocab = layout.vocabularySize();
        this.dtype = dtype;
        this.params = Nd4j.create(dtype, layout.size());
        this.grads = Nd4j.create(dtype, layout.size());
        this.probs = Nd4j.create(dtype, rows, vocab);
        this.logits = Nd4j.create(dtype, rows, vocab);
        this.ones = Nd4j.ones(dtype, 1, rows);
        this.indexArray = Nd4j.create(DataType.INT, rows);
    }

    /** @return a view of one parameter matrix of a flat array (never a copy) */
    static INDArray view(INDArray flat, ParameterLayout.Tensor t) {
        INDArray v = flat.get(NDArrayIndex.interval(t.offset(), t.offset() + t.size())).reshape('c', t.rows(), t.cols());
        if (!v.isView() && t.size() != flat.length()) {
            throw new IllegalStateException("internal error: parameter view of " + t.name() + " is a copy");
        }
        return v;
    }

    /** @return a view of rows {@code [from, to)} */
    static INDArray rowRange(INDArray a, int from, int to) {
        return a.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    /** Runs the cell forward over {@code inputs}, leaving softmax probabilities and logits in {@link #probs}, {@link #logits}. */
    abstract void forward(int[] inputs);

    /** Backpropagates from {@code probs} (now {@code scale·(p − onehot)}) into {@link #grads}. */
    abstract void backward();

    /** Makes the final state of this window the initial state of the next. */
    abstract void commitState();

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public INDArray parameters() {
        return params;
    }

    @Override
    public INDArray gradient() {
        return grads;
    }

    @Override
    public double trainStep(float[] parameters, int[] inputs, int[] targets, double lossScale, float[] gradient) {
        load(parameters);
        double loss = lossAndGradient(inputs, targets, lossScale, true);
        grads.data().asNioFloat().get(0, gradient, 0, gradient.length);
        return loss;
    }

    @Override
    public double loss(float[] parameters, int[] inputs, int[] targets) {
        load(parameters);
        return loss(inputs, targets, true);
    }

    private void load(float[] parameters) {
        if (dtype != DataType.FLOAT) {
            throw new IllegalStateException("internal error: float parameters given to a " + dtype + " kernel");
        }
        params.data().asNioFloat().put(0, parameters, 0, parameters.length);
    }

    @Override
    public final double loss(int[] inputs, int[] targets, boolean carry) {
        checkBatch(inputs, targets);
        indices = inputs;
        forward(inputs);
        double loss = Softmax.loss(probs, logits, targets, Double.NaN, dtype);
        if (carry) {
            commitState();
        }
        return loss;
    }

    @Override
    public final double lossAndGradient(int[] inputs, int[] targets, double lossScale, boolean carry) {
        checkBatch(inputs, targets);
        indices = inputs;
        forward(inputs);
        double loss = Softmax.loss(probs, logits, targets, lossScale, dtype);
        backward();
        if (carry) {
            commitState();
        }
        return loss;
    }

    private void checkBatch(int[] inputs, int[] targets) {
        if (inputs.length != rows || targets.length != rows) {
            throw new IllegalStateException("internal error: batch of " + inputs.length + " inputs and "
                    + targets.length + " targets, expected " + rows);
        }
    }

    /** target = 0, then target[indices[r]] += updates[r] for every row r (rows of absent codes stay 0). */
    void scatterAddRows(INDArray target, INDArray updates) {
        target.assign(0);
        indexArray.data().setData(indices);
        // lock = true: indices repeat, and without the lock libnd4j's parallel loop races
        Nd4j.exec(DynamicCustomOp.builder("scatter_add")
                .addInputs(target, indexArray, updates)
                .addOutputs(target)
                .addBooleanArguments(true)
                .build());
    }
}
