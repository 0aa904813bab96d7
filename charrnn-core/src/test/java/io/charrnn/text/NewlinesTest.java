package io.charrnn.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.text.Corpus.Split;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Newlines}: CRLF and lone CR read as LF by default, every character kept with KEEP, in every reader. */
class NewlinesTest {
    @TempDir
    Path dir;

    private Path file(String name, String text) throws IOException {
        return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    /** Every way of reading a path gives this text under the rule. */
    private static void assertReads(Path path, Newlines rule, String expected) throws IOException {
        assertEquals(expected, Texts.read(path, rule));
        StringBuilder streamed = new StringBuilder();
        Texts.forEachCodePoint(path, rule, streamed::appendCodePoint);
        assertEquals(expected, streamed.toString());
        for (Corpus.Storage storage : Corpus.Storage.values()) {
            Corpus c = Corpus.reader().newlines(rule).storage(storage).splitContiguously().open(path).withSplit(0, 0);
            assertEquals(expected, c.text(Split.TRAIN), storage.toString());
        }
    }

    @Test
    void crlf_isOneLf_byDefault_andTwoCharactersWithKeep() throws IOException {
        Path f = file("t.txt", "one\r\ntwo\r\n");
        assertReads(f, Newlines.LF, "one\ntwo\n");
        assertReads(f, Newlines.KEEP, "one\r\ntwo\r\n");
        assertEquals("one\ntwo\n", Texts.read(f));
    }

    @Test
    void loneCr_isLf_andCrCrLf_isTwoLfs() throws IOException {
        Path f = file("t.txt", "a\rb\r\r\nc\n\rd\r");
        assertReads(f, Newlines.LF, "a\nb\n\nc\n\nd\n");
        assertReads(f, Newlines.KEEP, "a\rb\r\r\nc\n\rd\r");
    }

    @Test
    void crAtTheEndOfAReadBuffer_andLfAtTheStartOfTheNext_areOneNewline() throws IOException {
        // the streaming reader reads 64 KiB at a time: put the CR on the last byte of the first read
        String head = "x".repeat((1 << 16) - 1);
        String text = head + "\r\n" + "y".repeat(10) + "\r";
        Path f = file("t.txt", text);
        assertReads(f, Newlines.LF, head + "\n" + "y".repeat(10) + "\n");
        assertReads(f, Newlines.KEEP, text);
        // the same after a two-byte character that straddles the boundary
        String wide = "x".repeat((1 << 16) - 2) + "\u00E9\r\nz";
        Path g = file("u.txt", wide);
        assertReads(g, Newlines.LF, "x".repeat((1 << 16) - 2) + "\u00E9\nz");
    }

    @Test
    void aCrlfFilesVocabulary_hasNoCr_byDefault_andHasOneWithKeep() throws IOException {
        Path f = file("t.txt", "ab\r\ncd\r\n");
        for (Corpus.Storage storage : Corpus.Storage.values()) {
            assertFalse(Corpus.open(f, storage).vocabulary().contains('\r'), storage.toString());
            Vocabulary kept = Corpus.reader().newlines(Newlines.KEEP).storage(storage).open(f).vocabulary();
            assertTrue(kept.contains('\r'), storage.toString());
            assertEquals(Corpus.open(f, storage).vocabulary().size() + 1, kept.size());
        }
    }

    @Test
    void eachFileOfADirectory_isReadWithTheRule_andAFileEndingInCr_keepsTheNewlineBetweenFiles() throws IOException {
        Path d = Files.createDirectories(dir.resolve("d"));
        Files.write(d.resolve("a.txt"), "a\r".getBytes(StandardCharsets.UTF_8));
        Files.write(d.resolve("b.txt"), "\nb\r\n".getBytes(StandardCharsets.UTF_8));
        assertReads(d, Newlines.LF, "a\n\n\nb\n");
        assertReads(d, Newlines.KEEP, "a\r\n\nb\r\n");
    }

    @Test
    void aTextWithoutCr_readsTheSameEitherWay_codeForCode() throws IOException {
        Path f = file("t.txt", "no carriage return here\nat all\n");
        for (Corpus.Storage storage : Corpus.Storage.values()) {
            Corpus lf = Corpus.open(f, storage);
            Corpus keep = Corpus.reader().newlines(Newlines.KEEP).storage(storage).open(f);
            assertEquals(lf.vocabulary(), keep.vocabulary());
            for (Split s : Split.values()) {
                assertArrayEquals(lf.codes(s), keep.codes(s));
            }
        }
    }

    @Test
    void aModelsRule_isKeep_exactlyWhenItsVocabularyHasCr() {
        assertEquals(Newlines.KEEP, Newlines.of(Vocabulary.fromText("a\r\n")));
        assertEquals(Newlines.LF, Newlines.of(Vocabulary.fromText("a\n")));
    }
}
