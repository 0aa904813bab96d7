package io.charrnn.io;

import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * The child JVM of {@link SaveKillTest}: saves large models over a file until it is killed.
 *
 * <p>{@code stall TARGET}: saves one model, and once half of it has reached the temporary file
 * prints {@code stalled} and waits (at most a minute) to be killed. {@code loop TARGET}: saves
 * {@link #model(int)} 1 and 2 alternately, printing {@code saving N} before save N.
 */
public final class SaveKillChild {
    static final String TEXT = "the quick brown fox jumps over the lazy dog, THE END.\n";

    private SaveKillChild() {
    }

    /** A model of ~17 MB (hidden 2048), different for each variant. */
    static RnnModel model(int variant) {
        return RnnModel.builder().hidden(2048).seed(variant).vocabulary(Vocabulary.fromText(TEXT)).build()
                .withTrainingInfo(new TrainingInfo(variant, variant * 100L, 1.0 / variant, Double.NaN, "child " + variant));
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[1]);
        if (args[0].equals("stall")) {
            RnnModel model = model(1);
            long half = 4L * model.parameterCount() / 2;
            ModelFiles.save(model, target, out -> new FilterOutputStream(out) {
                private long written;

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    written += len;
                    if (written >= half) {
                        out.flush();
                        System.out.println("stalled " + written);
                        System.out.flush();
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        System.exit(3); // never killed: the parent is gone; leave no process behind
                    }
                }
            });
            System.exit(4); // the save must not finish
        }
        RnnModel[] models = {model(1), model(2)};
        long deadline = System.nanoTime() + 60_000_000_000L; // never killed: the parent is gone
        for (int i = 1; System.nanoTime() < deadline; i++) {
            System.out.println("saving " + i);
            System.out.flush();
            ModelFiles.save(models[(i - 1) % 2], target);
        }
        System.exit(3);
    }
}
