package io.charrnn.examples.cli;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import java.io.IOException;
import java.nio.file.Path;

/** The CLI's model file reads and writes, all through {@link ModelFiles} (its errors reach the user as they are). */
final class ModelStore {
    private ModelStore() {
    }

    static RnnModel load(Path path) throws IOException {
        return ModelFiles.load(path);
    }

    static void save(RnnModel model, Path path) throws IOException {
        ModelFiles.save(model, path);
    }
}
