package io.charrnn.internal.format;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names what a path is when it is neither a regular file nor a directory, so that a FIFO, a
 * device or a socket given as a model or a text is refused with its kind before anything opens it
 * (opening a FIFO blocks until a writer comes).
 */
public final class FileKinds {
    private static final int TYPE_MASK = 0170000;

    private FileKinds() {
    }

    /**
     * @param path a path that exists
     * @return "a FIFO (named pipe)", "a character device", "a block device", "a socket", or
     *     "a special file" where the system does not say
     */
    public static String special(Path path) {
        try {
            return switch ((Integer) Files.getAttribute(path, "unix:mode") & TYPE_MASK) {
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
}
