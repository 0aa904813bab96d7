package io.charrnn.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The one check of every path a command writes ({@code train --out}, {@code --checkpoint-dir},
 * {@code plot --out}), made before any work, so that nothing the user points at is destroyed and
 * no run is lost to a path that could never be written. A failure is one line naming the option,
 * the path and the reason.
 *
 * <p>Rules for an output file: its directory exists, is a directory and is writable; the file is
 * absent or a regular file (not a directory, FIFO, device or socket); and it is not the same file
 * as any input (compared by file identity, so another name or a link to an input is caught too). A
 * symbolic link is written through: the file it points to is replaced (atomically, in that file's
 * directory) and the link stays; a link that points nowhere is refused.
 */
final class OutputPaths {
    private OutputPaths() {
    }

    /** An output path that cannot be written; the CLI reports it as one line with exit status 1. */
    static final class UnwritableOutputException extends IOException {
        private static final long serialVersionUID = 1L;

        UnwritableOutputException(String message) {
            super(message);
        }
    }

    /**
     * Checks an output file before any work.
     *
     * @param option the option that named it, for the message ("--out")
     * @param target the file to write
     * @param inputs files the command reads (nulls and missing ones are skipped)
     * @return the path to write: the target, or the file a symbolic link target points to
     * @throws UnwritableOutputException naming the option, the path and the reason
     */
    static Path checkFile(String option, Path target, Path... inputs) throws IOException {
        Objects.requireNonNull(target, option);
        Path file = target;
        if (Files.isSymbolicLink(target)) {
            if (!Files.exists(target)) {
                throw fail(option, target, "is a symbolic link to " + Files.readSymbolicLink(target)
                        + ", which does not exist; give the file itself");
            }
            file = target.toRealPath();
        }
        BasicFileAttributes a = attributes(file);
        if (a != null) {
            if (a.isDirectory()) {
                throw fail(option, target, "is a directory; give a file name");
            }
            if (!a.isRegularFile()) {
                throw fail(option, target, "is " + kind(file) + ", not a regular file");
            }
            for (Path input : inputs) {
                if (input != null && Files.exists(input) && Files.isSameFile(file, input)) {
                    throw fail(option, target, "is the same file as the input " + input
                            + "; writing it would destroy the input");
                }
            }
        }
        checkDirectory(option, target, file.toAbsolutePath().getParent());
        return file;
    }

    /**
     * Checks a directory that a command writes into (and creates if missing) before any work.
     *
     * @param option the option that named it ("--checkpoint-dir")
     * @param directory the directory
     * @throws UnwritableOutputException naming the option, the path and the reason
     */
    static void checkDirectory(String option, Path directory) throws IOException {
        Objects.requireNonNull(directory, option);
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            throw fail(option, directory, "has no existing parent directory");
        }
        BasicFileAttributes a = attributes(existing);
        if (a == null) {
            throw fail(option, directory, "is a symbolic link that points nowhere"
                    + (existing.equals(directory.toAbsolutePath()) ? "" : ": " + existing));
        }
        boolean itself = existing.equals(directory.toAbsolutePath());
        if (!a.isDirectory()) {
            throw fail(option, directory, itself
                    ? "is " + (a.isRegularFile() ? "a regular file" : kind(existing)) + ", not a directory"
                    : "cannot be created: " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw fail(option, directory, itself ? "is not writable"
                    : "cannot be created: " + existing + " is not writable");
        }
    }

    private static void checkDirectory(String option, Path target, Path directory) throws IOException {
        BasicFileAttributes a = directory == null ? null : attributes(directory);
        if (a == null) {
            throw fail(option, target, "cannot be written: the directory " + directory + " does not exist");
        }
        if (!a.isDirectory()) {
            throw fail(option, target, "cannot be written: " + directory + " is not a directory");
        }
        if (!Files.isWritable(directory)) {
            throw fail(option, target, "cannot be written: the directory " + directory + " is not writable");
        }
    }

    /** @return the attributes of the path, links followed, or null if nothing is there */
    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static String kind(Path path) {
        try {
            return switch ((Integer) Files.getAttribute(path, "unix:mode") & 0170000) {
                case 0010000 -> "a FIFO (named pipe)";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file";
        }
    }

    private static UnwritableOutputException fail(String option, Path path, String reason) {
        return new UnwritableOutputException(option + " " + path + ": " + reason);
    }
}
