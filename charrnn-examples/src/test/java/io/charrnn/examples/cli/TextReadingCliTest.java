package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --newlines} and {@code --split} on the commands that read a text: parsing, effect and errors. */
class TextReadingCliTest {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int status = CharRnnCli.execute(new PrintWriter(o), new PrintWriter(e), args);
        return new Run(status, o.toString(), e.toString());
    }

    private static Run train(Path text, Path out, String... more) {
        String[] base = {"train", "--text", text.toString(), "--out", out.toString(), "--hidden", "8", "--seq", "8",
            "--batch", "2", "--steps", "3", "--no-samples"};
        String[] args = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, args, base.length, more.length);
        return run(args);
    }

    private Path crlfText() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 3000; i++) {
            sb.append("line ").append(i % 7).append(" of the text\r\n");
        }
        return Files.writeString(dir.resolve("crlf.txt"), sb);
    }

    @Test
    void train_readsCrlfAsLf_byDefault_andKeepsCr_withNewlinesKeep() throws Exception {
        Path f = crlfText();
        Run lf = train(f, dir.resolve("lf.charrnn"));
        assertEquals(0, lf.status(), lf.err());
        RnnModel m = ModelFiles.load(dir.resolve("lf.charrnn"));
        assertFalse(m.vocabulary().orElseThrow().contains('\r'));
        Run keep = train(f, dir.resolve("keep.charrnn"), "--newlines", "keep");
        assertEquals(0, keep.status(), keep.err());
        RnnModel k = ModelFiles.load(dir.resolve("keep.charrnn"));
        assertTrue(k.vocabulary().orElseThrow().contains('\r'));
        assertEquals(m.vocabulary().orElseThrow().size() + 1, k.vocabulary().orElseThrow().size());
        assertEquals(0, train(f, dir.resolve("lf2.charrnn"), "--newlines=LF").status());
        assertEquals(m, ModelFiles.load(dir.resolve("lf2.charrnn")));
    }

    @Test
    void evalAndScore_readWithTheModelsRule_andAnExplicitRuleOverridesIt() throws Exception {
        Path f = crlfText();
        assertEquals(0, train(f, dir.resolve("lf.charrnn")).status());
        assertEquals(0, train(f, dir.resolve("keep.charrnn"), "--newlines", "keep").status());
        Path lfText = Files.writeString(dir.resolve("lf.txt"), Files.readString(f).replace("\r\n", "\n"));
        // an lf model scores the CRLF file as the LF file; a keep model scores the CRLF file's CRs
        Run crlf = run("eval", "--model", dir.resolve("lf.charrnn").toString(), "--text", f.toString());
        Run plain = run("eval", "--model", dir.resolve("lf.charrnn").toString(), "--text", lfText.toString());
        assertEquals(0, crlf.status(), crlf.err());
        assertEquals(plain.out(), crlf.out());
        Run kept = run("eval", "--model", dir.resolve("keep.charrnn").toString(), "--text", f.toString());
        assertTrue(kept.out().contains("characters: " + (Files.readString(f).length() - 1)), kept.out());
        Run keptAsLf = run("score", "--model", dir.resolve("keep.charrnn").toString(), "--text", f.toString(),
                "--newlines", "lf");
        assertTrue(keptAsLf.out().contains("# " + (Files.readString(lfText).length() - 1) + " characters scored"),
                keptAsLf.out());
        // keep on an lf model: the first CR is a character the model does not know
        Run bad = run("eval", "--model", dir.resolve("lf.charrnn").toString(), "--text", f.toString(),
                "--newlines", "keep");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("U+000D"), bad.err());
    }

    @Test
    void aBadRule_isAUsageError_namingTheChoices() throws Exception {
        Path f = crlfText();
        Path model = dir.resolve("m.charrnn");
        for (Run r : new Run[] {train(f, model, "--newlines", "crlf"),
            run("bench", "--text", f.toString(), "--newlines", "crlf"),
            run("eval", "--model", model.toString(), "--text", f.toString(), "--newlines", "crlf"),
            run("sample", "--model", model.toString(), "--novelty", f.toString(), "--newlines", "crlf")}) {
            assertEquals(2, r.status(), r.err());
            assertTrue(r.err().contains("--newlines") && r.err().contains("crlf") && r.err().contains("LF, KEEP"),
                    r.err());
        }
        Run r = train(f, dir.resolve("m.charrnn"), "--split", "random");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("FILES, CONTIGUOUS"), r.err());
        assertTrue(Files.notExists(dir.resolve("m.charrnn")));
    }

    @Test
    void train_onADirectory_splitsByFile_andSaysHowMany() throws Exception {
        Path d = Files.createDirectories(dir.resolve("src"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(d.resolve("f" + (char) ('a' + i) + ".txt"), ("file " + i + " says hello\n").repeat(10));
        }
        Run byFile = train(d, dir.resolve("m.charrnn"));
        assertEquals(0, byFile.status(), byFile.err());
        Matcher m = Pattern.compile("split by file \\(--split-seed 0\\): training (\\d+) files, ([\\d,]+) characters; "
                + "validation (\\d+) files, ([\\d,]+) characters").matcher(byFile.err());
        assertTrue(m.find(), byFile.err());
        assertEquals(20, Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(3)));
        assertEquals(2, Integer.parseInt(m.group(3))); // 10 % of 20 files of equal length
        Run contiguous = train(d, dir.resolve("c.charrnn"), "--split", "contiguous");
        assertEquals(0, contiguous.status(), contiguous.err());
        assertFalse(contiguous.err().contains("split by file"), contiguous.err());
        Run seeded = train(d, dir.resolve("s.charrnn"), "--split-seed", "5");
        assertTrue(seeded.err().contains("split by file (--split-seed 5)"), seeded.err());
        assertFalse(ModelFiles.load(dir.resolve("m.charrnn")).equals(ModelFiles.load(dir.resolve("s.charrnn"))));
    }
}
