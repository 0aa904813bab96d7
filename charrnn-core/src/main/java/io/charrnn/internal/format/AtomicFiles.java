package io.charrnn.internal.format;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * Replaces a file atomically: the new content goes to a temporary file in the target's
 * directory, is forced to disk and moved over the target in one step
 * ({@code ATOMIC_MOVE, REPLACE_EXISTING}), and the directory is then forced where the platform
 * allows it. A failure (an exception from the content, a full disk, a read-only directory)
 * deletes the temporary file, leaves any previous file at the target as it was and throws an
 * {@code IOException} whose message names the target (not the temporary file) and the cause.
 *
 * <h2>Temporary files</h2>
 *
 * The temporary file is {@code .<name>.<16 hex digits>.tmp} next to the target ({@code <name>}
 * cut to 100 characters), created with {@code CREATE_NEW} and a fresh random suffix, so two
 * writers (two threads, two processes) never share one. If the process dies in the middle of a
 * write (kill -9, power loss) its temporary file stays behind: nothing can tell a dead writer's
 * file from a live one's, so nothing deletes it automatically. It never disturbs a later write,
 * which picks another random name; {@link #isTemporaryFileOf} recognises such leftovers for a
 * tool that wants to clean up.
 *
 * <p>Callers check their arguments and serialise anything that can fail on bad input
 * <em>before</em> calling {@link #write}, so that a bad value never touches the file system.
 */
public final class AtomicFiles {
    private static final int MAX_TEMP_ATTEMPTS = 100;
    private static final int MAX_STEM = 100;
    private static final Pattern TEMP_SUFFIX = Pattern.compile("\\.[0-9a-f]{16}\\.tmp");

    /** Writes the new content of a file. */
    @FunctionalInterface
    public interface Content {
        /**
         * @param out the temporary file, buffered; the writer must not close it
         * @throws IOException if writing fails; the temporary file is then deleted
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Replaces {@code target} with what {@code content} writes, atomically.
     *
     * @param target the file to write; its directory must exist (no directories are created)
     * @param content writes the new bytes
     * @throws IOException if the directory does not exist, the target is a directory, or writing fails
     */
    public static void write(Path target, Content content) throws IOException {
        write(target, content, UnaryOperator.identity());
    }

    /**
     * {@link #write(Path, Content)} with a hook around the raw output stream, so tests can fail or
     * stall a write part-way.
     *
     * @param target the file to write
     * @param content writes the new bytes
     * @param wrap wraps the temporary file's unbuffered stream
     * @throws IOException if the directory does not exist, the target is a directory, or writing fails
     */
    public static void write(Path target, Content content, UnaryOperator<OutputStream> wrap) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(wrap, "wrap");
        Path directory = checkTarget(target);
        Path temp = null;
        try {
            FileChannel channel = null;
            for (int attempt = 0; channel == null; attempt++) {
                temp = directory.resolve(temporaryName(target.toAbsolutePath().getFileName().toString()));
                try {
                    channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                    if (attempt >= MAX_TEMP_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            try (FileChannel c = channel) {
                OutputStream out = new BufferedOutputStream(wrap.apply(Channels.newOutputStream(c)), 1 << 16);
                content.writeTo(out);
                out.flush();
                c.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable t) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException | RuntimeException e) {
                    t.addSuppressed(e);
                }
            }
            if (t instanceof IOException e) {
                throw naming(target, directory, e);
            }
            throw t;
        }
        syncDirectory(directory);
    }

    /**
     * The exception of a failed write, naming the target rather than the temporary file: a full
     * disk reads {@code could not write /dir/m.charrnn: No space left on device}, a read-only
     * directory {@code /dir/m.charrnn: cannot create a file in /dir (Read-only file system)}.
     */
    private static IOException naming(Path target, Path directory, IOException e) {
        if (e instanceof FileSystemException f) {
            if (target.toString().equals(f.getFile())) {
                return e;
            }
            String reason = f.getReason() == null ? "" : " (" + f.getReason() + ")";
            FileSystemException named = e instanceof AccessDeniedException
                    ? new AccessDeniedException(target.toString(), null, "cannot create a file in " + directory + reason)
                    : new FileSystemException(target.toString(), null, "cannot write a file in " + directory + reason);
            named.initCause(e);
            return named;
        }
        return new IOException("could not write " + target + ": " + e.getMessage(), e);
    }

    /**
     * Checks that {@code target} can be written by {@link #write}, without touching the file system.
     *
     * @param target the file to write
     * @return the target's directory, absolute
     * @throws IOException if the directory does not exist or the target is a directory or a root
     */
    public static Path checkTarget(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path directory = absolute.getParent();
        if (directory == null || absolute.getFileName() == null) {
            throw new FileSystemException(target.toString(), null, "a file to write needs a file name, got a root");
        }
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "the directory to save the file in must exist (save creates no directories)");
        }
        if (Files.isDirectory(target)) {
            throw new FileSystemException(target.toString(), null,
                    "the target must be a file path, got an existing directory");
        }
        return directory;
    }

    /**
     * @param target a file written with {@link #write}
     * @param candidate a file name
     * @return whether {@code candidate} is a temporary file that a write of {@code target} creates
     *     (and leaves behind only if the process died during the write)
     */
    public static boolean isTemporaryFileOf(Path target, Path candidate) {
        Path name = candidate.getFileName();
        Path targetName = target.toAbsolutePath().getFileName();
        if (name == null || targetName == null) {
            return false;
        }
        String prefix = "." + stem(targetName.toString());
        String n = name.toString();
        return n.startsWith(prefix) && TEMP_SUFFIX.matcher(n.substring(prefix.length())).matches()
                && Objects.equals(candidate.toAbsolutePath().getParent(), target.toAbsolutePath().getParent());
    }

    private static String temporaryName(String fileName) {
        return "." + stem(fileName) + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()) + ".tmp";
    }

    private static String stem(String fileName) {
        return fileName.length() > MAX_STEM ? fileName.substring(0, MAX_STEM) : fileName;
    }

    /** Makes the rename durable where the platform allows opening a directory; the write has already succeeded. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException e) {
            // some platforms (Windows) cannot open a directory; the file itself is forced and moved
        }
    }
}
