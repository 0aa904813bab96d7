package io.charrnn.examples.cli;

import io.charrnn.eval.Evaluation;
import io.charrnn.eval.TextScore;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code charrnn eval}: how well a model predicts a text. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scores a text with a saved model: nats per character, bits per character and perplexity "
                + "of predicting each character from all before it.")
final class EvalCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelAndText input;

    @Override
    public Integer call() throws Exception {
        RnnModel m = ModelStore.load(input.model);
        TextScore score = Evaluation.score(m, input.text, input.newlines(m)); // streamed: memory does not grow with the text
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "characters: %d%n", score.characters());
        out.printf(Locale.ROOT, "nats/char:  %.4f%n", score.natsPerCharacter());
        out.printf(Locale.ROOT, "bits/char:  %.4f%n", score.bitsPerCharacter());
        out.printf(Locale.ROOT, "perplexity: %.4f%n", score.perplexity());
        out.flush();
        return 0;
    }
}
