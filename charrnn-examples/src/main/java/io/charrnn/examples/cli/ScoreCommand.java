package io.charrnn.examples.cli;

import io.charrnn.eval.CharacterSurprisal;
import io.charrnn.eval.Evaluation;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Texts;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code charrnn score}: per-character surprisal of a text. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints how surprising each character of a text is to a saved model, given all characters "
                + "before it: one tab-separated line per character (position, character, bits, probability), "
                + "then the total.")
final class ScoreCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ModelAndText input;

    @Override
    public Integer call() throws Exception {
        RnnModel m = ModelStore.load(input.model);
        String t = Texts.read(input.text);
        List<CharacterSurprisal> chars = Evaluation.surprisal(m, t);
        PrintWriter out = spec.commandLine().getOut();
        out.println("position\tchar\tbits\tprobability");
        double bits = 0;
        for (CharacterSurprisal c : chars) {
            bits += c.bits();
            out.printf(Locale.ROOT, "%d\t%s\t%.4f\t%.6f%n", c.position(), NextCommand.show(c.codePoint()), c.bits(),
                    c.probability());
        }
        out.printf(Locale.ROOT, "# %d characters scored, %.4f bits in all, %.4f bits/char, log-probability %.4f nats%n",
                chars.size(), bits, chars.isEmpty() ? Double.NaN : bits / chars.size(), -bits * Math.log(2));
        out.flush();
        return 0;
    }
}
