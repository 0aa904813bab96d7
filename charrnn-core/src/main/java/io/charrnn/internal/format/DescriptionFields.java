package io.charrnn.internal.format;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.charrnn.internal.cells.ParameterLayout;
import io.charrnn.io.ModelFormatException;
import io.charrnn.model.Activation;
import io.charrnn.model.CellType;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields of a model file's {@code charrnn.json} ({@link ModelArchiveReader} reads the zip
 * around it): config, vocabulary, training info and its history, parameter list and extras, each
 * checked, every problem a {@link ModelFormatException} naming the file and field.
 */
final class DescriptionFields {
    private final String file;
    private final long fileSize;
    private final JsonFields fields;

    DescriptionFields(String file, long fileSize, JsonFields fields) {
        this.file = file;
        this.fileSize = fileSize;
        this.fields = fields;
    }

    /** The extras listed in charrnn.json: JSON entry names, and array entry names with their lengths, in order. */
    record Extras(List<String> json, Map<String, Integer> arrays) {
    }

    /** The loss history listed in {@code "training"}: the npy vectors hold {@code steps} values each. */
    record HistorySpec(long firstStep, int steps, List<LossHistory.Validation> validations) {
    }

    TrainingInfo training(JsonObject root, String where) throws ModelFormatException {
        JsonElement t = root.get("training");
        if (t == null || t.isJsonNull()) {
            return null;
        }
        JsonObject o = fields.object(root, "training", where);
        String at = where + "training: ";
        long steps = fields.integer(o, "steps", 0, Long.MAX_VALUE, at);
        long characters = fields.integer(o, "characters", 0, Long.MAX_VALUE, at);
        double loss = fields.loss(o, "loss", at);
        double validationLoss = fields.loss(o, "validationLoss", at);
        String trainer = fields.string(o, "trainer", at);
        return new TrainingInfo(steps, characters, loss, validationLoss, trainer);
    }

