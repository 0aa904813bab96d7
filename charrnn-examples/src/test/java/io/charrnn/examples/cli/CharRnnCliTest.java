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

    private static String stripNewline(String out) {
        return out.endsWith(System.lineSeparator()) ? out.substring(0, out.length() - System.lineSeparator().length()) : out;
    }

    @Test
    void sample_withEveryTransform_printsRequestedLength() {
        Run s = run("sample", "--model", model.toString(), "--length", "80", "--seed", "4", "--temperature", "0.8",
                "--top-k", "3", "--top-p", "0.9", "--min-p", "0.05", "--repetition-penalty", "1.3");
        assertEquals(0, s.status(), s.err());
        assertEquals(80, stripNewline(s.out()).length());
        assertEquals(s.out(), run("sample", "--model", model.toString(), "--length", "80", "--seed", "4",
                "--temperature", "0.8", "--top-k", "3", "--top-p", "0.9", "--min-p", "0.05",
                "--repetition-penalty", "1.3").out(), "same seed, same text");
    }

    @Test
    void sample_stop_endsBeforeTheStopString() {
        String full = stripNewline(run("sample", "--model", model.toString(), "--length", "100", "--seed", "5").out());
        String stop = full.substring(20, 22);
        Run s = run("sample", "--model", model.toString(), "--length", "100", "--seed", "5", "--stop", "zzz",
                "--stop", stop);
        assertEquals(0, s.status(), s.err());
        assertEquals(full.substring(0, full.indexOf(stop)), stripNewline(s.out()));
    }

    @Test
    void sample_numSamples_printsThatManyTexts() {
        Run s = run("sample", "--model", model.toString(), "--length", "30", "--seed", "6", "--num-samples", "3",
                "--prime", "ab");
        assertEquals(0, s.status(), s.err());
        String[] texts = s.out().split("\\R----\\R");
        assertEquals(3, texts.length, s.out());
        for (String t : texts) {
            assertTrue(t.startsWith("ab"), t);
        }
    }

    @Test
    void sample_beam_printsTheBestBeamAndItsLogProbability() {
        Run s = run("sample", "--model", model.toString(), "--length", "20", "--beam", "4", "--prime", "abc");
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().startsWith("abc"), s.out());
        assertEquals(23, stripNewline(s.out()).length());
        assertTrue(s.err().contains("beam 1: log-probability -"), s.err());
    }

    @Test
    void sample_outOfRangeValues_areUsageErrorsNamingTheFlag() {
        String[][] cases = {
            {"--top-p", "1.5", "--top-p must be in (0, 1], got 1.5"},
            {"--min-p", "0", "--min-p must be in (0, 1], got 0.0"},
            {"--top-k", "0", "--top-k must be >= 1, got 0"},
            {"--repetition-penalty", "0.5", "--repetition-penalty must be finite and >= 1, got 0.5"},
            {"--beam", "0", "--beam must be in [1, 1024], got 0"},
            {"--num-samples", "0", "--num-samples must be in [1, 1024], got 0"},
        };
        for (String[] c : cases) {
            Run s = run("sample", "--model", model.toString(), c[0], c[1]);
            assertEquals(2, s.status(), c[0]);
            assertOneErrorLine(s.err());
            assertTrue(s.err().contains(c[2]), s.err());
        }
    }

    @Test
    void score_printsOneLinePerPredictedCharacter() throws Exception {
        Path small = dir.resolve("small.txt");
        Files.writeString(small, "abc cab\nbca");
        Run s = run("score", "--model", model.toString(), "--text", small.toString());
        assertEquals(0, s.status(), s.err());
        String[] lines = s.out().strip().split("\\R");
        assertEquals("position\tchar\tbits\tprobability", lines[0]);
        assertEquals(10 + 2, lines.length, s.out());
        assertTrue(lines[1].startsWith("1\tb\t"), lines[1]);
        assertTrue(lines[7].startsWith("7\t\\n\t"), lines[7]);
        assertTrue(lines[11].startsWith("# 10 characters scored"), lines[11]);
    }

    @Test
    void next_printsTheTopCharactersMostLikelyFirst() {
        Run n = run("next", "--model", model.toString(), "--prime", "abc", "--top", "3");
        assertEquals(0, n.status(), n.err());
        String[] lines = n.out().strip().split("\\R");
        assertEquals(3, lines.length, n.out());
        double previous = 1;
        for (String line : lines) {
            double p = Double.parseDouble(line.substring(line.lastIndexOf('\t') + 1));
            assertTrue(p <= previous, n.out());
            previous = p;
        }
        Run bad = run("next", "--model", model.toString(), "--top", "0");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--top must be >= 1, got 0"), bad.err());
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
    void gradcheck_gatedCells_pass() {
        Run lstm = run("gradcheck", "--cell", "lstm", "--hidden", "3", "--layers", "2", "--vocab", "5", "--seq", "3",
                "--batch", "2");
        assertEquals(0, lstm.status(), lstm.out() + lstm.err());
        assertTrue(lstm.out().contains("PASS"), lstm.out());
        Run dropped = run("gradcheck", "--hidden", "3", "--layers", "2", "--vocab", "4", "--seq", "3", "--batch", "2",
                "--dropout", "0.4");
        assertEquals(0, dropped.status(), dropped.out() + dropped.err());
        assertTrue(dropped.out().contains("dropout 0.4 (fixed masks)") && dropped.out().contains("PASS"), dropped.out());
        Run gru = run("gradcheck", "--cell", "gru", "--hidden", "3", "--vocab", "5", "--seq", "3", "--batch", "2");
        assertEquals(0, gru.status(), gru.out() + gru.err());
        for (String p : new String[] {"layer0.bx", "layer0.bh", "PASS"}) {
            assertTrue(gru.out().contains(p), p + " missing in\n" + gru.out());
        }
    }

    @Test
    void train_gruCell_thenSample() {
        Path gru = dir.resolve("gru.charrnn");
        Run t = run("train", "--cell", "gru", "--text", text.toString(), "--out", gru.toString(), "--hidden", "8",
                "--seq", "10", "--batch", "2", "--steps", "5");
        assertEquals(0, t.status(), t.err());
        Run s = run("sample", "--model", gru.toString(), "--length", "20", "--seed", "3");
        assertEquals(0, s.status(), s.err());
    }

    @Test
    void help_listsEveryCommandAndOption() {
        Run h = run("--help");
        assertEquals(0, h.status());
        for (String c : new String[] {"train", "sample", "eval", "score", "next", "gradcheck", "bench"}) {
            assertTrue(h.out().contains(c), c);
        }
        Run sample = run("sample", "--help");
        for (String o : new String[] {"--greedy", "--top-k", "--top-p", "--min-p", "--repetition-penalty", "--stop",
                "--beam", "--num-samples", "--seed", "--prime"}) {
            assertTrue(sample.out().contains(o), o + " missing in\n" + sample.out());
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
