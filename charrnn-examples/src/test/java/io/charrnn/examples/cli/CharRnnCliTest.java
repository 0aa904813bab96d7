package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharRnnCliTest {
    @TempDir
    static Path dir;
    static Path text;
    static Path model;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = CharRnnCli.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(status, out.toString(), err.toString());
    }

    @BeforeAll
    static void trainTinyModel() throws Exception {
        Random r = new Random(1);
        String[] words = {"abcab", "cabba", "abc", "bca", "aab"};
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 4000) {
            sb.append(words[r.nextInt(words.length)]).append(r.nextInt(5) == 0 ? '\n' : ' ');
        }
        text = dir.resolve("tiny.txt");
        Files.writeString(text, sb);
        model = dir.resolve("tiny.charrnn");
        Run train = run("train", "--text", text.toString(), "--out", model.toString(), "--hidden", "16", "--seq", "10",
                "--batch", "2", "--steps", "20");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("validation:"), train.out());
        assertTrue(train.out().contains("temperature 0.5"), train.out());
        assertTrue(train.err().contains("step 20/20"), train.err());
    }

    @Test
    void train_savesModelFile() {
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void sample_printsRequestedLength() {
        Run s = run("sample", "--model", model.toString(), "--length", "57", "--seed", "3");
        assertEquals(0, s.status(), s.err());
        String generated = s.out().stripTrailing().isEmpty() ? "" : s.out().substring(0, s.out().length() - System.lineSeparator().length());
        assertEquals(57, generated.codePointCount(0, generated.length()));
        assertTrue(generated.chars().allMatch(c -> "abc \n".indexOf(c) >= 0), generated);
    }

    @Test
    void sample_withPrimeAndGreedy_startsWithPrime() {
        Run s = run("sample", "--model", model.toString(), "--length", "10", "--greedy", "--prime", "abc");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().startsWith("abc"), s.out());
    }

    @Test
    void eval_printsBitsPerCharacter() {
        Run e = run("eval", "--model", model.toString(), "--text", text.toString());
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().contains("bits/char"), e.out());
        assertTrue(e.out().contains("nats/char"), e.out());
        assertTrue(e.out().contains("perplexity"), e.out());
    }

    @Test
    void gradcheck_small_printsEveryParameterAndPasses() {
        Run g = run("gradcheck", "--hidden", "3", "--layers", "2", "--embedding", "4", "--vocab", "5", "--seq", "3",
                "--batch", "2");
        assertEquals(0, g.status(), g.out() + g.err());
        for (String p : new String[] {"embedding", "layer0.wx", "layer0.wh", "layer0.b", "layer1.wx", "layer1.wh",
                "layer1.b", "output.w", "output.b"}) {
            assertTrue(g.out().contains(p), p + " missing in\n" + g.out());
        }
        assertTrue(g.out().contains("PASS"), g.out());
    }

    @Test
    void missingTextFile_failsWithOneLine() {
        Run t = run("train", "--text", dir.resolve("nope.txt").toString(), "--steps", "1", "--out",
                dir.resolve("x.charrnn").toString());
        assertNotEquals(0, t.status());
        assertOneErrorLine(t.err());
        assertTrue(t.err().contains("nope.txt"), t.err());
    }

    @Test
    void hiddenZero_isUsageError() {
        Run t = run("train", "--text", text.toString(), "--hidden", "0");
        assertEquals(2, t.status());
        assertOneErrorLine(t.err());
        assertTrue(t.err().contains("--hidden"), t.err());
    }

    @Test
    void unknownOption_isUsageError() {
        Run t = run("sample", "--model", model.toString(), "--frobnicate");
        assertEquals(2, t.status());
        assertOneErrorLine(t.err());
        assertTrue(t.err().contains("--frobnicate"), t.err());
    }

    @Test
    void missingModel_failsWithOneLine() {
        Run t = run("sample", "--model", dir.resolve("absent.charrnn").toString());
        assertEquals(1, t.status());
        assertOneErrorLine(t.err());
    }

    @Test
    void benchC3_saysLstmIsMissing() {
        Run b = run("bench", "--config", "C3", "--text", text.toString());
        assertEquals(2, b.status());
        assertTrue(b.err().contains("C3 needs the LSTM cell"), b.err());
    }

    @Test
    void help_listsEveryCommandAndOption() {
        Run h = run("--help");
        assertEquals(0, h.status());
        for (String c : new String[] {"train", "sample", "eval", "gradcheck", "bench"}) {
            assertTrue(h.out().contains(c), c);
        }
        Run t = run("train", "--help");
        for (String o : new String[] {"--text", "--out", "--cell", "--hidden", "--layers", "--embedding", "--activation",
                "--seq", "--batch", "--steps", "--minutes", "--optimizer", "--lr", "--clip-value", "--clip-norm",
                "--seed", "--[no-]samples"}) {
            assertTrue(t.out().contains(o), o + " missing in\n" + t.out());
        }
    }

    private static void assertOneErrorLine(String err) {
        String[] lines = err.strip().split("\\R");
        String last = lines[lines.length - 1];
        assertTrue(last.startsWith("charrnn: error: "), err);
        assertFalse(err.contains("\tat "), "stack trace in\n" + err);
        assertFalse(err.contains("Exception"), err);
    }
}
