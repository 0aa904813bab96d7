package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.charrnn.internal.format.Npy;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.testing.Zips;
import io.charrnn.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class ModelFilesTest {
    private static final String TEXT = "hello world \uD83D\uDE00"; // ends with U+1F600, outside the BMP

    @TempDir
    Path dir;

    /** Trained, so every fuzz case also covers the training info. */
    private static RnnModel tiny() {
        return untrainedTiny().withTrainingInfo(new TrainingInfo(20, 640, 1.8125, Double.NaN, "Adam(lr=0.002), seq 32, batch 1"));
    }

    private static RnnModel untrainedTiny() {
        return RnnModel.builder().hidden(4).layers(2).vocabulary(Vocabulary.fromText("hello world")).seed(3).build();
    }

    static Stream<Arguments> architectures() {
        List<Arguments> list = new ArrayList<>();
        for (int embedding : new int[] {0, 3}) {
            for (int layers : new int[] {1, 2}) {
                for (Activation activation : Activation.values()) {
                    list.add(Arguments.of(embedding, layers, activation));
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "embedding {0}, {1} layers, {2}")
    @MethodSource("architectures")
    void roundTrip_isBitExact(int embedding, int layers, Activation activation) throws IOException {
        Vocabulary vocabulary = Vocabulary.fromText(TEXT).withReplacement(' ');
        RnnModel model = RnnModel.builder().hidden(5).layers(layers).embedding(embedding).activation(activation)
                .initScale(0.37).seed(-7_000_000_000L).vocabulary(vocabulary).build();
        Path file = dir.resolve("m.charrnn");

        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);

        assertEquals(model, loaded);
        assertEquals(model.config(), loaded.config());
        assertEquals(vocabulary, loaded.vocabulary().orElseThrow());
        assertEquals(0x1F600, loaded.vocabulary().orElseThrow().codePointAt(vocabulary.size() - 1));
        assertEquals(' ', loaded.vocabulary().orElseThrow().replacement().getAsInt());
    }

    @ParameterizedTest(name = "{0}, embedding {1}, {2} layers")
    @org.junit.jupiter.params.provider.CsvSource({"LSTM, 0, 1", "LSTM, 3, 2", "GRU, 0, 2", "GRU, 3, 1"})
    void roundTrip_gatedCells_isBitExact(CellType cell, int embedding, int layers) throws IOException {
        Vocabulary vocabulary = Vocabulary.fromText(TEXT);
        RnnModel model = RnnModel.builder().cell(cell).hidden(5).layers(layers).embedding(embedding).initScale(0.37)
                .seed(11).vocabulary(vocabulary).build();
        Path file = dir.resolve("m.charrnn");

        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);

        assertEquals(model, loaded);
        assertEquals(cell, loaded.config().cell());
        assertEquals(model.parameterShapes().keySet(), loaded.parameterShapes().keySet());
        assertArrayEquals(new int[] {5, (cell == CellType.LSTM ? 4 : 3) * 5}, loaded.parameterShapes().get("layer0.wh"));
    }

    @Test
    void load_cellChangedInTheDescription_reportsTheShapeOrNameTheLayoutExpects() throws IOException {
        // tiny() is a vanilla model: its layer0.wx [8, 4] is no LSTM's [8, 16], and it has no GRU's layer0.bx
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("cell", "LSTM")),
                "expected \"layer0.wx\" to have the shape [8, 16] from the config and vocabulary, found [8, 4]");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("cell", "GRU")),
                "layer0.bx");
    }

    @Test
    void roundTrip_withoutReplacement_andExtremeSeed() throws IOException {
        RnnModel model = RnnModel.builder().hidden(3).seed(Long.MIN_VALUE).initScale(1e-30)
                .vocabulary(Vocabulary.of(0, 'a', 0x10FFFF)).build();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);
        assertEquals(model, loaded);
        assertTrue(loaded.vocabulary().orElseThrow().replacement().isEmpty());
    }

    static Stream<TrainingInfo> trainingInfos() {
        return Stream.of(
                new TrainingInfo(0, 0, Double.NaN, Double.NaN, ""),
                new TrainingInfo(1000, 64_000, 1.2345678901234567, 1.4, "Adam(lr=0.002, beta1=0.9), seq 64, batch 32, clip 5.0"),
                new TrainingInfo(Long.MAX_VALUE, Long.MAX_VALUE, -0.0, Double.MIN_VALUE, "ünïcode \uD83D\uDE00 \"quoted\"\n"),
                new TrainingInfo(7, 7, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, "diverging"),
                new TrainingInfo(3, 96, Double.MAX_VALUE, 1e-300, "sgd"));
    }

    @ParameterizedTest
    @MethodSource("trainingInfos")
    void roundTrip_keepsTrainingInfo_bitForBit(TrainingInfo info) throws IOException {
        RnnModel model = untrainedTiny().withTrainingInfo(info);
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);
        assertEquals(model, loaded);
        TrainingInfo back = loaded.trainingInfo().orElseThrow();
        assertEquals(Double.doubleToRawLongBits(info.loss()), Double.doubleToRawLongBits(back.loss()));
        assertEquals(Double.doubleToLongBits(info.validationLoss()), Double.doubleToLongBits(back.validationLoss()));
        assertEquals(info.trainer(), back.trainer());
        assertEquals(2, ModelFiles.formatVersion(file));
    }

    @Test
    void savedTrainingInfo_isReadableJson_withNaNAsNull() throws IOException {
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(tiny(), file);
        JsonObject training;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            training = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("charrnn.json")).readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonObject("training");
        }
        assertEquals("{\"steps\":20,\"characters\":640,\"loss\":1.8125,\"validationLoss\":null,"
                + "\"trainer\":\"Adam(lr=0.002), seq 32, batch 1\"}", training.toString());
        ModelFiles.save(untrainedTiny(), file);
        assertTrue(ModelFiles.load(file).trainingInfo().isEmpty());
    }

    /** The resource was written by format version 1 (before training info) and must stay readable. */
    @Test
    void load_formatVersion1File_fromTheFirstRelease() throws IOException {
        Path v1 = dir.resolve("v1.charrnn");
        try (InputStream in = ModelFilesTest.class.getResourceAsStream("v1-embedding.charrnn")) {
            Files.write(v1, in.readAllBytes());
        }
        assertEquals(1, ModelFiles.formatVersion(v1));
        RnnModel model = ModelFiles.load(v1);
        assertEquals(4, model.config().hidden());
        assertEquals(2, model.config().layers());
        assertEquals(3, model.config().embedding());
        assertEquals(3, model.config().seed());
        assertEquals(0.5, model.config().initScale());
        assertEquals(0.0, model.config().dropout(), "files from before dropout existed read as no dropout");
        assertEquals(model.config().cell() == CellType.LSTM ? 1.0 : 0.0, model.config().forgetBias(),
                "files from before the option existed: an LSTM had forget bias 1, other cells read as the default 0");
        assertEquals(Vocabulary.fromText("hello world\u00e9").withReplacement(' '), model.vocabulary().orElseThrow());
        assertTrue(model.trainingInfo().isEmpty());
        int[] expectedBits = {0xbee18747, 0x3d76583b, 0xbd2f47ec, 0xbe2bde93, 0xbed82e06, 0x3c8b3580, 0xbe90b4da,
            0xbdd1bd6f, 0x3e8f8052, 0x3e9a6cbc, 0xbe3382bb, 0xbe363a42, 0xbe8f4bf5, 0x3e5ef92b, 0x3ec61db4, 0xbefc804d};
        float[] wh = model.weights().get("layer1.wh");
        for (int i = 0; i < expectedBits.length; i++) {
            assertEquals(expectedBits[i], Float.floatToRawIntBits(wh[i]), "layer1.wh[" + i + "]");
        }
        Path v2 = dir.resolve("v2.charrnn");
        ModelFiles.save(model, v2);
        assertEquals(2, ModelFiles.formatVersion(v2));
        assertEquals(model, ModelFiles.load(v2));
    }

    @Test
    void load_versionOneFile_ignoresTrainingField_versionTwoChecksIt() throws IOException {
        // version 1 never had "training": a v1 reader ignored unknown fields, so this one does too
        Path v1 = rewriteDescription(json -> {
            json.addProperty("formatVersion", 1);
            json.addProperty("training", "anything");
        });
        assertTrue(ModelFiles.load(v1).trainingInfo().isEmpty());
        expectFormatError(rewriteDescription(json -> json.addProperty("training", "anything")),
                "charrnn.json: expected \"training\" to be an object, found \"anything\"");
    }

    @Test
    void load_badTrainingInfo() throws IOException {
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("training").addProperty("steps", -1)),
                "charrnn.json: training: expected \"steps\" to be an integer in [0, 9223372036854775807], found -1");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("training").addProperty("loss", "NaN")),
                "charrnn.json: training: expected \"loss\" to be a number, null, \"Infinity\" or \"-Infinity\", found \"NaN\"");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("training").remove("validationLoss")),
                "expected a field \"validationLoss\" (a number, null or \"Infinity\"), found none");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("training").addProperty("trainer", 5)),
                "training: expected \"trainer\" to be a string, found 5");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("training").add("characters", new JsonArray())),
                "expected \"characters\" to be an integer in [0, 9223372036854775807], found an array of 0 elements");
        // absent means untrained, like null
        Path absent = rewriteDescription(json -> json.remove("training"));
        assertEquals(untrainedTiny(), ModelFiles.load(absent));
    }

    @Test
    void save_trainerDescriptionWithUnpairedSurrogate_isRefusedBeforeWriting() throws IOException {
        Path file = dir.resolve("m.charrnn");
        RnnModel bad = untrainedTiny().withTrainingInfo(new TrainingInfo(1, 1, 1, 1, "half \uD83D pair"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(bad, file));
        assertTrue(e.getMessage().startsWith("the training info's trainer description must be valid Unicode"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void save_sameModelTwice_givesIdenticalBytes_andReplacesTheOldFile() throws IOException {
        Path a = dir.resolve("a.charrnn");
        Path b = dir.resolve("b.charrnn");
        Files.writeString(b, "an older file");
        ModelFiles.save(tiny(), a);
        ModelFiles.save(tiny(), b);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(List.of("a.charrnn", "b.charrnn"), listing(dir));
    }

    @Test
    void savedFile_hasTheDocumentedEntriesAndDescription() throws IOException {
        RnnModel model = tiny();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        List<String> names = new ArrayList<>();
        JsonObject json;
        byte[] outputBias;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
            json = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("charrnn.json")).readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
            ZipEntry npy = zip.getEntry("weights/output.b.npy");
            assertEquals(ZipEntry.STORED, npy.getMethod());
            outputBias = zip.getInputStream(npy).readAllBytes();
        }
        List<String> expected = new ArrayList<>(List.of("charrnn.json"));
        model.parameterShapes().keySet().forEach(n -> expected.add("weights/" + n + ".npy"));
        assertEquals(expected, names);

        assertEquals("charrnn-model", json.get("magic").getAsString());
        assertEquals(2, json.get("formatVersion").getAsInt());
        assertEquals(20, json.getAsJsonObject("training").get("steps").getAsInt());
        assertFalse(json.has("extras"));
        assertTrue(json.get("libraryVersion").getAsString().length() > 0);
        JsonObject config = json.getAsJsonObject("config");
        assertEquals("RNN", config.get("cell").getAsString());
        assertEquals("TANH", config.get("activation").getAsString());
        assertEquals(4, config.get("hidden").getAsInt());
        assertEquals(2, config.get("layers").getAsInt());
        assertEquals(0, config.get("embedding").getAsInt());
        assertEquals(model.config().initScale(), config.get("initScale").getAsDouble());
        assertEquals(3, config.get("seed").getAsLong());
        int[] codePoints = new int[json.getAsJsonArray("vocabulary").size()];
        for (int i = 0; i < codePoints.length; i++) {
            codePoints[i] = json.getAsJsonArray("vocabulary").get(i).getAsInt();
        }
        assertArrayEquals(Vocabulary.fromText("hello world").codePoints(), codePoints);
        assertTrue(json.get("replacement").isJsonNull());
        JsonArray parameters = json.getAsJsonArray("parameters");
        assertEquals(8, parameters.size());
        JsonObject wx = parameters.get(0).getAsJsonObject();
        assertEquals("layer0.wx", wx.get("name").getAsString());
        assertEquals("[8,4]", wx.get("shape").toString());
        assertEquals("weights/layer0.wx.npy", wx.get("file").getAsString());
        assertEquals("[8]", parameters.get(7).getAsJsonObject().get("shape").toString());

        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }";
        // like NumPy's own files: magic, version and header fill 128 bytes
        assertEquals(128 + 8 * 4, outputBias.length);
        assertEquals(header + " ".repeat(128 - 10 - header.length() - 1) + "\n",
                new String(outputBias, 10, 118, StandardCharsets.US_ASCII));
        float[] bias = model.weights().get("output.b");
        ByteBuffer data = ByteBuffer.wrap(outputBias, 128, 32).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : bias) {
            assertEquals(Float.floatToRawIntBits(v), data.getInt());
        }
    }

    @Test
    void npyWriter_writesNumPyVersion1HeaderAndLittleEndianCOrderData() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, -0.5f});
        byte[] bytes = out.toByteArray();

        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0});
        expected.write((dict + " ".repeat(118 - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII));
        expected.write(new byte[] {0, 0, (byte) 0x80, 0x3f}); // 1.0f little-endian
        ByteBuffer rest = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        rest.putFloat(2).putFloat(3).putFloat(4).putFloat(5).putFloat(-0.5f);
        expected.write(rest.array());
        assertArrayEquals(expected.toByteArray(), bytes);
        assertEquals(Npy.byteLength(new int[] {2, 3}), bytes.length);
        assertEquals(0, Npy.header(new int[] {1000, 70000}).length % 64);
        assertEquals("(7,)", Npy.shapeLiteral(new int[] {7}));
    }

    @Test
    void load_truncatedAtEveryOffset_givesModelFormatException() throws IOException {
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(tiny(), file);
        byte[] full = Files.readAllBytes(file);
        Path cut = dir.resolve("cut.charrnn");
        for (int length = 0; length < full.length; length++) {
            Files.write(cut, Arrays.copyOf(full, length));
            int at = length;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(cut),
                    () -> "truncated at " + at + " of " + full.length);
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        }
    }

    @Test
    void load_randomByteFlips_eitherLoadTheSameModelOrGiveModelFormatException() throws IOException {
        RnnModel model = tiny();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        byte[] full = Files.readAllBytes(file);
        Path flipped = dir.resolve("flipped.charrnn");
        SplittableRandom rng = new SplittableRandom(20240611);
        int failures = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = full.clone();
            int flips = 1 + rng.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
            }
            Files.write(flipped, bytes);
            try {
                // CRCs cover every entry, so a flip either hits metadata the reader ignores or is caught
                assertEquals(model, ModelFiles.load(flipped), "case " + i);
            } catch (ModelFormatException e) {
                failures++;
            } catch (Throwable t) {
                fail("case " + i + " threw " + t, t);
            }
        }
        assertTrue(failures > 1500, "most flips should be detected, got " + failures);
    }

    @Test
    void load_wrongMagic() throws IOException {
        Path file = rewriteDescription(json -> json.addProperty("magic", "torch-rnn"));
        expectFormatError(file, "charrnn.json: expected magic \"charrnn-model\", found \"torch-rnn\"");
    }

    @Test
    void load_newerFormatVersion_namesBothVersions() throws IOException {
        Path file = rewriteDescription(json -> json.addProperty("formatVersion", 3));
        ModelFormatException e = expectFormatError(file, "format version 3 is newer than this library reads (1-2)");
        assertTrue(e.getMessage().startsWith(file + ": format version 3"), e.getMessage());
        expectFormatError(rewriteDescription(json -> json.addProperty("formatVersion", 0)),
                "expected a format version in 1-2, found 0");
        expectFormatError(rewriteDescription(json -> json.addProperty("formatVersion", "1")),
                "expected \"formatVersion\" to be an integer");
    }

    @Test
    void load_unknownCellOrActivation() throws IOException {
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("cell", "LSTM9")),
                "expected a cell type in [RNN, LSTM, GRU], found \"LSTM9\"");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("activation", "gelu")),
                "expected an activation in [TANH, RELU], found \"gelu\"");
    }

    @ParameterizedTest
    @CsvSource({"RNN, 0.25", "LSTM, 0.5", "GRU, 0.1"})
    void roundTrip_keepsDropout(CellType cell, double dropout) throws IOException {
        RnnModel model = RnnModel.builder().cell(cell).hidden(4).layers(2).dropout(dropout)
                .vocabulary(Vocabulary.fromText("hello world")).seed(3).build();
        Path file = dir.resolve("d.charrnn");
        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);
        assertEquals(model, loaded);
        assertEquals(dropout, loaded.config().dropout());
    }

    @Test
    void load_dropout_absentReadsAsZero_invalidIsRefused() throws IOException {
        Path absent = rewriteDescription(json -> json.getAsJsonObject("config").remove("dropout"));
        assertEquals(0.0, ModelFiles.load(absent).config().dropout());
        assertEquals(tiny(), ModelFiles.load(absent));
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("dropout", 1)),
                "expected a valid config, found one where dropout must be in [0, 1), got 1.0");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("dropout", "0.5")),
                "expected \"dropout\" to be a finite number");
    }

    @Test
    void roundTrip_keepsForgetBias_absentReadsAsOneForAnLstm() throws IOException {
        RnnModel model = RnnModel.builder().cell(CellType.LSTM).hidden(4).forgetBias(1)
                .vocabulary(Vocabulary.fromText("hello world")).seed(3).build();
        Path file = dir.resolve("f.charrnn");
        ModelFiles.save(model, file);
        RnnModel loaded = ModelFiles.load(file);
        assertEquals(model, loaded);
        assertEquals(1.0, loaded.config().forgetBias());
        // tiny() is a vanilla RNN: a file without the field reads as the default, 0, and equals it
        Path absent = rewriteDescription(json -> json.getAsJsonObject("config").remove("forgetBias"));
        assertEquals(0.0, ModelFiles.load(absent).config().forgetBias());
        assertEquals(tiny(), ModelFiles.load(absent));
        // an LSTM file from before the option was trained with 1, the only value then
        ModelFiles.save(RnnModel.builder().cell(CellType.LSTM).hidden(4).forgetBias(0)
                .vocabulary(Vocabulary.fromText("hello world")).seed(3).build(), file);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        JsonObject description = parse(entries.get("charrnn.json"));
        description.getAsJsonObject("config").remove("forgetBias");
        entries.put("charrnn.json", description.toString().getBytes(StandardCharsets.UTF_8));
        Path lstm = Zips.write(dir.resolve("lstm-old.charrnn"), entries, name -> name.endsWith(".npy"));
        assertEquals(1.0, ModelFiles.load(lstm).config().forgetBias());
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("forgetBias", "x")),
                "expected \"forgetBias\" to be a finite number");
    }

    @Test
    void load_invalidConfigValues() throws IOException {
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("hidden", 0)),
                "hidden must be in [1, 16384], got 0");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("initScale", -1)),
                "initScale must be finite and > 0, got -1.0");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("layers", 2.5)),
                "expected \"layers\" to be an integer");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("hidden", 1e300)),
                "expected \"hidden\" to be an integer");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config")
                .add("seed", new JsonPrimitive(new java.math.BigDecimal("1" + "0".repeat(100000))))), "path $.config.seed");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config")
                .add("seed", new JsonPrimitive(new java.math.BigDecimal("1" + "0".repeat(44))))),
                "expected \"seed\" to be an integer in [-9223372036854775808, 9223372036854775807], found 1000");
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").remove("embedding")),
                "expected a field \"embedding\" (an integer), found none");
        expectFormatError(rewriteDescription(json -> json.add("config", new JsonArray())),
                "expected \"config\" to be an object");
    }

    @Test
    void load_forgedHugeConfig_failsWithoutAllocating() throws IOException {
        // 2 layers of hidden 16000 need ~2 GB of weights: refused because the file is a few KB
        expectFormatError(rewriteDescription(json -> json.getAsJsonObject("config").addProperty("hidden", 16000)),
                "expected \"layer0.wx\" to have the shape [8, 16000] from the config and vocabulary, found [8, 4]");
        Path forged = rewriteAll(entries -> {
            JsonObject json = parse(entries.get("charrnn.json"));
            json.getAsJsonObject("config").addProperty("hidden", 16000);
            for (var p : json.getAsJsonArray("parameters")) {
                JsonObject o = p.getAsJsonObject();
                JsonArray shape = o.getAsJsonArray("shape");
                for (int d = 0; d < shape.size(); d++) {
                    shape.set(d, new JsonPrimitive(shape.get(d).getAsInt() == 4 ? 16000 : shape.get(d).getAsInt()));
                }
            }
            entries.put("charrnn.json", json.toString().getBytes(StandardCharsets.UTF_8));
        });
        expectFormatError(forged, "bytes of weights for this config and vocabulary, found a file of");
        expectFormatError(rewriteDescription(json -> {
            json.getAsJsonObject("config").addProperty("hidden", 16384);
            json.getAsJsonObject("config").addProperty("layers", 64);
        }), "fewer than 2^31 parameters");
    }

    @Test
    void load_badVocabulary() throws IOException {
        expectFormatError(rewriteDescription(json -> json.add("vocabulary", new JsonArray())),
                "expected at least one code point in \"vocabulary\", found none");
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("vocabulary").set(1, new JsonPrimitive(32))),
                "strictly increasing, found 32 after 32 at index 1");
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("vocabulary").set(0, new JsonPrimitive(0x110000))),
                "expected \"vocabulary[0]\" to be an integer in [0, 1114111], found 1114112");
        expectFormatError(rewriteDescription(json -> json.addProperty("replacement", (int) 'z')),
                "expected \"replacement\" to be a code point of the vocabulary, found 122");
        // one character fewer: the shapes no longer match the output layer
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("vocabulary").remove(0)),
                "expected \"layer0.wx\" to have the shape [7, 4] from the config and vocabulary, found [8, 4]");
    }

    @Test
    void load_parameterListMismatch() throws IOException {
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("parameters").remove(7)),
                "expected 8 parameters [layer0.wx, layer0.wh, layer0.b, layer1.wx, layer1.wh, layer1.b, output.w, output.b]"
                        + " for this config and vocabulary, found 7");
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("parameters").get(1).getAsJsonObject()
                .addProperty("name", "layer0.wy")), "expected the parameter \"layer0.wh\"");
        expectFormatError(rewriteDescription(json -> json.getAsJsonArray("parameters").get(1).getAsJsonObject()
                .addProperty("file", "../evil.npy")), "expected the file \"weights/layer0.wh.npy\", found \"../evil.npy\"");
    }

    @Test
    void load_missingEntries() throws IOException {
        expectFormatError(rewriteAll(entries -> entries.remove("weights/layer1.wh.npy")),
                "expected an entry weights/layer1.wh.npy for the parameter layer1.wh, found none");
        expectFormatError(rewriteAll(entries -> entries.remove("charrnn.json")),
                "expected an entry charrnn.json (is this a charrnn model file?)");
    }

    @Test
    void load_badNpyContents() throws IOException {
        expectFormatError(replaceNpy("weights/output.b.npy",
                        header("{'descr': '<f8', 'fortran_order': False, 'shape': (8,), }"), new byte[64]),
                "weights/output.b.npy: expected dtype '<f4' (little-endian float32), found '<f8'");
        expectFormatError(replaceNpy("weights/layer0.wh.npy",
                        header("{'descr': '<f4', 'fortran_order': True, 'shape': (4, 4), }"), new byte[64]),
                "weights/layer0.wh.npy: expected fortran_order False (C order), found True");
        expectFormatError(replaceNpy("weights/layer0.wh.npy",
                        header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 5), }"), new byte[80]),
                "weights/layer0.wh.npy: expected shape (4, 4) (from the config and charrnn.json), found (4, 5)");
        expectFormatError(replaceNpy("weights/layer0.wh.npy", header(
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 2000000000), }"), new byte[64]),
                "found (2000000000, 2000000000)");
        expectFormatError(replaceNpy("weights/layer0.wh.npy",
                        header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }"), new byte[68]),
                "expected the data to end after 64 bytes for shape (4, 4), found more");
        expectFormatError(replaceNpy("weights/layer0.wh.npy",
                        header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), 'x': 1}"), new byte[64]),
                "expected only the npy header keys");
        expectFormatError(replaceNpy("weights/layer0.wh.npy", "not an npy file at all, but long enough".getBytes(
                StandardCharsets.US_ASCII), new byte[64]), "expected the npy magic \\x93NUMPY, found \\x6e\\x6f");
        byte[] forgedLength = header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }");
        forgedLength[6] = 2; // version 2.0 reads a uint32 length: bytes 8..11 become a huge length
        forgedLength[10] = (byte) 0xff;
        forgedLength[11] = (byte) 0x7f;
        expectFormatError(replaceNpy("weights/layer0.wh.npy", forgedLength, new byte[64]),
                "expected an npy header of at most 65536 bytes");
    }

    @Test
    void load_nonFiniteWeight_namesEntryAndIndex() throws IOException {
        byte[] data = new byte[64];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * (4 * 2 + 1), Float.NaN);
        expectFormatError(replaceNpy("weights/layer0.wh.npy",
                        header("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 4), }"), data),
                "weights/layer0.wh.npy: expected finite weights, found NaN at [2, 1]");
    }

    @Test
    void load_compressedWeights_areRefused() throws IOException {
        Path file = rewriteAll(entries -> { }, true);
        expectFormatError(file, "weights/layer0.wx.npy: expected a stored (uncompressed) entry, found compression method 8");
    }

    @Test
    void load_badJson() throws IOException {
        expectFormatError(rewriteAll(e -> e.put("charrnn.json", "{\"magic\": 'x'}".getBytes(StandardCharsets.UTF_8))),
                "charrnn.json: expected valid JSON, found malformed JSON at line 1 column 12");
        expectFormatError(rewriteAll(e -> e.put("charrnn.json", "[1, 2]".getBytes(StandardCharsets.UTF_8))),
                "charrnn.json: expected a JSON object, found an array of 2 elements");
        expectFormatError(rewriteAll(e -> e.put("charrnn.json", "{} {}".getBytes(StandardCharsets.UTF_8))),
                "charrnn.json: expected valid JSON");
        expectFormatError(rewriteAll(e -> e.put("charrnn.json", new byte[] {'{', (byte) 0xff, '}'})),
                "charrnn.json: expected UTF-8 text, found malformed bytes");
        String deep = "{\"magic\": " + "[".repeat(200_000) + "]".repeat(200_000) + "}";
        expectFormatError(rewriteAll(e -> e.put("charrnn.json", deep.getBytes(StandardCharsets.UTF_8))),
                "charrnn.json: expected magic \"charrnn-model\", found an array of 1 element");
    }

    @Test
    void load_notAZip_orEmpty_orMissing() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello, not a model");
        expectFormatError(text, "expected a zip archive (a charrnn model file starts with PK\\x03\\x04), found 18 bytes "
                + "starting with \\x68\\x65\\x6c\\x6c");
        Path empty = dir.resolve("empty.charrnn");
        Files.write(empty, new byte[0]);
        expectFormatError(empty, "found an empty file");
        Path missing = dir.resolve("missing.charrnn");
        IOException e = assertThrows(IOException.class, () -> ModelFiles.load(missing));
        assertFalse(e instanceof ModelFormatException, e.toString());
        assertTrue(e instanceof NoSuchFileException, e.toString());
        IOException onDirectory = assertThrows(IOException.class, () -> ModelFiles.load(dir));
        assertFalse(onDirectory instanceof ModelFormatException, onDirectory.toString());
    }

    @Test
    void save_unboundModel_failsAndLeavesExistingFileUntouched() throws IOException {
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(tiny(), file);
        byte[] before = Files.readAllBytes(file);
        RnnModel unbound = RnnModel.builder().hidden(4).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.save(unbound, file));

        assertEquals("cannot save a model with no vocabulary and no weights: train it on a corpus first (or build it with "
                + ".vocabulary(v) for random weights)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.charrnn"), listing(dir));
    }

    @Test
    void save_intoMissingDirectory_failsAndCreatesNothing() throws IOException {
        Path target = dir.resolve("no").resolve("such").resolve("m.charrnn");
        IOException e = assertThrows(IOException.class, () -> ModelFiles.save(tiny(), target));
        assertTrue(e.getMessage().contains("must exist"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void save_ontoADirectory_fails() throws IOException {
        Path target = Files.createDirectory(dir.resolve("m.charrnn"));
        Files.writeString(target.resolve("keep.txt"), "keep");
        assertThrows(IOException.class, () -> ModelFiles.save(tiny(), target));
        assertEquals(List.of("m.charrnn"), listing(dir));
        assertEquals("keep", Files.readString(target.resolve("keep.txt")));
    }

    @Test
    void save_failingPartWay_keepsOldFileAndRemovesTempFile() throws IOException {
        Path file = dir.resolve("m.charrnn");
        RnnModel old = tiny();
        ModelFiles.save(old, file);
        byte[] before = Files.readAllBytes(file);
        RnnModel other = RnnModel.builder().hidden(6).vocabulary(Vocabulary.fromText("abc")).seed(9).build();

        for (int limit : new int[] {0, 1, 100, 700}) {
            IOException e = assertThrows(IOException.class, () -> ModelFiles.save(other, file, out -> failAfter(out, limit)));
            assertEquals("could not write " + file + ": disk full (simulated)", e.getMessage());
            assertEquals("disk full (simulated)", e.getCause().getMessage());
            assertArrayEquals(before, Files.readAllBytes(file));
            assertEquals(List.of("m.charrnn"), listing(dir));
            assertEquals(old, ModelFiles.load(file));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static OutputStream failAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (written + len > limit) {
                    throw new IOException("disk full (simulated)");
                }
                written += len;
                out.write(b, off, len);
            }
        };
    }

    private static ModelFormatException expectFormatError(Path file, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected «" + fragment + "» in: " + e.getMessage());
        return e;
    }

    private static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static JsonObject parse(byte[] json) {
        return JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
    }

    private Path rewriteDescription(Consumer<JsonObject> change) throws IOException {
        return rewriteAll(entries -> {
            JsonObject json = parse(entries.get("charrnn.json"));
            change.accept(json);
            entries.put("charrnn.json", json.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private static byte[] header(String dict) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) length, (byte) (length >> 8)});
        out.writeBytes((dict + " ".repeat(length - dict.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private Path replaceNpy(String entry, byte[] header, byte[] data) throws IOException {
        return rewriteAll(entries -> {
            byte[] bytes = Arrays.copyOf(header, header.length + data.length);
            System.arraycopy(data, 0, bytes, header.length, data.length);
            entries.put(entry, bytes);
        });
    }

    private Path rewriteAll(Consumer<Map<String, byte[]>> change) throws IOException {
        return rewriteAll(change, false);
    }

    private int rewrites;

    /** Saves the tiny model, lets {@code change} edit its entries, and zips them again (CRCs and sizes right). */
    private Path rewriteAll(Consumer<Map<String, byte[]>> change, boolean deflateWeights) throws IOException {
        Path original = dir.resolve("original.charrnn");
        ModelFiles.save(tiny(), original);
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(original.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        change.accept(entries);
        Path out = dir.resolve("changed" + rewrites++ + ".charrnn");
        return Zips.write(out, entries, name -> name.endsWith(".npy") && !deflateWeights);
    }
}
