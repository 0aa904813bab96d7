package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.charrnn.testing.ChildJvm;
import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code charrnn train}, in a child JVM sent a real SIGINT (Linux only): it stops
 * after the current step, writes a checkpoint and the model, exits with 130, and {@code --resume}
 * continues from the checkpoint.
 */
class TrainInterruptTest {
    private static final Pattern INTERRUPTED = Pattern.compile("interrupted at step (\\d+); checkpoint (\\S+) .*");

    @Test
    void sigint_savesACheckpointAndTheModel_exits130_andResumeContinues(@TempDir Path dir) throws Exception {
        assumeTrue(ChildJvm.isLinux(), "sends SIGINT with kill");
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(40));
        Path model = dir.resolve("m.charrnn");
        Path checkpoints = dir.resolve("ck");
        String[] common = {"train", "--text", text.toString(), "--hidden", "12", "--seq", "8", "--batch", "2",
            "--checkpoint-dir", checkpoints.toString(), "--no-samples"};
        String[] args = concat(common, "--steps", "100000000", "--out", model.toString());
        long step;
        Path checkpoint;
        try (ChildJvm child = ChildJvm.start(CharRnnCli.class, args)) {
            child.awaitLine("step "); // training is under way
            child.signal("INT");
            assertEquals(StopOnInterrupt.EXIT_INTERRUPTED, child.waitFor(), child.output());
            Matcher m = child.stdout().stream().map(INTERRUPTED::matcher).filter(Matcher::matches).findFirst()
                    .orElseThrow(() -> new AssertionError("no 'interrupted at step' line\n" + child.output()));
            step = Long.parseLong(m.group(1));
            checkpoint = Path.of(m.group(2));
            assertTrue(child.stdout().contains("saved " + model), child.output());
            assertTrue(child.stderr().stream().anyMatch(l -> l.startsWith("charrnn: interrupted")), child.output());
        }
        assertEquals(checkpoints.resolve(String.format("checkpoint-%09d.charrnn", step)), checkpoint);
        RnnModel saved = ModelFiles.load(model);
        RnnModel fromCheckpoint = ModelFiles.load(checkpoint);
        assertEquals(step, saved.trainingInfo().orElseThrow().steps());
        for (String name : saved.weights().keySet()) {
            assertTrue(Arrays.equals(saved.weights().get(name), fromCheckpoint.weights().get(name)), name);
        }

        Path resumedModel = dir.resolve("resumed.charrnn");
        CharRnnCliTest.Run resumed = CharRnnCliTest.run(concat(common, "--steps", Long.toString(step + 5), "--resume",
                checkpoint.toString(), "--out", resumedModel.toString()));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().startsWith(String.format(java.util.Locale.ROOT, "trained %,d steps", step + 5)),
                resumed.out());
        assertEquals(step + 5, ModelFiles.load(resumedModel).trainingInfo().orElseThrow().steps());
    }

    static String[] concat(String[] a, String... b) {
        String[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
