package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.Zips;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The vocabulary and replacement of a model file, mutated at random: each load gives a model with
 * that (consistent) vocabulary or a {@link ModelFormatException} with a message, never another exception; a forged
 * vocabulary too large for the file's weights is refused before any weight is allocated.
 */
class VocabularyFuzzTest {
    @TempDir
    Path dir;

    private static final RnnModel MODEL = RnnModel.builder().hidden(4).seed(5)
            .vocabulary(Vocabulary.fromText("abc \n\uD83D\uDE00").withReplacement(' ')).build();

    private Path save() throws IOException {
        Path f = dir.resolve("m.charrnn");
        ModelFiles.save(MODEL, f);
        return f;
    }

    private Path withDescription(Path original, JsonObject description, int i) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(original.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        entries.put("charrnn.json", description.toString().getBytes(StandardCharsets.UTF_8));
        Path out = dir.resolve("v" + i + ".charrnn");
        return Zips.write(out, entries, name -> name.endsWith(".npy"));
    }

    private static JsonElement randomValue(SplittableRandom rng) {
        return switch (rng.nextInt(10)) {
            case 0 -> new JsonPrimitive(-1 - rng.nextInt(1000));
            case 1 -> new JsonPrimitive(0x110000 + rng.nextInt(1 << 20));
            case 2 -> new JsonPrimitive(rng.nextInt(200) + 0.5);
            case 3 -> new JsonPrimitive("a");
            case 4 -> JsonNull.INSTANCE;
            case 5 -> new JsonArray();
            case 6 -> new JsonPrimitive(Long.MAX_VALUE);
            case 7 -> new JsonPrimitive(new java.math.BigInteger("123456789012345678901234567890"));
            case 8 -> new JsonPrimitive(0xD800 + rng.nextInt(0x800)); // a surrogate half
            default -> new JsonPrimitive(rng.nextInt(0x110000));
        };
    }

    @Test
    void randomVocabularyMutations_loadTheModelOrGiveModelFormatException() throws IOException {
        Path original = save();
        String text = new String(Files.readAllBytes(original), StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("charrnn.json"));
        JsonObject description;
        try (ZipFile zip = new ZipFile(original.toFile())) {
            description = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("charrnn.json"))
                    .readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
        SplittableRandom rng = new SplittableRandom(11);
        int refused = 0;
        for (int i = 0; i < 150; i++) {
            JsonObject d = description.deepCopy();
            JsonArray v = d.getAsJsonArray("vocabulary");
            switch (rng.nextInt(6)) {
                case 0 -> v.set(rng.nextInt(v.size()), randomValue(rng));
                case 1 -> v.add(randomValue(rng));
                case 2 -> v.remove(rng.nextInt(v.size()));
                case 3 -> d.add("replacement", randomValue(rng));
                case 4 -> d.add("vocabulary", randomValue(rng));
                default -> {
                    int a = rng.nextInt(v.size());
                    int b = rng.nextInt(v.size());
                    JsonElement t = v.get(a);
                    v.set(a, v.get(b));
                    v.set(b, t);
                }
            }
            Path f = withDescription(original, d, i);
            try {
                // a forged but consistent vocabulary (valid, increasing, right size) is a valid file
                RnnModel loaded = ModelFiles.load(f);
                assertEquals(MODEL.config(), loaded.config(), "case " + i);
                assertEquals(d.getAsJsonArray("vocabulary").size(), loaded.vocabulary().orElseThrow().size());
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(f + ": charrnn.json: "), e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail("case " + i + " (" + d.get("vocabulary") + ", replacement " + d.get("replacement") + ") threw "
                        + t, t);
            }
            Files.delete(f);
        }
        assertTrue(refused > 120, "refused " + refused);
    }

    @Test
    void hugeVocabulary_isRefusedByTheWeightShapesBeforeAllocatingThem() throws IOException {
        Path original = save();
        JsonObject d;
        try (ZipFile zip = new ZipFile(original.toFile())) {
            d = JsonParser.parseString(new String(zip.getInputStream(zip.getEntry("charrnn.json")).readAllBytes(),
                    StandardCharsets.UTF_8)).getAsJsonObject();
        }
        JsonArray all = new JsonArray();
        for (int cp = 0; cp < 20_000; cp++) { // the weights are for 6
            all.add(cp);
        }
        d.add("vocabulary", all);
        d.add("replacement", JsonNull.INSTANCE);
        Path f = withDescription(original, d, 0);
        ModelFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ModelFormatException.class,
                () -> ModelFiles.load(f));
        assertTrue(e.getMessage().contains("shape"), e.getMessage()); // the weights' shapes no longer match
    }
}
