package io.charrnn.internal.format;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * Reads the format {@link io.charrnn.io.ModelFiles} documents, with the extras of
 * {@link ModelArchive}, trusting nothing in the file. Every problem becomes a
 * {@link ModelFormatException} that names the file and entry, what was expected and what was
 * found; only a file that cannot be opened at all gives a plain {@link IOException}.
 */
final class ModelArchiveReader {
    /** A description larger than this is not one we wrote: the largest vocabulary fits in ~15 MiB. */
    private static final int MAX_DESCRIPTION_BYTES = 64 << 20;
    /** All extra JSON entries together: trainer state is a few KB; parsed JSON costs ~20x its text. */
    private static final int MAX_EXTRA_JSON_BYTES = 16 << 20;
    /**
     * JSON inflates from its compressed entry by at most this factor (real descriptions and trainer
     * state compress 3-10x), so a small file cannot make the reader build a huge JSON tree.
     */
    private static final int MAX_JSON_RATIO = 100;
    /** Below this, any ratio is allowed. */
    private static final int JSON_RATIO_FLOOR = 1 << 20;
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final String file;
    private final long fileSize;
    private final JsonFields fields;
    private final DescriptionFields description;

    private ModelArchiveReader(Path source, long fileSize) {
        this.file = source.toString();
        this.fileSize = fileSize;
        this.fields = new JsonFields(file);
        this.description = new DescriptionFields(file, fileSize, fields);
    }

