package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.internal.format.AtomicFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.testing.ChildJvm;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        try (ChildJvm child = ChildJvm.start(SaveKillChild.class, "stall", target.toString())) {
            String line = child.awaitLine("stalled");
            assertTrue(line.startsWith("stalled "), line);
            List<Path> temps = temporaryFiles(target);
            assertEquals(1, temps.size(), "the child's temporary file: " + listing());
            assertTrue(Files.size(temps.get(0)) >= Long.parseLong(line.substring("stalled ".length())), line);
            child.kill();
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
        try (ChildJvm child = ChildJvm.start(SaveKillChild.class, "loop", target.toString())) {
            child.awaitLine("saving 3"); // two saves done, the third under way
            Thread.sleep(15); // some way into it: the exact moment does not matter, every one must be safe
            child.kill();
        }
        RnnModel loaded = ModelFiles.load(target);
        assertTrue(loaded.equals(SaveKillChild.model(1)) || loaded.equals(SaveKillChild.model(2)),
                "expected one of the child's models, found " + loaded + " " + loaded.trainingInfo());
        assertTrue(temporaryFiles(target).size() <= 1, listing());
        ModelFiles.save(original(), target);
        assertEquals(original(), ModelFiles.load(target));
    }

    // --- helpers ---------------------------------------------------------------------------------

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
