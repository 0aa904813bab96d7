package io.charrnn.examples.docs;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Runs the documentation's jshell snippets as a reader would paste them: the {@code ```java}
 * blocks that follow a {@code <!-- jshell -->} line, in order, in one JShell session that executes
 * in this JVM with the test class path. Not thread-safe: it redirects System.out while it runs.
 */
final class JShellRunner {
    static final String MARKER = "<!-- jshell -->";

    private JShellRunner() {
    }

    /** @return the code of each {@code ```java} block right after a {@code <!-- jshell -->} line */
    static List<String> snippets(Path markdown) throws Exception {
        List<String> lines = Files.readAllLines(markdown);
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().equals(MARKER)) {
                assertTrue(i + 1 < lines.size() && lines.get(i + 1).strip().equals("```java"),
                        markdown + ":" + (i + 2) + ": a " + MARKER + " line must be followed by ```java");
                StringBuilder code = new StringBuilder();
                int j = i + 2;
                while (!lines.get(j).strip().equals("```")) {
                    code.append(lines.get(j)).append('\n');
                    j++;
                }
                blocks.add(code.toString());
                i = j;
            }
        }
        return blocks;
    }

    /**
     * Replaces each key of {@code changes} by its value, failing if a key does not occur (the
     * documentation changed under the test).
     */
    static String change(String code, Map<String, String> changes) {
        String out = code;
        for (Map.Entry<String, String> e : changes.entrySet()) {
            assertTrue(out.contains(e.getKey()), "the snippet no longer contains '" + e.getKey() + "':\n" + code);
            out = out.replace(e.getKey(), e.getValue());
        }
        return out;
    }

    /** What a jshell session printed, and the value of each expression, as jshell shows it. */
    record Session(String printed, List<String> values) {
    }

    /**
     * Evaluates the code snippet by snippet and fails on the first one that does not compile or
     * throws.
     *
     * @return what the code printed on System.out
     */
    static String run(List<String> code) {
        return session(code).printed();
    }

    /**
     * Evaluates the code as {@link #run} does.
     *
     * @return what it printed and the values of its expressions
     */
    static Session session(List<String> code) {
        List<String> values = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        String classPath = System.getProperty("java.class.path");
        PrintStream systemOut = System.out;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
             JShell shell = JShell.builder().executionEngine("local").out(out).err(out)
                     .compilerOptions("--class-path", classPath).build()) {
            System.setOut(out); // the local execution engine runs the code in this JVM, printing to System.out
            for (String block : code) {
                String buffer = "";
                for (String line : block.split("\n", -1)) { // as jshell reads a paste: line by line
                    buffer += line + "\n";
                    SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(buffer);
                    while (info.completeness().isComplete()) {
                        eval(shell, info.source(), values, printed);
                        buffer = info.remaining();
                        info = shell.sourceCodeAnalysis().analyzeCompletion(buffer);
                    }
                    if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                        buffer = "";
                    }
                }
                if (!buffer.isBlank()) {
                    fail("incomplete snippet at the end of a block:\n" + buffer);
                }
            }
            out.flush();
        } finally {
            System.setOut(systemOut);
        }
        return new Session(printed.toString(StandardCharsets.UTF_8), values);
    }

    private static void eval(JShell shell, String source, List<String> values, ByteArrayOutputStream printed) {
        for (SnippetEvent e : shell.eval(source)) {
            if (e.status() == Snippet.Status.REJECTED) {
                fail("does not compile:\n" + source + "\n" + shell.diagnostics(e.snippet())
                        .map(d -> d.getMessage(null)).collect(Collectors.joining("\n")));
            }
            boolean expression = e.snippet().kind() == Snippet.Kind.EXPRESSION
                    || e.snippet().subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND; // $1 = ...
            if (expression && e.value() != null) {
                values.add(e.value());
            }
            if (e.exception() != null) {
                fail("throws " + e.exception() + ":\n" + source + "\nprinted:\n"
                        + printed.toString(StandardCharsets.UTF_8), e.exception());
            }
        }
    }
}