    static ModelArchive.Contents read(Path source, boolean extras) throws IOException {
        // plain IOExceptions from here (missing file, no permission) are the caller's to handle
        BasicFileAttributes attributes = Files.readAttributes(source, BasicFileAttributes.class);
        if (attributes.isDirectory()) {
            throw new FileSystemException(source.toString(), null, "expected a model file, found a directory");
        }
        if (!attributes.isRegularFile()) { // opening a FIFO would block until a writer comes
            throw new FileSystemException(source.toString(), null, "expected a model file, found "
                    + FileKinds.special(source));
        }
        long size;
        byte[] start = new byte[ZIP_MAGIC.length];
        int got;
        try (SeekableByteChannel channel = Files.newByteChannel(source, StandardOpenOption.READ)) {
            size = channel.size();
            ByteBuffer buffer = ByteBuffer.wrap(start);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read the first bytes
            }
            got = buffer.position();
        }
        ModelArchiveReader reader = new ModelArchiveReader(source, size);
        if (got < ZIP_MAGIC.length || !Arrays.equals(start, ZIP_MAGIC)) {
            throw reader.problem("expected a zip archive (a charrnn model file starts with PK\\x03\\x04), found "
                    + (size == 0 ? "an empty file" : size + " bytes starting with " + hex(start, got)));
        }
        try (ZipFile zip = new ZipFile(source.toFile(), StandardCharsets.UTF_8)) {
            return reader.read(zip, extras);
        } catch (ModelFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the file was readable a moment ago, so a failure inside the zip structure is corruption
            throw reader.problem("expected a valid zip archive, found a corrupt one (" + e + ")", e);
        }
    }

    private ModelArchive.Contents read(ZipFile zip, boolean readExtras) throws IOException {
        Map<String, ZipEntry> entries = new HashMap<>();
        for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
            ZipEntry entry = e.nextElement();
            if (entries.put(entry.getName(), entry) != null) {
                throw problem("expected each zip entry once, found " + entry.getName() + " twice");
            }
        }
        ZipEntry descriptionEntry = entries.get(ModelArchive.DESCRIPTION_ENTRY);
        if (descriptionEntry == null) {
            throw problem("expected an entry " + ModelArchive.DESCRIPTION_ENTRY + " (is this a charrnn model file?), found only "
                    + JsonFields.preview(entries.keySet()));
        }
        JsonObject root = parseJson(readJson(zip, descriptionEntry, MAX_DESCRIPTION_BYTES), ModelArchive.DESCRIPTION_ENTRY);
        String where = ModelArchive.DESCRIPTION_ENTRY + ": ";

        JsonElement magic = root.get("magic");
        if (magic == null || !magic.isJsonPrimitive() || !ModelArchive.MAGIC.equals(magic.getAsString())) {
            throw problem(where + "expected magic \"" + ModelArchive.MAGIC + "\", found " + JsonFields.show(magic));
        }
        long version = fields.integer(root, "formatVersion", Long.MIN_VALUE, Long.MAX_VALUE, where);
        if (version > ModelArchive.CURRENT_VERSION) {
            throw problem("format version " + version + " is newer than this library reads ("
                    + ModelArchive.OLDEST_VERSION + "-" + ModelArchive.CURRENT_VERSION + "); upgrade charrnn");
        }
        if (version < ModelArchive.OLDEST_VERSION) {
            throw problem("expected a format version in " + ModelArchive.OLDEST_VERSION + "-" + ModelArchive.CURRENT_VERSION
                    + ", found " + version);
        }
        String libraryVersion = root.has("libraryVersion") && root.get("libraryVersion").isJsonPrimitive()
                ? root.get("libraryVersion").getAsString() : "unknown";
        if (libraryVersion.length() > 100) {
            libraryVersion = libraryVersion.substring(0, 100) + "…";
        }
        ModelConfig config = description.config(fields.object(root, "config", where), where + "config: ");
        Vocabulary vocabulary = description.vocabulary(root, where);
        ParameterLayout layout;
        try {
            layout = new ParameterLayout(config, vocabulary.size());
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a config and vocabulary that give a model of fewer than 2^31 parameters, found "
                    + e.getMessage(), e);
        }
        description.checkParameterList(fields.array(root, "parameters", where), layout, where + "parameters: ");
        TrainingInfo training = version >= ModelArchive.TRAINING_VERSION ? description.training(root, where) : null;
        DescriptionFields.HistorySpec history = training == null ? null : description.historySpec(root.getAsJsonObject("training"),
                where + "training: history: ");
        DescriptionFields.Extras extras = version >= ModelArchive.TRAINING_VERSION ? description.extras(root, where)
                : new DescriptionFields.Extras(List.of(), Map.of());

        // entries may be forged to overlap; together they must still fit in the file
        long total = 0;
        for (ParameterLayout.Tensor t : layout.tensors()) {
            total += 4L * t.size();
        }
        if (history != null) {
            total += 8L * history.steps();
        }
        if (total > fileSize) {
            throw problem("expected at least " + total + " bytes of weights" + (history == null ? "" : " and loss history")
                    + " for this config and vocabulary, found a file of " + fileSize + " bytes");
        }
        if (readExtras) {
            for (int n : extras.arrays().values()) {
                total += 4L * n;
            }
            if (total > fileSize) {
                throw problem("expected at least " + total + " bytes of weights and extra arrays as listed in "
                        + ModelArchive.DESCRIPTION_ENTRY + ", found a file of " + fileSize + " bytes");
            }
        }
        float[] parameters = new float[layout.size()];
        for (ParameterLayout.Tensor t : layout.tensors()) {
            float[] w = readTensor(zip, entries, t);
            System.arraycopy(w, 0, parameters, t.offset(), w.length);
        }
        ModelArchive.Stored model = new ModelArchive.Stored(config, vocabulary, parameters,
                training == null || history == null ? training : training.withHistory(readHistory(zip, entries, history)));
        Map<String, JsonObject> json = new LinkedHashMap<>();
        Map<String, float[]> arrays = new LinkedHashMap<>();
        if (readExtras) {
            long jsonBytes = 0;
            for (String name : extras.json()) {
                byte[] bytes = readJson(zip, entry(entries, name, "extra JSON"), MAX_EXTRA_JSON_BYTES - jsonBytes);
                jsonBytes += bytes.length;
                json.put(name, parseJson(bytes, name));
            }
            for (Map.Entry<String, Integer> a : extras.arrays().entrySet()) {
                String name = a.getKey();
                arrays.put(name, readArray(zip, entry(entries, name, "extra array"), new int[] {a.getValue()},
                        a.getValue()));
            }
        }
        return new ModelArchive.Contents((int) version, libraryVersion, model, json, arrays);
    }

    private LossHistory readHistory(ZipFile zip, Map<String, ZipEntry> entries, DescriptionFields.HistorySpec spec) throws IOException {
        int[] shape = {spec.steps()};
        float[] losses = readArray(zip, entry(entries, ModelArchive.HISTORY_LOSSES, "loss history"), shape, spec.steps());
        float[] smooth = readArray(zip, entry(entries, ModelArchive.HISTORY_SMOOTH, "loss history"), shape, spec.steps());
        for (float[] values : List.of(losses, smooth)) {
            for (int i = 0; i < values.length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw problem((values == losses ? ModelArchive.HISTORY_LOSSES : ModelArchive.HISTORY_SMOOTH)
                            + ": expected finite losses, found " + values[i] + " at [" + i + "]");
                }
            }
        }
        return LossHistory.of(spec.firstStep(), losses, smooth, spec.validations());
    }

    private ZipEntry entry(Map<String, ZipEntry> entries, String name, String what) throws ModelFormatException {
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw problem("expected an entry " + name + " (" + what + " listed in " + ModelArchive.DESCRIPTION_ENTRY
                    + "), found none");
        }
        return entry;
    }

    private byte[] readJson(ZipFile zip, ZipEntry entry, long maxBytes) throws IOException {
        CRC32 crc = new CRC32();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long stored = entry.getCompressedSize() >= 0 ? Math.min(entry.getCompressedSize(), fileSize) : fileSize;
        long ratioLimit = Math.max(JSON_RATIO_FLOOR, MAX_JSON_RATIO * stored);
        try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
            byte[] buffer = new byte[1 << 14];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                if (out.size() > ratioLimit && ratioLimit < maxBytes) {
                    throw problem(entry.getName() + ": expected at most " + ratioLimit + " bytes of JSON from "
                            + stored + " compressed bytes (" + MAX_JSON_RATIO + " times as many, or "
                            + JSON_RATIO_FLOOR + "), found more (a compression bomb?)");
                }
                if (out.size() > maxBytes) {
                    throw problem(entry.getName() + ": expected at most " + maxBytes
                            + " bytes" + (maxBytes < MAX_EXTRA_JSON_BYTES ? " (what is left of " + MAX_EXTRA_JSON_BYTES
                            + " for all extra JSON)" : "") + ", found more");
                }
            }
        }
        checkCrc(entry, crc);
        return out.toByteArray();
    }

    private JsonObject parseJson(byte[] bytes, String name) throws ModelFormatException {
        String where = name + ": ";
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
                throw problem(where + "expected a JSON object, found " + JsonFields.show(root));
            }
            return root.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            throw problem(where + "expected valid JSON, found " + jsonProblem(e), e);
        }
    }

    /** Gson's message without its advice to parse leniently and its troubleshooting link. */
    private static String jsonProblem(Exception e) {
        String m = String.valueOf(e.getMessage());
        int advice = m.indexOf("malformed JSON");
        m = advice > 0 ? m.substring(advice) : m;
        int link = m.indexOf("\nSee ");
        return link > 0 ? m.substring(0, link) : m;
    }

    private float[] readTensor(ZipFile zip, Map<String, ZipEntry> entries, ParameterLayout.Tensor t)
            throws IOException {
        String name = ModelArchive.entryName(t.name());
        ZipEntry entry = entries.get(name);
        if (entry == null) {
            throw problem("expected an entry " + name + " for the parameter " + t.name() + ", found none");
        }
        float[] values = readArray(zip, entry, t.shape(), t.size());
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                String index = t.vector() ? "[" + i + "]" : "[" + i / t.cols() + ", " + i % t.cols() + "]";
                throw problem(name + ": expected finite weights, found " + values[i] + " at " + index);
            }
        }
        return values;
    }

    /** Reads a stored npy entry of a known shape, its size bounded by the file before any allocation. */
    private float[] readArray(ZipFile zip, ZipEntry entry, int[] shape, long size) throws IOException {
        String where = entry.getName() + ": ";
        if (entry.getMethod() != ZipEntry.STORED) {
            throw problem(where + "expected a stored (uncompressed) entry, found compression method " + entry.getMethod());
        }
        long dataBytes = 4L * size;
        // bound the allocation by the file itself before trusting the description's sizes
        if (entry.getSize() < dataBytes || entry.getCompressedSize() != entry.getSize() || entry.getSize() > fileSize) {
            throw problem(where + "expected an entry of at least " + dataBytes + " bytes (" + size
                    + " float32 values of shape " + Npy.shapeLiteral(shape) + "), found one of " + entry.getSize()
                    + " bytes (stored as " + entry.getCompressedSize() + ") in a file of " + fileSize + " bytes");
        }
        CRC32 crc = new CRC32();
        float[] values;
        try (InputStream in = new CheckedInputStream(zip.getInputStream(entry), crc)) {
            values = Npy.read(in, shape);
        } catch (FormatViolation e) {
            throw problem(where + e.getMessage(), e);
        }
        checkCrc(entry, crc);
        return values;
    }

    private void checkCrc(ZipEntry entry, CRC32 crc) throws ModelFormatException {
        if (entry.getCrc() != -1 && entry.getCrc() != crc.getValue()) {
            throw problem(entry.getName() + ": expected CRC-32 " + String.format("%08x", entry.getCrc())
                    + " from the zip directory, found " + String.format("%08x", crc.getValue()) + " (corrupt data)");
        }
    }

    private ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }

    private ModelFormatException problem(String message, Throwable cause) {
        return new ModelFormatException(file + ": " + message, cause);
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("\\x%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
