package io.charrnn.internal.format;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The model file format ({@code io.charrnn.io.ModelFiles} documents it) with room for extra
 * entries: a checkpoint is a model file plus named JSON objects ({@code trainer.json}) and named
 * float32 vectors ({@code optimizer/m.npy}). {@code ModelFiles.save} and {@code ModelFiles.load} are
 * thin wrappers; {@code ModelFiles.load} of a checkpoint gives its model and ignores the extras.
 * It reads and writes a model as plain values ({@link Stored}); {@code internal.access.ModelAccess}
 * turns those into an {@code RnnModel} and back.
 *
 * <p>Extras are listed in {@code charrnn.json} under {@code "extras"}
 * ({@code {"json": ["trainer.json"], "arrays": [{"file": "optimizer/m.npy", "shape": [n]}]}}), so
 * a reader knows every entry and its size before reading one, and reads them with the same
 * distrust as the weights: sizes bounded by the file, stored entries, CRC-32, exact npy shapes,
 * strict JSON of bounded size. Extra arrays come back bit for bit (NaN included: their meaning is
 * the caller's to check); extra JSON must be an object, and its field values are the caller's to
 * check ({@link JsonFields} helps).
 *
 * <p>Entry names: one or more segments of {@code [A-Za-z0-9_.-]} separated by {@code /}, no
 * segment starting with a dot, at most 200 characters, JSON names ending in {@code .json}, array
 * names in {@code .npy}, never {@code charrnn.json} nor under {@code weights/}. At most 1,000
 * extras. Stateless and thread-safe.
 */
public final class ModelArchive {
    /** The oldest format version this library reads. */
    public static final int OLDEST_VERSION = 1;
    /** The format version this library writes, and the newest it reads. */
    public static final int CURRENT_VERSION = 2;
    /** The first format version with {@code "training"} and {@code "extras"}. */
    static final int TRAINING_VERSION = 2;
    static final String MAGIC = "charrnn-model";
    static final String DESCRIPTION_ENTRY = "charrnn.json";
    static final String WEIGHTS_DIRECTORY = "weights/";
    /** Where a trained model's loss curve lives ({@code "training"."history"} in charrnn.json lists it). */
    static final String HISTORY_DIRECTORY = "training/";
    static final String HISTORY_LOSSES = HISTORY_DIRECTORY + "losses.npy";
    static final String HISTORY_SMOOTH = HISTORY_DIRECTORY + "smooth.npy";
    static final int MAX_EXTRAS = 1000;
    static final int MAX_NAME_LENGTH = 200;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*");
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    /**
     * A model as a file holds it.
     *
     * @param config the architecture
     * @param vocabulary the vocabulary
     * @param parameters the flat weights in layout order (not copied: the writer only reads them, and
     *     the reader's are fresh)
     * @param training how the model was trained, or null
     */
    public record Stored(ModelConfig config, Vocabulary vocabulary, float[] parameters, TrainingInfo training) {
    }

    /**
     * What a model file or checkpoint holds.
     *
     * @param formatVersion the format version of the file
     * @param libraryVersion the charrnn version that wrote it (information only)
     * @param model the model, with its training info if the file has one
     * @param json the extra JSON objects by entry name, sorted (empty for a plain model file)
     * @param arrays the extra float32 vectors by entry name, sorted (empty for a plain model file)
     */
    public record Contents(int formatVersion, String libraryVersion, Stored model, Map<String, JsonObject> json,
                           Map<String, float[]> arrays) {
        /** Makes the maps unmodifiable. */
        public Contents {
            json = Collections.unmodifiableMap(new LinkedHashMap<>(json));
            arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        }
    }

    private ModelArchive() {
    }

    /**
     * Writes a model file with extra entries, atomically (see {@link AtomicFiles}). Everything is
     * checked and every JSON object serialised before the file system is touched.
     *
     * @param target the file to write; its directory must exist
     * @param model the model
     * @param extraJson extra JSON objects by entry name (e.g. {@code trainer.json}); not kept
     * @param extraArrays extra float32 vectors by entry name (e.g. {@code optimizer/m.npy}), each
     *     saved with the shape {@code (n,)}; neither copied nor kept (a checkpoint's optimizer moments are as
     *     large as the weights), so they must not change while this runs
     * @throws IllegalArgumentException if a name is not allowed, or a JSON
     *     object holds a value JSON cannot represent (NaN)
     * @throws IOException if the directory does not exist, the target is a directory, or writing fails
     */
    public static void write(Path target, Stored model, Map<String, JsonObject> extraJson,
                             Map<String, float[]> extraArrays) throws IOException {
        write(target, model, extraJson, extraArrays, UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, Stored, Map, Map)} with a hook around the raw output stream (tests).
     *
     * @param target the file to write
     * @param model the model
     * @param extraJson extra JSON objects by entry name
     * @param extraArrays extra float32 vectors by entry name
     * @param wrap wraps the temporary file's unbuffered stream
     * @throws IOException if writing fails
     */
    public static void write(Path target, Stored model, Map<String, JsonObject> extraJson,
                             Map<String, float[]> extraArrays, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(extraJson, "extraJson");
        Objects.requireNonNull(extraArrays, "extraArrays");
        if (extraJson.size() + extraArrays.size() > MAX_EXTRAS) {
            throw new IllegalArgumentException("a checkpoint holds at most " + MAX_EXTRAS + " extra entries, got "
                    + (extraJson.size() + extraArrays.size()));
        }
        SortedMap<String, byte[]> json = new TreeMap<>();
        for (Map.Entry<String, JsonObject> e : extraJson.entrySet()) {
            checkName(e.getKey(), ".json");
            Objects.requireNonNull(e.getValue(), () -> "extraJson value of " + e.getKey());
            json.put(e.getKey(), serialise(e.getValue(), e.getKey()));
        }
        SortedMap<String, float[]> arrays = new TreeMap<>();
        for (Map.Entry<String, float[]> e : extraArrays.entrySet()) {
            checkName(e.getKey(), ".npy");
            arrays.put(e.getKey(), Objects.requireNonNull(e.getValue(), () -> "extraArrays value of " + e.getKey()));
        }
        TrainingInfo info = model.training();
        if (info != null && !StandardCharsets.UTF_8.newEncoder().canEncode(info.trainer())) {
            throw new IllegalArgumentException("the training info's trainer description must be valid Unicode "
                    + "(no unpaired surrogates), got " + JsonFields.show(new JsonPrimitive(info.trainer())));
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        List<ParameterLayout.Tensor> tensors = new ParameterLayout(model.config(), model.vocabulary().size()).tensors();
        for (ParameterLayout.Tensor t : tensors) {
            shapes.put(t.name(), t.shape());
        }
        byte[] description = DescriptionJson.of(model, shapes, json.keySet(), arrays);
        LossHistory history = info == null ? LossHistory.empty() : info.history();
        AtomicFiles.checkTarget(target);
        AtomicFiles.write(target, out -> {
            ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
            putDeflated(zip, DESCRIPTION_ENTRY, description);
            for (ParameterLayout.Tensor t : tensors) { // written from the flat weights, not copied
                putNpy(zip, entryName(t.name()), t.shape(), model.parameters(), t.offset());
            }
            if (!history.isEmpty()) {
                putNpy(zip, HISTORY_LOSSES, new int[] {history.size()}, history.losses(), 0);
                putNpy(zip, HISTORY_SMOOTH, new int[] {history.size()}, history.smoothLosses(), 0);
            }
            for (Map.Entry<String, byte[]> e : json.entrySet()) {
                putDeflated(zip, e.getKey(), e.getValue());
            }
            for (Map.Entry<String, float[]> e : arrays.entrySet()) {
                putNpy(zip, e.getKey(), new int[] {e.getValue().length}, e.getValue(), 0);
            }
            zip.finish();
        }, wrap);
    }

    /**
     * Reads a model file or checkpoint with all its extras, trusting nothing in it.
     *
     * @param source the file
     * @return the model and the extras
     * @throws ModelFormatException if the file is readable but not valid; the message names the
     *     file, what was expected and what was found
     * @throws IOException if the file cannot be read
     */
    public static Contents read(Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        return ModelArchiveReader.read(source, true);
    }

    /**
     * Reads the model of a model file or checkpoint; the extras are checked only as listed in
     * {@code charrnn.json}, their entries are not read.
     *
     * @param source the file
     * @return the contents, with empty extra maps
     * @throws ModelFormatException if the file is readable but not a valid model file
     * @throws IOException if the file cannot be read
     */
    public static Contents readModel(Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        return ModelArchiveReader.read(source, false);
    }

    static String entryName(String parameter) {
        return WEIGHTS_DIRECTORY + parameter + ".npy";
    }

    /** @return why {@code name} is not a valid extra entry name with the given suffix, or null */
    static String nameProblem(String name, String suffix) {
        if (name.length() > MAX_NAME_LENGTH) {
            return "at most " + MAX_NAME_LENGTH + " characters";
        }
        if (!NAME.matcher(name).matches()) {
            return "segments of [A-Za-z0-9_.-] separated by '/', none starting with '.'";
        }
        if (!name.endsWith(suffix) || name.length() == suffix.length()) {
            return "a name ending in " + suffix;
        }
        if (name.equals(DESCRIPTION_ENTRY) || name.startsWith(WEIGHTS_DIRECTORY) || name.startsWith(HISTORY_DIRECTORY)) {
            return "a name other than " + DESCRIPTION_ENTRY + " and outside " + WEIGHTS_DIRECTORY + " and "
                    + HISTORY_DIRECTORY;
        }
        return null;
    }

    private static void checkName(String name, String suffix) {
        Objects.requireNonNull(name, "extra entry name");
        String problem = nameProblem(name, suffix);
        if (problem != null) {
            throw new IllegalArgumentException("an extra entry name must be " + problem + ", got "
                    + JsonFields.show(new JsonPrimitive(name)));
        }
    }

    private static byte[] serialise(JsonObject o, String name) {
        try {
            return DescriptionJson.json(o);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must hold only values JSON can represent: " + e.getMessage(), e);
        }
    }

    static String libraryVersion() {
        Package p = ModelArchive.class.getPackage();
        String version = p == null ? null : p.getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static void putDeflated(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.DEFLATED);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
        zip.write(bytes);
        zip.closeEntry();
    }

    /** Stored, like NumPy's .npz: the reader can then bound every array by the file's size. */
    private static void putNpy(ZipOutputStream zip, String name, int[] shape, float[] data, int offset)
            throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setTimeLocal(ENTRY_TIME);
        long length = Npy.byteLength(shape);
        entry.setSize(length);
        entry.setCompressedSize(length);
        entry.setCrc(Npy.crc32(shape, data, offset));
        zip.putNextEntry(entry);
        Npy.write(zip, shape, data, offset);
        zip.closeEntry();
    }
}
