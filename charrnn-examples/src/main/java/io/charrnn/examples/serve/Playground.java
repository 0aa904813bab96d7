package io.charrnn.examples.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.charrnn.diagnostics.Diagnostics;
import io.charrnn.diagnostics.GateSaturation;
import io.charrnn.diagnostics.ParameterNorm;
import io.charrnn.eval.Evaluation;
import io.charrnn.eval.NextCharacter;
import io.charrnn.model.CellType;
import io.charrnn.model.LossHistory;
import io.charrnn.model.ModelConfig;
import io.charrnn.model.RnnModel;
import io.charrnn.model.TrainingInfo;
import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.Probabilities;
import io.charrnn.sample.Sampler;
import io.charrnn.sample.SamplingContext;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The playground's answers, as JSON: the model card, the surprisal of every character of a text
 * with the model's top predictions there, the next-character distribution, hidden states, and the
 * units that best separate a pattern's matches from the rest. Each method checks its input against
 * the limits below and throws {@link IllegalArgumentException} with a one-line reason.
 */
final class Playground {
    /** The longest text {@code score} reads. */
    static final int MAX_SCORE_TEXT = 5_000;
    /** The longest text {@code states} and {@code units} read. */
    static final int MAX_STATES_TEXT = 2_000;
    /** The longest prefix {@code next} reads. */
    static final int MAX_PREFIX = 10_000;
    /** The longest {@code units} pattern. */
    static final int MAX_PATTERN = 200;
    /** The most loss-curve points the model card sends; longer curves are thinned evenly. */
    static final int MAX_CURVE_POINTS = 2_000;
    /** Predictions listed per character by {@code score}. */
    static final int TOP = 5;

    private final RnnModel model;
    private final Vocabulary vocabulary;

    Playground(RnnModel model) {
        this.model = model;
        this.vocabulary = model.vocabulary().orElseThrow();
    }

    /** The model card. */
    JsonObject model() {
        ModelConfig c = model.config();
        JsonObject o = new JsonObject();
        o.addProperty("cell", c.cell().name());
        o.addProperty("activation", c.activation().name());
        o.addProperty("hidden", c.hidden());
        o.addProperty("layers", c.layers());
        o.addProperty("embedding", c.embedding());
        o.addProperty("dropout", c.dropout());
        o.addProperty("seed", c.seed());
        o.addProperty("parameters", model.parameterCount());
        JsonArray vocab = new JsonArray();
        for (int cp : vocabulary.codePoints()) {
            vocab.add(Character.toString(cp));
        }
        o.add("vocabulary", vocab);
        JsonArray norms = new JsonArray();
        for (ParameterNorm n : Diagnostics.parameterNorms(model)) {
            JsonObject p = new JsonObject();
            p.addProperty("name", n.name());
            p.addProperty("size", n.size());
            p.addProperty("l2", n.l2Norm());
            p.addProperty("rms", n.rms());
            p.addProperty("maxAbs", n.maxAbs());
            norms.add(p);
        }
        o.add("norms", norms);
        model.trainingInfo().ifPresent(info -> o.add("training", training(info)));
        JsonObject limits = new JsonObject();
        limits.addProperty("length", GenerationRequest.MAX_LENGTH);
        limits.addProperty("beam", GenerationRequest.MAX_BEAM);
        limits.addProperty("beamLength", GenerationRequest.MAX_BEAM_LENGTH);
        limits.addProperty("scoreText", MAX_SCORE_TEXT);
        limits.addProperty("statesText", MAX_STATES_TEXT);
        limits.addProperty("pattern", MAX_PATTERN);
        o.add("limits", limits);
        return o;
    }

