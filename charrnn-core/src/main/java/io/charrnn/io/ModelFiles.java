package io.charrnn.io;

import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.format.ModelArchive;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Saves models to files and loads them back, bit for bit.
 *
 * <h2>File format, version 2</h2>
 *
 * A model file is a zip archive (the extension {@code .charrnn} is a convention) with these entries,
 * in this order:
 *
 * <ol>
 *   <li>{@code charrnn.json}, UTF-8 JSON (stored or deflated), an object with the fields
 *     <ul>
 *       <li>{@code "magic"}: always {@code "charrnn-model"};</li>
 *       <li>{@code "formatVersion"}: the integer {@code 2}; a reader refuses versions newer than it knows
 *         and reads every older one;</li>
 *       <li>{@code "libraryVersion"}: the charrnn version that wrote the file (the jar's
 *         {@code Implementation-Version}, or {@code "dev"} outside a jar), for information only;</li>
 *       <li>{@code "config"}: an object with {@code "cell"} ({@code "RNN"}, {@code "LSTM"} or {@code "GRU"}), {@code "activation"}
 *         ({@code "TANH"} or {@code "RELU"}), {@code "hidden"}, {@code "layers"}, {@code "embedding"}
 *         (0 for one-hot input), {@code "initScale"} (a JSON number that reads back as the same
 *         {@code double}), {@code "seed"} (an integer in the range of a Java {@code long}) and
 *         {@code "dropout"} (a number in {@code [0, 1)}; absent in files written before it existed,
 *         which read as 0) and {@code "forgetBias"} (the LSTM's initial forget-gate bias; absent in
 *         older files, which read as 1 for an LSTM and 0 otherwise): the fields of {@link ModelConfig};</li>
 *       <li>{@code "vocabulary"}: the code points of the vocabulary as integers, strictly increasing,
 *         so character {@code i} of the model is {@code vocabulary[i]};</li>
 *       <li>{@code "replacement"}: the code point unknown characters are encoded as, or {@code null};</li>
 *       <li>{@code "training"}: {@code null} for a model that was never trained, else an object
 *         with the fields of {@link io.charrnn.model.TrainingInfo}: {@code "steps"} and
 *         {@code "characters"} (integers), {@code "loss"} and {@code "validationLoss"} (numbers,
 *         {@code null} for NaN, {@code "Infinity"} or {@code "-Infinity"} as strings) and
 *         {@code "trainer"} (a string), and, for a model trained since models kept their loss curve,
 *         {@code "history"}: {@code {"firstStep", "steps", "losses": "training/losses.npy",
 *         "smoothLosses": "training/smooth.npy", "validations": [{"step", "loss"}, ...]}}, the
 *         fields of {@link io.charrnn.model.LossHistory} (absent: no curve);</li>
 *       <li>{@code "parameters"}: one object {@code {"name", "shape", "file"}} per weight, in the
 *         layout order of {@link RnnModel#parameterShapes()}; {@code "shape"} is {@code [rows, cols]}
 *         or {@code [n]} and {@code "file"} is always {@code "weights/<name>.npy"};</li>
 *       <li>{@code "extras"} (only in checkpoints, which a trainer writes): the further entries,
 *         {@code {"json": ["trainer.json", ...], "arrays": [{"file": "optimizer/m.npy", "shape": [n]}, ...]}};
 *         {@link #load} ignores them.</li>
 *     </ul>
 *   </li>
 *   <li>{@code weights/<name>.npy} for each parameter, stored uncompressed: a NumPy {@code .npy} file,
 *     format version 1.0: the magic {@code \x93NUMPY}, the bytes {@code 1 0}, a little-endian
 *     {@code uint16} header length, then the header
 *     {@code {'descr': '<f4', 'fortran_order': False, 'shape': (rows, cols), }} (a vector has the
 *     shape {@code (n,)}) padded with spaces and ended by a newline so that everything before the
 *     data is a multiple of 64 bytes; then the values as little-endian float32 in C (row-major)
 *     order.</li>
 *   <li>{@code training/losses.npy} and {@code training/smooth.npy}, only with a {@code "history"}:
 *     each step's training loss and smoothed loss (nats per character), {@code .npy} float32 vectors
 *     of {@code "steps"} values, stored like the weights. Readers that predate them ignore them.</li>
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
 * <p>Then, in a checkpoint, the extra JSON entries (deflated) and the extra arrays (stored
 * {@code .npy} vectors), each in name order.
 *
 * <p><b>Version 1</b> (charrnn before training metadata) is version 2 without {@code "training"}
 * and {@code "extras"}; it is still read, as a model without training info.
 *
 * <p>Entries carry a fixed timestamp, so saving one model twice gives identical bytes. Stateless
 * and thread-safe.
 */
public final class ModelFiles {
    private ModelFiles() {
    }

    /**
     * Saves a model atomically: everything is checked before the file system is touched, the file
     * is written to a temporary file {@code .<name>.<random>.tmp} in the target's directory, forced
     * to disk and moved over the target in one step. A failed save leaves any previous file at
     * {@code target} as it was and removes its temporary file; only a process killed during the
     * save leaves its temporary file behind, which no later save trips over.
     *
     * @param model a bound model (one with a vocabulary and weights), with its training info if any
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
        ModelArchive.write(target, ModelAccess.stored(model), Map.of(), Map.of(), wrap);
    }

    /**
     * Loads a model saved by {@link #save} (or a trainer's checkpoint, whose extra entries are
     * ignored), in any format version this library reads. The file is never trusted: every field,
     * shape and size is checked, no array is larger than the config and the file's own size
     * justify, and every weight must be finite.
     *
     * @param source the model file
     * @return the model, equal bit for bit to the one saved, training info included
     * @throws ModelFormatException if the file is readable but not a valid model file; the message
     *     names the file, what was expected and what was found
     * @throws IOException if the file cannot be read (for example it does not exist)
     */
    public static RnnModel load(Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        return ModelAccess.fromStored(ModelArchive.readModel(source).model());
    }

    /**
     * Reads and checks a model file as {@link #load} does, and tells its format version.
     *
     * @param source the model file
     * @return the format version it was written in, from 1 to {@link #currentFormatVersion()}
     * @throws ModelFormatException if the file is readable but not a valid model file
     * @throws IOException if the file cannot be read
     */
    public static int formatVersion(Path source) throws IOException {
        Objects.requireNonNull(source, "source");
        return ModelArchive.readModel(source).formatVersion();
    }

    /** @return the format version {@link #save} writes, the newest this library reads */
    public static int currentFormatVersion() {
        return ModelArchive.CURRENT_VERSION;
    }
}
