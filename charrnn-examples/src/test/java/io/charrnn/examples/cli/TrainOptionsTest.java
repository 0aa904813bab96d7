package io.charrnn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.charrnn.io.ModelFiles;
import io.charrnn.model.RnnModel;
import io.charrnn.train.LearningRateSchedule;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The trainer options of {@code charrnn train}: optimizers, schedules, batching, validation, checkpoints, resume. */
class TrainOptionsTest {
    private static CharRnnCliTest.Run run(String... args) {
        return CharRnnCliTest.run(args);
    }

    private static Path text(Path dir) throws Exception {
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "the cat sat on the mat.\nthe dog sat on the log.\n".repeat(60));
        return text;
    }

    @Test
    void checkpointThenResume_equalsTheUninterruptedRun(@TempDir Path dir) throws Exception {
        Path text = text(dir);
        String[] common = {"train", "--text", text.toString(), "--hidden", "12", "--seq", "8", "--batch", "3",
            "--optimizer", "rmsprop", "--schedule", "step:0.5:1", "--batching", "chunks", "--chunk-windows", "4",
            "--reset-at", "\\n", "--val-every", "10", "--no-samples"};
        CharRnnCliTest.Run whole = run(concat(common, "--steps", "40", "--out", dir.resolve("whole.charrnn").toString()));
        assertEquals(0, whole.status(), whole.err());
        assertTrue(whole.err().contains("validation at step 10"), whole.err());
        Path checkpoints = dir.resolve("ck");
        CharRnnCliTest.Run first = run(concat(common, "--steps", "20", "--checkpoint-every", "20", "--checkpoint-dir",
                checkpoints.toString(), "--out", dir.resolve("first.charrnn").toString()));
        assertEquals(0, first.status(), first.err());
        Path checkpoint = checkpoints.resolve("checkpoint-000000020.charrnn");
        assertTrue(Files.isRegularFile(checkpoint), first.err());
        CharRnnCliTest.Run resumed = run(concat(common, "--steps", "40", "--resume", checkpoint.toString(), "--out",
                dir.resolve("resumed.charrnn").toString()));
        assertEquals(0, resumed.status(), resumed.err());
        RnnModel a = ModelFiles.load(dir.resolve("whole.charrnn"));
        RnnModel b = ModelFiles.load(dir.resolve("resumed.charrnn"));
        assertEquals(a.weights().keySet(), b.weights().keySet());
        for (String name : a.weights().keySet()) {
            assertTrue(java.util.Arrays.equals(a.weights().get(name), b.weights().get(name)), name);
        }
    }

    @Test
    void defaults_areTheLibrarys_soTheCliTrainsWhatTrainerBuilderTrains(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("d.charrnn");
        CharRnnCliTest.Run r = run("train", "--text", text(dir).toString(), "--steps", "3", "--no-samples",
                "--out", out.toString());
        assertEquals(0, r.status(), r.err());
        RnnModel model = ModelFiles.load(out);
        assertEquals(io.charrnn.train.Trainer.builder().steps(3).build().toString(),
                model.trainingInfo().orElseThrow().trainer());
        io.charrnn.model.ModelConfig library = RnnModel.builder().build().config();
        assertEquals(library.cell(), model.config().cell());
        assertEquals(library.activation(), model.config().activation());
        assertEquals(library.hidden(), model.config().hidden());
        assertEquals(library.layers(), model.config().layers());
        assertEquals(library.embedding(), model.config().embedding());
        assertEquals(library.seed(), model.config().seed());
        assertEquals(library.dropout(), model.config().dropout());
        assertEquals(library.forgetBias(), model.config().forgetBias());

        String help = run("train", "--help").out().replaceAll("\\s+", " ");
        io.charrnn.train.Trainer trainer = io.charrnn.train.Trainer.builder().build();
        assertTrue(help.contains("(default: " + trainer.sequenceLength() + ")"), help);
        assertTrue(help.contains("(default: " + trainer.batchSize() + ")"), help);
        assertEquals(trainer.optimizer().learningRate(), LibraryDefaults.learningRate("adam"));
        assertTrue(help.contains("the library's 2e-3 for adam"), help);
    }

    @Test
    void keep_savesTheBestValidationsWeights_orTheLast_andSaysWhich(@TempDir Path dir) throws Exception {
        // validation text the reverse of the training text: it gets worse as training fits the latter
        Path text = dir.resolve("abcd.txt");
        Files.writeString(text, "abcd".repeat(1350) + "dcba".repeat(150));
        String[] common = {"train", "--text", text.toString(), "--hidden", "8", "--seq", "16", "--batch", "4",
            "--lr", "1e-2", "--val-every", "5", "--steps", "60", "--no-samples"};
        CharRnnCliTest.Run best = run(concat(common, "--out", dir.resolve("best.charrnn").toString()));
        assertEquals(0, best.status(), best.err());
        assertTrue(best.out().contains("the best validation, at step "), best.out());
        assertTrue(best.out().contains("the saved model has its weights (the last step's, 60, had "), best.out());
        assertTrue(best.out().contains("--keep last saves those"), best.out());
        CharRnnCliTest.Run last = run(concat(common, "--keep", "last", "--out", dir.resolve("last.charrnn").toString()));
        assertEquals(0, last.status(), last.err());
        assertTrue(last.out().contains("after the last step (step "), last.out());
        assertTrue(last.out().contains("--keep best saves those"), last.out());
        double bestLoss = ModelFiles.load(dir.resolve("best.charrnn")).trainingInfo().orElseThrow().validationLoss();
        double lastLoss = ModelFiles.load(dir.resolve("last.charrnn")).trainingInfo().orElseThrow().validationLoss();
        assertTrue(bestLoss < lastLoss, bestLoss + " vs " + lastLoss);
    }

    @Test
    void dropout_trainsReproducibly_isSavedInTheModel_andShownByInspect(@TempDir Path dir) throws Exception {
        String[] common = {"train", "--text", text(dir).toString(), "--cell", "lstm", "--hidden", "12", "--layers", "2",
            "--dropout", "0.3", "--seq", "8", "--batch", "3", "--steps", "15", "--no-samples"};
        CharRnnCliTest.Run a = run(concat(common, "--out", dir.resolve("a.charrnn").toString()));
        assertEquals(0, a.status(), a.err());
        assertTrue(a.err().contains("dropout=0.3"), a.err());
        CharRnnCliTest.Run b = run(concat(common, "--out", dir.resolve("b.charrnn").toString()));
        assertEquals(0, b.status(), b.err());
        RnnModel ma = ModelFiles.load(dir.resolve("a.charrnn"));
        RnnModel mb = ModelFiles.load(dir.resolve("b.charrnn"));
        assertEquals(0.3, ma.config().dropout());
        for (String name : ma.weights().keySet()) {
            assertTrue(java.util.Arrays.equals(ma.weights().get(name), mb.weights().get(name)), name);
        }
        CharRnnCliTest.Run inspect = run("inspect", dir.resolve("a.charrnn").toString());
        assertEquals(0, inspect.status(), inspect.err());
        assertTrue(inspect.out().contains("dropout:      0.3 (in training)"), inspect.out());
    }

    @Test
    void presetHour_trainsWhatItsOptionsTrain_andOptionsGivenBesideItWin(@TempDir Path dir) throws Exception {
        String[] small = {"train", "--text", text(dir).toString(), "--hidden", "12", "--seq", "8", "--batch", "3",
            "--steps", "6", "--no-samples"};
        CharRnnCliTest.Run preset = run(concat(small, "--preset", "hour", "--out", dir.resolve("p.charrnn").toString()));
        assertEquals(0, preset.status(), preset.err());
        CharRnnCliTest.Run spelled = run(concat(small, "--cell", "lstm", "--layers", "2", "--dropout", "0.5",
                "--schedule", "cosine", "--out", dir.resolve("s.charrnn").toString()));
        assertEquals(0, spelled.status(), spelled.err());
        RnnModel p = ModelFiles.load(dir.resolve("p.charrnn"));
        RnnModel s = ModelFiles.load(dir.resolve("s.charrnn"));
        assertEquals(s.config(), p.config());
        assertEquals(12, p.config().hidden());
        assertEquals(s.trainingInfo().orElseThrow().trainer(), p.trainingInfo().orElseThrow().trainer());
        for (String name : s.weights().keySet()) {
            assertTrue(java.util.Arrays.equals(s.weights().get(name), p.weights().get(name)), name);
        }

        TrainCommand alone = withPreset("--preset", "hour");
        assertEquals(512, alone.hidden);
        assertEquals(100, alone.seq);
        assertEquals(64, alone.batch);
        assertEquals(60.0, alone.minutes);
        assertEquals(27, alone.epochs);
        TrainCommand fiveMinutes = withPreset("--preset", "hour", "--minutes", "5");
        assertEquals(5.0, fiveMinutes.minutes);
        assertEquals(null, fiveMinutes.epochs);
        TrainCommand nineSteps = withPreset("--preset", "hour", "--steps", "9");
        assertEquals(null, nineSteps.minutes);
        assertEquals(null, nineSteps.epochs);

        CharRnnCliTest.Run bad = run("train", "--preset", "day", "--steps", "1");
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--preset") && bad.err().contains("HOUR") && bad.err().contains("day"),
                bad.err());
    }

    @Test
    void forgetBias_isSavedInTheModel_andShownByInspect(@TempDir Path dir) throws Exception {
        CharRnnCliTest.Run r = run("train", "--text", text(dir).toString(), "--cell", "lstm", "--hidden", "6",
                "--forget-bias", "0", "--seq", "8", "--batch", "2", "--steps", "3", "--no-samples",
                "--out", dir.resolve("f.charrnn").toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(0.0, ModelFiles.load(dir.resolve("f.charrnn")).config().forgetBias());
        CharRnnCliTest.Run inspect = run("inspect", dir.resolve("f.charrnn").toString());
        assertTrue(inspect.out().contains("forget bias:  0.0 (initial)"), inspect.out());
        CharRnnCliTest.Run bad = run("train", "--text", text(dir).toString(), "--cell", "lstm", "--forget-bias", "NaN",
                "--steps", "2", "--no-samples", "--out", dir.resolve("x.charrnn").toString());
        assertEquals(2, bad.status(), bad.err());
        assertTrue(bad.err().contains("--forget-bias must be finite, got NaN"), bad.err());
    }

    @Test
    void dropout_outOfRange_namesTheFlag(@TempDir Path dir) throws Exception {
        CharRnnCliTest.Run r = run("train", "--text", text(dir).toString(), "--dropout", "1", "--steps", "2",
                "--no-samples", "--out", dir.resolve("x.charrnn").toString());
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("--dropout must be in [0, 1), got 1.0"), r.err());
    }

    @Test
    void patienceAndEpochs_runAndReportValidation(@TempDir Path dir) throws Exception {
        CharRnnCliTest.Run r = run("train", "--text", text(dir).toString(), "--hidden", "8", "--seq", "8", "--batch", "2",
                "--epochs", "2", "--patience", "3", "--optimizer", "sgd", "--momentum", "0.9", "--lr", "0.05",
                "--weight-decay", "1e-4", "--no-samples", "--out", dir.resolve("m.charrnn").toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("validation:"), r.out());
    }

    @Test
    void badTrainerOptions_areOneLineUsageErrors(@TempDir Path dir) throws Exception {
        String t = text(dir).toString();
        String[][] bad = {
            {"--schedule", "linear:1"}, {"--schedule", "cosine:0.1:0:2"}, {"--batching", "sideways"}, {"--patience", "0"}, {"--reset-at", "ab"},
            {"--momentum", "1.5", "--optimizer", "sgd"}, {"--reset-at", "Z"}, {"--dropout", "1"},
            {"--dropout", "-0.5"}, {"--dropout", "half"}};
        for (String[] b : bad) {
            CharRnnCliTest.Run r = run(concat(new String[] {"train", "--text", t, "--steps", "2", "--no-samples",
                "--out", dir.resolve("x.charrnn").toString()}, b));
            assertEquals(2, r.status(), String.join(" ", b) + ": " + r.err());
            String[] lines = r.err().strip().split("\n");
            assertTrue(lines[lines.length - 1].startsWith("charrnn: error: "), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing but the text is written");
        }
    }

    @Test
    void scheduleOption_parsesEveryFormAndNamesTheRuleItBreaks() {
        Converters.Schedule parse = new Converters.Schedule();
        assertEquals(LearningRateSchedule.constant(), parse.convert("constant"));
        assertEquals(LearningRateSchedule.stepDecay(0.5, 5), parse.convert("step:0.5:5"));
        assertEquals(LearningRateSchedule.exponentialDecay(0.97, 10), parse.convert("exp:0.97:10"));
        assertEquals(LearningRateSchedule.cosine(0.02, 0), parse.convert("cosine"));
        assertEquals(LearningRateSchedule.cosine(0.1, 0), parse.convert("cosine:0.1"));
        assertEquals(LearningRateSchedule.cosine(0.1, 0.05), parse.convert("Cosine:0.1:0.05"));
        assertEquals(LearningRateSchedule.linear(0.02, 0), parse.convert("linear"));
        assertEquals(LearningRateSchedule.linear(0, 0.5), parse.convert("linear:0:0.5"));

        assertEquals("warmup must be in [0, 1), got 1.0", error(parse, "cosine:1"));
        assertEquals("floor must be in [0, 1], got 2.0", error(parse, "linear:0.1:2"));
        String usage = "must be constant, step:FACTOR:EVERY, exp:FACTOR:START, cosine[:WARMUP[:FLOOR]] or "
                + "linear[:WARMUP[:FLOOR]] (e.g. step:0.5:5, exp:0.97:10, cosine, linear:0.05:0.1), got '";
        for (String bad : new String[] {"cosine:", "cosine:0.1:0:3", "cosine:a", "linear::0.1", "cos", "step:0.5"}) {
            assertEquals(usage + bad + "'", error(parse, bad));
        }
    }

    private static String error(Converters.Schedule parse, String value) {
        return org.junit.jupiter.api.Assertions.assertThrows(CommandLine.TypeConversionException.class,
                () -> parse.convert(value)).getMessage();
    }

    @Test
    void cosineSchedule_isRecordedInTheModel_andResumesBitForBit(@TempDir Path dir) throws Exception {
        Path text = text(dir);
        Path checkpoints = dir.resolve("ck");
        String[] common = {"train", "--text", text.toString(), "--hidden", "12", "--seq", "8", "--batch", "3",
            "--schedule", "cosine:0.1:0.1", "--steps", "30", "--val-every", "10", "--no-samples"};
        CharRnnCliTest.Run whole = run(concat(common, "--checkpoint-every", "15", "--checkpoint-dir",
                checkpoints.toString(), "--out", dir.resolve("whole.charrnn").toString()));
        assertEquals(0, whole.status(), whole.err());
        assertTrue(whole.err().contains("schedule=Cosine[warmup=0.1, floor=0.1]"), whole.err());
        CharRnnCliTest.Run resumed = run(concat(common, "--resume",
                checkpoints.resolve("checkpoint-000000015.charrnn").toString(), "--out",
                dir.resolve("resumed.charrnn").toString()));
        assertEquals(0, resumed.status(), resumed.err());
        RnnModel a = ModelFiles.load(dir.resolve("whole.charrnn"));
        RnnModel b = ModelFiles.load(dir.resolve("resumed.charrnn"));
        assertTrue(a.trainingInfo().orElseThrow().trainer().contains("schedule=Cosine[warmup=0.1, floor=0.1]"),
                a.trainingInfo().toString());
        for (String name : a.weights().keySet()) {
            assertTrue(java.util.Arrays.equals(a.weights().get(name), b.weights().get(name)), name);
        }
    }

    /** @return a train command with {@code args} parsed as the CLI parses them and its --preset applied, not run */
    private static TrainCommand withPreset(String... args) {
        TrainCommand command = new TrainCommand();
        CommandLine.ParseResult given = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        command.preset.apply(command, given);
        return command;
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
