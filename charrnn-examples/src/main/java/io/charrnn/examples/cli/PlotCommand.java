package io.charrnn.examples.cli;

import io.charrnn.diagnostics.Diagnostics;
import io.charrnn.diagnostics.GradientThroughTime;
import io.charrnn.examples.plots.Figure;
import io.charrnn.examples.plots.Plots;
import io.charrnn.model.CellType;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingStrategy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn plot}: charts of a saved model as PNG or SVG. */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Draws a chart of a saved model into a PNG or SVG file (by --out's extension): its training "
                + "and validation loss, a heatmap of its hidden state over a text, the gradient of a prediction by "
                + "steps back (beside fresh models of the other cell types), or samples at four temperatures.")
final class PlotCommand implements Callable<Integer> {
    /** The sentence of the heatmap and gradient plots when {@code --text} is not given. */
    static final String DEFAULT_TEXT = "To be or not to be, that is the question";
    /** The temperatures of the sample table. */
    static final double[] TEMPERATURES = {0.3, 0.7, 1.0, 1.5};

    /** What to draw. */
    enum Kind { LOSS, HEATMAP, GRADIENTS, TEMPERATURES }

    /**
     * The longest --text drawn: a heatmap has a column per character, and its time and memory (and
     * the gradient curve's) grow with the text.
     */
    static final int MAX_TEXT = 2_000;
    /** The longest --length of the temperatures table. */
    static final int MAX_LENGTH = 10_000;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "A model file saved by 'train'.")
    Path model;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "loss (training loss raw and smoothed, validation points; nats and bits per character), "
                    + "heatmap (hidden units over --text), gradients (||dL/dh|| by steps back, log scale) or "
                    + "temperatures (samples at 0.3, 0.7, 1.0 and 1.5 side by side).")
    Kind kind;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "The image to write: FILE.png or FILE.svg; its directory must exist.")
    Path out;

    @Option(names = "--text", paramLabel = "TEXT",
            description = "heatmap and gradients: the text read (default: \"" + DEFAULT_TEXT + "\"); gradients "
                    + "predicts its last character. temperatures: the prime (default: none).")
    String text;

    @Option(names = "--layer", paramLabel = "L", defaultValue = "0",
            description = "heatmap and gradients: the layer (default: ${DEFAULT-VALUE}).")
    int layer;

    @Option(names = "--cell-state",
            description = "heatmap of an LSTM: show the cell state c instead of the output h.")
    boolean cellState;

    @Option(names = "--compare", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "gradients: add freshly initialised models of the other two cell types, of the same size "
                    + "and seed (default: on; --no-compare draws the model alone).")
    boolean compare;

    @Option(names = "--length", paramLabel = "N", defaultValue = "400",
            description = "temperatures: characters per sample (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1",
            description = "temperatures: seed of the random draws (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--width", paramLabel = "W", defaultValue = "900", description = "Width in pixels (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "H", defaultValue = "540", description = "Height in pixels (default: ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() throws Exception {
        if (width < 100 || width > 10_000) {
            throw usage("--width must be in [100, 10000], got " + width);
        }
        if (height < 100 || height > 10_000) {
            throw usage("--height must be in [100, 10000], got " + height);
        }
        if (length < 1 || length > MAX_LENGTH) {
            throw usage("--length must be in [1, " + MAX_LENGTH + "], got " + length);
        }
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!name.endsWith(".png") && !name.endsWith(".svg")) {
            throw usage("--out must end in .png or .svg, got " + out);
        }
        int textLength = text == null ? 0 : text.codePointCount(0, text.length());
        if (kind != Kind.LOSS && textLength > MAX_TEXT) {
            throw usage("--text for --kind " + kind.name().toLowerCase(Locale.ROOT) + " must have at most " + MAX_TEXT
                    + " characters, got " + textLength);
        }
        Path target = OutputPaths.checkFile("--out", out, model);
        RnnModel m = ModelStore.load(model);
        if (layer < 0 || layer >= m.config().layers()) {
            throw usage("--layer must be in [0, " + m.config().layers() + "), got " + layer);
        }
        Figure figure = switch (kind) {
            case LOSS -> loss(m);
            case HEATMAP -> heatmap(m);
            case GRADIENTS -> gradients(m);
            case TEMPERATURES -> temperatures(m);
        };
        figure.write(target);
        spec.commandLine().getErr().printf(Locale.ROOT, "wrote %s (%d×%d)%n", out, width, height);
        spec.commandLine().getErr().flush();
        return 0;
    }

    private Figure loss(RnnModel m) {
        LossHistory h = m.trainingInfo().map(TrainingInfo::history).orElse(LossHistory.empty());
        if (h.isEmpty()) {
            throw new IllegalStateException(model + " has no loss history (it was " + (m.trainingInfo().isEmpty()
                    ? "never trained" : "trained by a charrnn that did not keep one") + "); train it to plot its loss");
        }
        double validation = m.trainingInfo().orElseThrow().validationLoss();
        return Plots.loss(h, Double.isNaN(validation) ? OptionalDouble.empty() : OptionalDouble.of(validation),
                "Loss of " + describe(m), width, height);
    }

    private Figure heatmap(RnnModel m) {
        String t = text == null ? DEFAULT_TEXT : text;
        if (t.isEmpty()) {
            throw usage("--text must not be empty");
        }
        if (cellState && m.config().cell() != CellType.LSTM) {
            throw usage("--cell-state needs an LSTM model, this one is " + m.config().cell());
        }
        float[][] states = checkedText(() -> cellState ? Diagnostics.cellStates(m, t, layer)
                : Diagnostics.hiddenStates(m, t, layer));
        return Plots.heatmap(t, states, (cellState ? "Cell state c" : "Hidden state h") + " of layer " + layer + ", "
                + describe(m), width, height);
    }

    private Figure gradients(RnnModel m) {
        String t = text == null ? DEFAULT_TEXT : text;
        ModelConfig c = m.config();
        Map<String, double[]> curves = new LinkedHashMap<>();
        GradientThroughTime own = checkedText(() -> Diagnostics.gradientThroughTime(m, t));
        curves.put(c.cell() + " (this model" + m.trainingInfo().map(i -> ", " + i.steps() + " steps").orElse("") + ")",
                own.hiddenNorms(layer));
        if (compare) {
            for (CellType other : CellType.values()) {
                if (other == c.cell()) {
                    continue;
                }
                RnnModel fresh = RnnModel.builder().cell(other).activation(c.activation()).hidden(c.hidden())
                        .layers(c.layers()).embedding(c.embedding()).seed(c.seed())
                        .vocabulary(m.vocabulary().orElseThrow()).build();
                curves.put(other + " (fresh, untrained, same size)",
                        Diagnostics.gradientThroughTime(fresh, t).hiddenNorms(layer));
            }
        }
        return Plots.gradients(curves, "Gradient of the last prediction by steps back, layer " + layer + ", hidden "
                + c.hidden(), width, height);
    }

    private Figure temperatures(RnnModel m) {
        String prime = text == null ? "" : text;
        checkedText(() -> m.vocabulary().orElseThrow().encode(prime));
        Map<String, String> samples = new LinkedHashMap<>();
        for (double t : TEMPERATURES) {
            Sampler sampler = Sampler.builder(m).strategy(SamplingStrategy.temperature(t)).build();
            samples.put(String.format(Locale.ROOT, "temperature %.1f", t),
                    prime + sampler.generate(prime, length, new SplittableRandom(seed)));
        }
        return Plots.samples(samples, "Samples of " + describe(m), width, height);
    }

    private static String describe(RnnModel m) {
        ModelConfig c = m.config();
        return c.cell() + " " + c.layers() + "×" + c.hidden();
    }

    /** Runs a diagnostic; a text the vocabulary refuses is a usage error naming --text. */
    private <T> T checkedText(java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw usage("--text: " + e.getMessage());
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
