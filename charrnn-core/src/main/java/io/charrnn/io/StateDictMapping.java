package io.charrnn.io;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps a PyTorch state dict of {@code nn.Embedding} (optional) → {@code nn.RNN}/{@code nn.LSTM}/{@code
 * nn.GRU} → {@code nn.Linear} onto charrnn's weights, and back.
 *
 * <p>PyTorch keeps {@code weight_ih_l<l> [G·H, in]}, {@code weight_hh_l<l> [G·H, H]}, {@code
 * bias_ih_l<l>}, {@code bias_hh_l<l> [G·H]} with column vectors; charrnn keeps {@code layer<l>.wx [in,
 * G·H]}, {@code layer<l>.wh [H, G·H]} with row vectors, so the matrices are transposed. The gate
 * orders agree (LSTM i, f, g, o; GRU r, z, n). charrnn's vanilla and LSTM cells have one bias, the
 * sum {@code bias_ih + bias_hh}; the GRU keeps both ({@code bx}, {@code bh}), because PyTorch's
 * candidate gate multiplies the recurrent bias by r. The decoder's {@code weight [V, H]} is {@code
 * output.w [H, V]} transposed. Export writes charrnn's single bias as {@code bias_ih} and zeros as
 * {@code bias_hh}, so export then import gives the same bits.
 */
final class StateDictMapping {
    /** Conventional module names, in order of preference when several modules fit. */
    static final List<String> RNN_NAMES = List.of("rnn", "lstm", "gru");
    static final List<String> EMBEDDING_NAMES = List.of("embed", "embedding", "encoder", "emb", "embeddings");
    static final List<String> DECODER_NAMES = List.of("decoder", "fc", "linear", "out", "output", "head");

    /** The module names export writes: those of the reference CharModel. */
    static final String EMBED = "embed";
    static final String RNN = "rnn";
    static final String DECODER = "decoder";

    private static final Pattern REVERSE = Pattern.compile("(.*\\.)?(weight|bias)_(ih|hh)_l\\d+_reverse");
    private static final Pattern PROJECTION = Pattern.compile("(.*\\.)?weight_hr_l\\d+");

    /** Module name overrides; null: find by convention and shape. */
    record Names(String embedding, String rnn, String decoder) {
    }

    private final String source;
    private final Map<String, TorchTensor> dict;
    private final Set<String> used = new LinkedHashSet<>();

    private StateDictMapping(String source, Map<String, TorchTensor> dict) {
        this.source = source;
        this.dict = dict;
    }

    /**
     * Builds a charrnn model from a state dict.
     *
     * @param source the file, for messages
     * @param dict the tensors
     * @param characters the code points of the model's characters in PyTorch's index order (distinct)
     * @param activation the vanilla cell's non-linearity, which a state dict does not record
     * @param names module name overrides
     * @throws ModelFormatException if the tensors do not form a model charrnn has
     * @throws IllegalArgumentException if the vocabulary's size disagrees with the model's
     */
    static RnnModel toModel(String source, Map<String, TorchTensor> dict, int[] characters, Activation activation,
                            Names names) throws ModelFormatException {
        return new StateDictMapping(source, dict).toModel(characters, activation, names);
    }

    private ModelFormatException error(String message) {
        return new ModelFormatException(source + ": " + message);
    }

