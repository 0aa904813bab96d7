package io.charrnn.examples.cli;

import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.RnnModel;
import io.charrnn.text.Corpus;
import io.charrnn.train.Batching;
import io.charrnn.train.LearningRateSchedule;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingControl;
import io.charrnn.train.TrainingDivergedException;
import io.charrnn.train.TrainingResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code charrnn train}: trains a model on a text, saves it and prints samples. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        defaultValueProvider = LibraryDefaults.class,
        description = {"Trains a model on a text with truncated BPTT, shows progress on stderr, prints the "
                + "validation loss, saves the model and prints samples at temperatures 0.5, 0.8 and 1.0.",
                "Without --steps, --epochs or --minutes it trains for 2 minutes. The model and training defaults are "
                        + "the library's (RnnModel.builder(), Trainer.builder()).",
                "Ctrl-C (or SIGTERM) stops after the current step, writes a checkpoint to --checkpoint-dir, saves the "
                        + "model to --out and exits with 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM); "
                        + "--resume continues from the checkpoint.",
                "--out and --checkpoint-dir are checked before anything is read: --out must not be a directory, "
                        + "device, FIFO or the text or checkpoint read (a symbolic link is written through). One run "
                        + "at a time may use a --checkpoint-dir."})
final class TrainCommand implements Callable<Integer> {
    /** The update rules the CLI offers. */
    enum OptimizerName { ADAGRAD, ADAM, RMSPROP, SGD }

    /** The weights {@code --keep} saves. */
    enum KeptWeights { BEST, LAST }

    /** The batching strategies, by their CLI names. */
    enum BatchingName {
        STREAMS(Batching.STREAMS), RANDOM(Batching.RANDOM_WINDOWS), CHUNKS(Batching.SHUFFLED_CHUNKS);

        final Batching batching;

        BatchingName(Batching batching) {
            this.batching = batching;
        }
    }

    /**
     * Named sets of model and training options; options given on the command line win over them. Each preset
     * is measured in docs/quality.md.
     */
    enum Preset {
        /**
         * The 60-minute recipe: a 2-layer LSTM 512 with dropout 0.5 between layers, windows of 100 characters,
         * 64 streams, Adam 2e-3 decayed by a cosine to the end of 27 epochs or 60 minutes, whichever comes
         * first: this model stops learning from tinyshakespeare after about 27 epochs, so a fast machine stops
         * there.
         */
        HOUR;

        void apply(TrainCommand c, CommandLine.ParseResult given) {
            Map<String, Runnable> values = Map.of(
                    "--cell", () -> c.cell = CellType.LSTM,
                    "--hidden", () -> c.hidden = 512,
                    "--layers", () -> c.layers = 2,
                    "--dropout", () -> c.dropout = 0.5,
                    "--seq", () -> c.seq = 100,
                    "--batch", () -> c.batch = 64,
                    "--schedule", () -> c.schedule = new Converters.Schedule().convert("cosine"));
            values.forEach((option, set) -> {
                if (!given.hasMatchedOption(option)) {
                    set.run();
                }
            });
            if (c.steps == null && c.minutes == null && c.epochs == null) {
                c.epochs = 27;
                c.minutes = 60.0;
            }
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "A named set of options; options given beside it win. hour: the 60-minute recipe of "
                    + "docs/quality.md, --cell lstm --hidden 512 --layers 2 --dropout 0.5 --seq 100 --batch 64 "
                    + "--schedule cosine and --epochs 27 --minutes 60 (whichever ends first) unless --steps, --epochs or "
                    + "--minutes is given.")
    Preset preset;

    @Option(names = "--text", paramLabel = "FILE",
            description = "Training text: a UTF-8 file, a directory or a jar/zip of text files "
                    + "(default: the Guava sources the build put in target/corpus/guava-sources.jar).")
    Path text;

    @CommandLine.Mixin
    TextReading reading;

    @Option(names = "--out", paramLabel = "MODEL", defaultValue = "model.charrnn",
            description = "Where to save the trained model (default: ${DEFAULT-VALUE}).")
    Path modelPath;

