package io.charrnn.internal.format;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonWriter;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.TrainingInfo;
import io.charrnn.text.Vocabulary;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A model file's {@code charrnn.json} as {@link ModelArchive} writes it: config, vocabulary,
 * training info and its history, parameter list and extras, as pretty, strict JSON.
 * {@link DescriptionFields} reads it back.
 */
final class DescriptionJson {
    private static final Gson GSON = new Gson();

    private DescriptionJson() {
    }

    /**
     * @param model the model
     * @param shapes each parameter's shape, in layout order
     * @param jsonNames the extra JSON entries' names, in order
     * @param arrays the extra arrays by entry name, in order
     * @return the UTF-8 bytes of charrnn.json
     */
    static byte[] of(ModelArchive.Stored model, Map<String, int[]> shapes, Iterable<String> jsonNames,
                     Map<String, float[]> arrays) {
        ModelConfig config = model.config();
        Vocabulary vocabulary = model.vocabulary();
        JsonObject root = new JsonObject();
        root.addProperty("magic", ModelArchive.MAGIC);
        root.addProperty("formatVersion", ModelArchive.CURRENT_VERSION);
        root.addProperty("libraryVersion", ModelArchive.libraryVersion());
        JsonObject c = new JsonObject();
        c.addProperty("cell", config.cell().name());
        c.addProperty("activation", config.activation().name());
        c.addProperty("hidden", config.hidden());
        c.addProperty("layers", config.layers());
        c.addProperty("embedding", config.embedding());
        c.addProperty("initScale", config.initScale());
        c.addProperty("seed", config.seed());
        c.addProperty("dropout", config.dropout());
        c.addProperty("forgetBias", config.forgetBias());
        root.add("config", c);
        JsonArray codePoints = new JsonArray();
        for (int cp : vocabulary.codePoints()) {
            codePoints.add(cp);
        }
        root.add("vocabulary", codePoints);
        if (vocabulary.replacement().isPresent()) {
            root.addProperty("replacement", vocabulary.replacement().getAsInt());
        } else {
            root.add("replacement", JsonNull.INSTANCE);
        }
        root.add("training", model.training() == null ? JsonNull.INSTANCE : training(model.training()));
        JsonArray parameters = new JsonArray();
        shapes.forEach((name, shape) -> {
            JsonObject p = new JsonObject();
            p.addProperty("name", name);
            p.add("shape", shape(shape));
            p.addProperty("file", ModelArchive.entryName(name));
            parameters.add(p);
        });
        root.add("parameters", parameters);
        JsonArray jsonList = new JsonArray();
        jsonNames.forEach(jsonList::add);
        JsonArray arrayList = new JsonArray();
        arrays.forEach((name, values) -> {
            JsonObject a = new JsonObject();
            a.addProperty("file", name);
            a.add("shape", shape(new int[] {values.length}));
            arrayList.add(a);
        });
        if (!jsonList.isEmpty() || !arrayList.isEmpty()) {
            JsonObject extras = new JsonObject();
            extras.add("json", jsonList);
            extras.add("arrays", arrayList);
            root.add("extras", extras);
        }
        return json(root);
    }

    private static JsonObject training(TrainingInfo info) {
        JsonObject t = new JsonObject();
        t.addProperty("steps", info.steps());
        t.addProperty("characters", info.characters());
        t.add("loss", JsonFields.lossValue(info.loss()));
        t.add("validationLoss", JsonFields.lossValue(info.validationLoss()));
        t.addProperty("trainer", info.trainer());
        if (!info.history().isEmpty()) {
            t.add("history", history(info.history()));
        }
        return t;
    }

    /**
     * {@code {"firstStep", "steps", "losses": "training/losses.npy", "smoothLosses": "training/smooth.npy",
     * "validations": [{"step", "loss"}, ...]}}: the per-step curves are npy vectors of {@code steps} values.
     */
    private static JsonObject history(LossHistory h) {
        JsonObject o = new JsonObject();
        o.addProperty("firstStep", h.firstStep());
        o.addProperty("steps", h.size());
        o.addProperty("losses", ModelArchive.HISTORY_LOSSES);
        o.addProperty("smoothLosses", ModelArchive.HISTORY_SMOOTH);
        JsonArray validations = new JsonArray();
        for (LossHistory.Validation v : h.validations()) {
            JsonObject e = new JsonObject();
            e.addProperty("step", v.step());
            e.addProperty("loss", v.loss());
            validations.add(e);
        }
        o.add("validations", validations);
        return o;
    }

    private static JsonArray shape(int[] shape) {
        JsonArray s = new JsonArray();
        for (int d : shape) {
            s.add(d);
        }
        return s;
    }

    /** Pretty, strict JSON (NaN and infinities refused with IllegalArgumentException), ending with a newline. */
    static byte[] json(JsonElement e) {
        StringWriter text = new StringWriter();
        try {
            JsonWriter writer = new JsonWriter(text);
            writer.setStrictness(Strictness.STRICT);
            writer.setIndent("  ");
            writer.setSerializeNulls(true);
            writer.setHtmlSafe(false);
            GSON.getAdapter(JsonElement.class).write(writer, e);
            writer.flush();
        } catch (IOException ex) {
            throw new IllegalStateException("internal error: a StringWriter threw " + ex, ex);
        }
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
