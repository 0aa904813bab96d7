package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.charrnn.io.ModelFiles;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Corpora;
import io.charrnn.testing.Zips;
import io.charrnn.text.Corpus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Untrusted checkpoints: truncations, byte flips and forged contents (huge declared shapes and
 * lengths in npy headers and JSON, wrong types, bombs) end in a {@link ModelFormatException} (or,
 * for a readable checkpoint that does not fit the run, an IllegalArgumentException) with a
 * message, never in another exception or an allocation the file does not justify.
 */
class CheckpointFuzzTest {
    private static final Corpus CORPUS = Corpus.of(Corpora.syllables(3_000, 4));
    @TempDir
    static Path dir;
    private static Path checkpoint;
    private static byte[] original;
    private static int rewrites;

    private static Trainer.Builder trainer() {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(8).batchSize(2).validateEvery(5)
                .patience(50).seed(1);
    }

    @BeforeAll
    static void writeCheckpoint() throws IOException {
        Path c = Files.createDirectories(dir.resolve("c"));
        trainer().steps(10).checkpointEvery(10, c).build().train(RnnModel.builder().hidden(6).seed(3).build(), CORPUS);
        checkpoint = c.resolve("checkpoint-000000010.charrnn");
        original = Files.readAllBytes(checkpoint);
    }

    private static void assertSameData(CheckpointData a, CheckpointData b) {
        assertEquals(a.model(), b.model());
        assertEquals(a.signature(), b.signature());
        assertEquals(a.trainingText(), b.trainingText());
        assertEquals(a.progress(), b.progress());
        assertArrayEquals(a.hiddenState(), b.hiddenState());
        assertArrayEquals(a.history().losses(), b.history().losses());
        assertArrayEquals(a.earlyStopping().bestParameters(), b.earlyStopping().bestParameters());
        assertEquals(a.optimizer().moments().keySet(), b.optimizer().moments().keySet());
        a.optimizer().moments().forEach((k, v) -> assertArrayEquals(v, b.optimizer().moments().get(k)));
        assertEquals(a.history().validations(), b.history().validations());
    }

    /** Reads a damaged checkpoint; anything but its data or a clear ModelFormatException fails. */
    private static boolean readsOrFailsCleanly(Path file, CheckpointData expected, String label) {
        try {
            assertSameData(expected, Checkpoints.read(file));
            return false;
        } catch (ModelFormatException e) {
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            return true;
        } catch (Throwable t) {
            fail(label + " threw " + t, t);
            return false;
        }
    }

