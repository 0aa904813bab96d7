package io.charrnn.eval;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import java.nio.file.Path;

/** Run by {@link EvaluationStreamTest} in a small heap: scores a file both ways and prints the counts. */
public final class EvaluationMemoryChild {
    private EvaluationMemoryChild() {
    }

    /** @param args the model file and the text file */
    public static void main(String[] args) throws Exception {
        RnnModel model = ModelFiles.load(Path.of(args[0]));
        Path text = Path.of(args[1]);
        System.out.println("score " + Evaluation.score(model, text).characters());
        long[] seen = {0};
        Evaluation.surprisal(model, text, c -> seen[0]++);
        System.out.println("surprisal " + seen[0]);
    }
}
