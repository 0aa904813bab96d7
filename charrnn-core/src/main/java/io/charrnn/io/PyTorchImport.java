package io.charrnn.io;

import io.charrnn.internal.check.Check;
import io.charrnn.model.Activation;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a PyTorch state dict of a character model, {@code nn.Embedding} (optional) → {@code nn.RNN},
 * {@code nn.LSTM} or {@code nn.GRU} (1..N layers) → {@code nn.Linear}, into a charrnn model:
 *
 * <pre>{@code
 * RnnModel model = PyTorchImport.from(Path.of("model.pt"))
 *         .vocabulary(Vocabulary.fromText(trainingText))   // Python's sorted(set(text))
 *         .read();
 * }</pre>
 *
 * <p>The file is a {@code torch.save}d state dict ({@code .pt}, read by a restricted unpickler that
 * builds only tensors, containers and plain values and never runs code: PyTorch's {@code
 * weights_only=True}) or a {@code .safetensors} file; the format is told by the file's first bytes
 * (and the {@code .safetensors} extension).
 * A training checkpoint whose dict holds the state dict under {@code "state_dict"}, {@code
 * "model_state_dict"} or {@code "model"} is read too. The modules are found by shape and by the
 * usual names ({@code embed}/{@code embedding}/{@code encoder}, {@code rnn}/{@code lstm}/{@code gru},
 * {@code decoder}/{@code fc}/...), or named with {@link #embeddingModule}, {@link #rnnModule} and
 * {@link #decoderModule}. The cell type, sizes and layer count come from the shapes; a state dict
 * does not record a vanilla RNN's non-linearity, so ReLU models need {@link #activation}. PyTorch's
 * two bias vectors are summed where charrnn has one. float16, bfloat16 and float64 tensors are
 * converted to float32 (float64 rounded); other dtypes, a bidirectional RNN, an LSTM with {@code
 * proj_size}, missing or extra tensors are refused with a {@link ModelFormatException} that names
 * them.
 *
 * <p>A mutable, single-threaded builder; {@link #read()} may be called more than once.
 */
public final class PyTorchImport {
    private final Path source;
    private int[] characters; // in PyTorch's index order
    private Activation activation = Activation.TANH;
    private String embedding;
    private String rnn;
    private String decoder;

    private PyTorchImport(Path source) {
        this.source = source;
    }

    /**
     * @param source a {@code .pt} or {@code .safetensors} file holding a state dict
     * @return a builder reading it
     */
    public static PyTorchImport from(Path source) {
        return new PyTorchImport(Objects.requireNonNull(source, "source"));
    }

    /**
     * The characters of the model as Python's {@code chars = sorted(set(text))}: index i is the
     * vocabulary's i-th code point. Required unless the file is a charrnn export, which records them.
     *
     * @param vocabulary the vocabulary
     * @return this builder
     */
    public PyTorchImport vocabulary(Vocabulary vocabulary) {
        this.characters = Objects.requireNonNull(vocabulary, "vocabulary").codePoints();
        return this;
    }

    /**
     * The characters of the model in its index order, for a model trained with another order than
     * the sorted one ({@code itos} of a tokenizer); the model's rows are reordered into charrnn's
     * sorted vocabulary, which predicts the same.
     *
     * @param characters one single-code-point string per index
     * @return this builder
     * @throws IllegalArgumentException if a string is not exactly one code point, or one repeats
     */
    public PyTorchImport characters(List<String> characters) {
        this.characters = codePoints(Objects.requireNonNull(characters, "characters"));
        return this;
    }

    /** The code points of one-character strings, checked: at least one, each one code point, distinct. */
    static int[] codePoints(List<String> characters) {
        Check.notEmpty("characters", characters.size());
        int[] cps
 = new int[characters.size()];
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < cps.length; i++) {
            String s = Objects.requireNonNull(characters.get(i), "characters[" + i + "]");
            if (s.codePointCount(0, s.length()) != 1) {
                throw new IllegalArgumentException("characters[" + i + "] must be one character (code point), got \""
                        + s + "\" (" + s.codePointCount(0, s.length()) + ")");
            }
            cps[i] = s.codePointAt(0);
            if (!seen.add(cps[i])) {
                throw new IllegalArgumentException("characters must be distinct, got " + Vocabulary.describe(cps[i])
                        + " again at index " + i);
            }
        }
        return cps;
    }

    /**
     * @param activation a vanilla RNN's non-linearity ({@code nn.RNN(nonlinearity=...)}); default
     *     {@link Activation#TANH}, PyTorch's default. The LSTM and GRU ignore it.
     * @return this builder
     */
    public PyTorchImport activation(Activation activation) {
        this.activation = Objects.requireNonNull(activation, "activation");
        return this;
    }

    /**
     * @param name the {@code nn.Embedding}'s module path in the state dict, e.g. {@code "encoder"} or
     *     {@code "model.embed"}; default: found by shape and name (none for a one-hot model)
     * @return this builder
     */
    public PyTorchImport embeddingModule(String name) {
        this.embedding = checkName(name, "embeddingModule");
        return this;
    }

    /**
     * @param name the recurrent module's path, e.g. {@code "lstm"}; default: found by its tensors
     * @return this builder
     */
    public PyTorchImport rnnModule(String name) {
        this.rnn = checkName(name, "rnnModule");
        return this;
    }

    /**
     * @param name the output {@code nn.Linear}'s path, e.g. {@code "fc"}; default: found by shape and name
     * @return this builder
     */
    public PyTorchImport decoderModule(String name) {
        this.decoder = checkName(name, "decoderModule");
        return this;
    }

    private static String checkName(String name, String what) {
        Objects.requireNonNull(name, what);
        if (!name.matches("[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*")) {
            throw new IllegalArgumentException(what + " must be a module path like \"rnn\" or \"model.rnn\", got \""
                    + name + "\"");
        }
        return name;
    }

    /**
     * Reads the file and builds the model.
     *
     * @return a bound model with the file's weights, untrained ({@code trainingInfo()} empty)
     * @throws ModelFormatException if the file is not a state dict, is damaged, or holds tensors that
     *     do not form a model charrnn has; the message names the file and the tensors
     * @throws IllegalArgumentException if the vocabulary's size disagrees with the model's
     * @throws IllegalStateException if no vocabulary was given and the file does not record one
     * @throws IOException if the file cannot be read
     */
    public RnnModel read() throws IOException {
        Map<String, TorchTensor> dict;
        int[] chars = characters;
        if (detect(source) == PyTorchFormat.SAFETENSORS) {
            Safetensors.Contents c = Safetensors.read(source);
            dict = c.tensors();
            if (chars == null && c.metadata().containsKey(PyTorchExport.VOCABULARY_KEY)) {
                chars = PyTorchExport.parseCharacters(source, c.metadata().get(PyTorchExport.VOCABULARY_KEY));
            }
        } else {
            dict = PtArchive.read(source);
        }
        if (chars == null) {
            throw new IllegalStateException("the vocabulary is needed to read " + source
                    + ": call vocabulary(v) or characters(list) first");
        }
        return StateDictMapping.toModel(source.toString(), dict, chars, activation,
                new StateDictMapping.Names(embedding, rnn, decoder));
    }

    /**
     * A zip archive ({@code PK}) is a {@code .pt} file; a file named {@code *.safetensors}, or whose
     * header length is followed by {@code '{'}, is a safetensors file; anything else goes to the
     * {@code .pt} reader, which tells what it is.
     */
    private static PyTorchFormat detect(Path file) throws IOException {
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return PyTorchFormat.PT;
        }
        return n == 9 && head[8] == '{' || PyTorchFormat.ofFileName(file).orElse(null) == PyTorchFormat.SAFETENSORS
                ? PyTorchFormat.SAFETENSORS : PyTorchFormat.PT;
    }
}
