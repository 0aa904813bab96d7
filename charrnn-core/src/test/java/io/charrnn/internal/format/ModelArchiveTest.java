package io.charrnn.internal.format;

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
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.io.ModelFiles;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints: a model file plus extra JSON objects and float32 vectors, written atomically, read untrusting. */
class ModelArchiveTest {
    @TempDir
    Path dir;

    private static RnnModel model() {
        return RnnModel.builder().hidden(3).vocabulary(Vocabulary.fromText("abcd")).seed(5).build()
                .withTrainingInfo(new TrainingInfo(12, 384, 1.25, 1.5, "Adam(lr=0.002)"));
    }

    private static JsonObject trainerJson() {
        JsonObject o = new JsonObject();
        o.addProperty("step", 12);
        o.addProperty("rngState", "9f3a77c2e1d0b455");
        JsonArray cursor = new JsonArray();
        cursor.add(3);
        cursor.add(Long.MAX_VALUE);
        o.add("cursor", cursor);
        JsonObject schedule = new JsonObject();
        schedule.addProperty("learningRate", 0.002);
        schedule.add("decay", null);
        o.add("schedule", schedule);
        return o;
    }

    private static Map<String, float[]> arrays() {
        Map<String, float[]> arrays = new HashMap<>();
        float[] m = new float[50];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) rng.nextGaussian();
        }
        m[7] = Float.intBitsToFloat(0x7fc00123); // a NaN payload, kept bit for bit
        m[8] = -0.0f;
        m[9] = Float.POSITIVE_INFINITY;
        arrays.put("optimizer/m.npy", m);
        arrays.put("optimizer/v.npy", new float[] {1e-30f, 2, 3});
        arrays.put("empty.npy", new float[0]);
        return arrays;
    }

    private Path checkpoint() throws IOException {
        Path file = dir.resolve("c.charrnn");
        ModelArchive.write(file, ModelAccess.stored(model()),
                Map.of("trainer.json", trainerJson(), "data/cursor.json", new JsonObject()),
                arrays());
        return file;
    }

    private static void assertSameArrays(Map<String, float[]> expected, Map<String, float[]> actual) {
        assertEquals(new TreeMap<>(expected).keySet().stream().toList(), new ArrayList<>(actual.keySet()));
        for (String name : expected.keySet()) {
            float[] e = expected.get(name);
            float[] a = actual.get(name);
            assertEquals(e.length, a.length, name);
            for (int i = 0; i < e.length; i++) {
                assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), name + "[" + i + "]");
            }
        }
    }

    @Test
    void extras_roundTrip_bitForBit_andInNameOrder() throws IOException {
        Path file = checkpoint();
        ModelArchive.Contents c = ModelArchive.read(file);
        assertEquals(model(), ModelAccess.fromStored(c.model()));
        assertEquals(2, c.formatVersion());
        assertEquals(List.of("data/cursor.json", "trainer.json"), new ArrayList<>(c.json().keySet()));
        assertEquals(trainerJson(), c.json().get("trainer.json"));
        assertEquals(new JsonObject(), c.json().get("data/cursor.json"));
        assertSameArrays(arrays(), c.arrays());
        assertThrows(UnsupportedOperationException.class, () -> c.arrays().put("x.npy", new float[0]));
    }

    @Test
    void modelFilesLoad_ofACheckpoint_givesTheModelAndIgnoresExtras() throws IOException {
        Path file = checkpoint();
        assertEquals(model(), ModelFiles.load(file));
        ModelArchive.Contents c = ModelArchive.readModel(file);
        assertTrue(c.json().isEmpty());
        assertTrue(c.arrays().isEmpty());
        // a corrupt extra does not stop the model from loading, only the full read
        Path broken = rewrite(file, entries -> entries.put("trainer.json", "{oops".getBytes(StandardCharsets.UTF_8)));
        assertEquals(model(), ModelFiles.load(broken));
        expectFormatError(broken, "trainer.json: expected valid JSON, found malformed JSON");
    }

    @Test
    void layout_extrasListedInDescription_andStoredAfterTheWeights() throws IOException {
        Path file = checkpoint();
        List<String> names = new ArrayList<>();
        JsonObject json;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
            assertEquals(ZipEntry.STORED, zip.getEntry("optimizer/m.npy").getMethod());
            json = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("charrnn.json")).readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
        }
        assertEquals(List.of("charrnn.json", "weights/layer0.wx.npy", "weights/layer0.wh.npy", "weights/layer0.b.npy",
                "weights/output.w.npy", "weights/output.b.npy", "data/cursor.json", "trainer.json", "empty.npy",
                "optimizer/m.npy", "optimizer/v.npy"), names);
        assertEquals("{\"json\":[\"data/cursor.json\",\"trainer.json\"],\"arrays\":[{\"file\":\"empty.npy\",\"shape\":[0]},"
                + "{\"file\":\"optimizer/m.npy\",\"shape\":[50]},{\"file\":\"optimizer/v.npy\",\"shape\":[3]}]}",
                json.get("extras").toString());
    }

    @Test
    void write_sameContentsInAnyMapOrder_givesIdenticalBytes() throws IOException {
        Path a = checkpoint();
        Map<String, float[]> reversed = new TreeMap<>(java.util.Comparator.reverseOrder());
        reversed.putAll(arrays());
        Map<String, JsonObject> json = new LinkedHashMap<>();
        json.put("trainer.json", trainerJson());
        json.put("data/cursor.json", new JsonObject());
        Path b = dir.resolve("b.charrnn");
        ModelArchive.write(b, ModelAccess.stored(model()), json, reversed);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void write_badNamesOrValues_areRefusedBeforeTouchingTheDisk() throws IOException {
        Path file = dir.resolve("c.charrnn");
        Map<String, String> badArrayNames = Map.of(
                "../evil.npy", "segments of [A-Za-z0-9_.-] separated by '/', none starting with '.'",
                "weights/output.w.npy", "a name other than charrnn.json and outside weights/",
                "training/losses.npy", "a name other than charrnn.json and outside weights/ and training/",
                "m.json", "a name ending in .npy",
                ".npy", "segments of",
                "a//b.npy", "segments of",
                "x".repeat(201) + ".npy", "at most 200 characters");
        for (Map.Entry<String, String> bad : badArrayNames.entrySet()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ModelArchive.write(file, ModelAccess.stored(model()),
                            Map.of(), Map.of(bad.getKey(), new float[1])), bad.getKey());
            assertTrue(e.getMessage().startsWith("an extra entry name must be " + bad.getValue()), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelArchive.write(file, ModelAccess.stored(model()),
                        Map.of("charrnn.json", new JsonObject()), Map.of()));
        assertEquals("an extra entry name must be a name other than charrnn.json and outside weights/ and training/, "
                + "got \"charrnn.json\"",
                e.getMessage());
        JsonObject nan = new JsonObject();
        nan.addProperty("loss", Double.NaN);
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelArchive.write(file, ModelAccess.stored(model()), Map.of("trainer.json", nan), Map.of()));
        assertTrue(e.getMessage().startsWith("trainer.json must hold only values JSON can represent"), e.getMessage());
        Map<String, float[]> many = new HashMap<>();
        for (int i = 0; i <= 1000; i++) {
            many.put("a" + i + ".npy", new float[0]);
        }
        e = assertThrows(IllegalArgumentException.class, () -> ModelArchive.write(file, ModelAccess.stored(model()),
                Map.of(), many));
        assertEquals("a checkpoint holds at most 1000 extra entries, got 1001", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ModelAccess.stored(RnnModel.builder().build()));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void read_forgedListingsAndEntries_giveModelFormatException() throws IOException {
        Path file = checkpoint();
        expectFormatError(rewrite(file, e -> e.remove("optimizer/v.npy")),
                "expected an entry optimizer/v.npy (extra array listed in charrnn.json), found none");
        expectFormatError(rewrite(file, e -> e.remove("trainer.json")),
                "expected an entry trainer.json (extra JSON listed in charrnn.json), found none");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").getAsJsonArray("arrays")
                        .get(1).getAsJsonObject().getAsJsonArray("shape").set(0, new JsonPrimitive(2_000_000_000))),
                "bytes of weights and extra arrays as listed in charrnn.json, found a file of");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").getAsJsonArray("arrays")
                        .get(1).getAsJsonObject().getAsJsonArray("shape").set(0, new JsonPrimitive(49))),
                "optimizer/m.npy: expected shape (49,) (from the config and charrnn.json), found (50,)");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").getAsJsonArray("arrays")
                        .get(1).getAsJsonObject().getAsJsonArray("shape").add(1)),
                "charrnn.json: extras: arrays[1]: expected a shape [n] (a vector), found [50, 1]");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").getAsJsonArray("json")
                        .set(0, new JsonPrimitive("../../etc/passwd.json"))),
                "charrnn.json: extras: json[0]: expected an entry name that is segments of");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").getAsJsonArray("json")
                        .add("trainer.json")),
                "charrnn.json: extras: json[2]: expected each extra entry once, found \"trainer.json\" twice");
        expectFormatError(rewriteDescription(file, json -> json.getAsJsonObject("extras").remove("arrays")),
                "charrnn.json: extras: expected a field \"arrays\" (an array), found none");
        expectFormatError(rewrite(file, e -> e.put("trainer.json", "[1]".getBytes(StandardCharsets.UTF_8))),
                "trainer.json: expected a JSON object, found an array of 1 element");
        expectFormatError(rewrite(file, e -> e.put("trainer.json", " ".repeat(17 << 20).getBytes(StandardCharsets.UTF_8))),
                "expected at most");
        Path deflated = dir.resolve("deflated.charrnn");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(deflated))) {
            for (Map.Entry<String, byte[]> e : entries(file).entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (e.getKey().startsWith("weights/")) {
                    stored(entry, e.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        expectFormatError(deflated, "empty.npy: expected a stored (uncompressed) entry, found compression method 8");
    }

    @Test
    void read_checkpointTruncatedAtEveryOffset_givesModelFormatException() throws IOException {
        byte[] full = Files.readAllBytes(checkpoint());
        Path cut = dir.resolve("cut.charrnn");
        for (int length = 0; length < full.length; length++) {
            Files.write(cut, Arrays.copyOf(full, length));
            int at = length;
            assertThrows(ModelFormatException.class, () -> ModelArchive.read(cut), () -> "truncated at " + at);
        }
    }

    @Test
    void read_checkpointWithRandomByteFlips_eitherReadsTheSameOrGivesModelFormatException() throws IOException {
        Path file = checkpoint();
        ModelArchive.Contents original = ModelArchive.read(file);
        byte[] full = Files.readAllBytes(file);
        Path flipped = dir.resolve("flipped.charrnn");
        SplittableRandom rng = new SplittableRandom(77);
        int failures = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = full.clone();
            int flips = 1 + rng.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
            }
            Files.write(flipped, bytes);
            try {
                ModelArchive.Contents c = ModelArchive.read(flipped);
                assertEquals(ModelAccess.fromStored(original.model()), ModelAccess.fromStored(c.model()), "case " + i);
                assertEquals(original.json(), c.json(), "case " + i);
                assertSameArrays(original.arrays(), c.arrays());
            } catch (ModelFormatException e) {
                failures++;
            } catch (Throwable t) {
                fail("case " + i + " threw " + t, t);
            }
        }
        assertTrue(failures > 1000, "most flips should be detected, got " + failures);
    }

    @Test
    void isTemporaryFileOf_recognisesOnlyThisTargetsTemporaryNames() {
        Path target = dir.resolve("m.charrnn");
        assertTrue(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".m.charrnn.0123456789abcdef.tmp")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".m.charrnn.0123456789abcde.tmp")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve(".n.charrnn.0123456789abcdef.tmp")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve("m.charrnn")));
        assertFalse(AtomicFiles.isTemporaryFileOf(target, dir.resolve("sub").resolve(".m.charrnn.0123456789abcdef.tmp")));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static ModelFormatException expectFormatError(Path file, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelArchive.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected «" + fragment + "» in: " + e.getMessage());
        return e;
    }

    private static Map<String, byte[]> entries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static void stored(ZipEntry entry, byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        entry.setMethod(ZipEntry.STORED);
        entry.setSize(bytes.length);
        entry.setCompressedSize(bytes.length);
        entry.setCrc(crc.getValue());
    }

    private int rewrites;

    /** Zips the entries of {@code file} again after {@code change} (npy stored, CRCs and sizes right). */
    private Path rewrite(Path file, Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = entries(file);
        change.accept(entries);
        Path out = dir.resolve("changed" + rewrites++ + ".charrnn");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (e.getKey().endsWith(".npy")) {
                    stored(entry, e.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    private Path rewriteDescription(Path file, Consumer<JsonObject> change) throws IOException {
        return rewrite(file, entries -> {
            JsonObject json = JsonParser.parseString(new String(entries.get("charrnn.json"), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            change.accept(json);
            entries.put("charrnn.json", json.toString().getBytes(StandardCharsets.UTF_8));
        });
    }
}
