package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextsTest {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @TempDir
    Path dir;

    @Test
    void read_utf8File_returnsItsText() throws IOException {
        Path file = dir.resolve("t.txt");
        String text = "h\u00E9llo \uD83D\uDE00\nworld\r\n";
        Files.write(file, text.getBytes(StandardCharsets.UTF_8));

        assertEquals(text, Texts.read(file, Newlines.KEEP));
        assertEquals("h\u00E9llo \uD83D\uDE00\nworld\n", Texts.read(file));
    }

    @Test
    void read_emptyFile_returnsEmptyText() throws IOException {
        Path file = Files.write(dir.resolve("empty.txt"), new byte[0]);
        assertEquals("", Texts.read(file));
    }

    @Test
    void read_malformedUtf8_failsWithExactByteOffset() throws IOException {
        Path file = Files.write(dir.resolve("bad.txt"), new byte[] {'a', 'b', (byte) 0xFF, 'c'});

        IOException e = assertThrows(IOException.class, () -> Texts.read(file));

        assertInstanceOf(CharacterCodingException.class, e);
        assertEquals(file + ": invalid UTF-8 at byte offset 2 (1 malformed byte)", e.getMessage());
    }

    @Test
    void read_malformedAfterMultiByteCharacters_countsBytesNotCharacters() throws IOException {
        byte[] prefix = "\u00E9\u4E2D\uD83D\uDE00".getBytes(StandardCharsets.UTF_8); // 2 + 3 + 4 bytes
        byte[] bytes = new byte[prefix.length + 2];
        System.arraycopy(prefix, 0, bytes, 0, prefix.length);
        bytes[prefix.length] = (byte) 0x80; // a continuation byte with no lead byte
        bytes[prefix.length + 1] = 'x';
        Path file = Files.write(dir.resolve("bad.txt"), bytes);

        IOException e = assertThrows(IOException.class, () -> Texts.read(file));

        assertTrue(e.getMessage().contains("byte offset 9"), e.getMessage());
    }

    @Test
    void read_truncatedSequenceAtEnd_failsWithItsOffset() throws IOException {
        Path file = Files.write(dir.resolve("cut.txt"), new byte[] {'a', 'b', 'c', (byte) 0xE4, (byte) 0xB8});

        IOException e = assertThrows(IOException.class, () -> Texts.read(file));

        assertTrue(e.getMessage().contains("byte offset 3"), e.getMessage());
    }

    @Test
    void decode_dropsALeadingByteOrderMarkOnly() throws IOException {
        byte[] bytes = concat(BOM, "hi\uFEFFthere".getBytes(StandardCharsets.UTF_8));
        Path file = Files.write(dir.resolve("bom.txt"), bytes);

        assertEquals("hi\uFEFFthere", Texts.read(file));
        assertEquals("", Texts.decode(BOM, "just a BOM"));
    }

    @Test
    void read_directory_concatenatesTextFilesInPathOrderWithNewlines() throws IOException {
        Path corpus = Files.createDirectory(dir.resolve("corpus"));
        Files.writeString(corpus.resolve("b.txt"), "second");
        Files.writeString(corpus.resolve("a.txt"), "first");
        Path sub = Files.createDirectory(corpus.resolve("c"));
        Files.writeString(sub.resolve("z.txt"), "third");
        Files.write(corpus.resolve("bom.txt"), concat(BOM, "with bom".getBytes(StandardCharsets.UTF_8)));
        Files.write(corpus.resolve("image.png"), new byte[] {'P', 'N', 'G', 0, 1, 2});
        Files.write(corpus.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9});
        Files.write(corpus.resolve("empty.txt"), new byte[0]);

        // path order: a.txt, b.txt, bom.txt, c/z.txt; the NUL-containing, non-UTF-8 and empty files are skipped
        assertEquals("first\nsecond\nwith bom\nthird", Texts.read(corpus));
    }

    @Test
    void read_directoryWithoutTextFiles_fails() throws IOException {
        Path empty = Files.createDirectory(dir.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> Texts.read(empty));
        assertEquals(empty + ": holds no UTF-8 text file", e.getMessage());

        Path binary = Files.createDirectory(dir.resolve("binary"));
        Files.write(binary.resolve("data.bin"), new byte[] {1, 0, 2});
        assertThrows(IOException.class, () -> Texts.read(binary));
    }

    @Test
    void read_zip_concatenatesTextEntriesInNameOrderSkippingBinaries() throws IOException {
        Path zip = dir.resolve("texts.zip");
        writeZip(zip);

        assertEquals("first\nsecond\nthird", Texts.read(zip));
    }

    @Test
    void read_jar_isReadLikeAZip() throws IOException {
        Path jar = dir.resolve("Texts.JAR");
        writeZip(jar);

        assertEquals("first\nsecond\nthird", Texts.read(jar));
    }

    @Test
    void read_zipWithoutTextEntries_fails() throws IOException {
        Path zip = dir.resolve("bin.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "a.bin", new byte[] {0, 1, 2});
        }

        IOException e = assertThrows(IOException.class, () -> Texts.read(zip));
        assertEquals(zip + ": holds no UTF-8 text file", e.getMessage());
    }

    @Test
    void read_fileNamedZipThatIsNoArchive_failsNamingThePath() throws IOException {
        Path zip = Files.writeString(dir.resolve("fake.zip"), "not a zip at all");

        IOException e = assertThrows(IOException.class, () -> Texts.read(zip));
        assertTrue(e.getMessage().startsWith(zip + ": not a readable zip or jar file"), e.getMessage());
    }

    @Test
    void read_missingPath_failsWithIOException() {
        Path missing = dir.resolve("nope.txt");

        IOException e = assertThrows(IOException.class, () -> Texts.read(missing));
        assertEquals(missing + ": no such file or directory", e.getMessage());
    }

    private static void writeZip(Path zip) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            put(out, "b/second.txt", "second".getBytes(StandardCharsets.UTF_8));
            out.putNextEntry(new ZipEntry("b/"));
            out.closeEntry();
            put(out, "a.txt", "first".getBytes(StandardCharsets.UTF_8));
            put(out, "b/image.bin", new byte[] {'G', 'I', 'F', 0, 7});
            put(out, "c.txt", concat(BOM, "third".getBytes(StandardCharsets.UTF_8)));
            put(out, "bad.txt", new byte[] {'x', (byte) 0xFF});
        }
    }

    private static void put(ZipOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new ZipEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
