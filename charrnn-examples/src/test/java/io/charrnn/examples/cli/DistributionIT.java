package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI distribution the build leaves in {@code target/charrnn}, copied elsewhere and run from
 * yet another directory, as a user would (run by Failsafe after {@code package}).
 */
class DistributionIT {
    private static final Pattern PROGRESS = Pattern.compile(
            "step \\d+/40  epoch \\d+\\.\\d\\d  loss \\d+\\.\\d{4}  smooth \\d+\\.\\d{4}  lr 0\\.00200  [\\d,]+ chars/s  "
                    + "\\d+:\\d\\d eta \\d+:\\d\\d");

    @TempDir
    static Path temp;
    static Path charrnn;
    static Path workDir;

    @BeforeAll
    static void copyTheDistribution() throws IOException {
        Path built = Path.of(System.getProperty("charrnn.distribution"));
        Path copy = Files.createDirectories(temp.resolve("somewhere")).resolve("charrnn");
        try (Stream<Path> files = Files.walk(built)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.copy(p, copy.resolve(built.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        charrnn = copy.resolve("bin").resolve("charrnn");
        workDir = Files.createDirectories(temp.resolve("work"));
    }

    /** Runs {@code bin/charrnn} in the work directory; stdout and stderr go to files there. */
    private static int run(String javaOptions, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(charrnn.toString()), Stream.of(args)).toList())
                .directory(workDir.toFile())
                .redirectOutput(workDir.resolve("out.txt").toFile())
                .redirectError(workDir.resolve("log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("CHARRNN_OPTS", javaOptions);
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "charrnn " + String.join(" ", args) + " did not end");
        return p.exitValue();
    }

    @Test
    void version_runsFromAnotherDirectory() throws Exception {
        assertEquals(0, run("", "--version"), Files.readString(workDir.resolve("log")));
        assertTrue(Files.readString(workDir.resolve("out.txt")).startsWith("charrnn "));
    }

    @Test
    void jarCopiedAlone_saysWhatIsMissing() throws Exception {
        Path alone = Files.createDirectories(temp.resolve("alone"));
        Files.copy(charrnn.getParent().resolveSibling("charrnn.jar"), alone.resolve("charrnn.jar"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                alone.resolve("charrnn.jar").toString(), "--version").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        assertEquals(1, p.exitValue(), output);
        assertTrue(output.startsWith("charrnn: error: charrnn.jar needs its lib/ directory beside it"), output);
        assertEquals(1, output.lines().count(), output);
    }

    @Test
    void train_withStderrInAFile_writesAReadableLog() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 400; i++) {
            text.append("line ").append(i % 13).append(": the quick brown fox jumps over the lazy dog\n");
        }
        Files.writeString(workDir.resolve("text.txt"), text);

        // the ND4J kernels, so that ND4J and its logging start
        int status = run("-Dcharrnn.kernel=nd4j", "train", "--text", "text.txt", "--steps", "40", "--hidden", "16",
                "--seq", "20", "--batch", "4", "--val-every", "20", "--out", "m.charrnn", "--no-samples");

        String log = Files.readString(workDir.resolve("log"), StandardCharsets.UTF_8);
        assertEquals(0, status, log);
        assertFalse(log.contains("\r"), "carriage return in the log:\n" + log);
        assertFalse(log.contains("\u001b"), "ANSI escape in the log:\n" + log);
        assertFalse(log.contains("SLF4J") || log.contains("INFO") || log.contains("org.nd4j"), log);
        List<String> progress = log.lines().filter(l -> l.startsWith("step ")).toList();
        assertFalse(progress.isEmpty(), log);
        for (String line : progress) {
            assertTrue(PROGRESS.matcher(line).matches(), "progress line: " + line);
        }
        assertTrue(progress.get(0).startsWith("step 1/40  "), log);
        assertTrue(progress.get(progress.size() - 1).startsWith("step 40/40  "), log);
        assertTrue(log.contains("validation at step 20 (epoch "), log);
        assertTrue(Files.isRegularFile(workDir.resolve("m.charrnn")));
    }
}
