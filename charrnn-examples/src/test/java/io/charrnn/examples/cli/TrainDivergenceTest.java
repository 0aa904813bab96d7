package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training that diverges (NaN) in the CLI: one error line naming the last good checkpoint, exit 1, no model written. */
class TrainDivergenceTest {
    @Test
    void divergence_isOneLine_namingTheLastGoodCheckpoint_andLeavesTheOldModel(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("t.txt"), "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(40));
        Path model = dir.resolve("m.charrnn");
        CharRnnCliTest.Run old = CharRnnCliTest.run("train", "--text", text.toString(), "--hidden", "16", "--steps", "2",
                "--no-samples", "--out", model.toString());
        assertEquals(0, old.status(), old.err());
        byte[] before = Files.readAllBytes(model);
        Path checkpoints = dir.resolve("ck");
        // a learning rate near the float range: the weights overflow within a few steps
        CharRnnCliTest.Run r = CharRnnCliTest.run("train", "--text", text.toString(), "--hidden", "16", "--seq", "8",
                "--batch", "2", "--steps", "300", "--optimizer", "sgd", "--lr", "1e38", "--clip-norm", "none",
                "--checkpoint-every", "1", "--checkpoint-dir", checkpoints.toString(), "--no-samples", "--out",
                model.toString());
        assertEquals(1, r.status(), r.err());
        List<String> errors = r.err().lines().filter(l -> l.startsWith("charrnn: error: ")).toList();
        assertEquals(1, errors.size(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        Matcher m = Pattern.compile("charrnn: error: training diverged at step (\\d+) \\(epoch 0\\): got \\S+, last finite "
                + "loss \\S+; lower --lr or clip gradients \\(--clip-norm / --clip-value\\); the last good checkpoint is "
                + "(\\S+)").matcher(errors.get(0));
        assertTrue(m.matches(), errors.get(0));
        long step = Long.parseLong(m.group(1));
        Path last = Path.of(m.group(2));
        assertEquals(checkpoints.resolve(String.format("checkpoint-%09d.charrnn", step - 1)), last);
        assertEquals(step - 1, ModelFiles.load(last).trainingInfo().orElseThrow().steps());
        assertArrayEquals(before, Files.readAllBytes(model), "the old model is left as it was");
    }
}
