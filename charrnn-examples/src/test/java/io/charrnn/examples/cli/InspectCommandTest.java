package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectCommandTest {
    @TempDir
    Path dir;

    private static CharRnnCliTest.Run run(String... args) {
        return CharRnnCliTest.run(args);
    }

    @Test
    void inspect_trainedModel_printsFormatConfigVocabularyParametersAndTraining() throws Exception {
        RnnModel model = RnnModel.builder().hidden(16).layers(2).embedding(4).seed(7)
                .vocabulary(Vocabulary.fromText("ab\n\"é\uD83D\uDE00\u0001").withReplacement('a')).build()
                .withTrainingInfo(new TrainingInfo(1200, 76_800, 1.25, Double.NaN, "Adam(lr=0.002), seq 64, batch 1"));
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);

        CharRnnCliTest.Run r = run("inspect", file.toString());

        assertEquals(0, r.status(), r.err());
        String nl = System.lineSeparator();
        String expected = String.join(nl,
                "file:         " + file,
                "format:       version 2",
                "cell:         RNN, activation TANH",
                "hidden:       16",
                "layers:       2",
                "input:        embedding of size 4",
                "init scale:   0.25",
                "dropout:      none",
                "seed:         7",
                "vocabulary:   7 characters: \"\\u{0001}\\n\\\"abé\uD83D\uDE00\"",
                "replacement:  'a' (U+0061)",
                "parameters:   1,011",
                "  embedding  [7, 4]         28",
                "  layer0.wx  [4, 16]        64",
                "  layer0.wh  [16, 16]       256",
                "  layer0.b   [16]           16",
                "  layer1.wx  [16, 16]       256",
                "  layer1.wh  [16, 16]       256",
                "  layer1.b   [16]           16",
                "  output.w   [16, 7]        112",
                "  output.b   [7]            7",
                "training:     1,200 steps, 76,800 characters",
                "loss:         1.250000 nats/char (last training step)",
                "validation:   none",
                "trainer:      Adam(lr=0.002), seq 64, batch 1") + nl;
        assertEquals(expected, r.out());
    }

    @Test
    void inspect_untrainedModel_saysSo() throws Exception {
        Path file = dir.resolve("u.charrnn");
        ModelFiles.save(RnnModel.builder().hidden(3).vocabulary(Vocabulary.fromText("xyz")).build(), file);
        CharRnnCliTest.Run r = run("inspect", file.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("replacement:  none (unknown characters are refused)"), r.out());
        assertTrue(r.out().endsWith("training:     none (the model was never trained)" + System.lineSeparator()), r.out());
    }

    @Test
    void inspect_longVocabulary_isCutInThePreview() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int c = 0x100; c < 0x100 + 100; c++) {
            text.appendCodePoint(c);
        }
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(RnnModel.builder().hidden(2).vocabulary(Vocabulary.fromText(text.toString())).build(), file);
        CharRnnCliTest.Run r = run("inspect", file.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("vocabulary:   100 characters: \"Āā") && r.out().contains("\" and 20 more"), r.out());
    }

    @Test
    void inspect_notAModel_failsWithOneLine() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello");
        CharRnnCliTest.Run r = run("inspect", text.toString());
        assertEquals(CharRnnCli.FAILURE, r.status());
        assertTrue(r.err().startsWith("charrnn: error: " + text + ": expected a zip archive"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        CharRnnCliTest.Run missing = run("inspect", dir.resolve("none.charrnn").toString());
        assertEquals(CharRnnCli.FAILURE, missing.status());
        assertTrue(missing.err().startsWith("charrnn: error: no such file: "), missing.err());

        CharRnnCliTest.Run usage = run("inspect");
        assertEquals(CharRnnCli.USAGE, usage.status());
        assertTrue(usage.err().contains("Missing required parameter: 'MODEL'"), usage.err());
    }

    @Test
    void help_listsInspect() {
        assertTrue(run("--help").out().contains("inspect"));
    }
}
