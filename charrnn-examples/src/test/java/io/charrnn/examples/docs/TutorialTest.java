package io.charrnn.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.examples.cli.CharRnnCli;
import io.charrnn.io.ModelFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs docs/tutorial.md's jshell snippets and charrnn commands, at small sizes. */
class TutorialTest {
    private static final Path TUTORIAL = Path.of("..", "docs", "tutorial.md");

    /** A small text with the characters the snippets prime with. */
    static Path text(Path dir) throws Exception {
        Path text = dir.resolve("input.txt");
        Files.writeString(text, "ROMEO: the cat sat on the mat.\nJULIET: the dog sat on the log.\n".repeat(80));
        return text;
    }

    @Test
    void jshellSnippets_runAsWritten_atSmallSizes(@TempDir Path dir) throws Exception {
        List<String> blocks = JShellRunner.snippets(TUTORIAL);
        assertEquals(3, blocks.size(), "setup, min-char-rnn, course project");
        List<String> code = new ArrayList<>();
        code.add(JShellRunner.change(blocks.get(0), Map.of("Path.of(\"input.txt\")",
                "Path.of(\"" + text(dir).toString().replace("\\", "\\\\") + "\")")));
        code.add(JShellRunner.change(blocks.get(1), Map.of("long iterations = 10_000;", "long iterations = 300;")));
        Map<String, String> course = new LinkedHashMap<>();
        course.put("int hidden = 512, seqLength = 100, batchSize = 64;", "int hidden = 16, seqLength = 16, batchSize = 4;");
        course.put("int epochs = 20, patience = 5;", "int epochs = 3, patience = 2;");
        Path saved = dir.resolve("course.charrnn");
        course.put("Path.of(\"course.charrnn\")", "Path.of(\"" + saved.toString().replace("\\", "\\\\") + "\")");
        code.add(JShellRunner.change(blocks.get(2), course));

        String printed = JShellRunner.run(code);
        assertTrue(printed.contains("iter 100, loss: ") && printed.contains("iter 300, loss: "), printed);
        assertEquals(3, printed.split("----\n", -1).length / 2, "three periodic samples:\n" + printed);
        assertTrue(printed.contains("epoch 1: validation "), printed);
        assertTrue(printed.contains("kept the weights of step "), printed);
        assertEquals(16, ModelFiles.load(saved).config().hidden());
    }

    @Test
    void charrnnCommands_runAsWritten_atSmallSizes(@TempDir Path dir) throws Exception {
        List<String> commands = new ArrayList<>();
        List<String> lines = Files.readAllLines(TUTORIAL);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals("<!-- charrnn -->")) {
                assertEquals("```bash", lines.get(i + 1).strip());
                commands.add(lines.get(i + 2).strip());
            }
        }
        assertEquals(2, commands.size());
        String text = text(dir).toString();
        String minChar = JShellRunner.change(commands.get(0), Map.of("--text input.txt", "--text " + text,
                "--steps 10000", "--steps 200 --no-samples --out " + dir.resolve("m.charrnn")));
        String course = JShellRunner.change(commands.get(1), Map.of("--text input.txt", "--text " + text,
                "--hidden 512 --seq 100 --batch 64", "--hidden 16 --seq 16 --batch 4", "--epochs 20", "--epochs 2",
                "--out course.charrnn", "--no-samples --out " + dir.resolve("c.charrnn")));
        for (String command : List.of(minChar, course)) {
            assertTrue(command.startsWith("charrnn "), command);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int status = CharRnnCli.execute(new PrintWriter(out), new PrintWriter(err),
                    command.substring("charrnn ".length()).split(" "));
            assertEquals(0, status, command + "\n" + err);
            assertTrue(out.toString().contains("validation: "), out.toString());
        }
        assertEquals(100, ModelFiles.load(dir.resolve("m.charrnn")).config().hidden());
    }
}
