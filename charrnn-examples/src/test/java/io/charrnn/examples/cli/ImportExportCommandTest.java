package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code charrnn import} and {@code charrnn export}: the command-line contract scripts depend on. */
class ImportExportCommandTest {
    /** The fixtures' text (core's test resources, made by tools/pytorch/make_fixtures.py). */
    private static final String TEXT = "the cat \u00e9 sat \uD83D\uDE00 on the mat\nthe end";

    @TempDir
    Path dir;

    private Path fixture(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/io/charrnn/io/pytorch/" + name)) {
            Files.copy(in, p);
        }
        return p;
    }

    private static void assertSameWeights(RnnModel expected, RnnModel actual) {
        assertEquals(expected.vocabulary(), actual.vocabulary());
        assertEquals(expected.config().cell(), actual.config().cell());
        assertEquals(expected.config().activation(), actual.config().activation());
        Map<String, float[]> a = actual.weights();
        expected.weights().forEach((k, w) -> assertArrayEquals(w, a.get(k), k));
    }

    @Test
    void import_ptWithTheTrainingTextAsVocabulary_thenEval() throws Exception {
        Path text = dir.resolve("train.txt");
        Files.writeString(text, TEXT, StandardCharsets.UTF_8);
        Path out = dir.resolve("m.charrnn");
        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", fixture("rnn_relu_onehot_l2.pt").toString(),
                "--vocabulary", text.toString(), "--activation", "relu", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("imported RNN RELU, hidden 6, 2 layers, one-hot, 14 characters: " + out, r.err().strip());
        RnnModel m = ModelFiles.load(out);
        assertEquals(Activation.RELU, m.config().activation());
        assertEquals(Vocabulary.fromText(TEXT), m.vocabulary().orElseThrow());
        CharRnnCliTest.Run eval = CharRnnCliTest.run("eval", "--model", out.toString(), "--text", text.toString());
        assertEquals(0, eval.status(), eval.err());
        String expected = pytorchEval("rnn_relu_onehot_l2");
        assertTrue(eval.out().startsWith(expected), eval.out() + " vs PyTorch's\n" + expected);
    }

    @Test
    void aCrlfVocabularyText_readsAsPythonsTextMode_unlessNewlinesKeep() throws Exception {
        // the fixture's 14 characters, with CRLF line endings: Python's text mode sees the same 14
        Path crlf = dir.resolve("train-crlf.txt");
        Files.writeString(crlf, TEXT.replace("\n", "\r\n"), StandardCharsets.UTF_8);
        Path pt = fixture("rnn_relu_onehot_l2.pt");
        Path out = dir.resolve("m.charrnn");
        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", pt.toString(),
                "--vocabulary", crlf.toString(), "--activation", "relu", "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(Vocabulary.fromText(TEXT), ModelFiles.load(out).vocabulary().orElseThrow());
        // kept, \r is a 15th character, which the 14-row decoder refuses before anything is written
        Path kept = dir.resolve("kept.charrnn");
        r = CharRnnCliTest.run("import", "--from", pt.toString(), "--vocabulary",
                crlf.toString(), "--newlines", "keep", "--activation", "relu", "--out", kept.toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("the vocabulary has 15 characters"), r.err());
        assertFalse(Files.exists(kept));
    }

    /** PyTorch's {@code eval} output for the fixture text, from the log-probabilities the fixture script recorded. */
    private String pytorchEval(String fixture) throws Exception {
        com.google.gson.JsonObject c;
        try (InputStream in = getClass().getResourceAsStream("/io/charrnn/io/pytorch/expected.json")) {
            c = com.google.gson.JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8))
                    .getAsJsonObject().getAsJsonObject("cases").getAsJsonObject(fixture);
        }
        List<String> chars = new java.util.ArrayList<>();
        c.getAsJsonArray("chars").forEach(e -> chars.add(e.getAsString()));
        int[] cps = TEXT.codePoints().toArray();
        double nats = 0;
        for (int i = 0; i + 1 < cps.length; i++) {
            nats -= c.getAsJsonArray("logprobs").get(i).getAsJsonArray()
                    .get(chars.indexOf(Character.toString(cps[i + 1]))).getAsDouble();
        }
        return String.format(java.util.Locale.ROOT, "characters: %d%nnats/char:  %.4f%n", cps.length - 1,
                nats / (cps.length - 1));
    }

    @Test
    void import_unsortedJsonList_reordersIntoTheSortedVocabulary() throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, TEXT, StandardCharsets.UTF_8);
        Path out = dir.resolve("u.charrnn");
        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", fixture("rnn_unsorted.pt").toString(),
                "--vocabulary", fixture("rnn_unsorted.vocabulary.json").toString(), "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        CharRnnCliTest.Run eval = CharRnnCliTest.run("eval", "--model", out.toString(), "--text", text.toString());
        String expected = pytorchEval("rnn_unsorted");
        assertTrue(eval.out().startsWith(expected), eval.out() + " vs PyTorch's\n" + expected);
    }

    @Test
    void import_safetensorsWithAJsonListAndNames() throws Exception {
        Path vocab = dir.resolve("chars.json");
        Files.writeString(vocab, "[\"\\n\", \" \", \"a\", \"c\", \"d\", \"e\", \"h\", \"m\", \"n\", \"o\", \"s\", "
                + "\"t\", \"é\", "
                + "\"\uD83D\uDE00\"]", StandardCharsets.UTF_8);
        Path out = dir.resolve("m.charrnn");
        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", fixture("lstm_embed_l2.safetensors").toString(),
                "--vocabulary", vocab.toString(), "--names", "embedding=encoder,rnn=lstm,decoder=fc", "--out",
                out.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(CellType.LSTM, ModelFiles.load(out).config().cell());
        assertEquals(3, ModelFiles.load(out).config().embedding());
    }

    @Test
    void export_thenImport_givesTheSameWeights_inBothFormats() throws Exception {
        RnnModel model = RnnModel.builder().cell(CellType.GRU).hidden(5).layers(2).embedding(3).seed(9)
                .vocabulary(Vocabulary.fromText("hello world\n")).build();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        for (String ext : List.of("pt", "safetensors")) {
            Path exported = dir.resolve("m." + ext);
            Path vocab = dir.resolve("v.json");
            CharRnnCliTest.Run r = CharRnnCliTest.run("export", "--model", file.toString(), "--out",
                    exported.toString(), "--vocabulary-out", vocab.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(r.err().contains("CharRNN(vocab=9, hidden=5, layers=2, cell=\"gru\", embedding=3, "
                    + "nonlinearity=\"tanh\")"), r.err());
            assertEquals("[\"\\n\",\" \",\"d\",\"e\",\"h\",\"l\",\"o\",\"r\",\"w\"]", Files.readString(vocab));
            Path back = dir.resolve("back-" + ext + ".charrnn");
            r = CharRnnCliTest.run("import", "--from", exported.toString(), "--vocabulary", vocab.toString(),
                    "--out", back.toString());
            assertEquals(0, r.status(), r.err());
            assertSameWeights(model, ModelFiles.load(back));
        }
        // a .safetensors export records its characters: --vocabulary is optional then
        Path back = dir.resolve("back.charrnn");
        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", dir.resolve("m.safetensors").toString(),
                "--out", back.toString());
        assertEquals(0, r.status(), r.err());
        assertSameWeights(model, ModelFiles.load(back));
        // --format overrides the extension
        Path odd = dir.resolve("m.weights");
        assertEquals(0, CharRnnCliTest.run("export", "--model", file.toString(), "--format", "pt", "--out",
                odd.toString()).status());
        assertEquals('P', Files.readAllBytes(odd)[0]);
    }

    @Test
    void badInput_givesAClearErrorBeforeAnyWork() throws Exception {
        Path pt = fixture("rnn_tanh_onehot_l1.pt");
        Path out = dir.resolve("m.charrnn");
        Path text = dir.resolve("t.txt");
        Files.writeString(text, TEXT);

        CharRnnCliTest.Run r = CharRnnCliTest.run("import", "--from", pt.toString(), "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--vocabulary is needed: " + pt + " does not record its characters"), r.err());

        r = CharRnnCliTest.run("import", "--from", pt.toString(), "--vocabulary", text.toString(), "--names",
                "lstm=x", "--out", out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--names takes embedding=NAME, rnn=NAME and decoder=NAME, each once, got 'lstm=x'"),
                r.err());

        Files.writeString(text, "the cat"); // fewer characters than the model's 14
        r = CharRnnCliTest.run("import", "--from", pt.toString(), "--vocabulary", text.toString(), "--out",
                out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("the vocabulary has 6 characters, but 'decoder.weight' [14, 8] is for 14"),
                r.err());

        Path json = dir.resolve("v.json");
        Files.writeString(json, "{\"a\": 1}");
        r = CharRnnCliTest.run("import", "--from", pt.toString(), "--vocabulary", json.toString(), "--out",
                out.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("must be a JSON list of one-character strings"), r.err());

        r = CharRnnCliTest.run("import", "--from", pt.toString(), "--vocabulary", text.toString(), "--out",
                dir.resolve("no/such/dir/m.charrnn").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--out must be in an existing directory"), r.err());

        Path evil = dir.resolve("evil.pt");
        Files.writeString(evil, "not a model");
        r = CharRnnCliTest.run("import", "--from", evil.toString(), "--vocabulary", text.toString(), "--out",
                out.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("expected a zip archive written by torch.save"), r.err());
        assertFalse(Files.exists(out));

        Path model = dir.resolve("model.charrnn");
        ModelFiles.save(RnnModel.builder().hidden(2).vocabulary(Vocabulary.fromText("ab")).build(), model);
        r = CharRnnCliTest.run("export", "--model", model.toString(), "--out", dir.resolve("x.onnx").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--format is needed (safetensors or pt)"), r.err());
        r = CharRnnCliTest.run("export", "--model", model.toString(), "--format", "onnx", "--out", "x");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--format"), r.err());
    }
}
