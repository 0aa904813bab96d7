package io.charrnn.text;

import io.charrnn.internal.format.FileKinds;
import io.charrnn.internal.text.Codes;
import io.charrnn.internal.text.MappedCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Encodes a text file, directory or archive without holding its text: one streaming pass finds
 * the characters (and, in a directory or archive, which files are text), a second writes one
 * vocabulary index per character to a memory-mapped temporary file. Reads exactly what
 * {@link Texts#read} reads: same BOM handling, same newline rule, same newline between files, same
 * error messages; the files of a directory or archive in path order, or in an order the caller gives.
 */
final class TextStream {
    private static final int BLOCK = 1 << 16;

    private TextStream() {
    }

    /**
     * The vocabulary of the text and its codes, with the files in the order written: their names
     * and where each starts (the newline after a file belongs to it).
     */
    record Encoded(Vocabulary vocabulary, Codes codes, List<String> names, int[] starts) {
    }

    /** Chooses the order of a text's files from their number. */
    @FunctionalInterface
    interface FileOrder {
        int[] order(int files);
    }

    /** A file or archive entry; strict ones fail on malformed UTF-8, lenient ones are skipped. */
    private interface Source {
        String name();

        InputStream open() throws IOException;
    }

    @FunctionalInterface
    interface CodePointSink {
        void accept(int codePoint) throws IOException;
    }

    /** Thrown inside {@link #scan} for a lenient source that is not text. */
    private static final class NotText extends Exception {
        private static final long serialVersionUID = 1L;

        NotText() {
            super(null, null, false, false);
        }
    }

    static Encoded encode(Path path, Vocabulary given, Path tempDirectory, Newlines newlines, FileOrder order)
            throws IOException {
        try (TextSources found = texts(path, true, newlines)) {
            TextSources texts = found.inOrder(order.order(found.sources.size()));
            if (texts.total > Integer.MAX_VALUE) {
                throw new IOException(path + ": a corpus holds at most " + Integer.MAX_VALUE + " characters, got "
                        + texts.total);
            }
            Vocabulary vocabulary = given != null ? given : Vocabulary.of(texts.seen.stream().toArray());
            // pass 2: one index per character into the mapped file
            try (MappedCodes.Writer writer = new MappedCodes.Writer(MappedCodes.width(vocabulary.size()),
                    tempDirectory)) {
                long[] position = {0};
                texts.forEach(cp -> writer.add(vocabulary.indexOrFail(cp, position[0]++)));
                List<String> names = new ArrayList<>();
                int[] starts = new int[texts.sources.size()];
                long start = 0;
                for (int i = 0; i < starts.length; i++) {
                    names.add(texts.sources.get(i).name());
                    starts[i] = (int) start;
                    start += texts.counts[i] + 1;
                }
                return new Encoded(vocabulary, writer.finish(), List.copyOf(names), starts);
            }
        }
    }

    /**
     * Hands every code point of the text at a path to a sink in one streaming pass over its
     * bytes (a directory or archive gets a first pass that finds which files are text).
     *
     * @return how many code points were handed over, {@code >= 1}
     */
    static long forEach(Path path, Newlines newlines, CodePointSink sink) throws IOException {
        try (TextSources texts = texts(path, false, newlines)) {
            long n = texts.forEach(sink);
            if (n == 0) { // only an unscanned single file can be empty here
                throw emptyFile(path);
            }
            return n;
        }
    }

    private static IllegalArgumentException emptyFile(Path path) {
        return new IllegalArgumentException(path + ": text must contain at least one character, got an empty file");
    }

    /**
     * Fails at once, without opening anything, unless the path is a regular file or a directory:
     * opening a FIFO blocks until a writer comes, and a device or socket is not a text.
     *
     * @param path the path
     * @param what what the path is for, for the message ("text", "model")
     * @throws IOException naming the path and what it is
     */
    static void requireFileOrDirectory(Path path, String what) throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new IOException(path + ": no such file or directory");
        }
        if (!a.isRegularFile() && !a.isDirectory()) {
            throw new IOException(path + ": the " + what + " must be a regular file or a directory, got "
                    + FileKinds.special(path));
        }
    }

    /**
     * The text sources of a path, found by a first pass; closes the archive they are read from.
     *
     * @param scanSingleFile whether a single file gets the first pass too (for its characters and
     *     length); directories and archives always do, to find which files are text
     */
    private static TextSources texts(Path path, boolean scanSingleFile, Newlines newlines) throws IOException {
        requireFileOrDirectory(path, "text");
        if (Files.isDirectory(path)) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(path)) {
                files = walk.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            }
            List<Source> sources = new ArrayList<>();
            for (Path f : files) {
                sources.add(fileSource(f));
            }
            return TextSources.find(sources, false, path, null, newlines);
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".jar") || name.endsWith(".zip")) {
            ZipFile zip;
            try {
                zip = new ZipFile(path.toFile());
            } catch (ZipException e) {
                throw new IOException(path + ": not a readable zip or jar file (" + e.getMessage() + ")", e);
            }
            try {
                List<Source> sources = new ArrayList<>();
                for (ZipEntry e : zip.stream().filter(e -> !e.isDirectory())
                        .sorted(Comparator.comparing(ZipEntry::getName)).toList()) {
                    sources.add(new Source() {
                        @Override
                        public String name() {
                            return path + "!" + e.getName();
                        }

                        @Override
                        public InputStream open() throws IOException {
                            return zip.getInputStream(e);
                        }
                    });
                }
                return TextSources.find(sources, false, path, zip, newlines);
            } catch (IOException | RuntimeException e) {
                zip.close();
                throw e;
            }
        }
        List<Source> single = List.of(fileSource(path));
        return scanSingleFile ? TextSources.find(single, true, path, null, newlines)
                : new TextSources(single, true, path, null, -1, null, newlines, null);
    }

    private static Source fileSource(Path f) {
        return new Source() {
            @Override
            public String name() {
                return f.toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(f);
            }
        };
    }

    /** The non-empty text sources of a path, with their characters and total length. */
    private static final class TextSources implements AutoCloseable {
        final List<Source> sources;
        final boolean strict;
        final Path whole;
        final BitSet seen; // null when not scanned
        final long total; // -1 when not scanned
        final long[] counts; // each source's code points; null when not scanned
        private final AutoCloseable resource;
        private final Newlines newlines;

        private TextSources(List<Source> sources, boolean strict, Path whole, BitSet seen, long total,
                      AutoCloseable resource, Newlines newlines, long[] counts) {
            this.sources = sources;
            this.strict = strict;
            this.whole = whole;
            this.seen = seen;
            this.total = total;
            this.resource = resource;
            this.newlines = newlines;
            this.counts = counts;
        }

        /** The same sources in another order (a permutation of their indices); closes nothing itself. */
        TextSources inOrder(int[] order) {
            List<Source> s = new ArrayList<>();
            long[] c = new long[order.length];
            for (int i = 0; i < order.length; i++) {
                s.add(sources.get(order[i]));
                c[i] = counts[order[i]];
            }
            return new TextSources(s, strict, whole, seen, total, null, newlines, c);
        }

        /** Pass 1: which sources are non-empty text, and their characters. */
        static TextSources find(List<Source> sources, boolean strict, Path whole, AutoCloseable resource,
                Newlines newlines) throws IOException {
            BitSet seen = new BitSet();
            BitSet file = new BitSet();
            List<Source> texts = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            long total = 0;
            for (Source s : sources) {
                file.clear();
                long n;
                try (InputStream in = s.open()) {
                    n = scan(in, s.name(), strict, newlines, file::set);
                } catch (NotText e) {
                    continue;
                }
                if (n > 0) {
                    seen.or(file);
                    texts.add(s);
                    counts.add(n);
                    total += n;
                }
            }
            if (texts.isEmpty()) {
                if (strict) {
                    throw emptyFile(whole);
                }
                throw new IOException(whole + ": holds no UTF-8 text file");
            }
            if (texts.size() > 1) {
                seen.set('\n');
                total += texts.size() - 1;
            }
            return new TextSources(texts, strict, whole, seen, total, resource, newlines,
                    counts.stream().mapToLong(Long::longValue).toArray());
        }

        /** Pass 2: every code point, files joined by a newline. */
        long forEach(CodePointSink sink) throws IOException {
            long[] count = {0};
            CodePointSink counted = cp -> {
                count[0]++;
                sink.accept(cp);
            };
            for (int i = 0; i < sources.size(); i++) {
                if (i > 0) {
                    counted.accept('\n');
                }
                Source s = sources.get(i);
                try (InputStream in = s.open()) {
                    scan(in, s.name(), strict, newlines, counted);
                } catch (NotText e) {
                    throw new IOException(s.name() + ": changed while it was read");
                }
            }
            if (total >= 0 && count[0] != total) {
                throw new IOException(whole + ": changed while it was read (" + total + " characters, then "
                        + count[0] + ")");
            }
            return count[0];
        }

        @Override
        public void close() throws IOException {
            if (resource != null) {
                try {
                    resource.close();
                } catch (IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }

    /**
     * Decodes a stream strictly, handing each code point after a leading byte-order mark to the
     * sink, with the newline rule applied (a CR at the end of one read and an LF at the start of
     * the next are one CRLF: the rule runs on the decoded characters, not on the reads).
     *
     * @return the number of code points handed over
     * @throws Texts.MalformedTextException for malformed UTF-8 in a strict source
     * @throws NotText for malformed UTF-8 or a NUL byte in a lenient source
     */
    private static long scan(InputStream stream, String name, boolean strict, Newlines newlines,
            CodePointSink sink) throws IOException, NotText {
        boolean toLf = newlines == Newlines.LF;
        boolean afterCr = false;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(BLOCK);
        CharBuffer out = CharBuffer.allocate(BLOCK);
        long base = 0; // bytes consumed before in's first byte
        long count = 0;
        boolean first = true;
        char high = 0;
        boolean eof = false;
        while (!eof) {
            int start = in.position();
            int r = stream.read(in.array(), start, in.remaining());
            if (r < 0) {
                eof = true;
            } else {
                in.position(start + r);
                if (!strict) {
                    for (int i = start; i < start + r; i++) {
                        if (in.array()[i] == 0) {
                            throw new NotText();
                        }
                    }
                }
            }
            in.flip();
            CoderResult result;
            do {
                result = decoder.decode(in, out, eof);
                if (!result.isError() && eof && !result.isOverflow()) {
                    result = decoder.flush(out);
                }
                if (result.isError()) {
                    if (!strict) {
                        throw new NotText();
                    }
                    long offset = base + in.position();
                    throw new Texts.MalformedTextException(name + ": invalid UTF-8 at byte offset " + offset
                            + " (" + result.length() + " malformed byte" + (result.length() == 1 ? "" : "s") + ")");
                }
                out.flip();
                while (out.hasRemaining()) {
                    char c = out.get();
                    if (first) {
                        first = false;
                        if (c == '\uFEFF') {
                            continue;
                        }
                    }
                    if (Character.isHighSurrogate(c)) {
                        high = c;
                        continue;
                    }
                    int cp = Character.isLowSurrogate(c) && high != 0 ? Character.toCodePoint(high, c) : c;
                    high = 0;
                    if (toLf) {
                        boolean lfOfCrlf = afterCr && cp == '\n';
                        afterCr = cp == '\r';
                        if (lfOfCrlf) {
                            continue;
                        }
                        if (afterCr) {
                            cp = '\n';
                        }
                    }
                    sink.accept(cp);
                    count++;
                }
                out.clear();
            } while (result.isOverflow());
            base += in.position();
            in.compact();
        }
        return count;
    }
}
