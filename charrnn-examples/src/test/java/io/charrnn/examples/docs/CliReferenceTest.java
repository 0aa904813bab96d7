package io.charrnn.examples.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.charrnn.examples.cli.CharRnnCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** docs/cli.md's synopsis lists every option of every command, and no other, with the defaults the commands have. */
class CliReferenceTest {
    private static final Set<String> COMMON = Set.of("--help", "--version", "--debug");
    private static final Pattern OPTION = Pattern.compile("--(?:\\[no-])?[a-z][a-z0-9-]*");
    private static final Pattern WITH_VALUE = Pattern.compile("\\[(--[a-z][a-z0-9-]*) ([a-z0-9.]+)]");

    /** @return command name to its synopsis text, from the first code block of docs/cli.md */
    static Map<String, String> synopsis() throws Exception {
        List<String> lines = Files.readAllLines(DocsTest.ROOT.resolve("docs/cli.md"));
        int start = lines.indexOf("```") + 1;
        Map<String, String> commands = new LinkedHashMap<>();
        String current = null;
        for (int i = start; !lines.get(i).equals("```"); i++) {
            String line = lines.get(i);
            if (!line.startsWith(" ")) {
                current = line.split(" ")[0];
                commands.put(current, line);
            } else {
                commands.put(current, commands.get(current) + " " + line.strip());
            }
        }
        return commands;
    }

    @Test
    void synopsis_namesEveryOptionOfEveryCommand_andNoOther() throws Exception {
        Map<String, String> documented = synopsis();
        CommandLine cli = new CommandLine(new CharRnnCli());
        Set<String> commands = new TreeSet<>(cli.getSubcommands().keySet());
        commands.remove("help");
        assertEquals(commands, new TreeSet<>(documented.keySet()));
        List<String> wrong = new ArrayList<>();
        for (String name : commands) {
            Set<String> actual = new TreeSet<>();
            for (CommandLine.Model.OptionSpec o : cli.getSubcommands().get(name).getCommandSpec().options()) {
                String longest = o.longestName();
                if (!COMMON.contains(longest) && !o.hidden()) {
                    actual.add(o.negatable() ? longest.replace("--", "--[no-]") : longest);
                }
            }
            Set<String> listed = new TreeSet<>();
            Matcher m = OPTION.matcher(documented.get(name));
            while (m.find()) {
                listed.add(m.group());
            }
            if (!actual.equals(listed)) {
                Set<String> missing = new TreeSet<>(actual);
                missing.removeAll(listed);
                Set<String> extra = new TreeSet<>(listed);
                extra.removeAll(actual);
                wrong.add(name + ": not listed " + missing + ", no such option " + extra);
            }
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void synopsis_defaults_areTheCommandsDefaults() throws Exception {
        CommandLine cli = new CommandLine(new CharRnnCli());
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> e : synopsis().entrySet()) {
            CommandLine.Model.CommandSpec spec = cli.getSubcommands().get(e.getKey()).getCommandSpec();
            Matcher m = WITH_VALUE.matcher(e.getValue());
            while (m.find()) {
                CommandLine.Model.OptionSpec option = spec.findOption(m.group(1));
                String actual = option.defaultValue() != null ? option.defaultValue()
                        : spec.defaultValueProvider() == null ? null : spec.defaultValueProvider().defaultValue(option);
                if (!same(m.group(2), actual)) {
                    wrong.add(e.getKey() + " " + m.group(1) + ": listed " + m.group(2) + ", default " + actual);
                }
            }
        }
        assertEquals(List.of(), wrong);
    }

    private static boolean same(String listed, String actual) throws Exception {
        if (actual == null) {
            return false;
        }
        try {
            return Double.parseDouble(listed) == Double.parseDouble(actual);
        } catch (NumberFormatException notANumber) {
            return listed.equals(actual.toLowerCase(Locale.ROOT));
        }
    }
}
