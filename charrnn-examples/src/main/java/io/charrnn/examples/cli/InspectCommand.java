package io.charrnn.examples.cli;

import io.charrnn.diagnostics.Diagnostics;
import io.charrnn.diagnostics.ParameterNorm;
import io.charrnn.io.ModelFiles;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code charrnn inspect}: what a model file holds, without running the model. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Prints a model file's format version, config, vocabulary, parameters (name, shape, count) "
                + "and training metadata.")
final class InspectCommand implements Callable<Integer> {
    /** Code points shown in the vocabulary preview. */
    static final int PREVIEW = 80;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @CommandLine.Option(names = "--norms",
            description = "Also print each parameter's L2 norm, root mean square and largest magnitude.")
    boolean norms;

    @Override
    public Integer call() throws Exception {
        int version = ModelFiles.formatVersion(model);
        RnnModel m = ModelStore.load(model);
        ModelConfig c = m.config();
        Vocabulary v = m.vocabulary().orElseThrow();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "file:         %s%n", model);
        out.printf(Locale.ROOT, "format:       version %d%s%n", version,
                version == ModelFiles.currentFormatVersion() ? "" : " (this charrnn writes version "
                        + ModelFiles.currentFormatVersion() + ")");
        out.printf(Locale.ROOT, "cell:         %s, activation %s%n", c.cell(), c.activation());
        out.printf(Locale.ROOT, "hidden:       %d%n", c.hidden());
        out.printf(Locale.ROOT, "layers:       %d%n", c.layers());
        out.printf(Locale.ROOT, "input:        %s%n", c.hasEmbedding() ? "embedding of size " + c.embedding() : "one-hot");
        out.printf(Locale.ROOT, "init scale:   %s%n", c.initScale());
        out.printf(Locale.ROOT, "dropout:      %s%n", c.dropout() > 0 ? c.dropout() + " (in training)" : "none");
        if (c.cell() == io.charrnn.model.CellType.LSTM) {
            out.printf(Locale.ROOT, "forget bias:  %s (initial)%n", c.forgetBias());
        }
        out.printf(Locale.ROOT, "seed:         %d%n", c.seed());
        out.printf(Locale.ROOT, "vocabulary:   %d characters: %s%n", v.size(), preview(v));
        out.printf(Locale.ROOT, "replacement:  %s%n", v.replacement().isPresent()
                ? Vocabulary.describe(v.replacement().getAsInt()) : "none (unknown characters are refused)");
        out.printf(Locale.ROOT, "parameters:   %,d%n", m.parameterCount());
        int width = m.parameterShapes().keySet().stream().mapToInt(String::length).max().orElse(0);
        for (Map.Entry<String, int[]> e : m.parameterShapes().entrySet()) {
            long count = Arrays.stream(e.getValue()).asLongStream().reduce(1, (a, b) -> a * b);
            out.printf(Locale.ROOT, "  %-" + width + "s  %-14s %,d%n", e.getKey(), Arrays.toString(e.getValue()), count);
        }
        if (norms) {
            out.println("norms:");
            out.printf(Locale.ROOT, "  %-" + width + "s  %12s %12s %12s%n", "", "L2", "rms", "max |w|");
            for (ParameterNorm n : Diagnostics.parameterNorms(m)) {
                out.printf(Locale.ROOT, "  %-" + width + "s  %12.6g %12.6g %12.6g%n", n.name(), n.l2Norm(), n.rms(),
                        n.maxAbs());
            }
        }
        if (m.trainingInfo().isEmpty()) {
            out.println("training:     none (the model was never trained)");
        } else {
            TrainingInfo t = m.trainingInfo().get();
            out.printf(Locale.ROOT, "training:     %,d steps, %,d characters%n", t.steps(), t.characters());
            out.printf(Locale.ROOT, "loss:         %s (last training step)%n", loss(t.loss()));
            out.printf(Locale.ROOT, "validation:   %s%n", loss(t.validationLoss()));
            out.printf(Locale.ROOT, "trainer:      %s%n", t.trainer());
            if (!t.history().isEmpty()) {
                out.printf(Locale.ROOT, "history:      steps %d..%d, %d validations (charrnn plot --kind loss draws it)%n",
                        t.history().firstStep(), t.history().lastStep(), t.history().validations().size());
            }
        }
        out.flush();
        return 0;
    }

    private static String loss(double value) {
        return Double.isNaN(value) ? "none" : String.format(Locale.ROOT, "%.6f nats/char", value);
    }

    /** The first {@link #PREVIEW} characters, quoted, with control characters escaped. */
    static String preview(Vocabulary v) {
        StringBuilder sb = new StringBuilder("\"");
        int shown = Math.min(v.size(), PREVIEW);
        for (int i = 0; i < shown; i++) {
            int cp = v.codePointAt(i);
            if (cp == '\n') {
                sb.append("\\n");
            } else if (cp == '\t') {
                sb.append("\\t");
            } else if (cp == '\r') {
                sb.append("\\r");
            } else if (cp == '"' || cp == '\\') {
                sb.append('\\').appendCodePoint(cp);
            } else if (Character.isISOControl(cp) || !Character.isDefined(cp) || Character.isWhitespace(cp) && cp != ' '
                    || Character.getType(cp) == Character.FORMAT) {
                sb.append(String.format(Locale.ROOT, "\\u{%04X}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        }
        sb.append('"');
        if (shown < v.size()) {
            sb.append(" and ").append(v.size() - shown).append(" more");
        }
        return sb.toString();
    }
}
