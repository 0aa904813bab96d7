package io.charrnn.examples.cli;

import io.charrnn.eval.Evaluation;
import io.charrnn.eval.NextCharacter;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn next}: the most likely next characters after a prime. */
@Command(name = "next", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints the most likely characters to follow a prime under a saved model, one per line: "
                + "the character and its probability, most likely first.")
final class NextCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "",
            description = "The text so far (default: empty, meaning the start of a line).")
    String prime;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "How many characters to print (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        if (top < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--top must be >= 1, got " + top);
        }
        RnnModel m = ModelStore.load(model);
        PrintWriter out = spec.commandLine().getOut();
        for (NextCharacter c : Evaluation.nextCharacters(m, prime, top)) {
            out.printf(Locale.ROOT, "%s\t%.6f%n", show(c.codePoint()), c.probability());
        }
        out.flush();
        return 0;
    }

    /** A character as one visible token: escapes for newline, tab, carriage return, space and backslash. */
    static String show(int codePoint) {
        switch (codePoint) {
            case '\n':
                return "\\n";
            case '\t':
                return "\\t";
            case '\r':
                return "\\r";
            case ' ':
                return "' '";
            case '\\':
                return "\\\\";
            default:
                return Character.isISOControl(codePoint) ? String.format("U+%04X", codePoint)
                        : Character.toString(codePoint);
        }
    }
}
