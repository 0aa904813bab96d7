package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** Every command's {@code --help} describes every option and its default; bad input gives one line, no stack trace. */
class CliHelpAndErrorsTest {
    private static Map<String, CommandLine> commands() {
        return new CommandLine(new CharRnnCli()).getSubcommands();
    }

    @Test
    void everyOptionOfEveryCommand_hasADescription_andShowsItsDefault() {
        List<String> problems = new ArrayList<>();
        assertTrue(commands().keySet().containsAll(List.of("train", "sample", "eval", "score", "next", "inspect",
                "gradcheck", "bench", "serve")), commands().keySet().toString());
        commands().forEach((name, command) -> {
            for (OptionSpec o : command.getCommandSpec().options()) {
                String description = String.join(" ", o.description()).strip();
                if (description.isEmpty()) {
                    problems.add(name + " " + o.longestName() + ": no description");
                }
                String def = o.defaultValue();
                if (def != null && !def.isEmpty() && !o.typeInfo().isBoolean() && !description.contains("${DEFAULT-VALUE}")
                        && !description.contains("default")) {
                    problems.add(name + " " + o.longestName() + ": default '" + def + "' not shown");
                }
            }
            for (PositionalParamSpec p : command.getCommandSpec().positionalParameters()) {
                if (String.join(" ", p.description()).isBlank()) {
                    problems.add(name + " " + p.paramLabel() + ": no description");
                }
            }
            if (String.join(" ", command.getCommandSpec().usageMessage().description()).isBlank()) {
                problems.add(name + ": no command description");
            }
        });
        assertEquals(List.of(), problems);
    }

    @Test
    void everyCommandsHelp_listsEveryOption_andExitsZero() {
        commands().forEach((name, command) -> {
            if (name.equals("help")) {
                return;
            }
            CharRnnCliTest.Run help = CharRnnCliTest.run(name, "--help");
            assertEquals(0, help.status(), name);
            for (OptionSpec o : command.getCommandSpec().options()) {
                if (o.hidden()) {
                    continue; // options for tests only, documented in their description
                }
                String shown = o.negatable() ? o.longestName().replaceFirst("^--(no-)?", "--[no-]") : o.longestName();
                assertTrue(help.out().contains(shown), name + ": " + shown + " missing in\n" + help.out());
            }
            assertFalse(help.out().contains("${"), name + ": unexpanded variable in\n" + help.out());
        });
    }

    @Test
    void badInput_toEveryCommand_isOneErrorLine_withoutAStackTrace(@TempDir Path dir) throws Exception {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "this is not a model file");
        Path missing = dir.resolve("missing.charrnn");
        String[][] cases = {
            {"train", "--frobnicate"}, {"train", "--hidden", "many"}, {"train", "--steps", "0"},
            {"train", "--cell", "transformer"}, {"train", "--text", missing.toString(), "--steps", "1"},
            {"sample", "--model", missing.toString()}, {"sample", "--model", notAModel.toString()},
            {"sample", "--model", notAModel.toString(), "--length", "-1"}, {"sample"},
            {"eval", "--model", notAModel.toString(), "--text", notAModel.toString()}, {"eval", "--model"},
            {"score", "--model", missing.toString(), "--text", notAModel.toString()},
            {"next", "--model", notAModel.toString()}, {"next", "--top", "x"},
            {"inspect", notAModel.toString()}, {"inspect", missing.toString()}, {"inspect"},
            {"gradcheck", "--hidden", "0"}, {"gradcheck", "--cell", "cnn"},
            {"bench", "--config", "C9"}, {"bench", "--seconds", "soon"}, {"frobnicate"},
            {"serve", "--model", missing.toString()}, {"serve", "--model", notAModel.toString(), "--threads", "0"},
            {"serve", "--model", notAModel.toString(), "--port", "70000"}, {"serve"},
        };
        for (String[] c : cases) {
            CharRnnCliTest.Run r = CharRnnCliTest.run(c);
            String what = String.join(" ", c) + " -> " + r.err();
            assertTrue(r.status() == 1 || r.status() == 2, what);
            List<String> errors = r.err().lines().filter(l -> l.startsWith("charrnn: error: ")).toList();
            assertEquals(1, errors.size(), what);
            List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(errors.get(0), lines.get(lines.size() - 1), what);
            if (!c[0].equals("train")) { // train prints what it reads before it fails
                assertEquals(1, lines.size(), what);
            }
            assertFalse(r.err().contains("Exception") || r.err().contains("at io.") || r.err().contains("\tat "), what);
        }
    }

    @Test
    void debug_addsTheStackTrace(@TempDir Path dir) throws Exception {
        Path notAModel = Files.writeString(dir.resolve("notes.txt"), "this is not a model file");
        CharRnnCliTest.Run r = CharRnnCliTest.run("--debug", "inspect", notAModel.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("charrnn: error: "), r.err());
        assertTrue(r.err().contains("\tat io.charrnn."), r.err());
    }
}
