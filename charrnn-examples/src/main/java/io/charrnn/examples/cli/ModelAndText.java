package io.charrnn.examples.cli;

import io.charrnn.model.RnnModel;
import io.charrnn.text.Newlines;
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

    @Option(names = "--newlines", paramLabel = "RULE",
            description = "Line endings: lf reads CRLF and a lone CR as LF (as Python's text mode), keep keeps every "
                    + "character (default: the model's rule: keep if its vocabulary has \\r, else lf).")
    Newlines newlines;

    /**
     * @param model the loaded model
     * @return the rule given, or the model's
     */
    Newlines newlines(RnnModel model) {
        return newlines != null ? newlines : Newlines.of(model.vocabulary().orElseThrow());
    }
}
