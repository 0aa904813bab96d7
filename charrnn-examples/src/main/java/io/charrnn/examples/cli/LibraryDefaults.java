package io.charrnn.examples.cli;

import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.train.LearningRateSchedule;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * The defaults of {@code train}'s model and training options, read from the library's builders
 * ({@code RnnModel.builder()} and {@code Trainer.builder()}), so that the CLI and a Java program
 * with the same settings train the same thing, and {@code --help} shows the library's values.
 */
final class LibraryDefaults implements CommandLine.IDefaultValueProvider {
    /** The model the library builds when no setting is given. */
    static final ModelConfig MODEL = RnnModel.builder().build().config();
    /** The trainer the library builds when no setting is given. */
    static final Trainer TRAINER = Trainer.builder().build();

    private static final Map<String, Supplier<String>> VALUES = Map.ofEntries(
            Map.entry("--cell", () -> lower(MODEL.cell().name())),
            Map.entry("--activation", () -> lower(MODEL.activation().name())),
            Map.entry("--hidden", () -> Integer.toString(MODEL.hidden())),
            Map.entry("--layers", () -> Integer.toString(MODEL.layers())),
            Map.entry("--embedding", () -> Integer.toString(MODEL.embedding())),
            Map.entry("--dropout", () -> number(MODEL.dropout())),
            Map.entry("--forget-bias", () -> number(MODEL.forgetBias())),
            Map.entry("--seed", () -> Long.toString(TRAINER.seed())),
            Map.entry("--seq", () -> Integer.toString(TRAINER.sequenceLength())),
            Map.entry("--batch", () -> Integer.toString(TRAINER.batchSize())),
            Map.entry("--optimizer", () -> optimizerName(TRAINER.optimizer())),
            Map.entry("--clip-value", () -> threshold(TRAINER.gradientClipValue())),
            Map.entry("--clip-norm", () -> threshold(TRAINER.gradientClipNorm())),
            Map.entry("--weight-decay", () -> number(TRAINER.weightDecay())),
            Map.entry("--schedule", () -> schedule(TRAINER.schedule())),
            Map.entry("--batching", () -> batchingName(TRAINER)),
            Map.entry("--chunk-windows", () -> Integer.toString(TRAINER.chunkWindows())),
            Map.entry("--keep-checkpoints", () -> Integer.toString(TRAINER.keepCheckpoints())),
            Map.entry("--keep", () -> TRAINER.keepBestWeights() ? "best" : "last"));

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (argSpec instanceof CommandLine.Model.OptionSpec option) {
            Supplier<String> value = VALUES.get(option.longestName());
            return value == null ? null : value.get();
        }
        return null;
    }

    /** @return the CLI name of an optimizer record: adam, adagrad, rmsprop or sgd */
    static String optimizerName(Optimizer optimizer) {
        return lower(optimizer.getClass().getSimpleName());
    }

    /** @return the learning rate {@code --lr} defaults to for an optimizer named on the command line */
    static double learningRate(String optimizerName) {
        if (optimizerName.equals(optimizerName(TRAINER.optimizer()))) {
            return TRAINER.optimizer().learningRate();
        }
        return optimizerName.equals("adam") || optimizerName.equals("rmsprop") ? 2e-3 : 0.1;
    }

    private static String batchingName(Trainer trainer) {
        return Arrays.stream(TrainCommand.BatchingName.values()).filter(b -> b.batching == trainer.batching())
                .map(b -> lower(b.name())).findFirst().orElseThrow();
    }

    private static String schedule(LearningRateSchedule schedule) {
        if (schedule instanceof LearningRateSchedule.StepDecay s) {
            return "step:" + number(s.factor()) + ":" + s.everyEpochs();
        }
        if (schedule instanceof LearningRateSchedule.ExponentialDecay e) {
            return "exp:" + number(e.factor()) + ":" + e.startEpoch();
        }
        if (schedule instanceof LearningRateSchedule.Cosine c) {
            return "cosine:" + number(c.warmup()) + ":" + number(c.floor());
        }
        if (schedule instanceof LearningRateSchedule.Linear l) {
            return "linear:" + number(l.warmup()) + ":" + number(l.floor());
        }
        return "constant";
    }

    private static String threshold(double value) {
        return Double.isInfinite(value) ? "none" : number(value);
    }

    /** @return a number as a user would write it: 5, 0.5, 1e-3 */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value)
                : Double.toString(value);
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
