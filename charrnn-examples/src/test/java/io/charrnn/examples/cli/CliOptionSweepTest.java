package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every numeric CLI option, given an out-of-range value, ends in one usage error line (exit 2)
 * naming the option and the value, before anything is read or written.
 */
class CliOptionSweepTest {
    @TempDir
    Path dir;

    @Test
    void outOfRangeOptions_areOneLineUsageErrorsNamingOptionAndValue() throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "abc abc abc\n".repeat(50));
        Path model = dir.resolve("m.charrnn");
        ModelFiles.save(RnnModel.builder().hidden(4).vocabulary(Vocabulary.fromText("abc \n")).build(), model);
        Path out = dir.resolve("never.charrnn");
        String t = text.toString();
        String m = model.toString();
        List<String[]> cases = new ArrayList<>();
        // {option, value, the rest of the command line...}
        for (String[] o : new String[][] {{"--hidden", "0"}, {"--hidden", "16385"}, {"--layers", "0"},
            {"--layers", "65"}, {"--embedding", "-1"}, {"--seq", "0"}, {"--batch", "-2"}, {"--steps", "0"},
            {"--minutes", "0"}, {"--minutes", "-1"}, {"--lr", "0"}, {"--lr", "-0.1"}, {"--lr", "NaN"},
            {"--clip-value", "0"}, {"--clip-norm", "-1"}, {"--weight-decay", "-1"}, {"--chunk-windows", "0"},
            {"--epochs", "0"}, {"--val-every", "0"}, {"--patience", "0"}, {"--sample-every", "0"},
            {"--checkpoint-every", "0"}, {"--keep-checkpoints", "0"}}) {
            cases.add(new String[] {o[0], o[1], "train", "--text", t, "--out", out.toString(), "--no-samples",
                o[0], o[1]});
        }
        cases.add(new String[] {"--momentum", "1.0", "train", "--text", t, "--out", out.toString(), "--optimizer", "sgd",
            "--momentum", "1.0"});
        for (String[] o : new String[][] {{"--length", "-1"}, {"--temperature", "0"}, {"--temperature", "-2"},
            {"--top-k", "0"}, {"--top-p", "0"}, {"--top-p", "1.5"}, {"--min-p", "2"}, {"--repetition-penalty", "0.5"},
            {"--beam", "0"}, {"--num-samples", "0"}}) {
            cases.add(new String[] {o[0], o[1], "sample", "--model", m, o[0], o[1]});
        }
        cases.add(new String[] {"--repetition-window", "0", "sample", "--model", m, "--repetition-penalty", "1.2",
            "--repetition-window", "0"});
        cases.add(new String[] {"--top", "0", "next", "--model", m, "--top", "0"});
        List<String> problems = new ArrayList<>();
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 2, c.length);
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            int status = CharRnnCli.execute(new PrintWriter(o), new PrintWriter(e), args);
            String err = e.toString().strip();
            String what = String.join(" ", args).replace(t, "T").replace(m, "M") + " -> " + status + ": " + err;
            if (status != 2 || err.lines().count() != 1 || !err.startsWith("charrnn: error: ")
                    || !err.contains(c[0]) || !(err.contains(c[1]) || err.contains(String.valueOf(Double.parseDouble(c[1]))))) {
                problems.add(what);
            }
        }
        assertEquals("", String.join("\n", problems));
        assertTrue(Files.notExists(out));
    }
}
