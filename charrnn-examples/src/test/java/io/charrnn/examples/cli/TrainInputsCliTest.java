package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.text.Corpus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --text} with bad input: one line on stderr, exit 1 (unreadable) or 2 (unusable). */
class TrainInputsCliTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run train(Path text, Path out, String... more) {
        String[] base = {"train", "--text", text.toString(), "--out", out.toString(), "--hidden", "8", "--seq", "8",
            "--batch", "2", "--steps", "3", "--no-samples"};
        String[] args = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = CharRnnCli.execute(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(status, o.toString(), e.toString());
    }

    private static String errorLine(Run r) {
        String[] lines = r.err().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("charrnn: error: "), r.err());
        assertEquals(1, r.err().split("charrnn: error: ", -1).length - 1, "one error line: " + r.err());
        return last;
    }

    /** Runs a check with the text read into memory, then streamed ({@code --storage}). */
    private void bothWays(java.util.function.Consumer<String> check) {
        check.accept(IN_MEMORY);
        check.accept(STREAMED);
    }

    private static final String IN_MEMORY = "--storage=HEAP";
    private static final String STREAMED = "--storage=MAPPED";

    @Test
    void invalidUtf8_exits1_withTheByteOffset() throws Exception {
        Path f = Files.write(dir.resolve("bad.txt"), new byte[] {'a', 'b', 'c', (byte) 0xFF, 'd'});
        bothWays(way -> {
            Run r = train(f, dir.resolve("m.charrnn"), way);
            assertEquals(1, r.status(), r.err());
            assertEquals("charrnn: error: " + f + ": invalid UTF-8 at byte offset 3 (1 malformed byte)", errorLine(r));
        });
        assertTrue(Files.notExists(dir.resolve("m.charrnn")));
    }

    @Test
    void emptyFile_exits2_sayingSo() throws Exception {
        Path f = Files.write(dir.resolve("empty.txt"), new byte[0]);
        bothWays(way -> {
            Run r = train(f, dir.resolve("m.charrnn"), way);
            assertEquals(2, r.status(), r.err());
            assertTrue(errorLine(r).contains("text must contain at least one character, got an empty"), r.err());
        });
    }

    @Test
    void oneDistinctCharacter_andTooShortText_exit2_namingWhatMustHold() throws Exception {
        Path same = Files.writeString(dir.resolve("same.txt"), "z".repeat(500));
        Path shortText = Files.writeString(dir.resolve("short.txt"), "abcabc");
        bothWays(way -> {
            Run r = train(same, dir.resolve("m.charrnn"), way);
            assertEquals(2, r.status(), r.err());
            assertTrue(errorLine(r).contains("must have at least 2 characters"), r.err());
            r = train(shortText, dir.resolve("m.charrnn"), way);
            assertEquals(2, r.status(), r.err());
            assertTrue(errorLine(r).contains("the training split (5 characters) must hold at least"), r.err());
        });
    }

    @Test
    void directoryWithNoTextFile_exits1() throws Exception {
        Path d = Files.createDirectories(dir.resolve("bin"));
        Files.write(d.resolve("x.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 0, 0});
        Run r = train(d, dir.resolve("m.charrnn"));
        assertEquals(1, r.status(), r.err());
        assertEquals("charrnn: error: " + d + ": holds no UTF-8 text file", errorLine(r));
    }

    @Test
    void mappedAndInMemoryCorpus_trainTheSameModel() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 3000; i++) {
            sb.append("line ").append(i % 7).append(" of the text\r\n");
        }
        Path f = Files.writeString(dir.resolve("t.txt"), sb, StandardCharsets.UTF_8);
        assertEquals(0, train(f, dir.resolve("heap.charrnn"), IN_MEMORY).status());
        assertEquals(0, train(f, dir.resolve("mapped.charrnn"), STREAMED).status());
        assertEquals(ModelFiles.load(dir.resolve("heap.charrnn")), ModelFiles.load(dir.resolve("mapped.charrnn")));
    }
}
