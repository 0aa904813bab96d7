package io.charrnn.internal.format;

/**
 * Binary data that does not have the expected form. The message says what was expected and what
 * was found, without naming the file: the caller adds that when it wraps the violation in a
 * public exception.
 */
public final class FormatViolation extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message what was expected and what was found */
    public FormatViolation(String message) {
        super(message);
    }
}