    HistorySpec historySpec(JsonObject training, String at) throws ModelFormatException {
        JsonElement e = training.get("history");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonObject()) {
            throw problem(at + "expected an object, found " + JsonFields.show(e));
        }
        JsonObject h = e.getAsJsonObject();
        long firstStep = fields.integer(h, "firstStep", 1, Long.MAX_VALUE / 2, at);
        int steps = (int) fields.integer(h, "steps", 0, Integer.MAX_VALUE - 8, at);
        String losses = fields.string(h, "losses", at);
        String smooth = fields.string(h, "smoothLosses", at);
        if (!losses.equals(ModelArchive.HISTORY_LOSSES) || !smooth.equals(ModelArchive.HISTORY_SMOOTH)) {
            throw problem(at + "expected the files \"" + ModelArchive.HISTORY_LOSSES + "\" and \""
                    + ModelArchive.HISTORY_SMOOTH + "\", found \"" + losses + "\" and \"" + smooth + "\"");
        }
        JsonArray list = fields.array(h, "validations", at);
        if (list.size() > (fileSize / 8) + 1) {
            throw problem(at + "expected at most one validation per 8 bytes of the file, found " + list.size());
        }
        List<LossHistory.Validation> validations = new ArrayList<>();
        long previous = 1;
        for (int i = 0; i < list.size(); i++) {
            String vi = at + "validations[" + i + "]: ";
            if (!list.get(i).isJsonObject()) {
                throw problem(vi + "expected an object {step, loss}, found " + JsonFields.show(list.get(i)));
            }
            JsonObject v = list.get(i).getAsJsonObject();
            long step = fields.integer(v, "step", previous, Long.MAX_VALUE, vi);
            double loss = fields.number(v, "loss", vi);
            validations.add(new LossHistory.Validation(step, loss));
            previous = step;
        }
        return new HistorySpec(firstStep, steps, validations);
    }

    Extras extras(JsonObject root, String where) throws ModelFormatException {
        JsonElement e = root.get("extras");
        if (e == null || e.isJsonNull()) {
            return new Extras(List.of(), Map.of());
        }
        JsonObject o = fields.object(root, "extras", where);
        String at = where + "extras: ";
        JsonArray jsonList = fields.array(o, "json", at);
        JsonArray arrayList = fields.array(o, "arrays", at);
        if (jsonList.size() + arrayList.size() > ModelArchive.MAX_EXTRAS) {
            throw problem(at + "expected at most " + ModelArchive.MAX_EXTRAS + " extra entries, found "
                    + (jsonList.size() + arrayList.size()));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<String> json = new ArrayList<>();
        for (int i = 0; i < jsonList.size(); i++) {
            JsonElement n = jsonList.get(i);
            if (!n.isJsonPrimitive() || !n.getAsJsonPrimitive().isString()) {
                throw problem(at + "expected \"json[" + i + "]\" to be an entry name, found " + JsonFields.show(n));
            }
            json.add(extraName(n.getAsString(), ".json", seen, at + "json[" + i + "]: "));
        }
        Map<String, Integer> arrays = new LinkedHashMap<>();
        for (int i = 0; i < arrayList.size(); i++) {
            String ai = at + "arrays[" + i + "]: ";
            if (!arrayList.get(i).isJsonObject()) {
                throw problem(ai + "expected an object {file, shape}, found " + JsonFields.show(arrayList.get(i)));
            }
            JsonObject a = arrayList.get(i).getAsJsonObject();
            String name = extraName(fields.string(a, "file", ai), ".npy", seen, ai);
            JsonArray shape = fields.array(a, "shape", ai);
            if (shape.size() != 1) {
                throw problem(ai + "expected a shape [n] (a vector), found " + JsonFields.showShape(shape));
            }
            arrays.put(name, (int) fields.integer(shape.get(0), "shape[0]", 0, Integer.MAX_VALUE - 8, ai));
        }
        return new Extras(json, arrays);
    }

    private String extraName(String name, String suffix, java.util.Set<String> seen, String where)
            throws ModelFormatException {
        String problem = ModelArchive.nameProblem(name, suffix);
        if (problem != null) {
            throw problem(where + "expected an entry name that is " + problem + ", found "
                    + JsonFields.show(new com.google.gson.JsonPrimitive(name)));
        }
        if (!seen.add(name)) {
            throw problem(where + "expected each extra entry once, found \"" + name + "\" twice");
        }
        return name;
    }

    ModelConfig config(JsonObject c, String where) throws ModelFormatException {
        String cellName = fields.string(c, "cell", where);
        CellType cell;
        try {
            cell = CellType.valueOf(cellName);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a cell type in " + Arrays.toString(CellType.values()) + ", found \""
                    + cellName + "\" (written by a newer charrnn?)");
        }
        String activationName = fields.string(c, "activation", where);
        Activation activation;
        try {
            activation = Activation.valueOf(activationName);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected an activation in " + Arrays.toString(Activation.values()) + ", found \""
                    + activationName + "\"");
        }
        int hidden = (int) fields.integer(c, "hidden", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        int layers = (int) fields.integer(c, "layers", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        int embedding = (int) fields.integer(c, "embedding", Integer.MIN_VALUE, Integer.MAX_VALUE, where);
        double initScale = fields.number(c, "initScale", where);
        long seed = fields.integer(c, "seed", Long.MIN_VALUE, Long.MAX_VALUE, where);
        // files written before dropout existed have no such field: they were trained without it
        double dropout = c.has("dropout") ? fields.number(c, "dropout", where) : 0;
        // files written before the forget bias was an option: an LSTM had 1, the only value then; other
        // cells ignore it, so they read as the builder's default 0 and equal a model built today
        double forgetBias = c.has("forgetBias") ? fields.number(c, "forgetBias", where) : cell == CellType.LSTM ? 1 : 0;
        try {
            return new ModelConfig(cell, activation, hidden, layers, embedding, initScale, seed, dropout, forgetBias);
        } catch (IllegalArgumentException e) {
            throw problem(where + "expected a valid config, found one where " + e.getMessage(), e);
        }
    }

    Vocabulary vocabulary(JsonObject root, String where) throws ModelFormatException {
        JsonArray array = fields.array(root, "vocabulary", where);
        if (array.isEmpty()) {
            throw problem(where + "expected at least one code point in \"vocabulary\", found none");
        }
        int[] codePoints = new int[array.size()];
        for (int i = 0; i < codePoints.length; i++) {
            String field = "vocabulary[" + i + "]";
            codePoints[i] = (int) fields.integer(array.get(i), field, 0, Character.MAX_CODE_POINT, where);
            if (i > 0 && codePoints[i] <= codePoints[i - 1]) {
                throw problem(where + "expected the code points of \"vocabulary\" strictly increasing, found "
                        + codePoints[i] + " after " + codePoints[i - 1] + " at index " + i);
            }
        }
        Vocabulary vocabulary = Vocabulary.of(codePoints);
        JsonElement replacement = root.get("replacement");
        if (replacement == null) {
            throw problem(where + "expected a field \"replacement\" (a code point or null), found none");
        }
        if (replacement.isJsonNull()) {
            return vocabulary;
        }
        int cp = (int) fields.integer(replacement, "replacement", 0, Character.MAX_CODE_POINT, where);
        if (!vocabulary.contains(cp)) {
            throw problem(where + "expected \"replacement\" to be a code point of the vocabulary, found " + cp
                    + " (" + Vocabulary.describe(cp) + ")");
        }
        return vocabulary.withReplacement(cp);
    }

    void checkParameterList(JsonArray list, ParameterLayout layout, String where) throws ModelFormatException {
        List<String> expectedNames = new ArrayList<>();
        layout.tensors().forEach(t -> expectedNames.add(t.name()));
        if (list.size() != expectedNames.size()) {
            throw problem(where + "expected " + expectedNames.size() + " parameters " + expectedNames
                    + " for this config and vocabulary, found " + list.size());
        }
        for (int i = 0; i < list.size(); i++) {
            ParameterLayout.Tensor t = layout.tensors().get(i);
            String at = where + "[" + i + "]: ";
            if (!list.get(i).isJsonObject()) {
                throw problem(at + "expected an object {name, shape, file}, found " + JsonFields.show(list.get(i)));
            }
            JsonObject p = list.get(i).getAsJsonObject();
            String name = fields.string(p, "name", at);
            if (!name.equals(t.name())) {
                throw problem(at + "expected the parameter \"" + t.name() + "\" (order " + expectedNames + "), found \""
                        + name + "\"");
            }
            JsonArray shape = fields.array(p, "shape", at);
            int[] expected = t.shape();
            boolean same = shape.size() == expected.length;
            for (int d = 0; same && d < expected.length; d++) {
                same = fields.integer(shape.get(d), "shape[" + d + "]", Long.MIN_VALUE, Long.MAX_VALUE, at) == expected[d];
            }
            if (!same) {
                throw problem(at + "expected \"" + name + "\" to have the shape " + Arrays.toString(expected)
                        + " from the config and vocabulary, found " + JsonFields.showShape(shape));
            }
            String entry = fields.string(p, "file", at);
            if (!entry.equals(ModelArchive.entryName(name))) {
                throw problem(at + "expected the file \"" + ModelArchive.entryName(name) + "\", found \"" + entry + "\"");
            }
        }
    }

    private ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }

    private ModelFormatException problem(String message, Throwable cause) {
        return new ModelFormatException(file + ": " + message, cause);
    }
}
