package io.charrnn.train;

import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.check.Check;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What a worker needs to compute shards of a {@link DataParallel} run's steps: the model's shape,
 * the window length, the global batch and the run's seed. Serializable, so an engine ships it to
 * its workers once; every worker then makes its {@link ShardWorker}s from it. Immutable.
 *
 * <p>The carried hidden state of {@code B} streams is {@code blocks} blocks (one per layer, two for
 * an LSTM: h and c) of {@code B × hidden} floats, stream-major within a block; {@link #sliceState}
 * and {@link #joinState} cut it into shards of streams and put it back.
 */
public final class ShardSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    /** the model's cell */
    private final CellType cell;
    /** the model's activation */
    private final Activation activation;
    /** the hidden size */
    private final int hidden;
    /** the layers */
    private final int layers;
    /** the embedding size, 0 for one-hot */
    private final int embedding;
    /** the model's init scale */
    private final double initScale;
    /** the model's seed */
    private final long modelSeed;
    /** the dropout probability */
    private final double dropout;
    /** the LSTM forget bias */
    private final double forgetBias;
    /** the vocabulary size */
    private final int vocabularySize;
    /** T */
    private final int sequenceLength;
    /** the global B */
    private final int batchSize;
    /** the vocabulary index of the reset character, or -1 */
    private final int resetCode;
    /** the run's seed */
    private final long seed;
    /** the optimizer's kind: 0 SGD, 1 Adagrad, 2 RMSProp, 3 Adam */
    private final int optimizerKind;
    /** the optimizer's components, in its record's order */
    private final double[] optimizerValues;
    /** the gradient clip value */
    private final double clipValue;
    /** the gradient clip norm */
    private final double clipNorm;
    /** the decoupled weight decay */
    private final double weightDecay;
    private transient ParameterLayout layout;

    ShardSpec(ModelConfig c, int vocabularySize, Trainer trainer, int resetCode) {
        this.cell = c.cell();
        this.activation = c.activation();
        this.hidden = c.hidden();
        this.layers = c.layers();
        this.embedding = c.embedding();
        this.initScale = c.initScale();
        this.modelSeed = c.seed();
        this.dropout = c.dropout();
        this.forgetBias = c.forgetBias();
        this.vocabularySize = vocabularySize;
        this.sequenceLength = trainer.sequenceLength();
        this.batchSize = trainer.batchSize();
        this.resetCode = resetCode;
        this.seed = trainer.seed();
        Optimizer o = trainer.optimizer();
        if (o instanceof Optimizer.Sgd g) {
            optimizerKind = 0;
            optimizerValues = new double[] {g.learningRate(), g.momentum()};
        } else if (o instanceof Optimizer.Adagrad g) {
            optimizerKind = 1;
            optimizerValues = new double[] {g.learningRate(), g.epsilon()};
        } else if (o instanceof Optimizer.RmsProp r) {
            optimizerKind = 2;
            optimizerValues = new double[] {r.learningRate(), r.decay(), r.epsilon()};
        } else {
            Optimizer.Adam a = (Optimizer.Adam) o;
            optimizerKind = 3;
            optimizerValues = new double[] {a.learningRate(), a.beta1(), a.beta2(), a.epsilon()};
        }
        this.clipValue = trainer.gradientClipValue();
        this.clipNorm = trainer.gradientClipNorm();
        this.weightDecay = trainer.weightDecay();
    }

    Optimizer optimizer() {
        double[] v = optimizerValues;
        return switch (optimizerKind) {
            case 0 -> new Optimizer.Sgd(v[0], v[1]);
            case 1 -> new Optimizer.Adagrad(v[0], v[1]);
            case 2 -> new Optimizer.RmsProp(v[0], v[1], v[2]);
            default -> new Optimizer.Adam(v[0], v[1], v[2], v[3]);
        };
    }

    double clipValue() {
        return clipValue;
    }

    double clipNorm() {
        return clipNorm;
    }

    double weightDecay() {
        return weightDecay;
    }

    /** @return characters per window, T */
    public int sequenceLength() {
        return sequenceLength;
    }

    /** @return the streams of a whole step, B */
    public int batchSize() {
        return batchSize;
    }

    /** @return the length of the flat weights and gradients */
    public int parameterCount() {
        return layout().size();
    }

    /** @return the floats of hidden state one stream carries */
    public int stateSizePerStream() {
        return layout().stateSize(1);
    }

    /**
     * @param streams streams of one shard, in {@code [1, batchSize]}
     * @return a worker for shards of that many streams; close it when done
     * @throws IllegalArgumentException if {@code streams} is out of range
     */
    public ShardWorker worker(int streams) {
        Check.inRange("streams", streams, 1, batchSize);
        return new ShardWorker(this, streams);
    }

    /**
     * Scores a shard of the validation split as {@link Trainer} validates: the split's codes cut
     * into {@code b} streams of {@code len} predictions, read in windows of {@code sequenceLength}
     * with the state carried; a shard holds consecutive streams.
     *
     * @param weights the flat weights
     * @param codes the shard's codes: {@code streams · len + 1} of them, from its first stream's start
     * @param streams the shard's streams
     * @return {summed nats, characters scored}
     * @throws IllegalArgumentException if {@code streams} does not divide the predictions
     */
    public double[] sumLoss(float[] weights, int[] codes, int streams) {
        if (streams < 1 || (codes.length - 1) % streams != 0) {
            throw new IllegalArgumentException("codes must hold streams × length + 1 values, got " + codes.length
                    + " for " + streams + " streams");
        }
        return io.charrnn.internal.cells.Kernels.sumLoss(layout(), weights, codes, sequenceLength, streams, resetCode);
    }

    /**
     * @param state the hidden state of all {@code batchSize} streams
     * @param from the first stream of the shard
     * @param to the stream after the shard's last
     * @return the shard's hidden state, in the same layout for {@code to − from} streams
     * @throws IllegalArgumentException if the state's length or the range is wrong
     */
    public float[] sliceState(float[] state, int from, int to) {
        Objects.requireNonNull(state, "state");
        int per = stateSizePerStream();
        if (state.length != per * batchSize || from < 0 || to > batchSize || from >= to) {
            throw new IllegalArgumentException("need the state of " + batchSize + " streams (" + per * batchSize
                    + " floats) and 0 <= from < to <= " + batchSize + ", got " + state.length + " floats and " + from
                    + ".." + to);
        }
        int blocks = per / hidden;
        int n = to - from;
        float[] out = new float[n * per];
        for (int k = 0; k < blocks; k++) {
            System.arraycopy(state, (k * batchSize + from) * hidden, out, k * n * hidden, n * hidden);
        }
        return out;
    }

    /**
     * @param shards the hidden states of consecutive shards, in stream order, covering all streams
     * @return the hidden state of all {@code batchSize} streams
     * @throws IllegalArgumentException if the shards do not add up to {@code batchSize} streams
     */
    public float[] joinState(List<float[]> shards) {
        int per = stateSizePerStream();
        int blocks = per / hidden;
        int total = 0;
        for (float[] s : shards) {
            if (s.length % per != 0) {
                throw new IllegalArgumentException("a shard's state must be a multiple of " + per + " floats, got "
                        + s.length);
            }
            total += s.length / per;
        }
        if (total != batchSize) {
            throw new IllegalArgumentException("the shards must hold " + batchSize + " streams, got " + total);
        }
        float[] out = new float[per * batchSize];
        int from = 0;
        for (float[] s : shards) {
            int n = s.length / per;
            for (int k = 0; k < blocks; k++) {
                System.arraycopy(s, k * n * hidden, out, (k * batchSize + from) * hidden, n * hidden);
            }
            from += n;
        }
        return out;
    }

    ParameterLayout layout() {
        if (layout == null) {
            layout = new ParameterLayout(new ModelConfig(cell, activation, hidden, layers, embedding, initScale, modelSeed,
                    dropout, forgetBias), vocabularySize);
        }
        return layout;
    }

    double dropout() {
        return dropout;
    }

    int resetCode() {
        return resetCode;
    }

    long seed() {
        return seed;
    }

    int vocabularySize() {
        return vocabularySize;
    }
}
