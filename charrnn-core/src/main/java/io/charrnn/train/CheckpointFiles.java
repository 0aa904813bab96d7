package io.charrnn.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checkpoint files of one run: each written atomically as {@code checkpoint-<step>.charrnn},
 * and only the newest {@code keep} of them kept (older ones this run wrote are deleted).
 */
final class CheckpointFiles {
    private final int keep;
    private final List<Path> written = new ArrayList<>();

    CheckpointFiles(int keep) {
        this.keep = keep;
    }

    /** Creates the directory of the stop checkpoint if missing. */
    static void createDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the checkpoint directory " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    /** @return the file the checkpoint of {@code step} was written to, after deleting those beyond {@code keep} */
    Path write(CheckpointData data, Path directory, long step) {
        Path file = directory.resolve(String.format("checkpoint-%09d.charrnn", step));
        try {
            Checkpoints.write(data, file);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            throw new UncheckedIOException(message.contains(file.toString()) ? "could not write the checkpoint: " + message
                    : "could not write checkpoint " + file + ": " + message, e);
        }
        written.remove(file); // a stop checkpoint may land on a periodic one's name
        written.add(file);
        while (written.size() > keep) {
            Path old = written.remove(0);
            try {
                Files.deleteIfExists(old);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete old checkpoint " + old + ": " + e.getMessage(), e);
            }
        }
        return file;
    }
}
