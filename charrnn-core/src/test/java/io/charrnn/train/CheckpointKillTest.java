package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills (kill -9) a JVM that writes a checkpoint after every step, several times at random
 * moments, each run resuming from the newest checkpoint the previous one left: every checkpoint
 * left behind must load, each new run must resume, and the end result must equal the
 * uninterrupted run bit for bit.
 */
class CheckpointKillTest {
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @Test
    void killedWhileWritingCheckpoints_everyCheckpointLeftLoads_andTheRunResumesToTheUninterruptedResult()
            throws Exception {
        Random random = new Random(20261122);
        long start = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long killAfter = start + 2 + random.nextInt(5); // the kill lands during a later step or checkpoint
            Process child = start(Long.MAX_VALUE);
            try {
                assertEquals("start " + start, awaitLine(child, "start "));
                awaitLine(child, "step " + killAfter); // its checkpoint is being written now
                // a random moment of that write (or just after it): none may leave a broken checkpoint
                java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(60_000_000));
            } finally {
                kill(child);
            }
            List<Path> checkpoints = checkpoints();
            assertTrue(!checkpoints.isEmpty(), "no checkpoint left");
            for (Path c : checkpoints) {
                RnnModel m = ModelFiles.load(c); // whole: written atomically, never half
                assertEquals(CheckpointKillChild.step(c), m.trainingInfo().orElseThrow().steps(), c.toString());
            }
            long newest = CheckpointKillChild.step(CheckpointKillChild.newest(dir).orElseThrow());
            assertTrue(newest >= killAfter - 1, newest + " < " + (killAfter - 1));
            start = newest;
        }
        long finalSteps = start + 2;
        Process last = start(finalSteps); // resumes from what the last kill left, two steps further
        try {
            assertEquals("start " + start, awaitLine(last, "start "));
            assertEquals("done " + finalSteps, awaitLine(last, "done "));
            assertTrue(last.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, last.exitValue());
        } finally {
            kill(last);
        }
        RnnModel resumed = ModelFiles.load(CheckpointKillChild.newest(dir).orElseThrow());
        RnnModel uninterrupted = CheckpointKillChild.settings(finalSteps).build()
                .train(CheckpointKillChild.model(), CheckpointKillChild.CORPUS).model();
        assertEquals(uninterrupted.weights().keySet(), resumed.weights().keySet());
        for (String name : uninterrupted.weights().keySet()) {
            assertTrue(java.util.Arrays.equals(uninterrupted.weights().get(name), resumed.weights().get(name)), name);
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private BlockingQueue<String> lines;
    private Path stderr;

    private Process start(long steps) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        stderr = dir.resolve("child-stderr.txt"); // not a checkpoint name: ignored by newest()
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                CheckpointKillChild.class.getName(), dir.toString(), Long.toString(steps));
        pb.redirectError(stderr.toFile());
        Process p = pb.start();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        lines = queue;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    queue.add(l);
                }
            } catch (IOException e) {
                // the child was killed
            }
        }, "checkpoint-kill-child-stdout");
        reader.setDaemon(true);
        reader.start();
        return p;
    }

    /** Waits (at most 60 s) for a line starting with {@code prefix} from the child. */
    private String awaitLine(Process child, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
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
        fail("the child printed no '" + prefix + "' within 60 s: " + Files.readString(stderr));
        return null;
    }

    private static void kill(Process child) throws InterruptedException {
        child.destroyForcibly();
        assertTrue(child.waitFor(20, TimeUnit.SECONDS), "the child did not die");
    }

    private List<Path> checkpoints() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{9}\\.charrnn")).sorted().toList();
        }
    }
}
