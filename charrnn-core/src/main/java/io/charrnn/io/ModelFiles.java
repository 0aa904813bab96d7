package io.charrnn.io;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.charrnn.internal.format.Npy;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Saves models to files and loads them back, bit for bit.
 *
 * <h2>File format, version 1</h2>
 *
 * A model file is a zip archive (the extension {@code .charrnn} is a convention) with these entries,
 * in this order:
 *
 * <ol>
 *   <li>{@code charrnn.json}, UTF-8 JSON (stored or deflated), an object with the fields
 *     <ul>
 *       <li>{@code "magic"}: always {@code "charrnn-model"};</li>
 *       <li>{@code "formatVersion"}: the integer {@code 1}; a reader refuses versions newer than it knows
 *         and reads every older one;</li>
 *       <li>{@code "libraryVersion"}: the charrnn version that wrote the file (the jar's
 *         {@code Implementation-Version}, or {@code "dev"} outside a jar), for information only;</li>
 *       <li>{@code "config"}: an object with {@code "cell"} ({@code "RNN"}), {@code "activation"}
 *         ({@code "TANH"} or {@code "RELU"}), {@code "hidden"}, {@code "layers"}, {@code "embedding"}
 *         (0 for one-hot input), {@code "initScale"} (a JSON number that reads back as the same
 *         {@code double}) and {@code "seed"} (an integer in the range of a Java {@code long}): the
 *         fields of {@link ModelConfig};</li>
 *       <li>{@code "vocabulary"}: the code points of the vocabulary as integers, strictly increasing,
 *         so character {@code i} of the model is {@code vocabulary[i]};</li>
 *       <li>{@code "replacement"}: the code point unknown characters are encoded as, or {@code null};</li>
 *       <li>{@code "parameters"}: one object {@code {"name", "shape", "file"}} per weight, in the
 *         layout order of {@link RnnModel#parameterShapes()}; {@code "shape"} is {@code [rows, cols]}
 *         or {@code [n]} and {@code "file"} is always {@code "weights/<name>.npy"}.</li>
 *     </ul>
 *   </li>
 *   <li>{@code weights/<name>.npy} for each parameter, stored uncompressed: a NumPy {@code .npy} file,
 *     format version 1.0: the magic {@code \x93NUMPY}, the bytes {@code 1 0}, a little-endian
 *     {@code uint16} header length, then the header
 *     {@code {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }} (a vector has the
 *     shape {@code (n,)}) padded with spaces and ended by a newline so that everything before the
 *     data is a multiple of 64 bytes; then the values as little-endian float32 in C (row-major)
 *     order.</li>
 * </ol>
 *
 * <p>For a vanilla RNN with vocabulary size V, hidden size H and embedding size D the parameters
 * are {@code embedding [V, D]} (only with an embedding), then for each layer l
 * {@code layer<l>.wx [in, H]} (in = V for one-hot input, D with an embedding, H above the first
 * layer), {@code layer<l>.wh [H, H]}, {@code layer<l>.b [H]}, then {@code output.w [H, V]} and
 * {@code output.b [V]}, with {@code h_t = f(x_t·wx + h_{t-1}·wh + b)} and logits
 * {@code h_t·output.w + output.b} over row vectors. Because the weights are stored like an
 * {@code .npz} archive, {@code numpy.load("model.charrnn")["weights/output.w"]} reads a matrix
 * directly.
 *
 * <p>Entries carry a fixed timestamp, so saving one model twice gives identical bytes. Stateless
 * and thread-safe.
 */
public final class ModelFiles {
    /** The oldest format version this library reads. */
    static final int OLDEST_VERSION = 1;
    /** The format version this library writes, and the newest it reads. */
    static final int CURRENT_VERSION = 1;
    static final String MAGIC = "charrnn-model";
    static final String DESCRIPTION_ENTRY = "charrnn.json";
    static final String WEIGHTS_DIRECTORY = "weights/";
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);
    private static final int MAX_TEMP_ATTEMPTS = 100;

    private ModelFiles() {
    }

    /**
     * Saves a model atomically: everything is checked before the file system is touched, the file
     * is written to a temporary file in the target's directory, forced to disk and moved over the
     * target in one step. A failed save leaves any previous file at {@code target} as it was and
     * removes its temporary file.
     *
     * @param model a bound model (one with a vocabulary and weights)
     * @param target the file to write; its directory must exist (no directories are created), and
     *     an existing file there is replaced
     * @throws IllegalArgumentException if the model is not bound
     * @throws IOException if the directory does not exist, the target is a directory, or writing fails
     */
    public static void save(RnnModel model, Path target) throws IOException {
        save(model, target, UnaryOperator.identity());
    }

    /** {@link #save(RnnModel, Path)} with a hook around the output stream, so tests can fail a save part-way. */
    static void save(RnnModel model, Path target, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(target, "target");
        if (!model.isBound()) {
            throw new IllegalArgumentException("cannot save a model that has no vocabulary and no weights: train it first");
        }
        Vocabulary vocabulary = model.vocabulary().orElseThrow();
        Map<String, int[]> shapes = model.parameterShapes();
        Map<String, float[]> weights = model.weights();
        byte[] description = description(model.config(), vocabulary, shapes);

        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        Path fileName = absolute.getFileName();
        if (directory == null || fileName == null) {
            throw new FileSystemException(target.toString(), null, "a model file needs a file name, got a root");
        }
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "the directory to save the model in must exist (save creates no directories)");
        }
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null,
                    "the target must be a file path, got an existing directory");
        }

        TempFile temp = createTemp(directory, fileName.toString());
        try {
            try (FileChannel channel = temp.channel()) {
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(channel)), 1 << 16);
                ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
                writeEntries(zip, description, shapes, weights);
                zip.finish();
                zip.flush();
                channel.force(true);
            }
            Files.move(temp.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            try {
                Files.deleteIfExists(temp.path());
            } catch (IOException | RuntimeException e) {
                t.addSuppressed(e);
            }
            throw t;
        }
        syncDirectory(directory);
    }

    /**
     * Loads a model saved by {@link #save}, in any format version this library reads. The file is
     * never trusted: every field, shape and size is checked, no array is larger than the config
     * and the file's own size justify, and every weight must be finite.
     *
     * @param source the model file
     * @return the model, equal bit for bit to the one saved
     * @throws ModelFormatException if the file is readable but not a valid model file; the message
     *     names the file, what was expected and what was found
     * @throws IOException if the file cannot be read (for example it does not exist)
     */
    public static RnnModel load(Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        return ModelFileReader.read(source);
    }

    private static byte[] description(ModelConfig config, Vocabulary vocabulary, Map<String, int[]> shapes) {
        JsonObject root = new JsonObject();
        root.addProperty("magic", MAGIC);
        root.addProperty("formatVersion", CURRENT_VERSION);
        root.addProperty("libraryVersion", libraryVersion());
        JsonObject c = new JsonObject();
        c.addProperty("cell", config.cell().name());
        c.addProperty("activation", config.activation().name());
        c.addProperty("hidden", config.hidden());
        c.addProperty("layers", config.layers());
        c.addProperty("embedding", config.embedding());
        c.addProperty("initScale", config.initScale());
        c.addProperty("seed", config.seed());
        root.add("config", c);
        JsonArray codePoints = new JsonArray();
        for (int cp : vocabulary.codePoints()) {
            codePoints.add(cp);
        }
        root.add("vocabulary", codePoints);
        if (vocabulary.replacement().isPresent()) {
            root.addProperty("replacement", vocabulary.replacement().getAsInt());
        } else {
            root.add("replacement", JsonNull.INSTANCE);
        }
        JsonArray parameters = new JsonArray();
        shapes.forEach((name, shape) -> {
            JsonObject p = new JsonObject();
            p.addProperty("name", name);
            JsonArray s = new JsonArray();
            for (int d : shape) {
                s.add(d);
            }
            p.add("shape", s);
            p.addProperty("file", entryName(name));
            parameters.add(p);
        });
        root.add("parameters", parameters);
        String json = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create().toJson(root);
        return (json + "\n").getBytes(StandardCharsets.UTF_8);
    }

    static String entryName(String parameter) {
        return WEIGHTS_DIRECTORY + parameter + ".npy";
    }

    private static String libraryVersion() {
        String version = ModelFiles.class.getPackage() == null ? null
                : ModelFiles.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static void writeEntries(ZipOutputStream zip, byte[] description, Map<String, int[]> shapes,
                                     Map<String, float[]> weights) throws IOException {
        ZipEntry json = new ZipEntry(DESCRIPTION_ENTRY);
        json.setMethod(ZipEntry.DEFLATED);
        json.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(json);
        zip.write(description);
        zip.closeEntry();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            int[] shape = e.getValue();
            float[] data = weights.get(e.getKey());
            // stored, like NumPy's .npz: the reader can then bound every array by the file's size
            ZipEntry entry = new ZipEntry(entryName(e.getKey()));
            entry.setMethod(ZipEntry.STORED);
            entry.setTimeLocal(ENTRY_TIME);
            long length = Npy.byteLength(shape);
            entry.setSize(length);
            entry.setCompressedSize(length);
            entry.setCrc(Npy.crc32(shape, data));
            zip.putNextEntry(entry);
            Npy.write(zip, shape, data);
            zip.closeEntry();
        }
    }

    private record TempFile(Path path, FileChannel channel) {
    }

    /** Creates {@code .<name>.<random>.tmp} next to the target with default permissions (not 0600). */
    private static TempFile createTemp(Path directory, String fileName) throws IOException {
        String stem = fileName.length() > 100 ? fileName.substring(0, 100) : fileName;
        for (int attempt = 0; ; attempt++) {
            Path path = directory.resolve("." + stem + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
            try {
                return new TempFile(path, FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
            } catch (FileAlreadyExistsException e) {
                if (attempt >= MAX_TEMP_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Makes the rename durable where the platform allows opening a directory; the save has already succeeded. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException e) {
            // some platforms (Windows) cannot open a directory; the file itself is forced and moved
        }
    }
}
