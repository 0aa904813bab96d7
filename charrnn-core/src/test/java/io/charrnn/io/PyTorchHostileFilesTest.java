package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.charrnn.model.RnnModel;
import io.charrnn.testing.Zips;
import io.charrnn.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files that are damaged or built to attack the reader: pickles that call globals outside the
 * allowed set or use object-creating opcodes, zip entries that leave the archive, storages shorter
 * than their tensors, shapes that overflow, truncated and randomly mutated files. Each gives a
 * {@link ModelFormatException} with a clear message (or, for a mutated but well-formed file, a model
 * or a vocabulary mismatch), never another exception, and nothing is ever called.
 */
class PyTorchHostileFilesTest {
    @TempDir
    Path dir;

    private static final List<String> CHARS = List.of("\n", " ", "a", "c", "d", "e", "h", "m", "n", "o", "s", "t",
            "\u00e9", "\uD83D\uDE00"); // the fixtures' text

    /** A pickle in pieces: ints are opcodes or single bytes, strings ASCII, longs 8-byte LONG1 integers. */
    static byte[] pickle(Object... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof Integer i) {
                b.write(i);
            } else if (p instanceof Long v) {
                b.write(0x8a);
                b.write(8);
                b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            } else {
                b.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toByteArray();
    }

    /** {@code X<len>text}: a BINUNICODE string. */
    static Object[] str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return new Object[] {(int) 'X', b.length, 0, 0, 0, s};
    }

    static Object[] concat(Object[]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray();
    }

    /** A state dict {name: _rebuild_tensor_v2(storage "0" of numel elements, offset, size, stride)}. */
    static byte[] tensorPickle(String name, String storageType, long numel, long offset, long[] size, long[] stride) {
        Object[] sizes = Arrays.stream(size).boxed().toArray();
        Object[] strides = Arrays.stream(stride).boxed().toArray();
        return pickle(concat(new Object[] {0x80, 2, (int) '}', (int) '('}, str(name),
                new Object[] {"ctorch._utils\n_rebuild_tensor_v2\n(("}, str("storage"),
                new Object[] {"ctorch\n" + storageType + "\n"}, str("0"), str("cpu"),
                new Object[] {numel, (int) 't', (int) 'Q', offset, (int) '('}, sizes,
                new Object[] {(int) 't', (int) '('},
                strides, new Object[] {(int) 't', 0x89, (int) '}', (int) 't', (int) 'R', (int) 'u', (int) '.'}));
    }

    Path pt(String name, byte[] pickle, Map<String, byte[]> more) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", pickle);
        entries.putAll(more);
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        return Zips.write(dir.resolve(name), entries, n -> true);
    }

    ModelFormatException refused(Path file) {
        return assertThrows(ModelFormatException.class, () -> PyTorchImport.from(file).characters(CHARS).read());
    }

    void expectRefused(Path file, String part) {
        ModelFormatException e = refused(file);
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"os\nsystem", "posix\nsystem", "builtins\neval", "__builtin__\nexec", "subprocess\nPopen",
        "torch\nload", "torch.nn.modules.rnn\nRNN", "__main__\nCharModel", "collections\ndefaultdict"})
    void pickle_callingAGlobalOutsideTheAllowedSet_isRefused(String global) throws IOException {
        byte[] p = pickle(concat(new Object[] {0x80, 2, "c" + global + "\n"}, str("touch /tmp/pwned"),
                new Object[] {0x85, (int) 'R', (int) '.'}));
        Path f = pt("g.pt", p, Map.of());
        expectRefused(f, "refused the global " + global.replace('\n', '.'));
        if (global.startsWith("__main__")) {
            expectRefused(f, "Save model.state_dict() instead");
        }
        // the same through protocol 4's STACK_GLOBAL
        String[] mn = global.split("\n");
        byte[] p4 = pickle(concat(new Object[] {0x80, 4, 0x8c, mn[0].length(), mn[0], 0x8c, mn[1].length(), mn[1],
                0x93},
                str("x"), new Object[] {0x85, (int) 'R', (int) '.'}));
        expectRefused(pt("g4.pt", p4, Map.of()), "refused the global " + global.replace('\n', '.'));
    }

    @ParameterizedTest
    @ValueSource(ints = {'i', 'o', 0x81, 0x92, 0x82, 'P', 'I', 'S', 0x97, 0xff})
    void pickle_opcodesThatCreateObjectsOrAreUnknown_areRefused(int op) throws IOException {
        expectRefused(pt("op.pt", pickle(0x80, 2, (int) '(', op, 0, 0, 0, 0, (int) '.'), Map.of()),
                String.format("refused pickle opcode 0x%02x", op));
    }

    @Test
    void pickle_allowedGlobalsCalledWrongly_areRefused() throws IOException {
        // OrderedDict with arguments, _rebuild_tensor_v2 without a storage, REDUCE on a non-callable
        expectRefused(pt("a.pt", pickle(concat(new Object[] {0x80, 2, "ccollections\nOrderedDict\n"}, str("x"),
                new Object[] {0x85, (int) 'R', (int) '.'})), Map.of()), "without arguments");
        expectRefused(pt("b.pt", pickle(concat(new Object[] {0x80, 2, "ctorch._utils\n_rebuild_tensor_v2\n"},
                str("x"), new Object[] {0x85, (int) 'R', (int) '.'})), Map.of()),
                "expected _rebuild_tensor_v2(storage");
        expectRefused(pt("c.pt", pickle(concat(str("x"), new Object[] {(int) ')', (int) 'R', (int) '.'})), Map.of()),
                "refused to call 'x'");
        expectRefused(pt("d.pt", pickle(concat(new Object[] {0x80, 2, "ctorch\nFloatStorage\n)R."})), Map.of()),
                "refused to call torch.FloatStorage");
        // a persistent id that is not a storage tuple
        expectRefused(pt("e.pt", pickle(concat(str("storage"), new Object[] {(int) 'Q', (int) '.'})), Map.of()),
                "expected a persistent id ('storage'");
        // a list that contains itself, used as part of a dict key, must not hash forever
        expectRefused(pt("f.pt", pickle(0x80, 2, (int) '}', (int) ']', (int) 'q', 0, (int) 'h', 0, (int) 'a',
                0x85, (int) 'K', 1, (int) 's', (int) '.'), Map.of()), "expected a dict key of strings");
    }

    @Test
    void pickle_malformed_isRefused() throws IOException {
        expectRefused(pt("t.pt", pickle(0x80, 2, (int) '}', (int) 'X', 100, 0, 0, 0, "ab"), Map.of()),
                "expected a length within the 2 bytes left, found 100");
        expectRefused(pt("u.pt", pickle(0x80, 2, (int) '}'), Map.of()), "the pickle ends early");
        expectRefused(pt("v.pt", pickle(0x80, 2, (int) 's', (int) '.'), Map.of()), "pops from an empty stack");
        expectRefused(pt("w.pt", pickle(0x80, 2, (int) 'h', 7, (int) '.'), Map.of()), "memo entry 7");
        expectRefused(pt("x.pt", pickle(0x80, 9, (int) '.'), Map.of()), "pickle protocol 9");
        expectRefused(pt("y.pt", pickle(0x80, 2, (int) 'N', (int) '.'), Map.of()),
                "expected a pickled dict of tensors");
        expectRefused(pt("z.pt", pickle(0x80, 2, (int) '}', (int) '.'), Map.of()), "found an empty dict");
    }

    @Test
    void zipEntriesOutsideTheArchive_areRefused() throws IOException {
        byte[] p = tensorPickle("w", "FloatStorage", 1, 0, new long[] {1}, new long[] {1});
        for (String name : List.of("../evil", "archive/../../evil", "/etc/passwd", "archive\\..\\x", "C:/x")) {
            Path f = pt("z.pt", p, Map.of(name, new byte[4], "archive/data/0", new byte[4]));
            expectRefused(f, "refused the zip entry \"" + name + "\"");
        }
    }

    @Test
    void storageShorterThanItsTensor_isRefused() throws IOException {
        byte[] p = tensorPickle("w", "FloatStorage", 10, 0, new long[] {10}, new long[] {1});
        expectRefused(pt("s.pt", p, Map.of("archive/data/0", new byte[12])),
                "storage archive/data/0 holds 12 bytes, but its 10 float32 values need 40");
        expectRefused(pt("m.pt", p, Map.of()), "expected the storage entry archive/data/0, found none");
        // the view reaches past its storage: offset, shape or stride too large
        expectRefused(pt("o.pt", tensorPickle("w", "FloatStorage", 4, 3, new long[] {2}, new long[] {1}),
                Map.of("archive/data/0", new byte[16])), "reaches past its storage of 4 values");
        expectRefused(pt("st.pt", tensorPickle("w", "FloatStorage", 6, 0, new long[] {2, 3}, new long[] {4, 1}),
                Map.of("archive/data/0", new byte[24])), "reaches past its storage of 6 values");
        expectRefused(pt("neg.pt", tensorPickle("w", "FloatStorage", 6, -1, new long[] {2}, new long[] {1}),
                Map.of("archive/data/0", new byte[24])), "reaches past its storage");
    }

    @Test
    void shapesThatOverflow_areRefused() throws IOException {
        long big = 1L << 40;
        expectRefused(pt("a.pt", tensorPickle("w", "FloatStorage", 4, 0, new long[] {big, big}, new long[] {0, 0}),
                Map.of("archive/data/0", new byte[16])), "expected fewer than 2^31 elements, found the shape");
        expectRefused(pt("b.pt", tensorPickle("w", "FloatStorage", 4, 0, new long[] {1L << 31}, new long[] {0}),
                Map.of("archive/data/0", new byte[16])), "expected fewer than 2^31 elements");
        expectRefused(pt("c.pt", tensorPickle("w", "FloatStorage", 4, 0, new long[] {-2, 2}, new long[] {1, 1}),
                Map.of("archive/data/0", new byte[16])), "expected dimensions >= 0");
        expectRefused(pt("d.pt", tensorPickle("w", "FloatStorage", Long.MAX_VALUE, 0, new long[] {1}, new long[] {1}),
                Map.of("archive/data/0", new byte[16])), "more than 2^31 bytes");
        // a view of a huge stride over a small storage, which would overflow a naive end-offset sum
        expectRefused(pt("e.pt", tensorPickle("w", "FloatStorage", 4, 0, new long[] {3, 3},
                new long[] {Long.MAX_VALUE / 2, Long.MAX_VALUE / 2}), Map.of("archive/data/0", new byte[16])),
                "reaches past its storage");
        // safetensors: a shape that overflows, and one whose bytes disagree with its offsets
        expectRefused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[1099511627776,1099511627776],"
                + "\"data_offsets\":[0,16]}}", new byte[16]), "expected fewer than 2^31 elements");
        expectRefused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4,4],\"data_offsets\":[0,16]}}", new byte[16]),
                "hold 16 bytes, but its shape [4, 4] of F32 needs 64");
        expectRefused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,32]}}", new byte[16]),
                "with begin <= end <= 16");
        expectRefused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,1e30]}}", new byte[16]),
                "in the range of a 64-bit integer");
    }

    Path safetensors(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = dir.resolve("h.safetensors");
        Files.write(f, b.array());
        return f;
    }

    @Test
    void safetensorsHeaders_thatAreNotValid_areRefused() throws IOException {
        expectRefused(safetensors("[1,2]", new byte[0]), "expected a JSON object as the header");
        expectRefused(safetensors("{\"w\": 1", new byte[0]), "expected a valid JSON header");
        expectRefused(safetensors("{\"w\":{\"dtype\":7}}", new byte[0]), "expected a string \"dtype\"");
        expectRefused(safetensors("{\"__metadata__\":{\"a\":1}}", new byte[0]), "values to be strings");
        expectRefused(safetensors("[".repeat(5000) + "]".repeat(5000), new byte[0]), "expected a valid JSON header");
        Path f = dir.resolve("len.safetensors");
        Files.write(f, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).put("{}  ".getBytes(
                StandardCharsets.US_ASCII)).array());
        expectRefused(f, "expected a header length in [2, 4]");
    }

    @Test
    void otherFiles_areRefusedWithWhatTheyAre() throws IOException {
        Path legacy = dir.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46});
        expectRefused(legacy, "legacy (before 1.6) torch.save format");
        Path text = dir.resolve("text.pt");
        Files.writeString(text, "hello");
        expectRefused(text, "expected a zip archive written by torch.save");
        Path zip = Zips.write(dir.resolve("other.zip"), Map.of("a.txt", new byte[1]), n -> false);
        expectRefused(zip, "expected one <folder>/data.pkl entry");
        Path big = pt("big.pt", tensorPickle("w", "FloatStorage", 1, 0, new long[] {1}, new long[] {1}),
                Map.of("archive/data/0", new byte[4], "archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII)));
        expectRefused(big, "expected little-endian storages");
    }

    @Test
    void modelsCharrnnHasNot_areRefusedNamingTheTensors() throws IOException {
        Path src = PyTorchImportTest.fixture(dir, "rnn_tanh_onehot_l1.safetensors");
        Map<String, TorchTensor> sd = Safetensors.read(src).tensors();
        expectRefused(withTensors(sd, m -> m.put("rnn.weight_ih_l0_reverse", m.get("rnn.weight_ih_l0"))),
                "'rnn.weight_ih_l0_reverse' belongs to a bidirectional RNN");
        expectRefused(withTensors(sd, m -> m.put("rnn.weight_hr_l0", new TorchTensor("rnn.weight_hr_l0", "float32",
                new long[] {4, 8}, new float[32]))), "belongs to an LSTM with proj_size");
        expectRefused(withTensors(sd, m -> m.remove("rnn.bias_hh_l0")),
                "expected a tensor 'rnn.bias_hh_l0', found none");
        expectRefused(withTensors(sd, m -> m.put("norm.running_mean", new TorchTensor("norm.running_mean", "float32",
                new long[] {3}, new float[3]))), "norm.running_mean [3]");
        expectRefused(withTensors(sd, m -> m.put("rnn.weight_hh_l0", new TorchTensor("rnn.weight_hh_l0", "float32",
                new long[] {16, 8}, new float[128]))), "with G = 1 (RNN), 3 (GRU) or 4 (LSTM)");
        // the vocabulary disagrees with the decoder's (and the one-hot input's) size
        Path ok = withTensors(sd, m -> { });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchImport.from(ok).characters(CHARS.subList(0, 13)).read());
        assertEquals("the vocabulary has 13 characters, but 'decoder.weight' [14, 8] is for 14; give the characters "
                + "the model was trained with", e.getMessage());
        // an integer tensor where a weight belongs
        byte[] bytes = Files.readAllBytes(ok);
        String all = new String(bytes, StandardCharsets.ISO_8859_1);
        int at = all.indexOf("\"F32\"", all.indexOf("rnn.bias_hh_l0"));
        bytes[at + 1] = 'I';
        Files.write(ok, bytes);
        expectRefused(ok, "'rnn.bias_hh_l0' is int32; only float32, float64, float16 and bfloat16 tensors convert");
    }

    @Test
    void embeddingOfTheWrongSize_isAVocabularyMismatch() throws IOException {
        Map<String, TorchTensor> sd = Safetensors.read(PyTorchImportTest.fixture(dir, "gru_embed_l1.safetensors"))
                .tensors();
        Path f = withTensors(sd, m -> m.put("embed.weight", new TorchTensor("embed.weight", "float32",
                new long[] {15, 4}, new float[60])));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PyTorchImport.from(f).characters(CHARS).read());
        assertTrue(e.getMessage().contains("'embed.weight' [15, 4] is for 15"), e.getMessage());
    }

    Path withTensors(Map<String, TorchTensor> sd, java.util.function.Consumer<Map<String, TorchTensor>> change)
            throws IOException {
        Map<String, TorchTensor> m = new LinkedHashMap<>(sd);
        change.accept(m);
        Path f = dir.resolve("changed.safetensors");
        try (OutputStream out = Files.newOutputStream(f)) {
            Safetensors.write(out, m, Map.of());
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rnn_tanh_onehot_l1.pt", "rnn_tanh_onehot_l1.safetensors"})
    void truncatedAtEveryOffset_givesModelFormatException(String name) throws IOException {
        byte[] full = Files.readAllBytes(PyTorchImportTest.fixture(dir, name));
        Path f = dir.resolve("t-" + name);
        for (int at = 0; at < full.length; at++) {
            Files.write(f, Arrays.copyOf(full, at));
            int cut = at;
            ModelFormatException e = assertThrows(ModelFormatException.class,
                    () -> PyTorchImport.from(f).characters(CHARS).read(), () -> "truncated at " + cut);
            assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
        }
    }

    /** Random byte changes in the pickle and the safetensors header: a model, a clear refusal, nothing else. */
    @Test
    void randomMutations_loadOrAreRefusedClearly() throws IOException {
        Path pt = PyTorchImportTest.fixture(dir, "lstm_embed_l2.pt");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(pt.toFile())) {
            for (ZipEntry e : zip.stream().toList()) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        String pkl = entries.keySet().stream().filter(n -> n.endsWith("/data.pkl")).findFirst().orElseThrow();
        byte[] pickle = entries.get(pkl);
        byte[] st = Files.readAllBytes(PyTorchImportTest.fixture(dir, "lstm_embed_l2.safetensors"));
        int headerEnd = 8 + (int) ByteBuffer.wrap(st).order(ByteOrder.LITTLE_ENDIAN).getLong();
        SplittableRandom rng = new SplittableRandom(20);
        int loaded = 0;
        int refused = 0;
        for (int i = 0; i < 400; i++) {
            boolean safetensors = i % 2 == 1;
            byte[] b = (safetensors ? st : pickle).clone();
            int changes = 1 + rng.nextInt(3);
            for (int c = 0; c < changes; c++) {
                int at = safetensors ? 8 + rng.nextInt(headerEnd - 8) : rng.nextInt(b.length);
                String likely = "0123456789[]{}\",:.-";
                b[at] = rng.nextInt(3) == 0 ? (byte) rng.nextInt(256)
                        : (byte) likely.charAt(rng.nextInt(likely.length()));
            }
            Path f;
            if (safetensors) {
                f = dir.resolve("m" + i + ".safetensors");
                Files.write(f, b);
            } else {
                Map<String, byte[]> e = new LinkedHashMap<>(entries);
                e.put(pkl, b);
                f = Zips.write(dir.resolve("m" + i + ".pt"), e, n -> true);
            }
            try {
                RnnModel m = PyTorchImport.from(f).characters(CHARS).read();
                assertEquals(Vocabulary.of(CHARS.stream().mapToInt(s -> s.codePointAt(0)).toArray()),
                        m.vocabulary().orElseThrow());
                loaded++;
            } catch (ModelFormatException e) {
                assertTrue(e.getMessage().startsWith(f + ": "), e.getMessage());
                refused++;
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage().startsWith("the vocabulary has 14 characters, but "), e.getMessage());
                refused++;
            } catch (Throwable t) {
                fail("case " + i + " (" + f.getFileName() + ") threw " + t, t);
            }
            Files.delete(f);
        }
        assertTrue(refused > 200, "refused " + refused + ", loaded " + loaded);
    }
}
