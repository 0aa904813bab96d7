package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code charrnn train} on a real full disk and a real read-only file system: a small tmpfs
 * mounted in a user and mount namespace ({@code unshare -rm}, Linux, no root needed where user
 * namespaces are allowed; skipped elsewhere). The save fails with one error line naming the file,
 * exit status 1, and the files that were there stay whole. (The library's own tests simulate the
 * same faults on any platform.)
 */
class DiskFaultsTest {
    private static final String SCRIPT = String.join("\n",
            "set -e",
            "mount -t tmpfs -o size=\"$SIZE\" tmpfs \"$MNT\"",
            "if [ -n \"$OLD\" ]; then cp \"$OLD\" \"$MNT/m.charrnn\"; fi",
            "if [ \"$RO\" = 1 ]; then mount -o remount,ro \"$MNT\"; fi",
            "set +e",
            "\"$@\"",
            "status=$?",
            "cp -a \"$MNT/.\" \"$KEEP/\"", // the tmpfs goes away with the namespace: keep what it held
            "exit $status");

    @TempDir
    static Path dir;
    static Path text;

    @BeforeAll
    static void text() throws IOException {
        text = Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(40));
    }

    private record Result(int status, List<String> stderr, Path kept) {
    }

    /** Runs {@code charrnn args} in a namespace where {@code mnt} is a tmpfs of {@code size} bytes. */
    private static Result inTmpfs(String name, long size, boolean readOnly, Path old, String... args) throws Exception {
        Path mnt = Files.createDirectory(dir.resolve(name));
        Path kept = Files.createDirectory(dir.resolve(name + "-kept"));
        List<String> command = new ArrayList<>(List.of("unshare", "-rm", "sh", "-c", SCRIPT, "sh",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), CharRnnCli.class.getName()));
        for (String a : args) {
            command.add(a.replace("MNT", mnt.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("SIZE", Long.toString(size));
        pb.environment().put("MNT", mnt.toString());
        pb.environment().put("KEEP", kept.toString());
        pb.environment().put("OLD", old == null ? "" : old.toString());
        pb.environment().put("RO", readOnly ? "1" : "0");
        pb.redirectOutput(dir.resolve(name + ".out").toFile());
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(err, StandardCharsets.UTF_8).lines().toList(), kept);
    }

    private static boolean tmpfsAvailable() {
        Path probe;
        try {
            probe = Files.createDirectories(dir.resolve("probe"));
        } catch (IOException e) {
            return false;
        }
        return ChildJvm.succeeds(20, "unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=65536 tmpfs \"$0\"",
                probe.toString());
    }

    private static String[] train(String... more) {
        return TrainInterruptTest.concat(new String[] {"train", "--text", text.toString(), "--hidden", "64", "--seq", "8",
            "--batch", "2", "--no-samples"}, more);
    }

    private static void assertOneErrorLine(Result r, String expected) {
        List<String> errors = r.stderr().stream().filter(l -> l.startsWith("charrnn: error: ")).toList();
        assertEquals(List.of("charrnn: error: " + expected), errors, String.join("\n", r.stderr()));
        assertFalse(r.stderr().stream().anyMatch(l -> l.contains("Exception") || l.startsWith("\tat ")),
                String.join("\n", r.stderr()));
        assertEquals(1, r.status(), String.join("\n", r.stderr()));
    }

    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void fullDisk_failsTheNextCheckpoint_withOneLine_andThePreviousOneResumes() throws Exception {
        assumeTrue(tmpfsAvailable(), "needs unshare -rm and tmpfs (Linux user namespaces)");
        Path sizing = dir.resolve("sizing");
        CharRnnCliTest.Run first = CharRnnCliTest.run(train("--steps", "5", "--checkpoint-every", "5", "--checkpoint-dir",
                sizing.toString(), "--out", dir.resolve("sizing.charrnn").toString()));
        assertEquals(0, first.status(), first.err());
        long checkpoint = Files.size(sizing.resolve("checkpoint-000000005.charrnn"));

        // room for one checkpoint, not for the next one's temporary file beside it
        Result r = inTmpfs("full", checkpoint * 3 / 2, false, null, train("--steps", "10", "--checkpoint-every", "5",
                "--keep-checkpoints", "1", "--checkpoint-dir", "MNT", "--out", dir.resolve("full.charrnn").toString()));
        Path mnt = dir.resolve("full");
        assertOneErrorLine(r, "could not write " + mnt.resolve("checkpoint-000000010.charrnn")
                + ": No space left on device");
        assertEquals(List.of(CheckpointLock.FILE_NAME, "checkpoint-000000005.charrnn"), names(r.kept()),
                "no temporary file is left (the run's lock file stays)");
        assertFalse(Files.exists(dir.resolve("full.charrnn")));

        CharRnnCliTest.Run resumed = CharRnnCliTest.run(train("--steps", "10", "--resume",
                r.kept().resolve("checkpoint-000000005.charrnn").toString(), "--out", dir.resolve("resumed.charrnn").toString()));
        assertEquals(0, resumed.status(), resumed.err());
        assertEquals(10, ModelFiles.load(dir.resolve("resumed.charrnn")).trainingInfo().orElseThrow().steps());
    }

    @Test
    void readOnlyFileSystem_refusesTheModelPathBeforeTraining_withOneLine_andKeepsTheOldModel() throws Exception {
        assumeTrue(tmpfsAvailable(), "needs unshare -rm and tmpfs (Linux user namespaces)");
        Path old = dir.resolve("old.charrnn");
        CharRnnCliTest.Run first = CharRnnCliTest.run(train("--steps", "2", "--out", old.toString()));
        assertEquals(0, first.status(), first.err());

        Result r = inTmpfs("ro", 1 << 20, true, old, train("--steps", "3", "--seed", "7", "--out", "MNT/m.charrnn"));
        Path mnt = dir.resolve("ro");
        assertOneErrorLine(r, "--out " + mnt.resolve("m.charrnn") + ": cannot be written: the directory " + mnt
                + " is not writable");
        assertFalse(String.join("\n", r.stderr()).contains("reading "), "checked before the text is read");
        assertEquals(List.of("m.charrnn"), names(r.kept()));
        assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(r.kept().resolve("m.charrnn")));
    }
}
