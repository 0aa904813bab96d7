package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.eval.Evaluation;
import io.charrnn.eval.NextCharacter;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models saved by real PyTorch ({@code tools/pytorch/make_fixtures.py}: vanilla tanh and ReLU,
 * LSTM and GRU, one-hot and embedding, 1 and 2 layers, float32/16 and bfloat16, as {@code .pt} and
 * {@code .safetensors}) import with PyTorch's log-probabilities, and charrnn's exports read back bit
 * for bit.
 */
class PyTorchImportTest {
    static final String FIXTURES = "/io/charrnn/io/pytorch/";

    @TempDir
    Path dir;

    static JsonObject expected() throws IOException {
        try (InputStream in = PyTorchImportTest.class.getResourceAsStream(FIXTURES + "expected.json")) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }

    /** Copies a fixture out of the class path, since the readers take files. */
    static Path fixture(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        if (!Files.exists(p)) {
            try (InputStream in = PyTorchImportTest.class.getResourceAsStream(FIXTURES + name)) {
                Files.copy(in, p);
            }
        }
        return p;
    }

    static List<String> strings(JsonArray a) {
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.getAsString()));
        return out;
    }

    static RnnModel importCase(Path dir, String file, JsonObject c) throws IOException {
        return PyTorchImport.from(fixture(dir, file)).characters(strings(c.getAsJsonArray("chars")))
                .activation(Activation.valueOf(c.get("activation").getAsString().toUpperCase(Locale.ROOT))).read();
    }

    static Stream<Arguments> files() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (String name : expected().getAsJsonObject("cases").keySet()) {
            out.add(Arguments.of(name + ".pt"));
            if (!name.startsWith("checkpoint")) {
                out.add(Arguments.of(name + ".safetensors"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest
    @MethodSource("files")
    void import_givesPyTorchsLogProbabilities(String file) throws IOException {
        JsonObject all = expected();
        String name = file.substring(0, file.lastIndexOf('.'));
        JsonObject c = all.getAsJsonObject("cases").getAsJsonObject(name);
        RnnModel model = importCase(dir, file, c);

        JsonObject config = c.getAsJsonObject("config");
        assertEquals(CellType.valueOf(config.get("cell").getAsString().toUpperCase(Locale.ROOT)),
                model.config().cell());
        assertEquals(config.get("hidden").getAsInt(), model.config().hidden());
        assertEquals(config.get("layers").getAsInt(), model.config().layers());
        assertEquals(config.get("embedding").getAsInt(), model.config().embedding());

        List<String> chars = strings(c.getAsJsonArray("chars"));
        String text = all.get("text").getAsString();
        JsonArray logprobs = c.getAsJsonArray("logprobs");
        int[] cps = text.codePoints().toArray();
        double worst = 0;
        for (int i = 0; i + 1 < cps.length; i++) {
            String prefix = new String(cps, 0, i + 1);
            Map<Integer, Double> got = new LinkedHashMap<>();
            for (NextCharacter n : Evaluation.nextCharacters(model, prefix, chars.size())) {
                got.put(n.codePoint(), Math.log(n.probability()));
            }
            JsonArray row = logprobs.get(i).getAsJsonArray();
            for (int j = 0; j < chars.size(); j++) {
                double diff = Math.abs(got.get(chars.get(j).codePointAt(0)) - row.get(j).getAsDouble());
                worst = Math.max(worst, diff);
                if (diff > 1e-5) {
                    throw new AssertionError(file + ": log p('" + chars.get(j) + "' | \"" + prefix + "\") is "
                            + got.get(chars.get(j).codePointAt(0)) + ", PyTorch's " + row.get(j));
                }
            }
        }
        assertTrue(worst < 1e-5, "worst " + worst);
    }

    @ParameterizedTest
    @MethodSource("files")
    void export_thenImport_isBitExact(String file) throws IOException {
        String name = file.substring(0, file.lastIndexOf('.'));
        RnnModel model = importCase(dir, file, expected().getAsJsonObject("cases").getAsJsonObject(name));
        for (PyTorchFormat format : PyTorchFormat.values()) {
            Path out = dir.resolve("out." + format.name().toLowerCase(Locale.ROOT));
            PyTorchExport.write(model, out, format);
            RnnModel back = PyTorchImport.from(out).vocabulary(model.vocabulary().orElseThrow())
                    .activation(model.config().activation()).read();
            assertEquals(model, back, file + " via " + format);
        }
    }

    @Test
    void export_ofCharrnnModels_isBitExact_andSafetensorsRecordsTheVocabulary() throws IOException {
        Vocabulary v = Vocabulary.fromText("hello, wörld \uD83D\uDE00\n");
        List<RnnModel> models = List.of(
                RnnModel.builder().vocabulary(v).hidden(7).seed(1).build(),
                RnnModel.builder().vocabulary(v).hidden(5).layers(3).activation(Activation.RELU).embedding(4).seed(2)
                        .build(),
                RnnModel.builder().vocabulary(v).cell(CellType.LSTM).hidden(6).layers(2).seed(3).build(),
                RnnModel.builder().vocabulary(v).cell(CellType.GRU).hidden(4).layers(2).embedding(3).seed(4).build());
        for (RnnModel m : models) {
            Path st = dir.resolve("m.safetensors");
            PyTorchExport.write(m, st, PyTorchFormat.SAFETENSORS);
            // no vocabulary given: the export recorded it
            assertSameModel(m, PyTorchImport.from(st).activation(m.config().activation()).read());
            Path pt = dir.resolve("m.pt");
            PyTorchExport.write(m, pt, PyTorchFormat.PT);
            assertSameModel(m, PyTorchImport.from(pt).vocabulary(v).activation(m.config().activation()).read());
            assertEquals(Safetensors.read(st).tensors().keySet(), PtArchive.read(pt).keySet());
        }
        Map<String, String> meta = Safetensors.read(dir.resolve("m.safetensors")).metadata();
        assertEquals("CharRNN(vocab=12, hidden=4, layers=2, cell=\"gru\", embedding=3, nonlinearity=\"tanh\")",
                meta.get("charrnn.module"));
        JsonArray chars = JsonParser.parseString(meta.get("charrnn.vocabulary")).getAsJsonArray();
        assertEquals(v.size(), chars.size());
        assertEquals("\uD83D\uDE00", chars.get(v.size() - 1).getAsString());
    }

    /** The same architecture, vocabulary and weights bit for bit (a file does not keep the seed or init settings). */
    static void assertSameModel(RnnModel expected, RnnModel actual) {
        var e = expected.config();
        var a = actual.config();
        assertEquals(List.of(e.cell(), e.activation(), e.hidden(), e.layers(), e.embedding()),
                List.of(a.cell(), a.activation(), a.hidden(), a.layers(), a.embedding()), expected.toString());
        assertEquals(expected.vocabulary(), actual.vocabulary());
        Map<String, float[]> ew = expected.weights();
        Map<String, float[]> aw = actual.weights();
        assertEquals(ew.keySet(), aw.keySet());
        ew.forEach((k, w) -> assertTrue(java.util.Arrays.equals(w, aw.get(k)), k + " differs"));
    }

    @Test
    void export_namesAndLayout_areThoseOfTheReferenceModule() throws IOException {
        Vocabulary v = Vocabulary.fromText("abc");
        RnnModel m = RnnModel.builder().vocabulary(v).cell(CellType.LSTM).hidden(2).layers(2).embedding(5).build();
        Path pt = dir.resolve("m.pt");
        PyTorchExport.write(m, pt, PyTorchFormat.PT);
        Map<String, TorchTensor> sd = PtArchive.read(pt);
        List<String> shapes = sd.values().stream().map(t -> t.name() + t.shapeText()).toList();
        assertEquals(List.of("embed.weight[3, 5]", "rnn.weight_ih_l0[8, 5]", "rnn.weight_hh_l0[8, 2]",
                "rnn.bias_ih_l0[8]", "rnn.bias_hh_l0[8]", "rnn.weight_ih_l1[8, 2]", "rnn.weight_hh_l1[8, 2]",
                "rnn.bias_ih_l1[8]", "rnn.bias_hh_l1[8]", "decoder.weight[3, 2]", "decoder.bias[3]"), shapes);
        // weight_ih is wx transposed, and the second bias is zero
        float[] wx = m.weights().get("layer0.wx"); // [5, 8]
        float[] ih = sd.get("rnn.weight_ih_l0").values(); // [8, 5]
        assertEquals(wx[2 * 8 + 7], ih[7 * 5 + 2]);
        for (float b : sd.get("rnn.bias_hh_l1").values()) {
            assertEquals(0f, b);
        }
    }

    @Test
    void unsortedCharacters_areReorderedIntoTheSortedVocabulary() throws IOException {
        JsonObject c = expected().getAsJsonObject("cases").getAsJsonObject("rnn_unsorted");
        List<String> order = strings(c.getAsJsonArray("chars"));
        RnnModel model = importCase(dir, "rnn_unsorted.pt", c);
        Vocabulary v = model.vocabulary().orElseThrow();
        assertEquals(Vocabulary.fromText(String.join("", order)), v);
        // the same file read as if it were sorted predicts other characters
        RnnModel wrong = PyTorchImport.from(fixture(dir, "rnn_unsorted.pt")).vocabulary(v).read();
        assertTrue(!java.util.Arrays.equals(wrong.weights().get("output.b"), model.weights().get("output.b")));
        assertEquals(model.weights().get("output.b")[0], wrong.weights().get("output.b")[v.size() - 1]);
    }

    @Test
    void moduleNames_canBeGiven() throws IOException {
        JsonObject c = expected().getAsJsonObject("cases").getAsJsonObject("lstm_embed_l2");
        RnnModel detected = importCase(dir, "lstm_embed_l2.pt", c);
        RnnModel named = PyTorchImport.from(fixture(dir, "lstm_embed_l2.pt"))
                .characters(strings(c.getAsJsonArray("chars"))).embeddingModule("encoder").rnnModule("lstm")
                .decoderModule("fc").read();
        assertEquals(detected, named);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> PyTorchImport
                .from(fixture(dir, "lstm_embed_l2.pt")).characters(strings(c.getAsJsonArray("chars")))
                .rnnModule("rnn").read());
        assertTrue(e.getMessage().contains("expected the recurrent module 'rnn' to have a tensor 'rnn.weight_ih_l0'"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PyTorchImport.from(dir).rnnModule("a..b"));
    }

    @Test
    void checkpointDict_findsTheStateDictInside() throws IOException {
        JsonObject c = expected().getAsJsonObject("cases").getAsJsonObject("checkpoint_lstm");
        assertEquals(CellType.LSTM, importCase(dir, "checkpoint_lstm.pt", c).config().cell());
    }

    static JsonElement parse(String s) {
        return JsonParser.parseString(s);
    }
}
