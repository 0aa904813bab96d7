package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.text.Corpus.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Awkward text inputs, each read both ways ({@link Corpus.Storage#HEAP}, in memory, and
 * {@link Corpus#open}, mapped) with the same outcome. Decisions: the text is taken as it is: CRLF
 * stays two characters, a NUL is a character, combining marks are not normalised, a surrogate
 * pair is one character; only a leading byte-order mark is dropped.
 */
class TextInputsTest {
    @TempDir
    Path dir;

    private Path file(byte[] bytes) throws IOException {
        return Files.write(dir.resolve("t.txt"), bytes);
    }

    private Path file(String text) throws IOException {
        return file(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Both ways of reading give this corpus text and vocabulary. */
    private static void assertReads(Path f, String text, String vocabulary) throws IOException {
        for (Corpus c : new Corpus[] {Corpus.open(f, Corpus.Storage.HEAP), Corpus.open(f, Corpus.Storage.MAPPED)}) {
            assertEquals(text, c.withSplit(0, 0).text(Split.TRAIN));
            assertArrayEquals(vocabulary.codePoints().toArray(), c.vocabulary().codePoints());
        }
    }

    @Test
    void emptyFile_isAnEmptyText_thatNoCorpusAccepts() throws IOException {
        Path f = file("");
        assertEquals("", Texts.read(f));
        assertEquals("text must contain at least one character, got an empty text",
                assertThrows(IllegalArgumentException.class, () -> Corpus.open(f, Corpus.Storage.HEAP)).getMessage());
        assertEquals(f + ": text must contain at least one character, got an empty file",
                assertThrows(IllegalArgumentException.class, () -> Corpus.open(f, Corpus.Storage.MAPPED)).getMessage());
    }

    @Test
    void oneCharacter_isACorpusOfLengthOne_allOfItTraining() throws IOException {
        Path f = file("x");
        assertReads(f, "x", "x");
        Corpus c = Corpus.open(f, Corpus.Storage.MAPPED);
        assertEquals(1, c.length());
        assertEquals(1, c.length(Split.TRAIN)); // round(0.1) = 0 validation characters
    }

    @Test
    void oneDistinctCharacter_givesAVocabularyOfOne() throws IOException {
        Path f = file("aaaaaaaaaa");
        assertReads(f, "aaaaaaaaaa", "a");
        assertEquals(1, Corpus.open(f, Corpus.Storage.MAPPED).vocabulary().size());
    }

    @Test
    void crlf_isReadAsLf_byDefault_soSamplesCarryNoCr() throws IOException {
        assertReads(file("one\r\ntwo\r\n"), "one\ntwo\n", "\nenotw");
    }

    @Test
    void nulByte_inOneFile_isACharacter() throws IOException {
        assertReads(file(new byte[] {'a', 0, 'b', 0}), "a\0b\0", "\0ab");
    }

    @Test
    void nulByte_inADirectory_marksABinaryFileThatIsSkipped() throws IOException {
        Path d = Files.createDirectories(dir.resolve("d"));
        Files.write(d.resolve("a.txt"), new byte[] {'a', 0, 'b'});
        Files.writeString(d.resolve("b.txt"), "text");
        assertEquals("text", Texts.read(d));
        assertEquals("text", Corpus.open(d, Corpus.Storage.MAPPED).withSplit(0, 0).text(Split.TRAIN));
    }

    @Test
    void surrogatePairs_areOneCharacterEach() throws IOException {
        String text = "a\uD83D\uDE00b\uD83D\uDE00\uD834\uDD1E"; // 😀 twice and 𝄞
        assertReads(file(text), text, "ab\uD834\uDD1E\uD83D\uDE00"); // by code point
        assertEquals(5, Corpus.open(file(text)).length());
    }

    @Test
    void combiningMarks_areSeparateCharacters_notNormalised() throws IOException {
        String decomposed = "e\u0301te\u0301"; // "été" in NFD: five code points
        assertReads(file(decomposed), decomposed, "et\u0301");
        assertEquals(5, Corpus.open(file(decomposed)).length());
        String composed = "\u00E9t\u00E9"; // NFC: another text, another vocabulary
        assertReads(file(composed), composed, "t\u00E9");
    }

    @Test
    void byteOrderMark_isDroppedAtTheStartOnly() throws IOException {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] bytes = new byte[8];
        System.arraycopy(bom, 0, bytes, 0, 3);
        bytes[3] = 'a';
        System.arraycopy(bom, 0, bytes, 4, 3);
        bytes[7] = 'b';
        assertReads(file(bytes), "a\uFEFFb", "ab\uFEFF");
    }

    @Test
    void invalidUtf8_failsWithTheByteOffset_bothWays() throws IOException {
        Path f = file(new byte[] {'o', 'k', (byte) 0xC3, (byte) 0xA9, (byte) 0xE2, (byte) 0x82, '!'});
        for (IOException e : new IOException[] {
            assertThrows(IOException.class, () -> Corpus.open(f, Corpus.Storage.HEAP)),
            assertThrows(IOException.class, () -> Corpus.open(f, Corpus.Storage.MAPPED))}) {
            assertEquals(f + ": invalid UTF-8 at byte offset 4 (2 malformed bytes)", e.getMessage());
        }
    }

    @Test
    void encodedSurrogateHalf_isMalformed() throws IOException {
        Path f = file(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80}); // CESU-style U+D800
        IOException e = assertThrows(IOException.class, () -> Corpus.open(f, Corpus.Storage.MAPPED));
        assertTrue(e.getMessage().contains("invalid UTF-8 at byte offset 1"), e.getMessage());
        assertEquals(assertThrows(IOException.class, () -> Texts.read(f)).getMessage(), e.getMessage());
    }

    @Test
    void directoryOrJarWithNoTextFile_failsNamingIt() throws IOException {
        Path d = Files.createDirectories(dir.resolve("empty-dir"));
        Files.createDirectories(d.resolve("sub"));
        Files.write(d.resolve("sub/empty.txt"), new byte[0]);
        Path jar = dir.resolve("classes.jar");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("A.class"));
            out.write(new byte[] {(byte) 0xCA, (byte) 0xFE, (byte) 0xBA, (byte) 0xBE, 0, 0, 0, 61});
            out.closeEntry();
            out.putNextEntry(new ZipEntry("bad.txt"));
            out.write(new byte[] {'a', (byte) 0xFF});
            out.closeEntry();
        }
        for (Path p : new Path[] {d, jar}) {
            assertEquals(p + ": holds no UTF-8 text file",
                    assertThrows(IOException.class, () -> Texts.read(p)).getMessage());
            assertEquals(p + ": holds no UTF-8 text file",
                    assertThrows(IOException.class, () -> Corpus.open(p, Corpus.Storage.MAPPED)).getMessage());
        }
    }

    @Test
    void corruptArchive_failsNamingIt_bothWays() throws IOException {
        Path zip = Files.write(dir.resolve("broken.zip"), new byte[] {'P', 'K', 3, 4, 1, 2, 3});
        for (IOException e : new IOException[] {
            assertThrows(IOException.class, () -> Texts.read(zip)),
            assertThrows(IOException.class, () -> Corpus.open(zip, Corpus.Storage.MAPPED))}) {
            assertTrue(e.getMessage().startsWith(zip + ": not a readable zip or jar file"), e.getMessage());
        }
    }
}