    private static JsonObject training(TrainingInfo info) {
        JsonObject t = new JsonObject();
        t.addProperty("steps", info.steps());
        t.addProperty("characters", info.characters());
        t.addProperty("loss", info.loss());
        t.addProperty("validationLoss", info.validationLoss());
        t.addProperty("trainer", info.trainer());
        LossHistory h = info.history();
        float[] losses = h.losses();
        float[] smooth = h.smoothLosses();
        int stride = Math.max(1, (losses.length + MAX_CURVE_POINTS - 1) / MAX_CURVE_POINTS);
        JsonArray steps = new JsonArray();
        JsonArray loss = new JsonArray();
        JsonArray smoothed = new JsonArray();
        for (int i = 0; i < losses.length; i += stride) {
            steps.add(h.firstStep() + i);
            loss.add(round(losses[i]));
            smoothed.add(round(smooth[i]));
        }
        JsonObject curve = new JsonObject();
        curve.add("steps", steps);
        curve.add("loss", loss);
        curve.add("smooth", smoothed);
        JsonArray validations = new JsonArray();
        for (LossHistory.Validation v : h.validations()) {
            JsonArray pair = new JsonArray();
            pair.add(v.step());
            pair.add(round(v.loss()));
            validations.add(pair);
        }
        curve.add("validation", validations);
        t.add("history", curve);
        return t;
    }

    /**
     * Every character's surprisal. Characters outside the vocabulary are marked {@code "oov"} and
     * skipped: the model reads the rest of the text as if they were not there.
     */
    JsonObject score(String text) {
        int[] cps = text.codePoints().toArray();
        check("text", cps.length, 1, MAX_SCORE_TEXT);
        List<Integer> known = new ArrayList<>();
        for (int cp : cps) {
            if (vocabulary.contains(cp)) {
                known.add(vocabulary.indexOf(cp));
            }
        }
        // Teacher forcing through the sampler: the strategy notes the distribution at each step
        // and then "chooses" the text's own next character.
        int[] codes = known.stream().mapToInt(Integer::intValue).toArray();
        List<JsonObject> predicted = new ArrayList<>();
        double[] nats = {0};
        if (codes.length > 1) {
            SamplingStrategy forced = new SamplingStrategy() {
                @Override
                public int choose(float[] logits, RandomGenerator rng) {
                    throw new IllegalStateException("the sampler gives the context");
                }

                @Override
                public int choose(float[] logits, SamplingContext context, RandomGenerator rng) {
                    int actual = codes[context.length()];
                    double[] p = Probabilities.softmax(logits, 1.0);
                    nats[0] -= Math.log(p[actual]);
                    predicted.add(prediction(p, actual));
                    return actual;
                }
            };
            Sampler.builder(model).strategy(forced).build().generate(GenerationOptions.builder()
                    .prime(vocabulary.decode(codes[0])).length(codes.length - 1).build(), new SplittableRandom(0));
        }
        JsonArray chars = new JsonArray();
        int k = 0;
        boolean first = true;
        for (int cp : cps) {
            JsonObject c;
            if (!vocabulary.contains(cp)) {
                c = new JsonObject();
                c.addProperty("oov", true);
            } else if (first) {
                c = new JsonObject(); // the first character is only read, never predicted
                first = false;
            } else {
                c = predicted.get(k++);
            }
            c.addProperty("c", Character.toString(cp));
            chars.add(c);
        }
        JsonObject o = new JsonObject();
        o.add("chars", chars);
        o.addProperty("predicted", predicted.size());
        o.addProperty("outOfVocabulary", cps.length - codes.length);
        double perChar = predicted.isEmpty() ? Double.NaN : nats[0] / predicted.size();
        o.addProperty("bitsPerCharacter", predicted.isEmpty() ? null : round(perChar / Math.log(2)));
        o.addProperty("perplexity", predicted.isEmpty() ? null : round(Math.exp(perChar)));
        return o;
    }

    private JsonObject prediction(double[] p, int actual) {
        JsonObject c = new JsonObject();
        c.addProperty("p", round(p[actual]));
        c.addProperty("bits", round(-Math.log(p[actual]) / Math.log(2)));
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        JsonArray top = new JsonArray();
        for (int i = 0; i < Math.min(TOP, order.length); i++) {
            JsonArray pair = new JsonArray();
            pair.add(vocabulary.decode(order[i]));
            pair.add(round(p[order[i]]));
            top.add(pair);
        }
        c.add("top", top);
        return c;
    }

    /** The {@code n} most likely characters after a prefix. */
    JsonObject next(String prefix, int n) {
        check("prefix", prefix.codePointCount(0, prefix.length()), 1, MAX_PREFIX);
        check("n", n, 1, vocabulary.size());
        JsonArray next = new JsonArray();
        for (NextCharacter c : Evaluation.nextCharacters(model, prefix, n)) {
            JsonArray pair = new JsonArray();
            pair.add(Character.toString(c.codePoint()));
            pair.add(round(c.probability()));
            next.add(pair);
        }
        JsonObject o = new JsonObject();
        o.add("next", next);
        return o;
    }

