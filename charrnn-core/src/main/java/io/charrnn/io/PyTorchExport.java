package io.charrnn.io;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import io.charrnn.internal.check.Check;
import io.charrnn.internal.format.AtomicFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a charrnn model as a PyTorch state dict that {@code model.load_state_dict(...)} accepts in
 * the module of {@code docs/pytorch.md} ({@code embed} = {@code nn.Embedding} with an embedding,
 * {@code rnn} = {@code nn.RNN}/{@code nn.LSTM}/{@code nn.GRU}, {@code decoder} = {@code nn.Linear}),
 * float32 and contiguous:
 *
 * <pre>{@code
 * PyTorchExport.write(model, Path.of("model.safetensors"), PyTorchFormat.SAFETENSORS);
 * }</pre>
 *
 * <p>charrnn's single bias of a vanilla or LSTM cell becomes {@code bias_ih}, with {@code bias_hh}
 * zero, so {@link PyTorchImport} gives back the same model bit for bit. A {@code .safetensors}
 * file also records the characters (in its {@code __metadata__}, as a JSON list under {@code
 * "charrnn.vocabulary"}) and the architecture (under {@code "charrnn.module"}, the constructor
 * call of the documented module). Stateless and thread-safe.
 */
public final class PyTorchExport {
    /** The {@code __metadata__} key of the characters, a JSON list of one-character strings. */
    static final String VOCABULARY_KEY = "charrnn.vocabulary";
    private static final String MODULE_KEY = "charrnn.module";

    private PyTorchExport() {
    }

    /**
     * Writes the state dict atomically: to a temporary file beside the target, then moved over it,
     * so a failed write leaves a previous file as it was.
     *
     * @param model a bound model
     * @param target the file; its directory must exist
     * @param format the file format
     * @throws IllegalArgumentException if the model is unbound
     * @throws IOException if writing fails
     */
    public static void write(RnnModel model, Path target, PyTorchFormat format) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        Check.bound(model.isBound(), "export");
        Map<String, TorchTensor> dict = StateDictMapping.fromModel(model);
        if (format == PyTorchFormat.PT) {
            AtomicFiles.write(target, out -> PtArchive.write(out, dict));
        } else {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("format", "pt");
            metadata.put(VOCABULARY_KEY, charactersJson(model.vocabulary().orElseThrow()));
            metadata.put(MODULE_KEY, moduleCall(model));
            AtomicFiles.write(target, out -> Safetensors.write(out, dict, metadata));
        }
    }

    /**
     * The Python expression that builds the PyTorch module the export loads into, e.g. {@code
     * CharRNN(vocab=65, hidden=512, layers=1, cell="rnn", embedding=0, nonlinearity="tanh")}, for
     * the {@code CharRNN} class of {@code docs/pytorch.md}.
     *
     * @param model a bound model
     * @return the constructor call
     * @throws IllegalArgumentException if the model is unbound
     */
    public static String moduleCall(RnnModel model) {
        Objects.requireNonNull(model, "model");
        Check.bound(model.isBound(), "export");
        var c = model.config();
        return String.format(Locale.ROOT, "CharRNN(vocab=%d, hidden=%d, layers=%d, cell=\"%s\", embedding=%d, "
                        + "nonlinearity=\"%s\")", model.vocabulary().orElseThrow().size(), c.hidden(), c.layers(),
                c.cell().name().toLowerCase(Locale.ROOT), c.embedding(),
                c.activation().name().toLowerCase(Locale.ROOT));
    }

    /**
     * @param vocabulary a vocabulary
     * @return its characters as a JSON list of strings, index order, as Python's {@code json.dumps(chars)} reads
     */
    public static String charactersJson(Vocabulary vocabulary) {
        Objects.requireNonNull(vocabulary, "vocabulary");
        JsonArray a = new JsonArray();
        for (int cp : vocabulary.codePoints()) {
            a.add(new String(Character.toChars(cp)));
        }
        return a.toString();
    }

    /** Parses a recorded character list; a damaged one is the file's fault. */
    static int[] parseCharacters(Path file, String json) throws ModelFormatException {
        try {
            JsonElement e = JsonParser.parseString(json);
            List<String> chars = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) {
                chars.add(x.getAsString());
            }
            return PyTorchImport.codePoints(chars);
        } catch (RuntimeException e) {
            throw new ModelFormatException(file + ": expected \"" + VOCABULARY_KEY + "\" in the metadata to be a JSON "
                    + "list of distinct one-character strings, found " + (json.length() > 60 ? json.substring(0, 60)
                    + "..." : json) + " (" + e.getMessage() + ")", e);
        }
    }
}
