package io.charrnn.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads training text from a UTF-8 file, a directory of text files, or a jar or zip of text files.
 *
 * <p>A leading byte-order mark is dropped. In a single file, malformed UTF-8 fails with its byte
 * offset. In a directory or archive, files are taken in path order and joined with a newline; files
 * that are not UTF-8 text (malformed bytes or a NUL byte) are skipped, and a directory or archive
 * with no text file fails.
 *
 * <p>Line endings follow a {@link Newlines} rule, by default {@link Newlines#LF}: CRLF and a lone
 * CR become LF, in each file, as Python's text mode reads them; {@link Newlines#KEEP} keeps CRLF as
 * two characters (a model trained on it writes the file's own line endings). Otherwise the text is
 * taken as it is: a NUL byte in a single file is a character, combining marks are not normalised,
 * and a surrogate pair is one character of the {@link Vocabulary}. For a text too large to hold
 * as a {@code String}, {@link Corpus#open} reads the same text in bounded memory.
 */
public final class Texts {
    private Texts() {
    }

    /** One file of a text: its name (a path, or archive!entry) and its text. */
    record File(String name, String text) {
    }

    /**
     * Reads the text at a path with CRLF and lone CR read as LF ({@link Newlines#LF}).
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @return the text
     * @throws IOException if it cannot be read, is a FIFO, device or socket, a single file is not
     *     valid UTF-8 (the message gives the byte offset), or a directory or archive holds no text file
     */
    public static String read(Path path) throws IOException {
        return read(path, Newlines.LF);
    }

    /**
     * Reads the text at a path with a given newline rule.
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @param newlines how line endings are read
     * @return the text
     * @throws IOException as {@link #read(Path)}
     */
    public static String read(Path path, Newlines newlines) throws IOException {
        List<File> files = readFiles(path, newlines);
        if (files.size() == 1) {
            return files.get(0).text();
        }
        return String.join("\n", files.stream().map(File::text).toList());
    }

    /**
     * The text files at a path in path order, each read with the rule: one file for a single
     * file (possibly empty), the non-empty UTF-8 text files of a directory or archive.
     */
    static List<File> readFiles(Path path, Newlines newlines) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newlines, "newlines");
        TextStream.requireFileOrDirectory(path, "text");
        if (Files.isDirectory(path)) {
            return readDirectory(path, newlines);
        }
        String name = path.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".jar") || name.endsWith(".zip")) {
            return readArchive(path, newlines);
        }
        return List.of(new File(path.toString(), newlines.apply(decode(Files.readAllBytes(path), path.toString()))));
    }

    /**
     * Reads the same text as {@link #read} one code point at a time, in memory that does not grow
     * with the text: a single file is read once, a directory or archive twice (the first pass finds
     * which files are text).
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @param action receives each code point in order
     * @return how many code points were handed over, {@code >= 1}
     * @throws IOException as {@link #read}, also if a file changed while it was read
     * @throws IllegalArgumentException if a single file is empty
     */
    public static long forEachCodePoint(Path path, IntConsumer action) throws IOException {
        return forEachCodePoint(path, Newlines.LF, action);
    }

    /**
     * Reads the same text as {@link #read(Path, Newlines)} one code point at a time, in memory
     * that does not grow with the text (as {@link #forEachCodePoint(Path, IntConsumer)}).
     *
     * @param path a UTF-8 file, a directory, or a {@code .jar}/{@code .zip} file
     * @param newlines how line endings are read
     * @param action receives each code point in order
     * @return how many code points were handed over, {@code >= 1}
     * @throws IOException as {@link #read}, also if a file changed while it was read
     * @throws IllegalArgumentException if a single file is empty
     */
    public static long forEachCodePoint(Path path, Newlines newlines, IntConsumer action) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(newlines, "newlines");
        Objects.requireNonNull(action, "action");
        return TextStream.forEach(path, newlines, action::accept);
    }

    /**
     * Decodes UTF-8 strictly.
     *
     * @param bytes the bytes
     * @param source a name for the message
     * @return the text, without a leading byte-order mark
     * @throws CharacterCodingException naming the source and the byte offset of the first
     *     malformed sequence
     */
    public static String decode(byte[] bytes, String source) throws CharacterCodingException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new MalformedTextException(source + ": invalid UTF-8 at byte offset " + in.position()
                    + " (" + result.length() + " malformed byte" + (result.length() == 1 ? "" : "s") + ")");
        }
        out.flip();
        if (out.length() > 0 && out.charAt(0) == '\uFEFF') {
            out.position(1);
        }
        return out.toString();
    }

    private static List<File> readDirectory(Path dir, Newlines newlines) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
        }
        List<File> texts = new ArrayList<>();
        for (Path f : files) {
            addIfText(texts, Files.readAllBytes(f), f.toString(), newlines);
        }
        return nonEmpty(texts, dir);
    }

    private static List<File> readArchive(Path archive, Newlines newlines) throws IOException {
        List<File> texts = new ArrayList<>();
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            List<? extends ZipEntry> entries = zip.stream().filter(e -> !e.isDirectory())
                    .sorted(Comparator.comparing(ZipEntry::getName)).toList();
            for (ZipEntry e : entries) {
                try (InputStream in = zip.getInputStream(e)) {
                    addIfText(texts, in.readAllBytes(), archive + "!" + e.getName(), newlines);
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(archive + ": not a readable zip or jar file (" + e.getMessage() + ")", e);
        }
        return nonEmpty(texts, archive);
    }

    private static void addIfText(List<File> texts, byte[] bytes, String source, Newlines newlines) {
        for (byte b : bytes) {
            if (b == 0) {
                return;
            }
        }
        try {
            String text = newlines.apply(decode(bytes, source));
            if (!text.isEmpty()) {
                texts.add(new File(source, text));
            }
        } catch (CharacterCodingException e) {
            // not UTF-8 text: a binary file inside a directory or archive is skipped by design
        }
    }

    private static List<File> nonEmpty(List<File> texts, Path source) throws IOException {
        if (texts.isEmpty()) {
            throw new IOException(source + ": holds no UTF-8 text file");
        }
        return texts;
    }

    /** Malformed UTF-8, with the byte offset in the message. */
    public static final class MalformedTextException extends CharacterCodingException {
        private static final long serialVersionUID = 1L;
        /** What was malformed and at which byte offset. */
        private final String message;

        MalformedTextException(String message) {
            this.message = message;
        }

        @Override
        public String getMessage() {
            return message;
        }
    }
}