    @Test
    void read_truncated_givesModelFormatException() throws IOException {
        Path cut = dir.resolve("cut.charrnn");
        SplittableRandom rng = new SplittableRandom(7);
        for (int i = 0; i < 250; i++) {
            // every length near both ends (local headers, central directory), random ones between
            int length = i < 80 ? i : i < 160 ? original.length - (i - 79) : rng.nextInt(original.length);
            Files.write(cut, Arrays.copyOf(original, length));
            int at = length;
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoints.read(cut),
                    () -> "truncated at " + at + " of " + original.length);
            assertTrue(e.getMessage().startsWith(cut + ": "), e.getMessage());
        }
    }

    @Test
    void read_randomByteFlips_readTheSameCheckpointOrGiveModelFormatException() throws IOException {
        CheckpointData expected = Checkpoints.read(checkpoint);
        Path flipped = dir.resolve("flipped.charrnn");
        SplittableRandom rng = new SplittableRandom(20261122);
        int failures = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bytes = original.clone();
            int flips = 1 + rng.nextInt(3);
            for (int f = 0; f < flips; f++) {
                bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
            }
            Files.write(flipped, bytes);
            if (readsOrFailsCleanly(flipped, expected, "case " + i)) {
                failures++;
            }
        }
        assertTrue(failures > 150, "most flips should be detected, got " + failures);
    }

    @Test
    void resume_damagedCheckpoint_givesIOExceptionOrIllegalArgumentException_neverAnotherError() throws IOException {
        Path flipped = dir.resolve("resume-flipped.charrnn");
        SplittableRandom rng = new SplittableRandom(99);
        Trainer trainer = trainer().steps(12).build();
        for (int i = 0; i < 60; i++) {
            byte[] bytes = original.clone();
            bytes[rng.nextInt(bytes.length)] ^= (byte) (1 + rng.nextInt(255));
            Files.write(flipped, bytes);
            try {
                trainer.resume(flipped, CORPUS);
            } catch (IOException | IllegalArgumentException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), e.toString());
            } catch (Throwable t) {
                fail("case " + i + " threw " + t, t);
            }
        }
    }

    // ---- forged contents, zipped again with right CRCs and sizes

    private static Map<String, byte[]> entries() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(checkpoint.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return entries;
    }

    private static Path rezip(Map<String, byte[]> entries, boolean deflateJson) throws IOException {
        Path out = dir.resolve("forged" + rewrites++ + ".charrnn");
        return Zips.write(out, entries, name -> !(deflateJson && name.endsWith(".json")));
    }

    private static Path forge(Consumer<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = entries();
        change.accept(entries);
        return rezip(entries, false);
    }

    private static Path forgeJson(String entry, Consumer<JsonObject> change) throws IOException {
        return forge(entries -> {
            JsonObject json = JsonParser.parseString(new String(entries.get(entry), StandardCharsets.UTF_8))
                    .getAsJsonObject();
            change.accept(json);
            entries.put(entry, json.toString().getBytes(StandardCharsets.UTF_8));
        });
    }

    private static byte[] npy(String dict, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int length = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) length, (byte) (length >> 8)});
        out.writeBytes((dict + " ".repeat(length - dict.length() - 1) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private static ModelFormatException expectFormatError(Path file, String fragment) {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Checkpoints.read(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), () -> "expected «" + fragment + "» in: " + e.getMessage());
        return e;
    }

    @Test
    void npyHeaderDeclaring2To31Elements_inA200ByteEntry_isRefusedBeforeAllocating() throws IOException {
        String[] names = {"history/losses.npy", "optimizer/m.npy", "state/hidden.npy", "best/parameters.npy"};
        for (String name : names) {
            byte[] forged = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }", 72);
            assertEquals(200, forged.length);
            expectFormatError(forge(entries -> {
                assertTrue(entries.containsKey(name), name);
                entries.put(name, forged);
            }), name + ": expected ");
        }
    }

    @Test
    void descriptionDeclaringHugeExtraArrays_isRefusedByTheFileSize() throws IOException {
        for (long n : new long[] {Integer.MAX_VALUE - 8, 1L << 28, 100_000}) {
            Path forged = forgeJson("charrnn.json", json -> {
                for (var a : json.getAsJsonObject("extras").getAsJsonArray("arrays")) {
                    if (a.getAsJsonObject().get("file").getAsString().equals("history/losses.npy")) {
                        JsonArray shape = new JsonArray();
                        shape.add(n);
                        a.getAsJsonObject().add("shape", shape);
                    }
                }
            });
            expectFormatError(forged, "expected at least");
        }
        expectFormatError(forgeJson("charrnn.json", json -> {
            JsonArray shape = new JsonArray();
            shape.add(1L << 31);
            json.getAsJsonObject("extras").getAsJsonArray("arrays").get(0).getAsJsonObject().add("shape", shape);
        }), "expected \"shape[0]\" to be an integer in [0, 2147483639], found 2147483648");
    }

    @Test
    void trainerJson_forgedValues_areRefusedNamingTheField() throws IOException {
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("step", -1)), "\"step\"");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("step", "ten")), "\"step\"");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("step", 1e300)), "\"step\"");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("epoch", 1L << 40)), "\"epoch\"");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("window", -5)), "\"window\"");
        expectFormatError(forgeJson("trainer.json", t -> t.remove("signature")), "\"signature\"");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("checkpointVersion", 99)),
                "checkpoint version 99 is newer");
        expectFormatError(forgeJson("trainer.json", t -> t.add("validations", new JsonPrimitive(3))),
                "\"validations\"");
        expectFormatError(forgeJson("trainer.json", t -> t.getAsJsonArray("validations").add(7)),
                "validations must hold objects");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("historyFirstStep", 3)),
                "the loss history must hold steps 3..10, found 10 losses");
        expectFormatError(forgeJson("trainer.json", t -> t.addProperty("step", Long.MAX_VALUE)),
                "the loss history must hold steps 1..9223372036854775807");
        expectFormatError(forge(e -> e.remove("trainer.json")), "expected an entry trainer.json");
        expectFormatError(forge(e -> e.put("trainer.json", "[1, 2]".getBytes(StandardCharsets.UTF_8))),
                "trainer.json");
        expectFormatError(forge(e -> e.put("trainer.json", "{\"step\": ".getBytes(StandardCharsets.UTF_8))),
                "trainer.json");
    }

    @Test
    void resume_forgedOptimizerState_isRefusedNamingIt() throws IOException {
        Trainer trainer = trainer().steps(12).build();
        Path noPower = forgeJson("trainer.json", t -> t.getAsJsonObject("optimizerScalars").remove("beta1Power"));
        assertEquals("the optimizer state must hold beta1Power in [0, 1], got none",
                assertThrows(IllegalArgumentException.class, () -> trainer.resume(noPower, CORPUS)).getMessage());
        Path badPower = forgeJson("trainer.json", t -> t.getAsJsonObject("optimizerScalars").addProperty("beta2Power", 7));
        assertEquals("the optimizer state must hold beta2Power in [0, 1], got 7.0",
                assertThrows(IllegalArgumentException.class, () -> trainer.resume(badPower, CORPUS)).getMessage());
        Path window = forgeJson("trainer.json", t -> t.addProperty("window", 1_000_000));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer.resume(window, CORPUS)).getMessage()
                .contains("lies beyond an epoch"));
        Path otherText = forgeJson("trainer.json", t -> t.addProperty("trainingText", "length=3 crc32=0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer.resume(otherText, CORPUS)).getMessage()
                .contains("the corpus differs from the checkpoint's"));
    }

    @Test
    void arraysOfTheWrongLength_orMissing_areRefused() throws IOException {
        expectFormatError(forge(e -> e.remove("state/hidden.npy")), "state/hidden.npy");
        expectFormatError(forgeJson("charrnn.json", json -> {
            JsonArray arrays = json.getAsJsonObject("extras").getAsJsonArray("arrays");
            for (int i = 0; i < arrays.size(); i++) {
                if (arrays.get(i).getAsJsonObject().get("file").getAsString().equals("state/hidden.npy")) {
                    arrays.remove(i);
                    break;
                }
            }
        }), "not a complete checkpoint: state/hidden.npy is missing");
        Path shortMoment = forge(e -> {
            e.put("optimizer/m.npy", npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", 12));
        });
        expectFormatError(shortMoment, "optimizer/m.npy");
    }

    @Test
    void deeplyNestedJson_isRefusedWithoutStackOverflow() throws IOException {
        String deep = "{\"a\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        expectFormatError(forge(e -> e.put("trainer.json", deep.getBytes(StandardCharsets.UTF_8))), "trainer.json");
        expectFormatError(forge(e -> e.put("charrnn.json", deep.getBytes(StandardCharsets.UTF_8))), "charrnn.json");
    }

    /** Bytes the current thread allocates while {@code read} runs and fails with a ModelFormatException. */
    private static long allocatedWhileFailing(Path file, String fragment) {
        com.sun.management.ThreadMXBean bean =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = bean.getCurrentThreadAllocatedBytes();
        expectFormatError(file, fragment);
        return bean.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void hugeDeclaredShapes_allocateLittle() throws IOException {
        Path npy = forge(entries -> entries.put("history/losses.npy",
                npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483648,), }", 72)));
        long a = allocatedWhileFailing(npy, "history/losses.npy: expected");
        assertTrue(a < 8 << 20, "allocated " + a + " bytes for a " + Files.size(npy) + "-byte file");
        Path json = forgeJson("charrnn.json", j -> {
            JsonArray shape = new JsonArray();
            shape.add(Integer.MAX_VALUE - 8);
            j.getAsJsonObject("extras").getAsJsonArray("arrays").get(0).getAsJsonObject().add("shape", shape);
        });
        a = allocatedWhileFailing(json, "expected at least");
        assertTrue(a < 8 << 20, "allocated " + a + " bytes for a " + Files.size(json) + "-byte file");
    }

    @Test
    void compressedJsonBomb_isRefusedBeforeItIsParsed() throws IOException {
        // 8 MB of "0," deflates to ~8 KB: a tiny file whose JSON tree would need hundreds of megabytes
        StringBuilder sb = new StringBuilder(8 << 20);
        sb.append("{\"a\": [");
        while (sb.length() < (8 << 20)) {
            sb.append("0,");
        }
        sb.append("0]}");
        byte[] bomb = sb.toString().getBytes(StandardCharsets.US_ASCII);
        sb = null;
        for (String name : new String[] {"trainer.json", "charrnn.json"}) {
            Map<String, byte[]> entries = entries();
            entries.put(name, bomb);
            Path file = rezip(entries, true);
            assertTrue(Files.size(file) < 1 << 20, "the bomb is small: " + Files.size(file));
            long a = allocatedWhileFailing(file, name + ": expected at most");
            assertTrue(a < 16L << 20, name + ": allocated " + a + " bytes for a " + Files.size(file) + "-byte file");
            if (name.equals("charrnn.json")) {
                assertThrows(ModelFormatException.class, () -> ModelFiles.load(file));
            } else {
                assertEquals(Checkpoints.read(checkpoint).model(), ModelFiles.load(file)); // extras are not read
            }
        }
    }

    @Test
    void checkpointLoadedAsAModel_givesItsModel_andAModelIsNoCheckpoint() throws IOException {
        assertEquals(Checkpoints.read(checkpoint).model(), ModelFiles.load(checkpoint));
        Path model = dir.resolve("plain.charrnn");
        ModelFiles.save(Checkpoints.read(checkpoint).model(), model);
        expectFormatError(model, "not a checkpoint");
    }
}
