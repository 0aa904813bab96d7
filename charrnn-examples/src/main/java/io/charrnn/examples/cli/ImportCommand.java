package io.charrnn.examples.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.charrnn.io.PyTorchImport;
import io.charrnn.model.Activation;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Newlines;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn import}: a PyTorch state dict into a charrnn model file. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Imports a PyTorch character model (nn.Embedding or one-hot -> nn.RNN/nn.LSTM/nn.GRU -> "
                + "nn.Linear) saved with torch.save(model.state_dict(), FILE.pt) or as FILE.safetensors into a "
                + "charrnn model file. The .pt file is read without running any of its pickle code.",
                "See docs/pytorch.md."})
final class ImportCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "FILE",
            description = "The state dict: a .pt file from torch.save or a .safetensors file.")
    Path from;

    @Option(names = "--vocabulary", paramLabel = "FILE",
            description = {"The model's characters: a UTF-8 text whose distinct characters, sorted by code point, "
                    + "are the vocabulary (the training text itself, or a file of just those characters: Python's "
                    + "sorted(set(text))), or, for a FILE ending in .json, a JSON list of one-character strings in "
                    + "the model's index order.", "Not needed for a .safetensors file from 'charrnn export', which "
                    + "records its characters."})
    Path vocabulary;

    @Option(names = "--newlines", paramLabel = "RULE", defaultValue = "LF",
            description = "Line endings of a text --vocabulary: lf reads CRLF and a lone CR as LF, as Python's text "
                    + "mode (and so the PyTorch script that trained the model) reads them; keep keeps every character "
                    + "(default: lf).")
    Newlines newlines;

    @Option(names = "--out", required = true, paramLabel = "MODEL", description = "The charrnn model file to write.")
    Path out;

    @Option(names = "--names", paramLabel = "ROLE=MODULE", split = ",",
            description = "Module names, when finding them by shape and the usual names is not enough: "
                    + "embedding=NAME, rnn=NAME, decoder=NAME (e.g. --names rnn=lstm,decoder=fc).")
    List<String> names = new ArrayList<>();

    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "FN",
            description = "A vanilla RNN's non-linearity, which a state dict does not record: tanh or relu "
                    + "(nn.RNN's nonlinearity; default: ${DEFAULT-VALUE}).")
    Activation activation;

    @Override
    public Integer call() throws Exception {
        Map<String, String> modules = modules();
        Options.checkTarget(spec, out, "--out");
        if (Files.exists(from) && Files.exists(out) && Files.isSameFile(from, out)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out must differ from --from, got " + out);
        }
        PyTorchImport in = PyTorchImport.from(from).activation(activation);
        if (vocabulary != null) {
            List<String> chars = characters(vocabulary);
            in.characters(chars);
        }
        modules.forEach((role, name) -> {
            switch (role) {
                case "embedding" -> in.embeddingModule(name);
                case "rnn" -> in.rnnModule(name);
                default -> in.decoderModule(name);
            }
        });
        RnnModel model;
        try {
            model = in.read();
        } catch (IllegalStateException e) {
            if (vocabulary != null) {
                throw e;
            }
            throw new CommandLine.ParameterException(spec.commandLine(), "--vocabulary is needed: " + from
                    + " does not record its characters");
        }
        ModelStore.save(model, out);
        var c = model.config();
        spec.commandLine().getErr().printf(Locale.ROOT, "imported %s%s, hidden %d, %d layer%s, %s, %d characters: %s%n",
                c.cell(), c.cell() == io.charrnn.model.CellType.RNN ? " " + c.activation() : "", c.hidden(),
                c.layers(), c.layers() == 1 ? "" : "s", c.hasEmbedding() ? "embedding " + c.embedding() : "one-hot",
                model.vocabulary().orElseThrow().size(), out);
        spec.commandLine().getErr().flush();
        return 0;
    }

    private Map<String, String> modules() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String n : names) {
            int eq = n.indexOf('=');
            String role = eq < 0 ? n : n.substring(0, eq);
            if (eq < 0 || !List.of("embedding", "rnn", "decoder").contains(role) || out.containsKey(role)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--names takes embedding=NAME, rnn=NAME "
                        + "and decoder=NAME, each once, got '" + n + "'");
            }
            out.put(role, n.substring(eq + 1));
        }
        return out;
    }

    /**
     * The characters of a vocabulary file: a JSON list (for {@code *.json}) in index order, or the
     * sorted distinct code points of a UTF-8 text.
     */
    private List<String> characters(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file); // strict UTF-8, nothing dropped
        } catch (CharacterCodingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--vocabulary must be UTF-8 text, got "
                    + "malformed bytes in " + file);
        }
        List<String> chars = new ArrayList<>();
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            try {
                JsonElement e = JsonParser.parseString(text);
                if (!e.isJsonArray()) {
                    throw new JsonParseException("not a list");
                }
                for (JsonElement x : (JsonArray) e) {
                    if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                        throw new JsonParseException("found " + x);
                    }
                    chars.add(x.getAsString());
                }
            } catch (JsonParseException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--vocabulary " + file + " must be a JSON "
                        + "list of one-character strings, like [\"\\n\", \" \", \"a\"]: " + e.getMessage());
            }
        } else {
            if (text.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--vocabulary must have at least one "
                        + "character, got the empty file " + file);
            }
            // Python's open(f, encoding="utf-8").read() with --newlines lf
            for (int cp : Vocabulary.fromText(newlines.apply(text)).codePoints()) {
                chars.add(Character.toString(cp));
            }
        }
        return chars;
    }
}
