package io.charrnn.internal.cells;

import io.charrnn.internal.check.Check;
import io.charrnn.internal.nd.Blas;
import io.charrnn.internal.nd.NdRuntime;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.custom.SoftMax;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * What the ND4J kernels of every cell share: the shape, the flat parameter and gradient arrays
 * with per-matrix views, the input layer (row gather for one-hot, GEMM for an embedding) and the
 * output layer (logits, softmax) with their gradients, the float adapters of {@link Kernel}, and
 * the forward–loss–backward–carry sequence, and dropout. Subclasses provide the recurrence:
 * {@link #forward}, {@link #backward}, {@link #commitState}.
 *
 * <p>Dropout ({@link #dropout}) lives entirely here: layer l's outputs {@code hOut[l]} reach the
 * layer above ({@link #below}) and the decoder ({@link #output}) as {@code hOut[l] ⊙ mask[l]}, one
 * element-wise product over all T·B rows before the GEMM that consumes them, and
 * {@link #outputBackward} and {@link #inputBackward} use that product in the weight gradients and
 * multiply the gradient they pass down by the same mask. The recurrence itself never sees a mask.
 */
abstract class NdKernelBase implements NdKernel {
    static {
        NdRuntime.ensureInitialized();
    }

    final ParameterLayout layout;
    final Blas blas = new Blas(); // every product goes straight to cblas (see Blas for why)
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
    final INDArray[] wx; // per layer [in, G·H]
    final INDArray[] wh; // per layer [H, G·H]
    final INDArray[] bias; // per layer [1, G·H]
    final INDArray[] gWx;
    final INDArray[] gWh;
    final INDArray[] gBias;
    final INDArray wy; // [H, V]
    final INDArray by; // [1, V]
    final INDArray gWy;
    final INDArray gBy;
    final INDArray embedding; // [V, D], null for one-hot input
    final INDArray gEmbedding;
    final INDArray embedded; // [TB, D]
    final INDArray dEmbedded; // [TB, D]
    final INDArray[] hs; // per layer [(T+1)B, H]: h_0 in the first B rows
    final INDArray[] hIn; // rows of h_0..h_{T-1}
    final INDArray[] hOut; // rows of h_1..h_T
    final INDArray[][] hStep; // [l][t], t = 0..T
    int[] indices = new int[0];
    private final RowScatter scatter; // the one-hot input and embedding gradients
    int resetCode = -1; // vocabulary index that starts a stream from zero state, or -1
    INDArray[] hPrev; // per layer [TB, H]: h_{t-1} with reset rows zeroed (only with a reset code)
    INDArray[][] hPrevStep;
    private boolean closed; // the buffers are freed: nothing may run
    private double dropRate; // 0: no dropout
    private INDArray[] masks; // per layer [TB, H]: 0 or 1/(1-p); allocated by the first dropout call
    private INDArray[] dropped; // per layer [TB, H]: hOut ⊙ mask, what the layer above or the decoder reads

    NdKernelBase(ParameterLayout layout, int steps, int batch, DataType dtype) {
        Check.atLeast("steps", steps, 1);
        Check.atLeast("batch", batch, 1);
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
        this.scatter = new RowScatter(dtype, rows);
        wx = new INDArray[layers];
        wh = new INDArray[layers];
        bias = new INDArray[layers];
        gWx = new INDArray[layers];
        gWh = new INDArray[layers];
        gBias = new INDArray[layers];
        for (int l = 0; l < layers; l++) {
            wx[l] = view(params, layout.wx(l));
            wh[l] = view(params, layout.wh(l));
            bias[l] = view(params, layout.bias(l));
            gWx[l] = view(grads, layout.wx(l));
            gWh[l] = view(grads, layout.wh(l));
            gBias[l] = view(grads, layout.bias(l));
        }
        wy = view(params, layout.outputWeights());
        by = view(params, layout.outputBias());
        gWy = view(grads, layout.outputWeights());
        gBy = view(grads, layout.outputBias());
        boolean embed = layout.config().hasEmbedding();
        embedding = embed ? view(params, layout.embedding()) : null;
        gEmbedding = embed ? view(grads, layout.embedding()) : null;
        embedded = embed ? Nd4j.create(dtype, rows, layout.config().embedding()) : null;
        dEmbedded = embed ? Nd4j.create(dtype, rows, layout.config().embedding()) : null;
        hs = new INDArray[layers];
        hIn = new INDArray[layers];
        hOut = new INDArray[layers];
        hStep = new INDArray[layers][steps + 1];
        for (int l = 0; l < layers; l++) {
            hs[l] = Nd4j.create(dtype, (long) rows + batch, hidden);
            hIn[l] = rowRange(hs[l], 0, rows);
            hOut[l] = rowRange(hs[l], batch, rows + batch);
            for (int t = 0; t <= steps; t++) {
                hStep[l][t] = rowRange(hs[l], t * batch, (t + 1) * batch);
            }
        }
    }

    @Override
    public void setState(int layer, double[] values) {
        checkOpen();
        INDArray h0 = hStep[layer][0];
        for (int i = 0; i < values.length; i++) {
            h0.putScalar(i / hidden, i % hidden, values[i]);
        }
    }

    @Override
    public void resetBefore(int code) {
        this.resetCode = code;
        if (code >= 0 && hPrev == null) {
            hPrev = new INDArray[layers];
            hPrevStep = new INDArray[layers][steps];
            for (int l = 0; l < layers; l++) {
                hPrev[l] = Nd4j.create(dtype, rows, hidden);
                for (int t = 0; t < steps; t++) {
                    hPrevStep[l][t] = rowRange(hPrev[l], t * batch, (t + 1) * batch);
                }
            }
        }
    }

    @Override
    public void dropout(double rate, long seed) {
        checkOpen();
        Check.fraction("dropout", rate);
        dropRate = rate;
        if (rate == 0) {
            return;
        }
        if (masks == null) {
            masks = new INDArray[layers];
            dropped = new INDArray[layers];
            for (int l = 0; l < layers; l++) {
                masks[l] = Nd4j.create(dtype, rows, hidden);
                dropped[l] = Nd4j.create(dtype, rows, hidden);
            }
        }
        for (int l = 0; l < layers; l++) {
            DropoutMask.fill(masks[l], rate, DropoutMask.mix(seed, l));
        }
    }

    /** @return the dropout mask of layer l's outputs, [TB, H], or null without dropout (tests) */
    INDArray dropoutMask(int l) {
        return dropRate > 0 ? masks[l] : null;
    }

    /** @return layer l's outputs as the next layer or the decoder reads them: dropped while dropout is on */
    private INDArray drop(int l) {
        if (dropRate == 0) {
            return hOut[l];
        }
        return hOut[l].mul(masks[l], dropped[l]);
    }

    /** @return what {@link #drop} returned in this forward pass, for the weight gradients */
    private INDArray dropped(int l) {
        return dropRate == 0 ? hOut[l] : dropped[l];
    }

    /** Backpropagates through layer l's dropout: dL/dh = dL/d(dropped h) ⊙ mask, in place. */
    private void undrop(int l, INDArray d) {
        if (dropRate > 0) {
            d.muli(masks[l]);
        }
    }

    /**
     * @return the input of layer {@code l > 0} for all T·B rows: the outputs of layer l−1 after
     *     dropout, to be multiplied by {@code wx[l]}
     */
    INDArray below(int l) {
        return drop(l - 1);
    }

    /** @return whether stream b's input at step t is the reset code */
    boolean isReset(int t, int b) {
        return resetCode >= 0 && indices[t * batch + b] == resetCode;
    }

    /** Layer 0's input projection of all T·B rows into {@code out} [TB, G·H]: one-hot · Wx is a row gather. */
    void projectInputs(int[] inputs, INDArray out) {
        if (embedding == null) {
            Nd4j.pullRows(wx[0], out, 1, inputs);
        } else {
            Nd4j.pullRows(embedding, embedded, 1, inputs);
            blas.gemm(embedded, wx[0], out, false, false, 1.0, 0.0);
        }
    }

    /**
     * Logits of the top layer's outputs {@code top} [TB, H] (after dropout) into {@link #logits},
     * softmax into {@link #probs}.
     */
    void output(INDArray top) {
        checkTop(top);
        top = drop(layers - 1);
        blas.gemm(top, wy, probs, false, false, 1.0, 0.0); // [TB,H]·[H,V]
        probs.addiRowVector(by);
        logits.assign(probs);
        Nd4j.exec(new SoftMax(probs, probs, 1));
    }

    /** Output-layer gradients from {@code probs} (now dL/dlogits), and dL/d{@code top} into {@code dTop}. */
    void outputBackward(INDArray top, INDArray dTop) {
        checkTop(top);
        top = dropped(layers - 1);
        blas.gemm(top, probs, gWy, true, false, 1.0, 0.0); // dWy = H^T·dY
        blas.gemm(ones, probs, gBy, false, false, 1.0, 0.0); // column sums
        blas.gemm(probs, wy, dTop, false, true, 1.0, 0.0); // dH = dY·Wy^T
        undrop(layers - 1, dTop);
    }

    private void checkTop(INDArray top) {
        if (top != hOut[layers - 1]) {
            throw new IllegalStateException("internal error: the decoder reads the top layer's outputs");
        }
    }

    /**
     * Gradients of layer {@code l}'s input weights from {@code dz} [TB, G·H] = dL/d(input projection);
     * for {@code l > 0} also dL/d(the layer below's outputs {@code below}) into {@code dBelow}.
     */
    void inputBackward(int l, INDArray dz, INDArray below, INDArray dBelow) {
        if (l > 0) {
            if (below != hOut[l - 1]) {
                throw new IllegalStateException("internal error: layer " + l + " reads the outputs of layer " + (l - 1));
            }
            blas.gemm(dropped(l - 1), dz, gWx[l], true, false, 1.0, 0.0); // the input as the forward pass read it
            blas.gemm(dz, wx[l], dBelow, false, true, 1.0, 0.0); // into the layer below
            undrop(l - 1, dBelow);
        } else if (embedding == null) {
            scatter.addRows(gWx[0], dz, indices);
        } else {
            blas.gemm(embedded, dz, gWx[0], true, false, 1.0, 0.0);
            blas.gemm(dz, wx[0], dEmbedded, false, true, 1.0, 0.0);
            scatter.addRows(gEmbedding, dEmbedded, indices);
        }
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
        checkOpen();
        if (dtype != DataType.FLOAT) {
            throw new IllegalStateException("internal error: float parameters given to a " + dtype + " kernel");
        }
        params.data().asNioFloat().put(0, parameters, 0, parameters.length);
    }

    @Override
    public final double loss(int[] inputs, int[] targets, boolean carry) {
        checkOpen();
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
        checkOpen();
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

    /** Throws when {@link #close} has freed the buffers: a view of a freed buffer would read freed memory. */
    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("internal error: " + this + " is closed");
        }
    }

    /**
     * Frees the off-heap buffers now rather than when the collector finds their arrays unreachable:
     * with a heap of a quarter of the RAM that can be long after the run, and a kernel made after it
     * (the next run, an evaluation) would hold its own beside them. Subclasses free their own arrays
     * and call this. Idempotent; nothing may run after it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        free(params, grads, probs, logits, ones, embedded, dEmbedded);
        free(hs);
        free(hPrev);
        free(masks);
        free(dropped);
        scatter.close();
    }

    /** Frees whole (non-view) arrays; nulls are skipped. */
    static void free(INDArray... arrays) {
        if (arrays == null) {
            return;
        }
        for (INDArray a : arrays) {
            if (a != null && !a.wasClosed()) {
                a.close();
            }
        }
    }
}
