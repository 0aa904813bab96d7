package io.charrnn.examples.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --model} and {@code --text} options of the commands that score a text. */
final class ModelAndText {
    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--text", required = true, paramLabel = "FILE",
            description = "The text to score: a UTF-8 file, a directory or a jar/zip of text files; every "
                    + "character must be in the model's vocabulary.")
    Path text;
}
