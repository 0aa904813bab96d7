package io.charrnn.io;

import java.io.IOException;

/**
 * A model file could be read but is not a valid charrnn model: not a zip archive, a missing entry,
 * the wrong magic, a newer format version, a shape, dtype or size that does not match the config,
 * truncated or corrupt data. The message names the file, what was expected and what was found, for
 * example {@code model.charrnn: format version 3 is newer than this library reads (1-1)}.
 */
public final class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message the file, what was expected and what was found
     */
    public ModelFormatException(String message) {
        super(message);
    }

    /**
     * @param message the file, what was expected and what was found
     * @param cause the lower-level failure that revealed the problem
     */
    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
