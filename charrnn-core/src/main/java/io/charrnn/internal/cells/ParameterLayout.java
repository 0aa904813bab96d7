package io.charrnn.internal.cells;

import io.charrnn.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Where each weight matrix of a vanilla RNN lives in the one flat parameter buffer.
 *
 * <p>Order and names (V = vocabulary size, D = embedding size, H = hidden size, row-major):
 * {@code embedding [V, D]} (only with an embedding), then for each layer l
 * {@code layer<l>.wx [in, H]} (in = V one-hot, D embedded, H above the first layer),
 * {@code layer<l>.wh [H, H]}, {@code layer<l>.b [H]}, then {@code output.w [H, V]},
 * {@code output.b [V]}. The cell computes {@code h_t = f(x_t·wx + h_{t-1}·wh + b)} and the logits
 * {@code y_t = h_t·output.w + output.b}, with row vectors throughout.
 */
public final class ParameterLayout {
    /** One named matrix (a vector has {@code rows == 1} and {@code vector == true}). */
    public record Tensor(String name, int rows, int cols, int offset, boolean vector) {
        /** @return rows × cols */
        public int size() {
            return rows * cols;
        }

        /** @return the shape as written in files and tables: {@code [cols]} for a vector */
        public int[] shape() {
            return vector ? new int[] {cols} : new int[] {rows, cols};
        }
    }

    private final ModelConfig config;
    private final int vocabularySize;
    private final List<Tensor> tensors;
    private final Map<String, Tensor> byName;
    private final int size;

    public ParameterLayout(ModelConfig config, int vocabularySize) {
        if (vocabularySize < 1) {
            throw new IllegalArgumentException("vocabulary size must be >= 1, got " + vocabularySize);
        }
        this.config = config;
        this.vocabularySize = vocabularySize;
        List<Tensor> list = new ArrayList<>();
        int offset = 0;
        int h = config.hidden();
        int in = vocabularySize;
        if (config.hasEmbedding()) {
            offset = add(list, "embedding", vocabularySize, config.embedding(), offset, false);
            in = config.embedding();
        }
        for (int l = 0; l < config.layers(); l++) {
            offset = add(list, "layer" + l + ".wx", l == 0 ? in : h, h, offset, false);
            offset = add(list, "layer" + l + ".wh", h, h, offset, false);
            offset = add(list, "layer" + l + ".b", 1, h, offset, true);
        }
        offset = add(list, "output.w", h, vocabularySize, offset, false);
        offset = add(list, "output.b", 1, vocabularySize, offset, true);
        this.tensors = Collections.unmodifiableList(list);
        Map<String, Tensor> map = new LinkedHashMap<>();
        list.forEach(t -> map.put(t.name(), t));
        this.byName = Collections.unmodifiableMap(map);
        this.size = offset;
    }

    private static int add(List<Tensor> list, String name, long rows, long cols, int offset, boolean vector) {
        long end = offset + rows * cols;
        if (end > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("the model would have more than 2^31 parameters ("
                    + end + " so far at " + name + ")");
        }
        list.add(new Tensor(name, (int) rows, (int) cols, offset, vector));
        return (int) end;
    }

    public ModelConfig config() {
        return config;
    }

    public int vocabularySize() {
        return vocabularySize;
    }

    /** @return the total number of parameters */
    public int size() {
        return size;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** @throws IllegalArgumentException if there is no such tensor */
    public Tensor tensor(String name) {
        Tensor t = byName.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'; the model has " + byName.keySet());
        }
        return t;
    }

    public Tensor embedding() {
        return tensor("embedding");
    }

    public Tensor wx(int layer) {
        return tensor("layer" + layer + ".wx");
    }

    public Tensor wh(int layer) {
        return tensor("layer" + layer + ".wh");
    }

    public Tensor bias(int layer) {
        return tensor("layer" + layer + ".b");
    }

    public Tensor outputWeights() {
        return tensor("output.w");
    }

    public Tensor outputBias() {
        return tensor("output.b");
    }

    /**
     * Draws initial parameters: weights uniform in {@code [-initScale, initScale]} in layout order
     * from a generator seeded with the config's seed, biases zero.
     *
     * @return a fresh flat buffer
     */
    public float[] initialParameters() {
        float[] p = new float[size];
        RandomGenerator rng = new java.util.SplittableRandom(config.seed());
        double s = config.initScale();
        for (Tensor t : tensors) {
            if (t.vector()) {
                continue;
            }
            for (int i = t.offset(); i < t.offset() + t.size(); i++) {
                p[i] = (float) ((rng.nextDouble() * 2 - 1) * s);
            }
        }
        return p;
    }
}
