package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.examples.cli.CharRnnCliTest.Run;
import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.ChildJvm;
import io.charrnn.testing.Zips;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's table, the rows besides the output paths ({@link OutputPathsTest}) and the server:
 * each now fails safe, with a clear error before any work or in memory that does not grow.
 */
class ReliabilityCliTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz @.:ABCDEFGH\n";

    @TempDir
    static Path dir;
    static Path text;
    static Path model;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 3000; i++) {
            sb.append(ALPHABET, i % 7, ALPHABET.length()).append("see @").append(dir.resolve("notes.txt")).append('\n');
        }
        text = Files.writeString(dir.resolve("tiny.txt"), sb);
        model = dir.resolve("tiny.charrnn");
        Run train = CharRnnCliTest.run("train", "--text", text.toString(), "--out", model.toString(), "--hidden", "8",
                "--seq", "10", "--steps", "5", "--no-samples");
        assertEquals(0, train.status(), train.err());
    }

    private static void assertOneError(Run r, int status, String error) {
        assertEquals(status, r.status(), r.err());
        assertEquals("charrnn: error: " + error, r.err().strip());
        assertFalse(r.err().contains("NaN") || r.out().contains("NaN"), r.out() + r.err());
    }

    @Test
    void twoTrainRunsOnOneCheckpointDir_theSecondGetsAClearError_andKill9ReleasesTheLock() throws Exception {
        Path ck = dir.resolve("shared-ck");
        String[] args = {"train", "--text", text.toString(), "--hidden", "8", "--seq", "8", "--no-samples",
            "--checkpoint-dir", ck.toString(), "--checkpoint-every", "5"};
        try (ChildJvm first = ChildJvm.start(CharRnnCli.class, TrainInterruptTest.concat(args, "--steps", "100000000",
                "--out", dir.resolve("first.charrnn").toString()))) {
            first.awaitLine("step ");
            Run second = CharRnnCliTest.run(TrainInterruptTest.concat(args, "--steps", "5", "--out",
                    dir.resolve("second.charrnn").toString()));
            assertOneError(second, 1, "--checkpoint-dir " + ck + ": another train run is writing checkpoints there "
                    + "(process " + first.pid() + "); give each run its own --checkpoint-dir");
            assertFalse(Files.exists(dir.resolve("second.charrnn")));
            first.kill(); // kill -9: the system releases the lock
        }
        Run third = CharRnnCliTest.run(TrainInterruptTest.concat(args, "--steps", "5", "--out",
                dir.resolve("third.charrnn").toString()));
        assertEquals(0, third.status(), third.err());
    }

    @Test
    void resume_printsTheCheckpointsModel_notTheCommandLinesSizes() throws Exception {
        Path ck = dir.resolve("resume-ck");
        String[] args = {"train", "--text", text.toString(), "--seq", "8", "--no-samples", "--checkpoint-dir",
            ck.toString(), "--checkpoint-every", "3"};
        Run first = CharRnnCliTest.run(TrainInterruptTest.concat(args, "--hidden", "8", "--steps", "3", "--out",
                dir.resolve("r1.charrnn").toString()));
        assertEquals(0, first.status(), first.err());
        Path checkpoint = ck.resolve("checkpoint-000000003.charrnn");

        Run resumed = CharRnnCliTest.run(TrainInterruptTest.concat(args, "--hidden", "99", "--steps", "4", "--resume",
                checkpoint.toString(), "--out", dir.resolve("r2.charrnn").toString()));

        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.err().contains("model: " + ModelFiles.load(checkpoint) + "\n"), resumed.err());
        assertTrue(resumed.err().contains("hidden=8,"), resumed.err());
    }

    @Test
    void sigterm_savesAndExitsWith128PlusItsNumber() throws Exception {
        assertTrue(ChildJvm.isLinux(), "sends SIGTERM with kill");
        Path out = dir.resolve("term.charrnn");
        try (ChildJvm child = ChildJvm.start(CharRnnCli.class, "train", "--text", text.toString(), "--hidden", "8",
                "--seq", "8", "--no-samples", "--steps", "100000000", "--out", out.toString(), "--checkpoint-dir",
                dir.resolve("term-ck").toString())) {
            child.awaitLine("step ");
            child.signal("TERM");
            assertEquals(128 + 15, child.waitFor(), child.output());
            assertTrue(child.stdout().contains("saved " + out), child.output());
        }
        assertTrue(ModelFiles.load(out).trainingInfo().orElseThrow().steps() > 0);
    }

    @Test
    void primeStartingWithAt_isTakenAsItIs_notAsAFile() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "FILE CONTENT"); // picocli would read it
        Run r = CharRnnCliTest.run("sample", "--model", model.toString(), "--prime", "@" + notes, "--length", "3",
                "--seed", "1");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("@" + notes), r.out());
    }

    @Test
    void emptyOrOneCharacterText_evalAndScore_clearError() throws Exception {
        Path empty = Files.writeString(dir.resolve("empty.txt"), "");
        Path one = Files.writeString(dir.resolve("one.txt"), "a");
        for (String command : new String[] {"eval", "score"}) {
            assertOneError(CharRnnCliTest.run(command, "--model", model.toString(), "--text", empty.toString()), 2,
                    empty + ": text must contain at least one character, got an empty file");
            assertOneError(CharRnnCliTest.run(command, "--model", model.toString(), "--text", one.toString()), 2,
                    one + ": a text to score must have at least two characters (the first is only read), got 1");
        }
    }

    @Test
    void fifoAsModelOrText_failsAtOnceWithItsKind() throws Exception {
        Path fifo = dir.resolve("a.fifo");
        assertTrue(ChildJvm.succeeds(10, "mkfifo", fifo.toString()), "mkfifo must work on this system");
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertOneError(CharRnnCliTest.run("inspect", fifo.toString()), 1,
                    fifo + ": expected a model file, found a FIFO (named pipe)");
            assertOneError(CharRnnCliTest.run("sample", "--model", fifo.toString()), 1,
                    fifo + ": expected a model file, found a FIFO (named pipe)");
            assertOneError(CharRnnCliTest.run("eval", "--model", model.toString(), "--text", fifo.toString()), 1,
                    fifo + ": the text must be a regular file or a directory, got a FIFO (named pipe)");
            Run train = CharRnnCliTest.run("train", "--text", fifo.toString(), "--out",
                    dir.resolve("fifo.charrnn").toString());
            assertEquals(1, train.status(), train.err());
            assertEquals("reading " + fifo + "\ncharrnn: error: " + fifo + ": the text must be a regular file or a "
                    + "directory, got a FIFO (named pipe)", train.err().strip());
        });
    }

    @Test
    void multipliersOfMemory_areCapped_beforeTheModelIsRead() {
        Path none = dir.resolve("no-such-model.charrnn"); // the caps are checked first
        assertOneError(CharRnnCliTest.run("sample", "--model", none.toString(), "--num-samples", "1000000",
                "--length", "100"), 2, "--num-samples must be in [1, 1024], got 1000000 (see 'charrnn sample --help')");
        assertOneError(CharRnnCliTest.run("sample", "--model", none.toString(), "--num-samples", "1000",
                "--length", "100000"), 2, "--num-samples × --length must be at most 16777216 (the texts of a batch "
                + "are held at once), got 1000 × 100000 (see 'charrnn sample --help')");
        assertOneError(CharRnnCliTest.run("sample", "--model", none.toString(), "--beam", "100000"), 2,
                "--beam must be in [1, 1024], got 100000 (see 'charrnn sample --help')");
        assertOneError(CharRnnCliTest.run("sample", "--model", none.toString(), "--repetition-penalty", "1.2",
                "--repetition-window", "100000"), 2,
                "--repetition-window must be in [1, 4096], got 100000 (see 'charrnn sample --help')");
        String longText = "a".repeat(97_000);
        assertOneError(CharRnnCliTest.run("plot", "--model", none.toString(), "--kind", "heatmap", "--text", longText,
                "--out", dir.resolve("h.svg").toString()), 2,
                "--text for --kind heatmap must have at most 2000 characters, got 97000 (see 'charrnn plot --help')");
        assertFalse(Files.exists(dir.resolve("h.svg")));
    }

    @Test
    void absurdButFiniteOutputBias_givesTiedProbabilities_notAllOne() throws Exception {
        Path forged = dir.resolve("bias.charrnn");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(model.toFile())) {
            zip.stream().forEach(e -> {
                try {
                    entries.put(e.getName(), zip.getInputStream(e).readAllBytes());
                } catch (java.io.IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            });
        }
        byte[] bias = entries.get("weights/output.b.npy");
        int v = ModelFiles.load(model).vocabulary().orElseThrow().size();
        ByteBuffer data = ByteBuffer.wrap(bias, bias.length - 4 * v, 4 * v).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < v; i++) {
            data.putFloat(i < 30 ? 1e38f : -1e38f);
        }
        Zips.write(forged, entries, name -> name.endsWith(".npy"));

        Run r = CharRnnCliTest.run("next", "--model", forged.toString(), "--top", "31");

        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(31, lines.length, r.out());
        for (int i = 0; i < 30; i++) {
            assertTrue(lines[i].endsWith("\t0.033333"), lines[i]);
        }
        assertTrue(lines[30].endsWith("\t0.000000"), lines[30]);
    }

    /** 6 MB evaluated and 1.5 MB scored (330 bytes a character before) by the CLI in a 32 MB heap. */
    @Test
    void evalAndScoreOfLargeTexts_runInA32MegabyteHeap() throws Exception {
        Path big = dir.resolve("big.txt");
        String block = Files.readString(text);
        try (Writer w = Files.newBufferedWriter(big, StandardCharsets.UTF_8)) {
            for (long n = 0; n < 6_000_000; n += block.length()) {
                w.write(block);
            }
        }
        long characters = Files.size(big);
        Output eval = cli("32m", "eval", "--model", model.toString(), "--text", big.toString());
        assertEquals("characters: " + (characters - 1), eval.last().get(0), eval.toString());

        Path part = dir.resolve("part.txt");
        Files.writeString(part, Files.readString(big).substring(0, 1_500_000));
        Output score = cli("32m", "score", "--model", model.toString(), "--text", part.toString());
        assertTrue(score.last().get(score.last().size() - 1).startsWith("# 1499999 characters scored"),
                score.toString());
        assertEquals(1_500_001, score.lines()); // the header, a line per character, the total
    }

    /** 3 M characters sampled (an int each in the old history) in a 32 MB heap. */
    @Test
    void sampleOfALongLength_streamsInA32MegabyteHeap() throws Exception {
        Output out = cli("32m", "sample", "--model", model.toString(), "--length", "3000000", "--seed", "1",
                "--stop", "never said", "--repetition-penalty", "1.1");
        assertEquals(3_000_001, out.characters(), out.toString()); // and the final line break
    }

    /** What a child printed: its stdout's number of lines and characters (line breaks counted), and the last lines. */
    record Output(long lines, long characters, List<String> last) {
    }

    /** Runs the CLI in a child JVM with a small heap, reading its stdout as it comes; it must succeed silently. */
    private static Output cli(String heap, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-cp", System.getProperty("java.class.path"), CharRnnCli.class.getName()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        List<String> last = new ArrayList<>();
        long lines = 0;
        long characters = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; lines++) {
                characters += l.codePointCount(0, l.length()) + 1;
                if (last.size() == 5) {
                    last.remove(0);
                }
                last.add(l.length() > 200 ? l.substring(0, 200) : l);
            }
        }
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child did not exit within 120 s");
        String stderr = Files.readString(err);
        assertEquals(0, p.exitValue(), stderr);
        assertEquals("", stderr);
        return new Output(lines, characters, last);
    }
}
