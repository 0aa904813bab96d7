package io.charrnn.internal.cells;

import io.charrnn.internal.check.Check;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Where each weight matrix of a model lives in the one flat parameter buffer.
 *
 * <p>Order and names (V = vocabulary size, D = embedding size, H = hidden size, G = gates per
 * cell: 1 vanilla, 4 LSTM, 3 GRU; row-major): {@code embedding [V, D]} (only with an embedding),
 * then for each layer l {@code layer<l>.wx [in, G·H]} (in = V one-hot, D embedded, H above the
 * first layer), {@code layer<l>.wh [H, G·H]}, and the biases: {@code layer<l>.b [G·H]} for the
 * vanilla and LSTM cells, {@code layer<l>.bx [3H]} and {@code layer<l>.bh [3H]} for the GRU (whose
 * candidate gate needs the recurrent bias apart); then {@code output.w [H, V]}, {@code output.b [V]}.
 * Gates are concatenated along the columns: i, f, g, o for the LSTM (libnd4j's {@code lstmLayer}
 * order), r, z, n for the GRU (PyTorch's). The logits are {@code y_t = h_t·output.w + output.b},
 * with row vectors throughout.
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
        Check.atLeast("vocabulary size", vocabularySize, 1);
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
        long gh = (long) gates(config.cell()) * h;
        for (int l = 0; l < config.layers(); l++) {
            offset = add(list, "layer" + l + ".wx", l == 0 ? in : h, gh, offset, false);
            offset = add(list, "layer" + l + ".wh", h, gh, offset, false);
            if (config.cell() == CellType.GRU) {
                offset = add(list, "layer" + l + ".bx", 1, gh, offset, true);
                offset = add(list, "layer" + l + ".bh", 1, gh, offset, true);
            } else {
                offset = add(list, "layer" + l + ".b", 1, gh, offset, true);
            }
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

    /** @return the number of gate blocks of H columns in a cell's matrices: 1, 4 (LSTM) or 3 (GRU) */
    public static int gates(CellType cell) {
        return switch (cell) {
            case RNN -> 1;
            case LSTM -> 4;
            case GRU -> 3;
        };
    }

    /** @return the cell type */
    public CellType cell() {
        return config.cell();
    }

    /** @return the carried state values of B streams: layers × B × H, twice that for the LSTM (h and c) */
    public int stateSize(int batch) {
        return (config.cell() == CellType.LSTM ? 2 : 1) * config.layers() * batch * config.hidden();
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

    /** @return {@code layer<l>.b}, or the GRU's input-side bias {@code layer<l>.bx} */
    public Tensor bias(int layer) {
        return tensor("layer" + layer + (config.cell() == CellType.GRU ? ".bx" : ".b"));
    }

    /** @return the GRU's recurrent-side bias {@code layer<l>.bh} */
    public Tensor recurrentBias(int layer) {
        return tensor("layer" + layer + ".bh");
    }

    public Tensor outputWeights() {
        return tensor("output.w");
    }

    public Tensor outputBias() {
        return tensor("output.b");
    }

    /**
     * Draws initial parameters: weights uniform in {@code [-initScale, initScale]} in layout order
     * from a generator seeded with the config's seed; biases zero, except the LSTM's. The LSTM's
     * forget-gate bias starts at {@link ModelConfig#forgetBias()}, by default 0 (measured: docs/quality.md;
     * 1, Gers et al. 2000 and Jozefowicz et al. 2015, makes a fresh cell remember), and its input, candidate and output gate biases are then drawn from
     * the same generator as the sum of two uniform draws in {@code [-initScale, initScale]}: the
     * distribution of PyTorch's {@code b_ih + b_hh}. With these biases at zero, charrnn's C3 LSTM
     * learned measurably less per step than PyTorch's from otherwise identical weights
     * (tools/lstm-compare, issue 6).
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
        if (config.cell() == CellType.LSTM) {
            int h = config.hidden();
            for (int l = 0; l < config.layers(); l++) {
                int off = bias(l).offset();
                for (int i = off; i < off + 4 * h; i++) {
                    double a = rng.nextDouble() * 2 - 1;
                    double b = rng.nextDouble() * 2 - 1;
                    p[i] = (float) ((a + b) * s);
                }
                java.util.Arrays.fill(p, off + h, off + 2 * h, (float) config.forgetBias());
            }
        }
        return p;
    }
}
