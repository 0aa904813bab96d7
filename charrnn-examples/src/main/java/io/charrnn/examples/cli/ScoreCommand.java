package io.charrnn.examples.cli;

import io.charrnn.eval.Evaluation;
import io.charrnn.eval.TextScore;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.util.Formatter;
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
        PrintWriter out = spec.commandLine().getOut();
        out.println("position\tchar\tbits\tprobability");
        // streamed (memory does not grow with the text), written in blocks: the CLI's writer
        // flushes on every printf, a system call per character
        StringBuilder block = new StringBuilder(1 << 17);
        Formatter lines = new Formatter(block, Locale.ROOT);
        TextScore total = Evaluation.surprisal(m, input.text, input.newlines(m), c -> {
            lines.format("%d\t%s\t%.4f\t%.6f%n", c.position(), NextCommand.show(c.codePoint()), c.bits(),
                    c.probability());
            if (block.length() >= 1 << 16) {
                out.write(block.toString());
                block.setLength(0);
            }
        });
        out.write(block.toString());
        double bits = total.totalNats() / Math.log(2);
        out.printf(Locale.ROOT, "# %d characters scored, %.4f bits in all, %.4f bits/char, log-probability %.4f nats%n",
                total.characters(), bits, total.bitsPerCharacter(), -total.totalNats());
        out.flush();
        return 0;
    }
}
