package io.charrnn.internal.format;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.charrnn.io.ModelFormatException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed access to the fields of JSON read from a model file ({@code charrnn.json}, a
 * checkpoint's {@code trainer.json}): each accessor checks the field's presence, type and range
 * and otherwise throws a {@link ModelFormatException} naming the file, the field, what was
 * expected and what was found. {@code where} is a prefix such as {@code "trainer.json: "}.
 */
public final class JsonFields {
    /** Longer than any number we write (a long, a double); longer ones are refused unparsed. */
    private static final int MAX_NUMBER_LENGTH = 40;

    private final String file;

    /** @param file the file name that starts every message */
    public JsonFields(String file) {
        this.file = file;
    }

    public JsonObject object(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "an object", where);
        if (!e.isJsonObject()) {
            throw problem(where + "expected \"" + field + "\" to be an object, found " + show(e));
        }
        return e.getAsJsonObject();
    }

    public JsonArray array(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "an array", where);
        if (!e.isJsonArray()) {
            throw problem(where + "expected \"" + field + "\" to be an array, found " + show(e));
        }
        return e.getAsJsonArray();
    }

    public String string(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "a string", where);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw problem(where + "expected \"" + field + "\" to be a string, found " + show(e));
        }
        return e.getAsString();
    }

    public long integer(JsonObject o, String field, long min, long max, String where) throws ModelFormatException {
        return integer(require(o, field, "an integer", where), field, min, max, where);
    }

    public long integer(JsonElement e, String field, long min, long max, String where) throws ModelFormatException {
        long value;
        try {
            // a forged number of millions of digits must not cost quadratic parsing time
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || e.getAsString().length() > MAX_NUMBER_LENGTH) {
                throw new NumberFormatException();
            }
            value = new BigDecimal(e.getAsString()).longValueExact();
        } catch (NumberFormatException | ArithmeticException ex) {
            throw problem(where + "expected \"" + field + "\" to be an integer in [" + min + ", " + max + "], found "
                    + show(e));
        }
        if (value < min || value > max) {
            throw problem(where + "expected \"" + field + "\" to be an integer in [" + min + ", " + max + "], found "
                    + value);
        }
        return value;
    }

    public double number(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "a number", where);
        double value = Double.NaN;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() && e.getAsString().length() <= MAX_NUMBER_LENGTH) {
            try {
                value = Double.parseDouble(e.getAsString());
            } catch (NumberFormatException ex) {
                value = Double.NaN;
            }
        }
        if (!Double.isFinite(value)) {
            throw problem(where + "expected \"" + field + "\" to be a finite number, found " + show(e));
        }
        return value;
    }

    /**
     * Reads a loss written by {@link #lossValue}: a number, {@code null} for NaN, or the string
     * {@code "Infinity"} or {@code "-Infinity"}.
     */
    public double loss(JsonObject o, String field, String where) throws ModelFormatException {
        JsonElement e = require(o, field, "a number, null or \"Infinity\"", where);
        if (e.isJsonNull()) {
            return Double.NaN;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            if ("Infinity".equals(e.getAsString())) {
                return Double.POSITIVE_INFINITY;
            }
            if ("-Infinity".equals(e.getAsString())) {
                return Double.NEGATIVE_INFINITY;
            }
            throw problem(where + "expected \"" + field + "\" to be a number, null, \"Infinity\" or \"-Infinity\", found "
                    + show(e));
        }
        return number(o, field, where);
    }

    /**
     * @param value any double
     * @return it as JSON: a number, {@code null} for NaN, {@code "Infinity"} or {@code "-Infinity"}
     */
    public static JsonElement lossValue(double value) {
        if (Double.isNaN(value)) {
            return JsonNull.INSTANCE;
        }
        if (Double.isInfinite(value)) {
            return new JsonPrimitive(value > 0 ? "Infinity" : "-Infinity");
        }
        return new JsonPrimitive(value);
    }

    /** @return a problem naming the file: {@code <file>: <message>} */
    public ModelFormatException problem(String message) {
        return new ModelFormatException(file + ": " + message);
    }

    private JsonElement require(JsonObject o, String field, String kind, String where) throws ModelFormatException {
        JsonElement e = o.get(field);
        if (e == null) {
            throw problem(where + "expected a field \"" + field + "\" (" + kind + "), found none");
        }
        return e;
    }


    /** Describes a found value briefly; never serialises a container, whose nesting the file controls. */
    public static String show(JsonElement e) {
        if (e == null) {
            return "nothing";
        }
        if (e.isJsonArray()) {
            int n = e.getAsJsonArray().size();
            return "an array of " + n + (n == 1 ? " element" : " elements");
        }
        if (e.isJsonObject()) {
            return "an object with the fields " + preview(e.getAsJsonObject().keySet());
        }
        String s = e.toString();
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    public static String showShape(JsonArray shape) {
        List<String> dims = new ArrayList<>();
        for (JsonElement d : shape) {
            dims.add(d.isJsonPrimitive() ? show(d) : "?");
        }
        return dims.toString();
    }

    public static String preview(java.util.Collection<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(null);
        return sorted.size() > 10 ? sorted.subList(0, 10) + " and " + (sorted.size() - 10) + " more" : sorted.toString();
    }

}
