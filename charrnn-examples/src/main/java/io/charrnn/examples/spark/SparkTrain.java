package io.charrnn.examples.spark;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.train.Optimizer;
import io.charrnn.train.StepSummary;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingListener;
import io.charrnn.train.TrainingResult;
import io.charrnn.train.ValidationSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The command line of Spark training, for {@code spark-submit} (or a local run without a Spark
 * installation: {@code tools/spark/train-local.sh}); see docs/spark.md.
 */
@Command(name = "charrnn-spark", mixinStandardHelpOptions = true,
        description = "Trains a character-level model data-parallel on Spark.")
public final class SparkTrain implements Callable<Integer> {
    @Option(names = "--text", required = true, description = "UTF-8 text file on any Hadoop path (file:, hdfs:, s3a:)")
    String text;
    @Option(names = "--out", required = true, description = "model file to write, on the driver")
    Path out;
    @Option(names = "--master", description = "Spark master when spark-submit gives none (default local[*])")
    String master;
    @Option(names = "--cell", defaultValue = "LSTM", description = "RNN, LSTM or GRU (default ${DEFAULT-VALUE})")
    CellType cell;
    @Option(names = "--hidden", defaultValue = "128", description = "hidden size (default ${DEFAULT-VALUE})")
    int hidden;
    @Option(names = "--layers", defaultValue = "2", description = "layers (default ${DEFAULT-VALUE})")
    int layers;
    @Option(names = "--seq-length", defaultValue = "50", description = "window length T (default ${DEFAULT-VALUE})")
    int sequenceLength;
    @Option(names = "--batch", defaultValue = "16", description = "global batch B, streams per step (default ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--lr", defaultValue = "2e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    double learningRate;
    @Option(names = "--steps", description = "stop after this many steps")
    Long steps;
    @Option(names = "--epochs", description = "stop after this many epochs")
    Integer epochs;
    @Option(names = "--partitions", description = "tasks per step (default: Spark's default parallelism)")
    Integer partitions;
    @Option(names = "--average-every", description = "periodic averaging: local steps between averages (default: synchronous)")
    Integer averageEvery;
    @Option(names = "--validate-every", description = "validate every this many steps (and at epoch ends)")
    Long validateEvery;
    @Option(names = "--checkpoint-every", description = "checkpoint every this many steps into --checkpoint-dir")
    Long checkpointEvery;
    @Option(names = "--checkpoint-dir", description = "directory of checkpoints, on the driver")
    Path checkpointDir;
    @Option(names = "--resume", description = "checkpoint to continue, from Spark or from 'charrnn train'")
    Path resume;
    @Option(names = "--seed", defaultValue = "42", description = "seed of the model and the run (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--print-every", defaultValue = "10", description = "print every this many steps (default ${DEFAULT-VALUE})")
    long printEvery;

    /**
     * Runs the command line.
     *
     * @param args the options (see {@code --help})
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new SparkTrain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        SparkConf conf = new SparkConf().setAppName("charrnn");
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        Trainer.Builder b = Trainer.builder().optimizer(Optimizer.adam(learningRate)).sequenceLength(sequenceLength)
                .batchSize(batch).seed(seed).listener(new TrainingListener() {
                    @Override
                    public void onStep(StepSummary s) {
                        if (s.step() % printEvery == 0) {
                            System.out.printf(Locale.ROOT, "step %d  epoch %.2f  loss %.4f  smooth %.4f  %,.0f chars/s%n",
                                    s.step(), s.epoch() + s.epochProgress(), s.loss(), s.smoothLoss(),
                                    s.charactersPerSecond());
                        }
                    }

                    @Override
                    public void onValidation(ValidationSummary v) {
                        System.out.printf(Locale.ROOT, "validation at step %d: %.4f%s%n", v.step(), v.loss(),
                                v.best() ? " (best)" : "");
                    }
                });
        if (steps != null) {
            b.steps(steps);
        }
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (validateEvery != null) {
            b.validateEvery(validateEvery);
        }
        if (checkpointEvery != null) {
            if (checkpointDir == null) {
                throw new CommandLine.ParameterException(new CommandLine(this), "--checkpoint-every needs --checkpoint-dir");
            }
            Files.createDirectories(checkpointDir);
            b.checkpointEvery(checkpointEvery, checkpointDir);
        }
        Trainer trainer = b.build();
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            sc.setLogLevel("WARN");
            SparkTraining.Builder s = SparkTraining.builder(sc, trainer);
            if (partitions != null) {
                s.partitions(partitions);
            }
            if (averageEvery != null) {
                s.averageEvery(averageEvery);
            }
            SparkTraining spark = s.build();
            System.out.println("training on " + sc.master() + ": " + trainer);
            TrainingResult r = resume != null ? spark.resume(resume, text)
                    : spark.train(RnnModel.builder().cell(cell).hidden(hidden).layers(layers).seed(seed).build(), text);
            ModelFiles.save(r.model(), out);
            System.out.printf(Locale.ROOT, "trained %d steps (%s) in %s: loss %.4f, validation %s, %,.0f chars/s; saved %s%n",
                    r.steps(), r.stopReason(), minutesSeconds(r.elapsed()), r.smoothLoss(),
                    r.validationLoss().isPresent() ? String.format(Locale.ROOT, "%.4f", r.validationLoss().getAsDouble())
                            : "-", r.charactersPerSecond(), out);
        }
        return 0;
    }

    private static String minutesSeconds(java.time.Duration d) {
        long tenths = d.toMillis() / 100;
        return String.format(Locale.ROOT, "%d:%02d.%d", tenths / 600, tenths / 10 % 60, tenths % 10);
    }
}
