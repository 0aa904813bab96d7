package io.charrnn.examples.cli;

import io.charrnn.diagnostics.SubstringIndex;
import io.charrnn.model.RnnModel;
import io.charrnn.sample.Beam;
import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.LogitTransform;
import io.charrnn.sample.Sample;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingContext;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Newlines;
import io.charrnn.text.Texts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
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

    @Option(names = "--length", defaultValue = "200", paramLabel = "N",
            description = "Characters to generate (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature > 0: lower is safer, higher more varied (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--greedy",
            description = "Always pick the most likely character (after --repetition-penalty; ignores the others).")
    boolean greedy;

    @Option(names = "--top-k", paramLabel = "K", description = "Draw only from the K most likely characters.")
    Integer topK;

    @Option(names = "--top-p", paramLabel = "P",
            description = "Nucleus sampling: draw only from the most likely characters whose probabilities sum to P "
                    + "(0 < P <= 1).")
    Double topP;

    @Option(names = "--min-p", paramLabel = "P",
            description = "Draw only from characters at least P times as likely as the most likely one (0 < P <= 1).")
    Double minP;

    @Option(names = "--repetition-penalty", paramLabel = "R",
            description = "Divide the probability of each character among the last --repetition-window by R >= 1.")
    Double repetitionPenalty;

    @Option(names = "--repetition-window", paramLabel = "N", defaultValue = "64",
            description = "How many recent characters --repetition-penalty looks at (default: ${DEFAULT-VALUE}).")
    int repetitionWindow;

    @Option(names = "--stop", paramLabel = "STRING",
            description = "Stop when the generated text ends with STRING, which is not printed (repeatable).")
    List<String> stops = new ArrayList<>();

    @Option(names = "--beam", paramLabel = "WIDTH",
            description = "Beam search with WIDTH beams instead of sampling; prints the most likely continuation "
                    + "and its log-probability (on stderr).")
    Integer beam;

    @Option(names = "--num-samples", paramLabel = "N", defaultValue = "1",
            description = "Generate N texts as one batch, separated by a line '----' (with --beam: the N best beams) "
                    + "(default: ${DEFAULT-VALUE}).")
    int numSamples;

    @Option(names = "--prime", paramLabel = "TEXT", defaultValue = "",
            description = "Text fed to the model first and printed before the generated text.")
    String prime;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the random draws (default: a fresh one).")
    Long seed;

    @Option(names = "--novelty", paramLabel = "FILE",
            description = "After each text, print on stderr which fraction of its substrings of 4, 8, 16 and 32 "
                    + "characters occur nowhere in FILE (the training text): low fractions at long lengths mean "
                    + "the model copies it.")
    Path novelty;

    @Option(names = "--newlines", paramLabel = "RULE",
            description = "How --novelty reads line endings: lf (CRLF and a lone CR as LF) or keep (default: the "
                    + "model's rule: keep if its vocabulary has \\r, else lf).")
    Newlines newlines;

    /** Substring lengths of the --novelty report. */
    static final int[] NOVELTY_LENGTHS = {4, 8, 16, 32};

    @Override
    public Integer call() throws Exception {
        if (length < 0) {
            throw usage("--length must be >= 0, got " + length);
        }
        if (numSamples < 1 || numSamples > Sampler.MAX_BATCH) {
            throw usage("--num-samples must be in [1, " + Sampler.MAX_BATCH + "], got " + numSamples);
        }
        if (beam == null && numSamples > 1 && (long) numSamples * length > Sampler.MAX_BATCH_CHARACTERS) {
            throw usage("--num-samples × --length must be at most " + Sampler.MAX_BATCH_CHARACTERS
                    + " (the texts of a batch are held at once), got " + numSamples + " × " + length);
        }
        SamplingStrategy strategy = strategy();
        GenerationOptions.Builder ob = GenerationOptions.builder().prime(prime).length(length);
        for (String s : stops) {
            checked("--stop", () -> ob.stop(s));
        }
        GenerationOptions options = ob.build();
        if (beam != null) {
            if (beam < 1 || beam > Sampler.MAX_BEAM_WIDTH) {
                throw usage("--beam must be in [1, " + Sampler.MAX_BEAM_WIDTH + "], got " + beam);
            }
            if ((long) beam * length > Sampler.MAX_BEAM_CELLS) {
                throw usage("--beam × --length must be at most " + Sampler.MAX_BEAM_CELLS + ", got " + beam + " × "
                        + length);
            }
            if (!stops.isEmpty()) {
                throw usage("--stop cannot be combined with --beam (beams are a fixed --length)");
            }
            if (numSamples > beam) {
                throw usage("--num-samples (" + numSamples + ") must be at most --beam (" + beam + ")");
            }
        }
        RnnModel m = ModelStore.load(model);
        SubstringIndex index = novelty == null ? null : SubstringIndex.of(
                Texts.read(novelty, newlines != null ? newlines : Newlines.of(m.vocabulary().orElseThrow())), 32);
        Sampler sampler = Sampler.builder(m).strategy(strategy).build();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SplittableRandom rng = seed != null ? new SplittableRandom(seed) : new SplittableRandom();
        // check the prime before printing anything
        m.vocabulary().orElseThrow().encode(prime);
        if (beam != null) {
            List<Beam> beams = sampler.beamSearch(prime, length, beam);
            for (int i = 0; i < Math.min(numSamples, beams.size()); i++) {
                separator(out, i);
                out.println(prime + beams.get(i).text());
                err.printf(Locale.ROOT, "beam %d: log-probability %.4f nats (%.4f bits)%n", i + 1,
                        beams.get(i).logProbability(), beams.get(i).logProbability() / Math.log(2));
                report(err, index, beams.get(i).text());
            }
        } else if (numSamples > 1) {
            List<Sample> samples = sampler.generateBatch(options, numSamples, rng);
            for (int i = 0; i < samples.size(); i++) {
                separator(out, i);
                out.println(prime + samples.get(i).text());
                report(err, index, samples.get(i).text());
            }
        } else {
            out.print(prime);
            out.flush();
            // streamed: memory does not grow with --length (only --novelty keeps the text)
            StringBuilder generated = index == null ? null : new StringBuilder();
            sampler.stream(options, rng, cp -> {
                if (generated != null) {
                    generated.appendCodePoint(cp);
                }
                out.print(Character.toString(cp));
                out.flush();
                return !out.checkError(); // stop when stdout is gone (a closed pipe)
            });
            out.println();
            out.flush();
            if (generated != null) {
                report(err, index, generated.toString());
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    /** The --novelty line of one generated text (the prime left out). */
    private static void report(PrintWriter err, SubstringIndex index, String generated) {
        if (index == null) {
            return;
        }
        StringBuilder sb = new StringBuilder("novel substrings (not in the --novelty text):");
        for (int length : NOVELTY_LENGTHS) {
            double f = index.novelFraction(generated, length);
            sb.append(String.format(Locale.ROOT, " %d chars %s;", length,
                    Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.1f %%", 100 * f)));
        }
        err.println(sb.substring(0, sb.length() - 1));
        err.flush();
    }

    private static void separator(PrintWriter out, int i) {
        if (i > 0) {
            out.println("----");
        }
    }

    private SamplingStrategy strategy() {
        List<LogitTransform> transforms = new ArrayList<>();
        if (repetitionPenalty != null) {
            if (repetitionWindow < 1 || repetitionWindow > SamplingContext.MAX_HISTORY) {
                throw usage("--repetition-window must be in [1, " + SamplingContext.MAX_HISTORY + "], got "
                        + repetitionWindow);
            }
            transforms.add(checked("--repetition-penalty",
                    () -> LogitTransform.repetitionPenalty(repetitionPenalty, repetitionWindow)));
        }
        if (greedy) {
            return SamplingStrategy.greedy(transforms.toArray(new LogitTransform[0]));
        }
        LogitTransform t = checked("--temperature", () -> LogitTransform.temperature(temperature));
        if (topK == null && topP == null && minP == null && transforms.isEmpty()) {
            return SamplingStrategy.temperature(temperature);
        }
        if (temperature != 1.0) {
            transforms.add(t);
        }
        if (topK != null) {
            transforms.add(checked("--top-k", () -> LogitTransform.topK(topK)));
        }
        if (topP != null) {
            transforms.add(checked("--top-p", () -> LogitTransform.topP(topP)));
        }
        if (minP != null) {
            transforms.add(checked("--min-p", () -> LogitTransform.minP(minP)));
        }
        return SamplingStrategy.chain(transforms.toArray(new LogitTransform[0]));
    }

    /** Runs a library factory; its message, which starts with the parameter's name, names the flag. */
    private <T> T checked(String flag, Supplier<T> factory) {
        try {
            return factory.get();
        } catch (IllegalArgumentException e) {
            String msg = String.valueOf(e.getMessage());
            int space = msg.indexOf(' ');
            throw usage(flag + (space > 0 ? msg.substring(space) : ": " + msg));
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
