package io.charrnn.model;

import io.charrnn.internal.cells.ModelEngine;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.text.Vocabulary;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A character-level recurrent language model: an architecture ({@link ModelConfig}), and, once
 * bound to a {@link Vocabulary}, its weights.
 *
 * <p>{@code RnnModel.builder().hidden(100).build()} gives an unbound model: an architecture whose
 * weights are drawn from its seed when a trainer first binds it to a corpus's vocabulary (or when
 * {@link #withVocabulary} is called). Sampling from an unbound model fails with a message that
 * says so.
 *
 * <p>Immutable and thread-safe; training returns a new model. The weights never escape: every
 * accessor returns a fresh copy. Hidden state is not part of the model; callers such as a sampler
 * keep their own.
 */
public final class RnnModel {
    private final ModelConfig config;
    private final Vocabulary vocabulary; // null while unbound
    private final ModelEngine engine; // the layout and weights; null while unbound
    private final TrainingInfo trainingInfo; // null until trained

    private RnnModel(ModelConfig config, Vocabulary vocabulary, ModelEngine engine, TrainingInfo trainingInfo) {
        this.config = config;
        this.vocabulary = vocabulary;
        this.engine = engine;
        this.trainingInfo = trainingInfo;
    }

    /** @return a builder with char-rnn-like defaults: vanilla tanh cell, hidden 100, 1 layer, one-hot input */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A model with given weights, for example read from a file or trained elsewhere.
     *
     * @param config the architecture
     * @param vocabulary the vocabulary
     * @param weights one entry per parameter named in {@link #parameterShapes()} order, each a
     *     row-major array of the right length
     * @return the model
     * @throws IllegalArgumentException if a parameter is missing, extra, of the wrong length or not finite
     */
    public static RnnModel fromWeights(ModelConfig config, Vocabulary vocabulary, Map<String, float[]> weights) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(vocabulary, "vocabulary");
        Objects.requireNonNull(weights, "weights");
        ParameterLayout layout = new ParameterLayout(config, vocabulary.size());
        float[] flat = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            float[] w = weights.get(t.name());
            if (w == null) {
                throw new IllegalArgumentException("weights must contain '" + t.name() + "' "
                        + Arrays.toString(t.shape()) + ", got only " + weights.keySet());
            }
            if (w.length != t.size()) {
                throw new IllegalArgumentException("'" + t.name() + "' must have " + t.size() + " values "
                        + Arrays.toString(t.shape()) + ", got " + w.length);
            }
            System.arraycopy(w, 0, flat, t.offset(), w.length);
        }
        if (weights.size() != layout.tensors().size()) {
            var extra = new java.util.TreeSet<>(weights.keySet());
            layout.tensors().forEach(t -> extra.remove(t.name()));
            throw new IllegalArgumentException("weights has entries the model does not: " + extra);
        }
        return new RnnModel(config, vocabulary, ModelEngine.adopt(config, vocabulary.size(), flat), null);
    }

    /** A model of an engine (trainers, via internal.access.ModelAccess, which finds this method). */
    private static RnnModel fromEngine(ModelConfig config, Vocabulary vocabulary, ModelEngine engine) {
        return new RnnModel(config, vocabulary, engine, null);
    }

    /** The engine of a bound model (core's packages, via internal.access.ModelAccess). */
    private ModelEngine engine() {
        if (engine == null) {
            throw new IllegalStateException("the model has no vocabulary and no weights yet: train it on a corpus "
                    + "or build it with .vocabulary(v)");
        }
        return engine;
    }

    /** @return the architecture */
    public ModelConfig config() {
        return config;
    }

    /** @return the vocabulary, or empty while the model is unbound */
    public Optional<Vocabulary> vocabulary() {
        return Optional.ofNullable(vocabulary);
    }

    /** @return how the model was trained, or empty for a model that was never trained */
    public Optional<TrainingInfo> trainingInfo() {
        return Optional.ofNullable(trainingInfo);
    }

    /**
     * @param info how the model was trained
     * @return the same model with that training info
     * @throws IllegalStateException if the model is unbound
     */
    public RnnModel withTrainingInfo(TrainingInfo info) {
        Objects.requireNonNull(info, "info");
        return new RnnModel(config, vocabulary, engine(), info);
    }

    /** @return whether the model has a vocabulary and weights */
    public boolean isBound() {
        return vocabulary != null;
    }

    /**
     * Binds an unbound model to a vocabulary, drawing its weights from the config's seed.
     *
     * @param vocabulary the vocabulary
     * @return the bound model; this model if it is already bound to an equal vocabulary
     * @throws IllegalArgumentException if the model is bound to a different vocabulary
     */
    public RnnModel withVocabulary(Vocabulary vocabulary) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        if (this.vocabulary != null) {
            if (this.vocabulary.equals(vocabulary)) {
                return this;
            }
            throw new IllegalArgumentException("vocabulary (" + vocabulary.size() + " code points) differs from the model's ("
                    + this.vocabulary.size() + "); build both from one Vocabulary");
        }
        return new RnnModel(config, vocabulary, ModelEngine.initial(config, vocabulary.size()), null);
    }

    /**
     * @return the number of trainable parameters
     * @throws IllegalStateException if the model is unbound (the count depends on the vocabulary)
     */
    public long parameterCount() {
        return engine().layout().size();
    }

    /**
     * The names and shapes of the weights, in file and layout order, e.g.
     * {@code layer0.wh -> [100, 100]}.
     *
     * @return an unmodifiable ordered map
     * @throws IllegalStateException if the model is unbound
     */
    public Map<String, int[]> parameterShapes() {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        engine().layout().tensors().forEach(t -> shapes.put(t.name(), t.shape()));
        return java.util.Collections.unmodifiableMap(shapes);
    }

    /**
     * @return a fresh copy of every weight, by name, row-major, in layout order
     * @throws IllegalStateException if the model is unbound
     */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        ModelEngine e = engine();
        for (ParameterLayout.Tensor t : e.layout().tensors()) {
            out.put(t.name(), e.copyOf(t));
        }
        return out;
    }

    /** Equal config, vocabulary, training info and weights, bit for bit. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RnnModel m && config.equals(m.config) && Objects.equals(vocabulary, m.vocabulary)
                && Objects.equals(trainingInfo, m.trainingInfo)
                && (engine == null ? m.engine == null : m.engine != null && engine.sameParameters(m.engine));
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, vocabulary, trainingInfo, engine == null ? 0 : engine.parametersHash());
    }

    @Override
    public String toString() {
        return "RnnModel[" + config.cell() + " " + config.activation() + ", hidden=" + config.hidden() + ", layers="
                + config.layers() + ", input=" + (config.hasEmbedding() ? "embedding " + config.embedding() : "one-hot")
                + (config.dropout() > 0 ? ", dropout=" + config.dropout() : "")
                + (config.cell() == CellType.LSTM && config.forgetBias() != 0 ? ", forgetBias=" + config.forgetBias() : "")
                + (engine == null ? ", unbound" : ", vocabulary=" + vocabulary.size() + ", parameters=" + engine.layout().size())
                + "]";
    }

    /**
     * Gathers the settings of a model. Each setter checks its own argument at once; {@link #build()}
     * makes the {@link ModelConfig}. Mutable and single-threaded.
     */
    public static final class Builder {
        private CellType cell = CellType.RNN;
        private Activation activation = Activation.TANH;
        private int hidden = 100;
        private int layers = 1;
        private int embedding = 0;
        private double initScale = Double.NaN; // default 1/sqrt(hidden), as PyTorch's nn.RNN
        private long seed = 42;
        private double dropout = 0;
        private double forgetBias = 0;
        private Vocabulary vocabulary;

        private Builder() {
        }

        /**
         * @param cell the recurrent cell; default {@link CellType#RNN}
         * @return this builder
         */
        public Builder cell(CellType cell) {
            this.cell = Objects.requireNonNull(cell, "cell");
            return this;
        }

        /**
         * @param activation the vanilla cell's non-linearity (the LSTM and GRU ignore it); default {@link Activation#TANH}
         * @return this builder
         */
        public Builder activation(Activation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /**
         * @param hidden units per layer, in {@code [1, 16384]}; default 100
         * @return this builder
         */
        public Builder hidden(int hidden) {
            ModelConfig.checkHidden(hidden);
            this.hidden = hidden;
            return this;
        }

        /**
         * @param layers stacked recurrent layers, in {@code [1, 64]}; default 1
         * @return this builder
         */
        public Builder layers(int layers) {
            ModelConfig.checkLayers(layers);
            this.layers = layers;
            return this;
        }

        /**
         * @param size learned character embedding size, or 0 for one-hot input (the default)
         * @return this builder
         */
        public Builder embedding(int size) {
            ModelConfig.checkEmbedding(size);
            this.embedding = size;
            return this;
        }

        /**
         * @param scale weights start uniform in {@code [-scale, scale]}; default {@code 1/sqrt(hidden)}
         * @return this builder
         */
        public Builder initScale(double scale) {
            ModelConfig.checkInitScale(scale);
            this.initScale = scale;
            return this;
        }

        /**
         * @param seed the seed of the initial weights; default 42
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * @param probability the chance, in {@code [0, 1)}, that training drops a unit of each layer's
         *     output (between layers and before the decoder; inverted dropout, as in char-rnn); default
         *     0 (off). Sampling and evaluation never drop.
         * @return this builder
         */
        public Builder dropout(double probability) {
            ModelConfig.checkDropout(probability);
            this.dropout = probability;
            return this;
        }

        /**
         * @param bias the LSTM's initial forget-gate bias, finite; default 0, PyTorch's choice (its
         *     biases start near 0), which learned more at equal training time than 1 (Gers et al.
         *     2000, a fresh cell that remembers) at every size measured (docs/quality.md); a task
         *     that needs long memory from the first steps may set 1. Other cells ignore it.
         * @return this builder
         */
        public Builder forgetBias(double bias) {
            ModelConfig.checkForgetBias(bias);
            this.forgetBias = bias;
            return this;
        }

        /**
         * @param vocabulary binds the model now, so it has weights before training
         * @return this builder
         */
        public Builder vocabulary(Vocabulary vocabulary) {
            this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
            return this;
        }

        /** @return the model: bound if a vocabulary was given, else an architecture awaiting one */
        public RnnModel build() {
            double scale = Double.isNaN(initScale) ? 1 / Math.sqrt(hidden) : initScale;
            ModelConfig config = new ModelConfig(cell, activation, hidden, layers, embedding, scale, seed, dropout,
                    forgetBias);
            RnnModel model = new RnnModel(config, null, null, null);
            return vocabulary == null ? model : model.withVocabulary(vocabulary);
        }
    }
}
