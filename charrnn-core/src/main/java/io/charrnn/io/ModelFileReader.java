package io.charrnn.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.internal.format.FormatViolation;
import io.charrnn.internal.format.Npy;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads the format {@link ModelFiles} documents, trusting nothing in the file. Every problem
 * becomes a {@link ModelFormatException} that names the file and entry, what was expected and what
 * was found; only a file that cannot be opened at all gives a plain {@link IOException}.
 */
final class ModelFileReader {
    /** A description larger than this is not one we wrote: the largest vocabulary fits in ~15 MiB. */
    private static final int MAX_DESCRIPTION_BYTES = 64 << 20;
    /** Longer than any number we write (a long, a double); longer ones are refused unparsed. */
    private static final int MAX_NUMBER_LENGTH = 40;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final String file;
    private final long fileSize;

    private ModelFileReader(Path source, long fileSize) {
        this.file = source.toString();
        this.fileSize = fileSize;
    }

    static RnnModel read(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            throw new FileSystemException(source.toString(), null, "expected a model file, found a directory");
        }
        long size;
        byte[] start = new byte[ZIP_MAGIC.length];
        int got;
        // plain IOExceptions from here (missing file, no permission) are the caller's to handle
        try (SeekableByteChannel channel = Files.newByteChannel(source, StandardOpenOption.READ)) {
            size = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(start);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read the first bytes
            }
            got = buffer.position();
        }
        ModelFileReader reader = new ModelFileReader(source, size);
        if (got < ZIP_MAGIC.length || !Arrays.equals(start, ZIP_MAGIC)) {
            throw reader.problem("expected a zip archive (a charrnn model file starts with PK\\x03\\x04), found "
                    + (size == 0 ? "an empty file" : size + " bytes starting with " + hex(start, got)));
        }
        try (ZipFile zip = new ZipFile(source.toFile(), StandardCharsets.UTF_8)) {
            return reader.read(zip);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the file was readable a moment ago, so a failure inside the zip structure is corruption
            throw reader.problem("expected a valid zip archive, found a corrupt one (" + e + ")", e);
        }
    }

    private RnnModel read(ZipFile zip) throws IOException {
        Map<String, ZipEntry> entries = new HashMap<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (entries.put(entry.getName(), entry) != null) {
                throw problem("expected each zip entry once, found " + entry.getName() + " twice");
            }
        }
        ZipEntry descriptionEntry = entries.get(ModelFiles.DESCRIPTION_ENTRY);
        if (descriptionEntry == null) {
            throw problem("expected an entry " + ModelFiles.DESCRIPTION_ENTRY + " (is this a charrnn model file?), found only "
                    + preview(entries.keySet()));
        }
        JsonObject root = parseDescription(readDescription(zip, descriptionEntry));
        String where = ModelFiles.DESCRIPTION_ENTRY + ": ";

        JsonElement magic = root.get("magic");
        if (magic == null || !magic.isJsonPrimitive() || !ModelFiles.MAGIC.equals(magic.getAsString())) {
            throw problem(where + "expected magic \"" + ModelFiles.MAGIC + "\", found " + show(magic));
        }
        long version = integer(root, "formatVersion", Long.MIN_VALUE, Long.MAX_VALUE, where);
        if (version > ModelFiles.CURRENT_VERSION) {
            throw problem("format version " + version + " is newer than this library reads ("
                    + ModelFiles.OLDEST_VERSION + "-" + ModelFiles.CURRENT_VERSION + "); upgrade charrnn");
        }
        if (version < ModelFiles.OLDEST_VERSION) {
            throw problem("expected a format version in " + ModelFiles.OLDEST_VERSION + "-" + ModelFiles.CURRENT_VERSION
                    + ", found " + version);
        }
        ModelConfig config = config(object(root, "config", where), where + "config: ");
        Vocabulary vocabulary = vocabulary(root, where);
        ParameterLayout layout;
        try {
            layout = new ParameterLayout(config, vocabulary.size());
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a config and vocabulary that give a model of fewer than 2^31 parameters, found "
                    + e.getMessage(), e);
        }
        checkParameterList(array(root, "parameters", where), layout, where + "parameters: ");

        Map<String, float[]> weights = new LinkedHashMap<>();
        for (ParameterLayout.Tensor t : layout.tensors()) {
            weights.put(t.name(), readTensor(zip, entries, t));
        }
        try {
            return RnnModel.fromWeights(config, vocabulary, weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("internal error: checked weights were refused: " + e.getMessage(), e);
        }
    }

    private byte[] readDescription(ZipFile zip, ZipEntry entry) throws IOException {
        CRC32 crc = new CRC32();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
            byte[] buffer = new byte[1 << 14];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_DESCRIPTION_BYTES) {
                    throw problem(ModelFiles.DESCRIPTION_ENTRY + ": expected at most " + MAX_DESCRIPTION_BYTES
                            + " bytes, found more");
                }
            }
        }
        checkCrc(entry, crc);
        return out.toByteArray();
    }

    private JsonObject parseDescription(byte[] bytes) throws ModelFormatException {
        String where = ModelFiles.DESCRIPTION_ENTRY + ": ";
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw problem(where + "expected UTF-8 text, found malformed bytes (" + e + ")", e);
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = new Gson().getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw problem(where + "expected one JSON value, found more after it");
            }
            if (root == null || !root.isJsonObject()) {
                throw problem(where + "expected a JSON object, found " + show(root));
            }
            return root.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            throw problem(where + "expected valid JSON, found " + e.getMessage(), e);
        }
    }

    private ModelConfig config(JsonObject c, String where) throws ModelFormatException {
        String cellName = string(c, "cell", where);
        CellType cell;
        try {
            cell = CellType.valueOf(cellName);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a cell type in " + Arrays.toString(CellType.values()) + ", found \""
                    + cellName + "\" (written by a newer charrnn?)");
        }
        String activationName = string(c, "activation", where);
        Activation activation;
        try {
            activation = Activation.valueOf(activationName);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected an activation in " + Arrays.toString(Activation.values()) + ", found \""
                    + activationName + "\"");
        }
        int hidden = (int) integer(c, "hidden", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        int layers = (int) integer(c, "layers", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        int embedding = (int) integer(c, "embedding", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        double initScale = number(c, "initScale", where);
        long seed = integer(c, "seed", Long.MIN_VALUE, Long.MAX_VALUE, where);
        try {
            return new ModelConfig(cell, activation, hidden, layers, embedding, initScale, seed);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a valid config, found one where " + e.getMessage(), e);
        }
    }

    private Vocabulary vocabulary(JsonObject root, String where) throws ModelFormatException {
        JsonArray array = array(root, "vocabulary", where);
        if (array.isEmpty()) {
            throw problem(where + "expected at least one code point in \"vocabulary\", found none");
        }
        int[] codePoints = new int[array.size()];
        for (int i = 0; i < codePoints.length; i++) {
            String field = "vocabulary[" + i + "]";
            codePoints[i] = (int) integer(array.get(i), field, 0, Character.MAX_CODE_POINT, where);
            if (i > 0 && codePoints[i] <= codePoints[i - 1]) {
                throw problem(where + "expected the code points of \"vocabulary\" strictly increasing, found "
                        + codePoints[i] + " after " + codePoints[i - 1] + " at index " + i);
            }
        }
        Vocabulary vocabulary = Vocabulary.of(codePoints);
        JsonElement replacement = root.get("replacement");
        if (replacement == null) {
            throw problem(where + "expected a field \"replacement\" (a code point or null), found none");
        }
        if (replacement.isJsonNull()) {
            return vocabulary;
        }
        int cp = (int) integer(replacement, "replacement", 0, Character.MAX_CODE_POINT, where);
        if (!vocabulary.contains(cp)) {
            throw problem(where + "expected \"replacement\" to be a code point of the vocabulary, found " + cp
                    + " (" + Vocabulary.describe(cp) + ")");
        }
        return vocabulary.withReplacement(cp);
    }

    private void checkParameterList(JsonArray list, ParameterLayout layout, String where) throws ModelFormatException {
        List<String> expectedNames = new ArrayList<>();
        layout.tensors().forEach(t -> expectedNames.add(t.name()));
        if (list.size() != expectedNames.size()) {
            throw problem(where + "expected " + expectedNames.size() + " parameters " + expectedNames
                    + " for this config and vocabulary, found " + list.size());
        }
        for (int i = 0; i < list.size(); i++) {
            ParameterLayout.Tensor t = layout.tensors().get(i);
            String at = where + "[" + i + "]: ";
            if (!list.get(i).isJsonObject()) {
                throw problem(at + "expected an object {name, shape, file}, found " + show(list.get(i)));
            }
            JsonObject p = list.get(i).getAsJsonObject();
            String name = string(p, "name", at);
            if (!name.equals(t.name())) {
                throw problem(at + "expected the parameter \"" + t.name() + "\" (order " + expectedNames + "), found \""
                        + name + "\"");
            }
            JsonArray shape = array(p, "shape", at);
            int[] expected = t.shape();
            boolean same = shape.size() == expected.length;
            for (int d = 0; same && d < expected.length; d++) {
                same = integer(shape.get(d), "shape[" + d + "]", Long.MIN_VALUE, Long.MAX_VALUE, at) == expected[d];
            }
            if (!same) {
                throw problem(at + "expected \"" + name + "\" to have the shape " + Arrays.toString(expected)
                        + " from the config and vocabulary, found " + show(shape));
            }
            String entry = string(p, "file", at);
            if (!entry.equals(ModelFiles.entryName(name))) {
                throw problem(at + "expected the file \"" + ModelFiles.entryName(name) + "\", found \"" + entry + "\"");
            }
        }
    }

    private float[] readTensor(ZipFile zip, Map<String, ZipEntry> entries, ParameterLayout.Tensor t)
            throws IOException {
        String name = ModelFiles.entryName(t.name());
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw problem("expected an entry " + name + " for the parameter " + t.name() + ", found none");
        }
        String where = name + ": ";
        if (entry.getMethod() != ZipEntry.STORED) {
            throw problem(where + "expected a stored (uncompressed) entry, found compression method " + entry.getMethod());
        }
        long dataBytes = 4L * t.size();
        // bound the allocation by the file itself before trusting the config's sizes
        if (entry.getSize() < dataBytes || entry.getCompressedSize() != entry.getSize() || entry.getSize() > fileSize) {
            throw problem(where + "expected an entry of at least " + dataBytes + " bytes (" + t.size()
                    + " float32 values of shape " + Npy.shapeLiteral(t.shape()) + "), found one of " + entry.getSize()
                    + " bytes (stored as " + entry.getCompressedSize() + ") in a file of " + fileSize + " bytes");
        }
        CRC32 crc = new CRC32();
        float[] values;
        try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
            values = Npy.read(in, t.shape());
        } catch (FormatViolation e) {
            throw problem(where + e.getMessage(), e);
        }
        checkCrc(entry, crc);
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                String index = t.vector() ? "[" + i + "]" : "[" + i / t.cols() + ", " + i % t.cols() + "]";
                throw problem(where + "expected finite weights, found " + values[i] + " at " + index);
            }
        }
        return values;
    }

    private void checkCrc(ZipEntry entry, CRC32 crc) throws ModelFormatException {
        if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
            throw problem(entry.getName() + ": expected CRC-32 " + String.format("%08x", entry.getCrc())
                    + " from the zip directory, found " + String.format("%08x", crc.getValue()) + " (corrupt data)");
        }
    }

    private JsonObject object(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "an object", where);
        if (!e.isJsonObject()) {
            throw problem(where + "expected \"" + field + "\" to be an object, found " + show(e));
        }
        return e.getAsJsonObject();
    }

    private JsonArray array(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "an array", where);
        if (!e.isJsonArray()) {
            throw problem(where + "expected \"" + field + "\" to be an array, found " + show(e));
        }
        return e.getAsJsonArray();
    }

    private String string(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "a string", where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw problem(where + "expected \"" + field + "\" to be a string, found " + show(e));
        }
        return e.getAsString();
    }

    private long integer(JsonObject o, String field, long min, long max, String where) throws ModelFormatException {
        return integer(require(o, field, "an integer", where), field, min, max, where);
    }

    private long integer(JsonElement e, String field, long min, long max, String where) throws ModelFormatException {
        long value;
        try {
            // a forged number of millions of digits must not cost quadratic parsing time
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsString().length() > MAX_NUMBER_LENGTH) {
                throw new NumberFormatException();
            }
            value = new BigDecimal(e.getAsString()).longValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            throw problem(where + "expected \"" + field + "\" to be an integer in [" + min + ", " + max + "], found "
                    + show(e));
        }
        if (value < min || value > max) {
            throw problem(where + "expected \"" + field + "\" to be an integer in [" + min + ", " + max + "], found "
                    + value);
        }
        return value;
    }

    private double number(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "a number", where);
        double value = Double.NaN;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && e.getAsString().length() <= MAX_NUMBER_LENGTH) {
            try {
                value = Double.parseDouble(e.getAsString());
            } catch (NumberFormatException ex) {
                value = Double.NaN;
            }
        }
        if (!Double.isFinite(value)) {
            throw problem(where + "expected \"" + field + "\" to be a finite number, found " + show(e));
        }
        return value;
    }

    private JsonElement require(JsonObject o, String field, String kind, String where) throws ModelFormatException {
        JsonElement e = o.get(field);
        if (e == null) {
            throw problem(where + "expected a field \"" + field + "\" (" + kind + "), found none");
        }
        return e;
    }

    private ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }

    private ModelFormatException problem(String message, Throwable cause) {
        return new ModelFormatException(file + ": " + message, cause);
    }

    private static String show(JsonElement e) {
        if (e == null) {
            return "nothing";
        }
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static String preview(java.util.Collection<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        return sorted.size() > 10 ? sorted.subList(0, 10) + " and " + (sorted.size() - 10) + " more" : sorted.toString();
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("\\x%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