    /**
     * One layer's hidden (or LSTM cell) state after each character, {@code values[t][unit]}, with the
     * share of characters at which each unit is saturated and, for the LSTM and GRU, its gates'
     * saturation.
     */
    JsonObject states(String text, int layer, String kind) {
        float[][] states = read(text, layer, kind);
        JsonArray values = new JsonArray();
        for (float[] row : states) {
            JsonArray r = new JsonArray();
            for (float v : row) {
                r.add(round(v));
            }
            values.add(r);
        }
        JsonObject o = new JsonObject();
        o.addProperty("units", model.config().hidden());
        o.addProperty("layer", layer);
        o.addProperty("kind", kind);
        o.add("values", values);
        o.add("saturation", saturation(states));
        if (model.config().cell() != CellType.RNN) {
            o.add("gates", gates(Diagnostics.gateSaturation(model, text, layer)));
        }
        return o;
    }

    /**
     * The saturation of the LSTM's or GRU's sigmoid gates ({@link Diagnostics#gateSaturation}): per
     * gate, the mean and per-unit fractions of characters at which a unit is below 0.1 or above 0.9.
     */
    private static JsonObject gates(GateSaturation s) {
        JsonArray gates = new JsonArray();
        for (int g = 0; g < s.gates().size(); g++) {
            JsonObject gate = new JsonObject();
            gate.addProperty("name", s.gates().get(g));
            gate.addProperty("meanLeft", round(s.meanLeftSaturated(g)));
            gate.addProperty("meanRight", round(s.meanRightSaturated(g)));
            gate.add("left", array(s.leftSaturated(g)));
            gate.add("right", array(s.rightSaturated(g)));
            gates.add(gate);
        }
        JsonObject o = new JsonObject();
        o.addProperty("leftBelow", GateSaturation.LEFT);
        o.addProperty("rightAbove", GateSaturation.RIGHT);
        o.add("gates", gates);
        return o;
    }

    private static JsonArray array(double[] values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            a.add(round(v));
        }
        return a;
    }

    /** Units ranked by how well they separate a pattern's matches from the rest ({@link UnitSearch}). */
    JsonObject units(String text, String pattern, int layer, String kind, int n) {
        Pattern regex = UnitSearch.compile(pattern);
        float[][] states = read(text, layer, kind);
        check("n", n, 1, model.config().hidden());
        return UnitSearch.rank(states, text, regex, n);
    }

    private float[][] read(String text, int layer, String kind) {
        check("text", text.codePointCount(0, text.length()), 1, MAX_STATES_TEXT);
        check("layer", layer, 0, model.config().layers() - 1);
        return switch (kind) {
            case "h" -> Diagnostics.hiddenStates(model, text, layer);
            case "c" -> {
                if (model.config().cell() != CellType.LSTM) {
                    throw new IllegalArgumentException("kind c (the cell state) needs an LSTM, this model is "
                            + model.config().cell());
                }
                yield Diagnostics.cellStates(model, text, layer);
            }
            default -> throw new IllegalArgumentException("kind must be h or c, got '" + kind + "'");
        };
    }

    /**
     * How often each unit is saturated (|value| above 0.95 of its bound, for tanh-bounded states),
     * as a fraction of the characters: a unit that is always saturated acts as a switch.
     */
    private static JsonArray saturation(float[][] states) {
        JsonArray out = new JsonArray();
        if (states.length == 0) {
            return out;
        }
        for (int u = 0; u < states[0].length; u++) {
            int n = 0;
            for (float[] row : states) {
                if (Math.abs(row[u]) > 0.95f) {
                    n++;
                }
            }
            out.add(round(n / (double) states.length));
        }
        return out;
    }

    static void check(String name, int value, int min, int max) {
        if (value < min || value > max) {
            String unit = name.equals("text") || name.equals("prefix") || name.equals("pattern") ? " characters" : "";
            throw new IllegalArgumentException(name + " must be " + (unit.isEmpty() ? "from " + min + " to " + max
                    : min + " to " + max + unit) + ", got " + value);
        }
    }

    static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e4) / 1e4 : v;
    }

}
