package io.charrnn.train;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The child JVM of {@link CheckpointKillTest}: trains with a checkpoint after every step into
 * {@code DIR}, resuming from the newest checkpoint there if there is one, and prints
 * {@code start S}, then {@code step N} before writing the checkpoint of step N and
 * {@code checkpoint N} after it, until it is killed (or has
 * taken {@code STEPS} steps in all). The model is large enough that writing checkpoints takes most
 * of the time, so a kill at a random moment usually lands in the middle of one.
 */
public final class CheckpointKillChild {
    static final Corpus CORPUS = Corpus.of(text());

    private CheckpointKillChild() {
    }

    /** 8,000 characters drawn from 1,000 CJK ideographs: a large vocabulary makes large one-hot layers. */
    private static String text() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8_000; i++) {
            sb.appendCodePoint(0x4E00 + rng.nextInt(1_000));
        }
        return sb.toString();
    }

    static RnnModel model() {
        // ~440k parameters (5 MB checkpoints with Adam's moments), and still the plain-Java kernel (B·H² <= 50,000),
        // so that the child and the test's own run compute alike and the child needs no ND4J
        return RnnModel.builder().hidden(200).seed(5).build();
    }

    static Trainer.Builder settings(long steps) {
        return Trainer.builder().optimizer(Optimizer.adam(1e-3)).sequenceLength(4).batchSize(1).seed(8).steps(steps);
    }

    /** @return the checkpoint of the highest step in {@code dir}, if any (temporary files are not checkpoints) */
    static Optional<Path> newest(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("checkpoint-\\d{9}\\.charrnn"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }

    /** @return the step in a checkpoint's name */
    static long step(Path checkpoint) {
        return Long.parseLong(checkpoint.getFileName().toString().replaceAll("\\D", ""));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        long steps = Long.parseLong(args[1]);
        Trainer trainer = settings(steps).checkpointEvery(1, dir).keepCheckpoints(3).listener(new TrainingListener() {
            @Override
            public void onStep(StepSummary step) {
                System.out.println("step " + step.step()); // the step's checkpoint is written next
                System.out.flush();
            }

            @Override
            public void onCheckpoint(long step, Path file) {
                System.out.println("checkpoint " + step);
                System.out.flush();
            }
        }).build();
        Optional<Path> from = newest(dir);
        System.out.println("start " + (from.isPresent() ? step(from.get()) : 0));
        System.out.flush();
        TrainingResult r = from.isPresent() ? trainer.resume(from.get(), CORPUS) : trainer.train(model(), CORPUS);
        System.out.println("done " + r.steps());
        System.exit(0);
    }
}
