package io.charrnn.examples.cli;

import io.charrnn.model.RnnModel;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn sample}: streams generated text to stdout. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Generates text from a saved model and writes it to stdout as it is produced: the prime "
                + "(if any) followed by the generated characters.")
final class SampleCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--length", defaultValue = "200",
            description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature > 0: lower is safer, higher more varied (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--greedy", description = "Always pick the most likely character (ignores --temperature).")
    boolean greedy;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "",
            description = "Text fed to the model first and printed before the generated text.")
    String prime;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random draws (default: a fresh one).")
    Long seed;

    @Override
    public Integer call() throws Exception {
        if (length < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--length must be >= 0, got " + length);
        }
        SamplingStrategy strategy;
        try {
            strategy = greedy ? SamplingStrategy.greedy() : SamplingStrategy.temperature(temperature);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), Options.flagNames(e.getMessage()));
        }
        RnnModel m = ModelStore.load(model);
        Sampler sampler = Sampler.builder(m).strategy(strategy).build();
        PrintWriter out = spec.commandLine().getOut();
        SplittableRandom rng = seed != null ? new SplittableRandom(seed) : new SplittableRandom();
        // check the prime before printing it
        m.vocabulary().orElseThrow().encode(prime);
        out.print(prime);
        out.flush();
        sampler.generate(prime, length, rng, cp -> {
            out.print(Character.toString(cp));
            out.flush();
        });
        out.println();
        out.flush();
        return 0;
    }
}
