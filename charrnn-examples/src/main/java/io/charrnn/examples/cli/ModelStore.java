package io.charrnn.examples.cli;

import io.charrnn.model.RnnModel;
import java.io.IOException;
import java.nio.file.Path;

/** TEMPORARY until branch files is merged. */
final class ModelStore {
    private ModelStore() {
    }

    static RnnModel load(Path path) throws IOException {
        throw new IOException("ModelFiles not merged yet");
    }

    static void save(RnnModel model, Path path) throws IOException {
        throw new IOException("ModelFiles not merged yet");
    }
}