    @Option(names = "--cell", paramLabel = "CELL",
            description = "Recurrent cell: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CellType cell;

    @Option(names = "--hidden", paramLabel = "N", description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--layers", paramLabel = "N", description = "Stacked recurrent layers (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--embedding", paramLabel = "DIM",
            description = "Learned character embedding size; 0 = one-hot input (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Dropout probability in [0, 1) on each layer's output, between layers and before the "
                    + "decoder, during training only (default: ${DEFAULT-VALUE}).")
    double dropout;

    @Option(names = "--forget-bias", paramLabel = "B",
            description = "Initial forget-gate bias of the LSTM; 0 (PyTorch's choice) learned more at equal time than 1 "
                    + "(a fresh cell that remembers); other cells ignore it (default: ${DEFAULT-VALUE}).")
    double forgetBias;

    @Option(names = "--activation", paramLabel = "FN",
            description = "Vanilla cell non-linearity: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Activation activation;

    @Option(names = "--seq", paramLabel = "N",
            description = "Sequence length: characters per BPTT window (default: ${DEFAULT-VALUE}).")
    int seq;

    @Option(names = "--batch", paramLabel = "N",
            description = "Parallel streams per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--steps", paramLabel = "N", description = "Stop after N optimizer steps.")
    Long steps;

    @Option(names = "--minutes", paramLabel = "M", description = "Stop after M minutes of training (default: 2 "
            + "when --steps is not given); with --resume, counted from the start of the original run (a checkpoint "
            + "written before this was recorded counts as 0 minutes).")
    Double minutes;

    @Option(names = "--optimizer", paramLabel = "NAME",
            description = "Update rule: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OptimizerName optimizer;

    @Option(names = "--lr", paramLabel = "X",
            description = "Learning rate (default: the library's 2e-3 for adam; 2e-3 for rmsprop, 0.1 for adagrad and "
                    + "sgd).")
    Double lr;

    @Option(names = "--clip-value", paramLabel = "X", converter = Converters.Threshold.class,
            description = "Clamp each gradient entry to [-X, X], or 'none' (default: ${DEFAULT-VALUE}).")
    double clipValue;

    @Option(names = "--clip-norm", paramLabel = "X", converter = Converters.Threshold.class,
            description = "Rescale the gradient when its global L2 norm exceeds X, or 'none' (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--momentum", paramLabel = "X", defaultValue = "0",
            description = "Momentum for sgd, in [0, 1) (default: ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--weight-decay", paramLabel = "X",
            description = "Decoupled weight decay of the weight matrices (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--schedule", paramLabel = "S", converter = Converters.Schedule.class,
            description = "Learning-rate schedule: constant, step:FACTOR:EVERY (torch-rnn, e.g. step:0.5:5), "
                    + "exp:FACTOR:START (char-rnn, e.g. exp:0.97:10), or a decay to the end of the --steps, --epochs "
                    + "or --minutes budget after a warm-up from a tenth of --lr: cosine[:WARMUP[:FLOOR]] or "
                    + "linear[:WARMUP[:FLOOR]], WARMUP and FLOOR fractions of the budget and of --lr (default 0.02 and "
                    + "0) (default: ${DEFAULT-VALUE}).")
    LearningRateSchedule schedule;

    @Option(names = "--batching", paramLabel = "B",
            description = "How windows are cut: streams (char-rnn, state carried), random (a random window every "
                    + "step), chunks (shuffled chunks, local order kept) (default: ${DEFAULT-VALUE}).")
    BatchingName batching;

    @Option(names = "--chunk-windows", paramLabel = "N",
            description = "Windows per chunk for --batching chunks (default: ${DEFAULT-VALUE}).")
    int chunkWindows;

    @Option(names = "--epochs", paramLabel = "N", description = "Stop after N passes over the training text.")
    Integer epochs;

    @Option(names = "--val-every", paramLabel = "N",
            description = "Validate every N steps (validation also runs at each epoch end).")
    Long validateEvery;

    @Option(names = "--patience", paramLabel = "N",
            description = "Early stopping: stop after N validations without a new best, keep the best model.")
    Integer patience;

    @Option(names = "--keep", paramLabel = "WHICH",
            description = "Which weights to save when validation ran: best (those of the validation pass with the lowest "
                    + "loss) or last (those after the last step) (default: ${DEFAULT-VALUE}).")
    KeptWeights keep;

    @Option(names = "--sample-every", paramLabel = "N", description = "Print a 200-character sample every N steps.")
    Long sampleEvery;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Write a checkpoint every N steps.")
    Long checkpointEvery;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR", defaultValue = "checkpoints",
            description = "Where checkpoints go: those of --checkpoint-every, and one when Ctrl-C stops training; "
                    + "created if missing (default: ${DEFAULT-VALUE}).")
    Path checkpointDirectory;

    @Option(names = "--keep-checkpoints", paramLabel = "K",
            description = "Keep the K newest checkpoints (default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(names = "--reset-at", paramLabel = "CHAR", converter = Converters.CodePoint.class,
            description = "Treat CHAR as a document boundary: the hidden state starts from zero wherever it is the "
                    + "input (one character, \\n, \\t, \\r or U+XXXX).")
    Integer resetAt;

    /**
     * Where the corpus's codes are kept ({@link Corpus.Storage}; the library chooses by default).
     * Hidden: tests read one small file both ways.
     */
    @Option(names = "--storage", hidden = true, defaultValue = "AUTO",
            description = "Keep the corpus on the heap or in a mapped file: ${COMPLETION-CANDIDATES} "
                    + "(default: ${DEFAULT-VALUE}).")
    Corpus.Storage storage;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue a run from a checkpoint, with the same training options and text; the model "
                    + "comes from the checkpoint (model options are ignored), --steps, --epochs and --minutes count "
                    + "from the start of the original run.")
    Path resume;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the initial weights, the training run and the samples (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--samples", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Print samples at temperatures 0.5, 0.8 and 1.0 after training (default: on).")
    boolean samples;

    private StopOnInterrupt interrupt; // installed while training and saving
    private CheckpointLock checkpointLock; // held while checkpoints may be written

    @Override
    public Integer call() throws Exception {
        try {
            return train();
        } catch (Exception e) {
            if (interrupt != null && interrupt.fired()) { // the JVM exits as soon as the hook is released: report now
                spec.commandLine().getErr().println("charrnn: error: " + CharRnnCli.describe(e));
                spec.commandLine().getErr().flush();
                return CharRnnCli.FAILURE;
            }
            throw e;
        } finally {
            if (checkpointLock != null) {
                checkpointLock.close();
            }
            if (interrupt != null) {
                interrupt.close(); // lets a Ctrl-C exit go on once everything is saved (or failed)
            }
        }
    }

    private Integer train() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        if (preset != null) {
            preset.apply(this, spec.commandLine().getParseResult());
        }
        // Check every option before reading anything.
        RnnModel model = usage(() -> RnnModel.builder().cell(cell).activation(activation).hidden(hidden)
                .layers(layers).embedding(embedding).dropout(dropout).forgetBias(forgetBias).seed(seed).build());
        if (steps != null && minutes != null) {
            throw usageError("give --steps or --minutes, not both");
        }
        if (steps != null && steps < 1) {
            throw usageError("--steps must be >= 1, got " + steps);
        }
        if (checkpointEvery != null && checkpointEvery < 1) {
            throw usageError("--checkpoint-every must be >= 1, got " + checkpointEvery);
        }
        if (minutes != null && !(minutes > 0 && Double.isFinite(minutes))) {
            throw usageError("--minutes must be > 0, got " + minutes);
        }
        Duration limit = steps != null || (epochs != null && minutes == null) ? null
                : Duration.ofMillis(Math.round((minutes != null ? minutes : 2.0) * 60_000));
        double rate = lr != null ? lr : LibraryDefaults.learningRate(optimizer.name().toLowerCase(Locale.ROOT));
        Trainer.Builder tb = usage(() -> {
            Optimizer opt = switch (optimizer) {
                case ADAM -> Optimizer.adam(rate);
                case ADAGRAD -> Optimizer.adagrad(rate);
                case RMSPROP -> Optimizer.rmsprop(rate);
                case SGD -> Optimizer.sgd(rate, momentum);
            };
            Trainer.Builder b = Trainer.builder().optimizer(opt).schedule(schedule).batching(batching.batching)
                    .chunkWindows(chunkWindows).sequenceLength(seq).batchSize(batch).gradientClipValue(clipValue)
                    .gradientClipNorm(clipNorm).weightDecay(weightDecay).seed(seed).keepCheckpoints(keepCheckpoints)
                    .keepBestWeights(keep == KeptWeights.BEST);
            if (epochs != null) {
                b.epochs(epochs);
            }
            if (validateEvery != null) {
                b.validateEvery(validateEvery);
            }
            if (patience != null) {
                b.patience(patience);
            }
            if (resetAt != null) {
                b.resetStateAt(resetAt);
            }
            if (sampleEvery != null) {
                b.sampleEvery(sampleEvery, 200, 1.0);
            }
            return steps != null ? b.steps(steps) : limit != null ? b.timeLimit(limit) : b;
        });

        // Check every path before reading anything: a run must not end in an unwritable --out.
        Path textPath = DefaultCorpus.orDefault(text);
        Path saveTo = OutputPaths.checkFile("--out", modelPath, textPath, resume);
        OutputPaths.checkDirectory("--checkpoint-dir", checkpointDirectory);
        if (checkpointEvery != null || spec.commandLine().getParseResult().hasMatchedOption("--checkpoint-dir")) {
            checkpointLock = CheckpointLock.acquire(checkpointDirectory); // creates it
        }
        // only its description is kept: a model as large as the run's weights is not held while training
        String resumed = resume == null ? null : ModelStore.load(resume).toString();
        err.println("reading " + textPath);
        err.flush();
        long readStart = System.nanoTime();
        Corpus corpus = reading.open(textPath, storage);
        err.printf(Locale.ROOT, "corpus: %,d characters, %d distinct; training %,d, validation %,d (read in %.1f s)%n",
                corpus.length(), corpus.vocabulary().size(), corpus.length(Corpus.Split.TRAIN),
                corpus.length(Corpus.Split.VALIDATION), (System.nanoTime() - readStart) / 1e9);
        reading.describe(err, corpus);
        err.printf(Locale.ROOT, "model: %s%n", resumed != null ? resumed : model.withVocabulary(corpus.vocabulary()));
        ProgressLine progress = new ProgressLine(err, ProgressLine.stderrIsTerminal(), (long) seq * batch,
                steps != null ? steps : Long.MAX_VALUE, epochs != null ? epochs : Integer.MAX_VALUE, limit);
        if (checkpointEvery != null) {
            usage(() -> tb.checkpointEvery(checkpointEvery, checkpointDirectory));
        }
        TrainReport.LastCheckpoint lastCheckpoint = new TrainReport.LastCheckpoint();
        Trainer trainer = tb.checkpointOnStop(checkpointDirectory).listener(progress).listener(lastCheckpoint).build();
        err.printf(Locale.ROOT, "training: %s%n", trainer);
        err.flush();

        TrainingControl control = new TrainingControl();
        interrupt = StopOnInterrupt.install(control, err);
        TrainingResult result;
        try {
            result = resume != null ? trainer.resume(resume, corpus, control) : trainer.train(model, corpus, control);
        } catch (TrainingDivergedException e) {
            throw TrainReport.diverged(e, lastCheckpoint.file);
        } finally {
            progress.finish();
        }

        TrainReport.summary(out, result);
        if (result.interrupted() && result.steps() == 0) {
            out.println("interrupted before the first step: nothing saved");
            out.flush();
            return StopOnInterrupt.EXIT_INTERRUPTED;
        }
        ModelStore.save(result.model(), saveTo);
        out.println("saved " + modelPath);
        out.flush();
        if (result.interrupted()) {
            out.println("interrupted at step " + result.steps() + (lastCheckpoint.file == null ? ""
                    : "; checkpoint " + lastCheckpoint.file + " (continue with --resume " + lastCheckpoint.file
                    + " and the same options)"));
            out.flush();
            return StopOnInterrupt.EXIT_INTERRUPTED;
        }
        if (interrupt.fired()) { // Ctrl-C after the last step: the run was complete and is saved
            return StopOnInterrupt.EXIT_INTERRUPTED;
        }
        interrupt.close(); // everything is saved: from here Ctrl-C just ends the samples

        if (samples) {
            TrainReport.samples(out, result.model(), seed);
        }
        return 0;
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Turns the library's IllegalArgumentException for an option value into a usage error. */
    private <T> T usage(java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw usageError(Options.flagNames(e.getMessage()));
        }
    }
}
