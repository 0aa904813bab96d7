package io.charrnn.examples.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Helpers shared by the commands' option handling. */
final class Options {
    private static final Map<String, String> FLAGS = Map.ofEntries(
            Map.entry("hidden", "--hidden"), Map.entry("layers", "--layers"), Map.entry("embedding", "--embedding"),
            Map.entry("sequenceLength", "--seq"), Map.entry("batchSize", "--batch"),
            Map.entry("learningRate", "--lr"), Map.entry("momentum", "--momentum"), Map.entry("steps", "--steps"),
            Map.entry("epochs", "--epochs"), Map.entry("chunkWindows", "--chunk-windows"),
            Map.entry("gradientClipValue", "--clip-value"), Map.entry("gradientClipNorm", "--clip-norm"),
            Map.entry("weightDecay", "--weight-decay"), Map.entry("validateEvery", "--val-every"),
            Map.entry("patience", "--patience"), Map.entry("sampleEvery", "--sample-every"),
            Map.entry("checkpointEvery", "--checkpoint-every"), Map.entry("keepCheckpoints", "--keep-checkpoints"),
            Map.entry("resetStateAt", "--reset-at"), Map.entry("temperature", "--temperature"),
            Map.entry("length", "--length"), Map.entry("dropout", "--dropout"),
            Map.entry("forgetBias", "--forget-bias"));

    private Options() {
    }

    /** Rewrites a library message that starts with a builder's field name to name the CLI flag. */
    static String flagNames(String message) {
        if (message == null) {
            return "invalid value";
        }
        int space = message.indexOf(' ');
        if (space > 0) {
            String flag = FLAGS.get(message.substring(0, space));
            if (flag != null) {
                return flag + message.substring(space);
            }
        }
        return message;
    }

    /** A file to write must be in an existing directory and not be a directory: checked before any work. */
    static void checkTarget(CommandLine.Model.CommandSpec spec, Path file, String option) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be in an existing directory, "
                    + "got " + file);
        }
        if (Files.isDirectory(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " must be a file, got the directory "
                    + file);
        }
    }
}
