package io.charrnn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.charrnn.model.LossHistory;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.testing.Corpora;
import io.charrnn.text.Corpus;
import io.charrnn.train.Optimizer;
import io.charrnn.train.Trainer;
import io.charrnn.train.TrainingResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loss curve a trained model carries, through the model file. */
class LossHistoryFileTest {
    private static final Corpus CORPUS = Corpus.of(Corpora.syllables(6_000, 3));

    @TempDir
    Path dir;

    private static Trainer trainer(int steps) {
        return Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(2).steps(steps)
                .validateEvery(10).seed(5).build();
    }

    @Test
    void trainedModel_carriesTheRunsCurve_andTheFileKeepsItBitForBit() throws IOException {
        TrainingResult r = trainer(25).train(RnnModel.builder().hidden(8).build(), CORPUS);
        LossHistory curve = r.model().trainingInfo().orElseThrow().history();

        assertEquals(r.history(), curve);
        assertEquals(1, curve.firstStep());
        assertEquals(25, curve.size());
        assertArrayEquals(r.history().losses(), curve.losses());
        assertEquals(List.of(10L, 20L), curve.validations().stream().map(LossHistory.Validation::step).toList());
        assertEquals(r.history().validations().get(0).loss(), curve.validations().get(0).loss());

        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(r.model(), file);
        RnnModel loaded = ModelFiles.load(file);
        assertEquals(r.model(), loaded);
        assertEquals(curve, loaded.trainingInfo().orElseThrow().history());
        JsonObject history = description(file).getAsJsonObject("training").getAsJsonObject("history");
        assertEquals(25, history.get("steps").getAsInt());
        assertEquals("training/losses.npy", history.get("losses").getAsString());
    }

    @Test
    void trainingFurther_continuesTheCurveWithStepNumbersThatCountEveryStep() {
        RnnModel first = trainer(12).train(RnnModel.builder().hidden(8).build(), CORPUS).model();
        RnnModel second = trainer(8).train(first, CORPUS).model();
        LossHistory before = first.trainingInfo().orElseThrow().history();
        LossHistory curve = second.trainingInfo().orElseThrow().history();

        assertEquals(20, second.trainingInfo().orElseThrow().steps());
        assertEquals(1, curve.firstStep());
        assertEquals(20, curve.size());
        assertArrayEquals(before.losses(), java.util.Arrays.copyOf(curve.losses(), 12));
        assertEquals(List.of(10L), curve.validations().stream().map(LossHistory.Validation::step).toList());
    }

    @Test
    void resumedRun_continuesTheCheckpointsCurve() throws IOException {
        RnnModel start = RnnModel.builder().hidden(8).build();
        RnnModel uninterrupted = trainer(20).train(start, CORPUS).model();
        Trainer.builder().optimizer(Optimizer.adam(1e-2)).sequenceLength(16).batchSize(2).steps(12).validateEvery(10)
                .seed(5).checkpointEvery(12, dir).build().train(start, CORPUS);
        RnnModel resumed = trainer(20).resume(dir.resolve("checkpoint-000000012.charrnn"), CORPUS).model();

        LossHistory curve = resumed.trainingInfo().orElseThrow().history();
        assertEquals(1, curve.firstStep());
        assertEquals(20, curve.size());
        assertEquals(uninterrupted.trainingInfo().orElseThrow().history(), curve);
    }

    @Test
    void modelWithoutCurve_savesNoHistory_andLoadsWithAnEmptyOne() throws IOException {
        RnnModel model = RnnModel.builder().hidden(3).vocabulary(CORPUS.vocabulary()).build()
                .withTrainingInfo(new TrainingInfo(5, 80, 1.5, Double.NaN, "t"));
        Path file = dir.resolve("old.charrnn");
        ModelFiles.save(model, file);

        assertTrue(!description(file).getAsJsonObject("training").has("history"));
        assertEquals(LossHistory.empty(), ModelFiles.load(file).trainingInfo().orElseThrow().history());
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertTrue(zip.stream().noneMatch(e -> e.getName().startsWith("training/")));
        }
    }

    @Test
    void load_historyOfTheWrongLength_orMissing_isAFormatError() throws IOException {
        RnnModel model = trainer(6).train(RnnModel.builder().hidden(4).build(), CORPUS).model();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);

        Path longer = rewrite(file, "longer.charrnn", json -> history(json).addProperty("steps", 7), null);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(longer));
        assertTrue(e.getMessage().contains("training/losses.npy"), e.getMessage());

        Path missing = rewrite(file, "missing.charrnn", json -> { }, "training/smooth.npy");
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(missing));
        assertTrue(e.getMessage().contains("expected an entry training/smooth.npy"), e.getMessage());

        Path renamed = rewrite(file, "renamed.charrnn", json -> history(json).addProperty("losses", "x.npy"), null);
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(renamed));
        assertTrue(e.getMessage().contains("expected the files \"training/losses.npy\""), e.getMessage());

        Path badStep = rewrite(file, "step.charrnn", json -> history(json).addProperty("firstStep", 0), null);
        e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(badStep));
        assertTrue(e.getMessage().contains("\"firstStep\" to be an integer in [1, "), e.getMessage());
    }

    @Test
    void load_truncatedFileWithHistory_isAFormatError() throws IOException {
        RnnModel model = trainer(6).train(RnnModel.builder().hidden(4).build(), CORPUS).model();
        Path file = dir.resolve("m.charrnn");
        ModelFiles.save(model, file);
        byte[] bytes = Files.readAllBytes(file);
        for (int cut = 0; cut < bytes.length; cut += Math.max(1, bytes.length / 40)) {
            Path t = dir.resolve("t.charrnn");
            Files.write(t, java.util.Arrays.copyOf(bytes, cut));
            assertThrows(ModelFormatException.class, () -> ModelFiles.load(t), "cut at " + cut);
        }
    }

    @Test
    void lossHistory_validatesItsValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossHistory.of(1, new float[2], new float[3], List.of()));
        assertEquals("losses and smoothLosses must have the same length, got 2 and 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LossHistory.of(1, new float[] {Float.NaN}, new float[1], List.of()));
        assertEquals("losses must be finite, got NaN at index 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LossHistory.of(1, new float[0], new float[0],
                List.of(new LossHistory.Validation(5, 1), new LossHistory.Validation(4, 1))));
        assertEquals("validation steps must not decrease, got 4 after 5", e.getMessage());
        assertEquals(LossHistory.empty(), LossHistory.of(1, new float[0], new float[0], List.of()));
    }

    private static JsonObject history(JsonObject description) {
        return description.getAsJsonObject("training").getAsJsonObject("history");
    }

    private static JsonObject description(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            try (InputStream in = zip.getInputStream(zip.getEntry("charrnn.json"))) {
                return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            }
        }
    }

    /** A copy of a model file with its description edited and, optionally, one entry left out. */
    private Path rewrite(Path file, String name, Consumer<JsonObject> edit, String drop) throws IOException {
        Path out = dir.resolve(name);
        JsonObject json = description(file);
        edit.accept(json);
        try (ZipFile zip = new ZipFile(file.toFile());
             ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.getName().equals(drop)) {
                    continue;
                }
                byte[] data;
                if (e.getName().equals("charrnn.json")) {
                    data = json.toString().getBytes(StandardCharsets.UTF_8);
                    z.putNextEntry(new ZipEntry(e.getName()));
                } else {
                    try (InputStream in = zip.getInputStream(e)) {
                        data = in.readAllBytes();
                    }
                    z.putNextEntry(new ZipEntry(e));
                }
                z.write(data);
                z.closeEntry();
            }
        }
        return out;
    }
}
