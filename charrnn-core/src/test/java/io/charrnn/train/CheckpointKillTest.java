package io.charrnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
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
            try (ChildJvm child = start(Long.MAX_VALUE)) {
                assertEquals("start " + start, child.awaitLine("start "));
                child.awaitLine("step " + killAfter); // its checkpoint is being written now
                // a random moment of that write (or just after it): none may leave a broken checkpoint
                java.util.concurrent.locks.LockSupport.parkNanos(random.nextInt(60_000_000));
                child.kill();
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
        try (ChildJvm last = start(finalSteps)) { // resumes from what the last kill left, two steps further
            assertEquals("start " + start, last.awaitLine("start "));
            assertEquals("done " + finalSteps, last.awaitLine("done "));
            assertEquals(0, last.waitFor(), last.output());
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

    private ChildJvm start(long steps) throws IOException {
        return ChildJvm.start(CheckpointKillChild.class, dir.toString(), Long.toString(steps));
    }

    private List<Path> checkpoints() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{9}\\.charrnn")).sorted().toList();
        }
    }
}
