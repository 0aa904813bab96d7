package io.charrnn.examples.cli;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.GradientCheck;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn gradcheck}: analytic BPTT gradients against central differences. */
@Command(name = "gradcheck", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Checks the analytic BPTT gradient of a small random model against central finite "
                + "differences in float64 and prints each parameter's relative error.",
                "Exits with status 1 if the largest relative error exceeds 1e-6."})
final class GradcheckCommand implements Callable<Integer> {
    static final double THRESHOLD = 1e-6;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--cell", defaultValue = "rnn", paramLabel = "CELL",
            description = "Recurrent cell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--hidden", paramLabel = "N", defaultValue = "5", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", defaultValue = "2", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embedding", defaultValue = "0", paramLabel = "DIM",
            description = "Embedding size; 0 = one-hot input (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--activation", defaultValue = "tanh", paramLabel = "FN",
            description = "Non-linearity: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Activation activation;

    @Option(names = "--dropout", defaultValue = "0", paramLabel = "P",
            description = "Dropout probability in [0, 1); the check holds one set of masks fixed (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--vocab", defaultValue = "8", paramLabel = "V",
            description = "Vocabulary size, >= 2 (default: ${DEFAULT-VALUE}).")
    int vocab;

    @Option(names = "--seq", paramLabel = "T", defaultValue = "6", description = "Sequence length (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "3", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
            description = "Seed of the weights, inputs, targets and initial state (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        GradientCheck.Report report;
        try {
            ModelConfig config = RnnModel.builder().cell(cell).activation(activation).hidden(hidden).layers(layers)
                    .embedding(embedding).dropout(dropout).seed(seed).build().config();
            report = GradientCheck.of(config).vocabularySize(vocab).sequenceLength(seq).batchSize(batch).seed(seed)
                    .run();
        } catch (IllegalArgumentException e) {
            String msg = Options.flagNames(e.getMessage()).replaceFirst("^vocabularySize", "--vocab");
            throw new CommandLine.ParameterException(spec.commandLine(), msg);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "gradient check: %s %s, hidden %d, layers %d, %s%s, V=%d T=%d B=%d, seed %d%n",
                cell, activation, hidden, layers, embedding == 0 ? "one-hot" : "embedding " + embedding,
                dropout > 0 ? ", dropout " + dropout + " (fixed masks)" : "", vocab, seq, batch, seed);
        out.print(report.table());
        double max = report.maxRelativeError();
        boolean pass = max <= THRESHOLD;
        out.printf(Locale.ROOT, "max relative error %.2e (threshold %.0e): %s%n", max, THRESHOLD, pass ? "PASS" : "FAIL");
        out.flush();
        return pass ? 0 : CharRnnCli.FAILURE;
    }
}
