package io.charrnn.examples.cli;

import java.util.Map;

/** Helpers shared by the commands' option handling. */
final class Options {
    private static final Map<String, String> FLAGS = Map.of(
            "hidden", "--hidden", "layers", "--layers", "embedding", "--embedding",
            "sequenceLength", "--seq", "batchSize", "--batch", "learningRate", "--lr",
            "steps", "--steps", "temperature", "--temperature", "length", "--length");

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
}
