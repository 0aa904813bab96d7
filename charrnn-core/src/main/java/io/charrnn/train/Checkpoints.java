package io.charrnn.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.charrnn.internal.access.ModelAccess;
import io.charrnn.internal.format.JsonFields;
import io.charrnn.internal.format.ModelArchive;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checkpoint files: a model file (the weights after the checkpoint's step) plus the trainer's state,
 * written atomically through {@link ModelArchive}:
 * <ul>
 *   <li>{@code trainer.json}: the training settings' signature, a fingerprint of the training text
 *       (length and CRC-32 of its codes), step, epoch, window, the training time so far in
 *       nanoseconds ({@code trainingNanos}, absent from checkpoints written before it was recorded: read
 *       as 0), smoothed and last loss, early-stopping state, the optimizer's counters and every
 *       validation pass;</li>
 *   <li>{@code optimizer/<moment>.npy}: the optimizer's moments, flat like the parameters;</li>
 *   <li>{@code state/hidden.npy}: the carried hidden state, layer by layer, [B, H] each;</li>
 *   <li>{@code best/parameters.npy}: the best weights so far (early stopping), if any;</li>
 *   <li>{@code history/losses.npy}, {@code history/smooth.npy}: every step's loss.</li>
 * </ul>
 * {@code ModelFiles.load} of a checkpoint gives its model.
 */
final class Checkpoints {
    static final String TRAINER = "trainer.json";
    private static final String MOMENT_PREFIX = "optimizer/";
    private static final String HIDDEN = "state/hidden.npy";
    private static final String BEST = "best/parameters.npy";
    private static final String LOSSES = "history/losses.npy";
    private static final String SMOOTH = "history/smooth.npy";
    private static final String TRAINING_NANOS = "trainingNanos"; // absent before the time budget: 0
    private static final int VERSION = 1;

    private Checkpoints() {
    }

    static void write(CheckpointData d, Path file) throws IOException {
        JsonObject t = new JsonObject();
        t.addProperty("checkpointVersion", VERSION);
        t.addProperty("signature", d.signature());
        t.addProperty("trainingText", d.trainingText());
        t.addProperty("step", d.progress().step());
        t.addProperty("epoch", d.progress().epoch());
        t.addProperty("window", d.progress().window());
        t.addProperty(TRAINING_NANOS, d.progress().trainingNanos());
        t.add("smoothLoss", JsonFields.lossValue(d.progress().smoothLoss()));
        t.add("lastFiniteLoss", JsonFields.lossValue(d.progress().lastFiniteLoss()));
        t.add("bestLoss", JsonFields.lossValue(d.earlyStopping().bestLoss()));
        t.addProperty("bestStep", d.earlyStopping().bestStep());
        t.addProperty("badValidations", d.earlyStopping().badValidations());
        t.addProperty("historyFirstStep", d.history().firstStep());
        JsonObject scalars = new JsonObject();
        d.optimizer().scalars().forEach((k, v) -> scalars.add(k, JsonFields.lossValue(v)));
        t.add("optimizerScalars", scalars);
        JsonArray validations = new JsonArray();
        for (ValidationSummary v : d.history().validations()) {
            JsonObject o = new JsonObject();
            o.addProperty("step", v.step());
            o.addProperty("epoch", v.epoch());
            o.add("loss", JsonFields.lossValue(v.loss()));
            o.addProperty("best", v.best());
            validations.add(o);
        }
        t.add("validations", validations);
        Map<String, float[]> arrays = new LinkedHashMap<>();
        d.optimizer().moments().forEach((name, values) -> arrays.put(MOMENT_PREFIX + name + ".npy", values));
        arrays.put(HIDDEN, d.hiddenState());
        if (d.earlyStopping().bestParameters() != null) {
            arrays.put(BEST, d.earlyStopping().bestParameters());
        }
        arrays.put(LOSSES, d.history().losses());
        arrays.put(SMOOTH, d.history().smoothLosses());
        ModelArchive.write(file, ModelAccess.stored(d.model()), Map.of(TRAINER, t), arrays);
    }

    static CheckpointData read(Path file) throws IOException {
        ModelArchive.Contents c = ModelArchive.read(file);
        JsonFields f = new JsonFields(file.toString());
        JsonObject t = c.json().get(TRAINER);
        if (t == null) {
            throw f.problem("not a checkpoint: it has no " + TRAINER + " (a plain model file? train it with "
                    + "Trainer.train instead of resume)");
        }
        String w = TRAINER + ": ";
        long version = f.integer(t, "checkpointVersion", 1, Integer.MAX_VALUE, w);
        if (version > VERSION) {
            throw f.problem(w + "checkpoint version " + version + " is newer than this library reads (1-" + VERSION + ")");
        }
        int parameters = c.model().parameters().length;
        Map<String, float[]> moments = new LinkedHashMap<>();
        c.arrays().forEach((name, values) -> {
            if (name.startsWith(MOMENT_PREFIX)) {
                moments.put(name.substring(MOMENT_PREFIX.length(), name.length() - ".npy".length()), values);
            }
        });
        for (Map.Entry<String, float[]> m : moments.entrySet()) {
            if (m.getValue().length != parameters) {
                throw f.problem("optimizer moment " + m.getKey() + " must have " + parameters + " values like the "
                        + "parameters, found " + m.getValue().length);
            }
        }
        float[] hidden = require(c, f, HIDDEN);
        float[] best = c.arrays().get(BEST);
        if (best != null && best.length != parameters) {
            throw f.problem(BEST + " must have " + parameters + " values, found " + best.length);
        }
        float[] losses = require(c, f, LOSSES);
        float[] smooth = require(c, f, SMOOTH);
        Map<String, Double> scalars = new LinkedHashMap<>();
        JsonObject s = f.object(t, "optimizerScalars", w);
        for (String key : s.keySet()) {
            scalars.put(key, f.loss(s, key, w + "optimizerScalars."));
        }
        List<ValidationSummary> validations = new ArrayList<>();
        for (JsonElement e : f.array(t, "validations", w)) {
            if (!e.isJsonObject()) {
                throw f.problem(w + "validations must hold objects, found " + JsonFields.show(e));
            }
            JsonObject o = e.getAsJsonObject();
            validations.add(new ValidationSummary(f.integer(o, "step", 0, Long.MAX_VALUE, w),
                    (int) f.integer(o, "epoch", 0, Integer.MAX_VALUE, w), f.loss(o, "loss", w),
                    o.has("best") && o.get("best").isJsonPrimitive() && o.get("best").getAsBoolean()));
        }
        long step = f.integer(t, "step", 0, Long.MAX_VALUE, w);
        long firstStep = f.integer(t, "historyFirstStep", 1, Long.MAX_VALUE, w);
        if (losses.length != smooth.length || step - firstStep + 1 != losses.length) {
            throw f.problem("the loss history must hold steps " + firstStep + ".." + step + ", found " + losses.length
                    + " losses and " + smooth.length + " smoothed losses");
        }
        CheckpointData.Progress progress = new CheckpointData.Progress(step,
                (int) f.integer(t, "epoch", 0, Integer.MAX_VALUE, w), (int) f.integer(t, "window", 0, Integer.MAX_VALUE, w),
                f.loss(t, "smoothLoss", w), f.loss(t, "lastFiniteLoss", w),
                t.has(TRAINING_NANOS) ? f.integer(t, TRAINING_NANOS, 0, Long.MAX_VALUE, w) : 0);
        CheckpointData.EarlyStopping early = new CheckpointData.EarlyStopping(f.loss(t, "bestLoss", w),
                f.integer(t, "bestStep", -1, Long.MAX_VALUE, w),
                (int) f.integer(t, "badValidations", 0, Integer.MAX_VALUE, w), best);
        return new CheckpointData(ModelAccess.fromStored(c.model()), f.string(t, "signature", w),
                f.string(t, "trainingText", w), progress, early, new CheckpointData.OptimizerState(moments, scalars),
                hidden, new CheckpointData.History(firstStep, losses, smooth, validations));
    }

    private static float[] require(ModelArchive.Contents c, JsonFields f, String name) throws IOException {
        float[] a = c.arrays().get(name);
        if (a == null) {
            throw f.problem("not a complete checkpoint: " + name + " is missing");
        }
        return a;
    }
}
