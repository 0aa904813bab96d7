package io.charrnn.text;

/**
 * How line endings are read from a text file.
 *
 * <p>{@link #LF}, the default of every reader, reads as Python's text mode does
 * ({@code open(path, encoding="utf-8").read()}, and so every PyTorch script): CRLF and a lone CR
 * become LF. Samples then carry no {@code \r}, and bits per character equal what a Python
 * reference computes on the same file. {@link #KEEP} keeps every character as it is in the file,
 * for byte-exact modelling. A text without CR reads the same either way.
 */
public enum Newlines {
    /** CRLF and a lone CR become LF (Python's text mode). */
    LF,
    /** Every character is kept as it is in the file: CRLF is two characters. */
    KEEP;

    /**
     * The rule a model was trained with, as far as it matters: {@link #KEEP} if its vocabulary
     * has {@code \r} (read with {@link #LF}, a text never has one), else {@link #LF} (which reads a
     * text without CR as {@link #KEEP} does, and a text with CR into characters the model knows).
     *
     * @param vocabulary a model's vocabulary
     * @return the rule to read its texts with
     */
    public static Newlines of(Vocabulary vocabulary) {
        return vocabulary.contains('\r') ? KEEP : LF;
    }

    /**
     * @param text a text as read from a file
     * @return the text with this rule applied; the same object when there is nothing to change
     */
    public String apply(String text) {
        if (this == KEEP || text.indexOf('\r') < 0) {
            return text;
        }
        return text.replace("\r\n", "\n").replace('\r', '\n');
    }
}
