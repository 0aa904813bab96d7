package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.charrnn.internal.format.AtomicFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Vocabulary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a JVM (kill -9, {@code destroyForcibly}) in the middle of saving a large model over an
 * existing file: the old file must still load, and a later save must work. A killed save leaves
 * its temporary file {@code .<name>.<random>.tmp} behind (nothing can tell a dead writer's file
 * from a live one's); it never disturbs a later save.
 */
class SaveKillTest {
    @TempDir
    Path dir;

    private static RnnModel original() {
        return RnnModel.builder().hidden(8).seed(99).vocabulary(Vocabulary.fromText(SaveKillChild.TEXT)).build();
    }

    @Test
    void killedHalfWayThroughASave_oldFileStillLoads_andTheNextSaveWorks() throws Exception {
        Path target = dir.resolve("m.charrnn");
        ModelFiles.save(original(), target);
        Process child = start("stall", target);
        try {
            String line = awaitLine(child, "stalled");
            assertTrue(line.startsWith("stalled "), line);
            List<Path> temps = temporaryFiles(target);
            assertEquals(1, temps.size(), "the child's temporary file: " + listing());
            assertTrue(Files.size(temps.get(0)) >= Long.parseLong(line.substring("stalled ".length())), line);
        } finally {
            kill(child);
        }
        assertEquals(original(), ModelFiles.load(target));
        List<Path> leftovers = temporaryFiles(target);
        assertEquals(1, leftovers.size(), listing());

        RnnModel next = SaveKillChild.model(2);
        ModelFiles.save(next, target);
        assertEquals(next, ModelFiles.load(target));
        assertEquals(leftovers, temporaryFiles(target), "the leftover stays; the new save used its own name");
    }

    @Test
    void killedAtSomeMomentOfASaveLoop_fileIsAlwaysOneWholeModel() throws Exception {
        Path target = dir.resolve("m.charrnn");
        ModelFiles.save(original(), target);
        Process child = start("loop", target);
        try {
            awaitLine(child, "saving 3"); // two saves done, the third under way
            Thread.sleep(15); // some way into it: the exact moment does not matter, every one must be safe
        } finally {
            kill(child);
        }
        RnnModel loaded = ModelFiles.load(target);
        assertTrue(loaded.equals(SaveKillChild.model(1)) || loaded.equals(SaveKillChild.model(2)),
                "expected one of the child's models, found " + loaded + " " + loaded.trainingInfo());
        assertTrue(temporaryFiles(target).size() <= 1, listing());
        ModelFiles.save(original(), target);
        assertEquals(original(), ModelFiles.load(target));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private BlockingQueue<String> lines;
    private Path stderr;

    private Process start(String mode, Path target) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        stderr = dir.resolve("child-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                SaveKillChild.class.getName(), mode, target.toString());
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(l);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "save-kill-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Waits (at most 20 s, polling) for a line starting with {@code prefix} from the child. */
    private String awaitLine(Process child, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(50, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !child.isAlive() && lines.isEmpty()) {
                fail("the child exited with " + child.exitValue() + " before printing '" + prefix + "': "
                        + Files.readString(stderr));
            }
        }
        fail("the child printed no '" + prefix + "' within 20 s: " + Files.readString(stderr));
        return null;
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertTrue(child.waitFor(10, TimeUnit.SECONDS), "the child did not die");
    }

    private List<Path> temporaryFiles(Path target) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> AtomicFiles.isTemporaryFileOf(target, p)).sorted().toList();
        }
    }

    private String listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().toString();
        }
    }
}