    private RnnModel toModel(int[] characters, Activation activation, Names names) throws ModelFormatException {
        for (String k : dict.keySet()) {
            if (REVERSE.matcher(k).matches()) {
                throw error("'" + k + "' belongs to a bidirectional RNN, which charrnn does not have (its cells read "
                        + "left to right only)");
            }
            if (PROJECTION.matcher(k).matches()) {
                throw error("'" + k + "' " + dict.get(k).shapeText() + " belongs to an LSTM with proj_size, which "
                        + "charrnn does not have");
            }
        }
        String rnn = rnnPrefix(names.rnn());
        int layers = 0;
        while (dict.containsKey(rnn + "weight_ih_l" + layers)) {
            layers++;
        }
        if (layers > ModelConfig.MAX_LAYERS) {
            throw error("expected at most " + ModelConfig.MAX_LAYERS + " layers, found " + layers);
        }
        TorchTensor hh0 = require(rnn + "weight_hh_l0", 2);
        long h = hh0.shape()[1];
        long gh = hh0.shape()[0];
        CellType cell = h <= 0 || gh % h != 0 ? null : switch ((int) Math.min(gh / h, 5)) {
            case 1 -> CellType.RNN;
            case 3 -> CellType.GRU;
            case 4 -> CellType.LSTM;
            default -> null;
        };
        if (cell == null || h > ModelConfig.MAX_SIZE) {
            throw error("expected '" + rnn + "weight_hh_l0' to have the shape [G·H, H] with G = 1 (RNN), 3 (GRU) or "
                    + "4 (LSTM) and H in [1, " + ModelConfig.MAX_SIZE + "], found " + hh0.shapeText());
        }
        TorchTensor ih0 = require(rnn + "weight_ih_l0", 2);
        long input = ih0.shape()[1];
        String decoder = decoderPrefix(names.decoder(), rnn, h);
        TorchTensor decW = require(decoder + "weight", 2);
        long v = decW.shape()[0];
        checkVocabulary(characters.length, v, decoder + "weight", decW);
        String embed = embeddingPrefix(names.embedding(), rnn, decoder, input, v);
        int hidden = (int) h;
        int g = (int) (gh / h);
        int vocab = (int) v;
        int[] pos = positions(characters);
        Map<String, float[]> w = new LinkedHashMap<>();
        int embedding = 0;
        if (embed != null) {
            TorchTensor e = require(embed + "weight", 2);
            checkVocabulary(characters.length, e.shape()[0], embed + "weight", e);
            if (input > ModelConfig.MAX_SIZE) {
                throw error("expected an embedding size in [1, " + ModelConfig.MAX_SIZE + "], found " + e.shapeText());
            }
            embedding = (int) input;
            expect(e, vocab, embedding);
            w.put("embedding", permuteRows(e.values(), vocab, embedding, pos));
        } else if (input != v) {
            throw error("the recurrent layer's input size is " + input + " ('" + rnn + "weight_ih_l0' "
                    + ih0.shapeText() + "), but the vocabulary has " + v + " characters and no embedding [" + v
                    + ", " + input + "] was found (a one-hot model's input size is the vocabulary size; name the "
                    + "embedding module if it has another name)");
        }
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? (int) input : hidden;
            TorchTensor ih = expect(require(rnn + "weight_ih_l" + l, 2), g * hidden, in);
            TorchTensor hhl = expect(require(rnn + "weight_hh_l" + l, 2), g * hidden, hidden);
            TorchTensor bih = expect(require(rnn + "bias_ih_l" + l, 1), g * hidden);
            TorchTensor bhh = expect(require(rnn + "bias_hh_l" + l, 1), g * hidden);
            w.put("layer" + l + ".wx", transpose(ih.values(), g * hidden, in, null,
                    l == 0 && embed == null ? pos : null));
            w.put("layer" + l + ".wh", transpose(hhl.values(), g * hidden, hidden, null, null));
            if (cell == CellType.GRU) {
                w.put("layer" + l + ".bx", bih.values().clone());
                w.put("layer" + l + ".bh", bhh.values().clone());
            } else {
                float[] b = new float[g * hidden];
                for (int i = 0; i < b.length; i++) {
                    float x = bhh.values()[i];
                    b[i] = x == 0 ? bih.values()[i] : bih.values()[i] + x; // + 0 would turn -0.0 into 0.0
                }
                w.put("layer" + l + ".b", b);
            }
        }
        expect(decW, vocab, hidden);
        TorchTensor decB = expect(require(decoder + "bias", 1), vocab);
        w.put("output.w", transpose(decW.values(), vocab, hidden, pos, null));
        float[] ob = new float[vocab];
        for (int j = 0; j < vocab; j++) {
            ob[j] = decB.values()[pos[j]];
        }
        w.put("output.b", ob);
        List<String> extra = new ArrayList<>(dict.keySet());
        extra.removeAll(used);
        if (!extra.isEmpty()) {
            List<String> shown = extra.stream().limit(10).map(k -> k + " " + dict.get(k).shapeText()).toList();
            throw error("found tensors that do not belong to the embedding ('" + (embed == null ? "none, one-hot"
                    : strip(embed)) + "'), the recurrent layers ('" + strip(rnn) + "') or the decoder ('"
                    + strip(decoder) + "'): " + shown
                    + (extra.size() > 10 ? " and " + (extra.size() - 10) + " more" : ""));
        }
        ModelConfig config = new ModelConfig(cell, cell == CellType.RNN ? activation : Activation.TANH, hidden, layers,
                embedding, 1 / Math.sqrt(hidden), 42, 0, 1);
        try {
            return RnnModel.fromWeights(config, Vocabulary.of(characters), w);
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    private static String strip(String prefix) {
        return prefix.endsWith(".") ? prefix.substring(0, prefix.length() - 1) : prefix;
    }

    private static void checkVocabulary(int characters, long rows, String name, TorchTensor t) {
        if (characters != rows) {
            throw new IllegalArgumentException("the vocabulary has " + characters + " characters, but '" + name
                    + "' " + t.shapeText() + " is for " + rows + "; give the characters the model was trained with");
        }
    }

    /** @return {@code pos[j]}: PyTorch's index of charrnn's (sorted) character j */
    private static int[] positions(int[] characters) {
        int[] sorted = characters.clone();
        Arrays.sort(sorted);
        Map<Integer, Integer> index = new HashMap<>();
        for (int i = 0; i < characters.length; i++) {
            index.put(characters[i], i);
        }
        int[] pos = new int[sorted.length];
        for (int j = 0; j < sorted.length; j++) {
            pos[j] = index.get(sorted[j]);
        }
        return pos;
    }

    /**
     * The transpose of a row-major {@code [rows, cols]} matrix, {@code out[c][r] = src[rowPerm[r]][colPerm[c]]},
     * a null permutation being the identity.
     */
    private static float[] transpose(float[] src, int rows, int cols, int[] rowPerm, int[] colPerm) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            int sr = rowPerm == null ? r : rowPerm[r];
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = src[sr * cols + (colPerm == null ? c : colPerm[c])];
            }
        }
        return out;
    }

    /** {@code out[r] = src[rowPerm[r]]} for a row-major {@code [rows, cols]} matrix. */
    private static float[] permuteRows(float[] src, int rows, int cols, int[] rowPerm) {
        float[] out = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, rowPerm[r] * cols, out, r * cols, cols);
        }
        return out;
    }

    private TorchTensor require(String name, int dims) throws ModelFormatException {
        TorchTensor t = dict.get(name);
        if (t == null) {
            throw error("expected a tensor '" + name + "', found none (the file has " + names() + ")");
        }
        if (t.shape().length != dims) {
            throw error("expected '" + name + "' to have " + dims + " dimension" + (dims == 1 ? "" : "s") + ", found "
                    + t.shapeText());
        }
        if (t.values() == null) {
            throw error("'" + name + "' is " + t.dtype() + "; only float32, float64, float16 and bfloat16 tensors "
                    + "convert to charrnn's float32");
        }
        used.add(name);
        return t;
    }

    private TorchTensor expect(TorchTensor t, long... shape) throws ModelFormatException {
        if (!t.hasShape(shape)) {
            throw error("expected '" + t.name() + "' to have the shape " + Arrays.toString(shape) + ", found "
                    + t.shapeText());
        }
        return t;
    }

    private String names() {
        List<String> all = dict.keySet().stream().limit(20).toList();
        return all + (dict.size() > 20 ? " and " + (dict.size() - 20) + " more" : "");
    }

    private String rnnPrefix(String override) throws ModelFormatException {
        if (override != null) {
            String p = prefix(override);
            if (!dict.containsKey(p + "weight_ih_l0")) {
                throw error("expected the recurrent module '" + override + "' to have a tensor '" + p
                        + "weight_ih_l0', found none (the file has " + names() + ")");
            }
            return p;
        }
        List<String> found = new ArrayList<>();
        for (String k : dict.keySet()) {
            if (k.equals("weight_ih_l0") || k.endsWith(".weight_ih_l0")) {
                found.add(k.substring(0, k.length() - "weight_ih_l0".length()));
            }
        }
        return pick(found, RNN_NAMES, "a recurrent module (nn.RNN, nn.LSTM or nn.GRU: a tensor <module>.weight_ih_l0)",
                "rnn");
    }

    /** A module name as a tensor-name prefix: "" for the top level, else {@code name + "."}. */
    private static String prefix(String module) {
        return module.isEmpty() ? "" : module + ".";
    }

    /** The prefix of the module a {@code weight} tensor belongs to, or null if the key is no weight. */
    private static String weightOwner(String key) {
        return key.equals("weight") ? "" : key.endsWith(".weight") ? key.substring(0, key.length() - 6) : null;
    }

    private String decoderPrefix(String override, String rnn, long hidden) throws ModelFormatException {
        if (override != null) {
            return prefix(override);
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, TorchTensor> e : dict.entrySet()) {
            String p = weightOwner(e.getKey());
            TorchTensor bias = p == null ? null : dict.get(p + "bias");
            if (p != null && !p.equals(rnn) && e.getValue().shape().length == 2 && e.getValue().shape()[1] == hidden
                    && bias != null && bias.hasShape(e.getValue().shape()[0])) {
                found.add(p);
            }
        }
        return pick(found, DECODER_NAMES, "a decoder (nn.Linear(" + hidden + ", vocabulary): <module>.weight [V, "
                + hidden + "] and <module>.bias [V])", "decoder");
    }

    private String embeddingPrefix(String override, String rnn, String decoder, long input, long vocab)
            throws ModelFormatException {
        if (override != null) {
            return prefix(override);
        }
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, TorchTensor> e : dict.entrySet()) {
            String p = weightOwner(e.getKey());
            if (p != null && !p.equals(rnn) && !p.equals(decoder) && e.getValue().shape().length == 2
                    && e.getValue().shape()[1] == input && !dict.containsKey(p + "bias")) {
                found.add(p);
            }
        }
        if (found.isEmpty() && input == vocab) {
            return null; // one-hot input
        }
        return pick(found, EMBEDDING_NAMES, "an embedding (nn.Embedding(V, " + input + "): <module>.weight [V, "
                + input + "]) for the recurrent layer's input size " + input
                + " (or a one-hot model, whose input size is the vocabulary size " + vocab + ")", "embedding");
    }

    private String pick(List<String> found, List<String> conventional, String what, String role)
            throws ModelFormatException {
        if (found.size() == 1) {
            return found.get(0);
        }
        for (String name : conventional) {
            if (found.contains(name + ".")) {
                return name + ".";
            }
        }
        if (found.isEmpty()) {
            throw error("expected " + what + ", found none among " + names());
        }
        throw error("found several candidates for " + what + ": " + found.stream().map(StateDictMapping::strip).toList()
                + "; choose one by name (" + role + "=NAME)");
    }

    /**
     * The state dict of a charrnn model, with the module names of the reference {@code CharModel}:
     * {@code embed} (only with an embedding), {@code rnn}, {@code decoder}.
     */
    static Map<String, TorchTensor> fromModel(RnnModel model) {
        ModelConfig c = model.config();
        Map<String, float[]> w = model.weights();
        int v = model.vocabulary().orElseThrow().size();
        int h = c.hidden();
        int gh = switch (c.cell()) {
            case RNN -> h;
            case LSTM -> 4 * h;
            case GRU -> 3 * h;
        };
        Map<String, TorchTensor> out = new LinkedHashMap<>();
        if (c.hasEmbedding()) {
            put(out, EMBED + ".weight", w.get("embedding"), v, c.embedding());
        }
        int input = c.hasEmbedding() ? c.embedding() : v;
        for (int l = 0; l < c.layers(); l++) {
            int in = l == 0 ? input : h;
            put(out, RNN + ".weight_ih_l" + l, transpose(w.get("layer" + l + ".wx"), in, gh, null, null), gh, in);
            put(out, RNN + ".weight_hh_l" + l, transpose(w.get("layer" + l + ".wh"), h, gh, null, null), gh, h);
            if (c.cell() == CellType.GRU) {
                put(out, RNN + ".bias_ih_l" + l, w.get("layer" + l + ".bx"), gh);
                put(out, RNN + ".bias_hh_l" + l, w.get("layer" + l + ".bh"), gh);
            } else {
                put(out, RNN + ".bias_ih_l" + l, w.get("layer" + l + ".b"), gh);
                put(out, RNN + ".bias_hh_l" + l, new float[gh], gh);
            }
        }
        put(out, DECODER + ".weight", transpose(w.get("output.w"), h, v, null, null), v, h);
        put(out, DECODER + ".bias", w.get("output.b"), v);
        return out;
    }

    private static void put(Map<String, TorchTensor> out, String name, float[] values, long... shape) {
        out.put(name, new TorchTensor(name, "float32", shape, values));
    }
}
