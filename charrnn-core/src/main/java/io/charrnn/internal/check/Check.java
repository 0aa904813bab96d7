package io.charrnn.internal.check;

import java.util.Locale;

/**
 * Argument checks with one wording per rule: each method throws an
 * {@link IllegalArgumentException} whose message says what must hold and what was given
 * ({@code "hidden must be in [1, 16384], got 0"}), and otherwise returns the value it checked, so
 * that a constructor can check and assign in one line. The message is built only when a check
 * fails, so the checks cost nothing on hot paths.
 *
 * <p>Bounds print as the rule states them ({@code 0}, {@code 1}); given values print as Java prints
 * them ({@code 1.0}, {@code NaN}). A rule that names several values at once, or that needs a word of
 * advice, goes through {@link #argument(boolean, String, Object...)}.
 *
 * <p>This package uses nothing of charrnn, so every package, the plain value types included, may use it.
 */
public final class Check {
    private Check() {
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be >= min, got value"} if {@code value < min}
     */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw fail(name, ">= " + min, value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be >= min, got value"} if {@code value < min}
     */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw fail(name, ">= " + min, value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in [min, max], got value"} unless
     *     {@code min <= value <= max}
     */
    public static int inRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw fail(name, "in [" + min + ", " + max + "]", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in [min, max], got value"} unless
     *     {@code min <= value <= max}
     */
    public static long inRange(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw fail(name, "in [" + min + ", " + max + "]", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in [0, size), got value"} unless
     *     {@code value} indexes a sequence of {@code size} entries
     */
    public static int index(String name, int value, int size) {
        if (value < 0 || value >= size) {
            throw fail(name, "in [0, " + size + ")", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be finite, got value"} if {@code value} is
     *     NaN or infinite
     */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw fail(name, "finite", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be finite and > 0, got value"}
     */
    public static double positive(String name, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw fail(name, "finite and > 0", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be finite and >= min, got value"}
     */
    public static double atLeast(String name, double value, double min) {
        if (!(value >= min && Double.isFinite(value))) {
            throw fail(name, "finite and >= " + bound(min), value);
        }
        return value;
    }

    /**
     * A fraction that may be zero but leaves something over: a dropout rate, a share held out, a
     * decay rate.
     *
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in [0, 1), got value"}
     */
    public static double fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw fail(name, "in [0, 1)", value);
        }
        return value;
    }

    /**
     * A share that must keep something: top-p's mass, a decay factor.
     *
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in (0, 1], got value"}
     */
    public static double share(String name, double value) {
        if (!(value > 0 && value <= 1)) {
            throw fail(name, "in (0, 1]", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must be in [0, 1], got value"}
     */
    public static double probability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw fail(name, "in [0, 1]", value);
        }
        return value;
    }

    /**
     * @return {@code value}
     * @throws IllegalArgumentException {@code "name must not be NaN, got NaN"}
     */
    public static double notNaN(String name, double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException(name + " must not be NaN, got NaN");
        }
        return value;
    }

    /**
     * @return {@code values}
     * @throws IllegalArgumentException {@code "name must not be NaN, got NaN at index i"} for the
     *     first NaN entry
     */
    public static float[] noNaN(String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (Float.isNaN(values[i])) {
                throw new IllegalArgumentException(name + " must not be NaN, got NaN at index " + i);
            }
        }
        return values;
    }

    /**
     * @return {@code values}
     * @throws IllegalArgumentException {@code "name must be finite, got value at index i"} for the
     *     first NaN or infinite entry
     */
    public static float[] allFinite(String name, float[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " must be finite, got " + values[i] + " at index " + i);
            }
        }
        return values;
    }

    /**
     * @return {@code values}
     * @throws IllegalArgumentException {@code "name must be finite, got value at index i"} for the
     *     first NaN or infinite entry
     */
    public static double[] allFinite(String name, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(name + " must be finite, got " + values[i] + " at index " + i);
            }
        }
        return values;
    }

    /**
     * @return {@code text}
     * @throws IllegalArgumentException {@code "name must contain at least one character, got an
     *     empty text"}
     */
    public static <T extends CharSequence> T notEmpty(String name, T text) {
        if (text.length() == 0) {
            throw new IllegalArgumentException(name + " must contain at least one character, got an empty text");
        }
        return text;
    }

    /**
     * For arrays and collections, given their size.
     *
     * @return {@code size}
     * @throws IllegalArgumentException {@code "name must have at least one entry, got none"}
     */
    public static int notEmpty(String name, int size) {
        if (size == 0) {
            throw new IllegalArgumentException(name + " must have at least one entry, got none");
        }
        return size;
    }

    /**
     * A model must be bound (have a vocabulary and weights) to be used; {@code Sampler}'s check words
     * the same rule the same way.
     *
     * @param bound whether the model has a vocabulary and weights
     * @param use what was to be done with it, as a verb: {@code "save"}, {@code "score with"}
     * @throws IllegalArgumentException {@code "cannot use a model with no vocabulary and no weights:
     *     train it on a corpus first (or build it with .vocabulary(v) for random weights)"} unless
     *     {@code bound}
     */
    public static void bound(boolean bound, String use) {
        if (!bound) {
            throw new IllegalArgumentException("cannot " + use + " a model with no vocabulary and no weights: "
                    + "train it on a corpus first (or build it with .vocabulary(v) for random weights)");
        }
    }

    /**
     * A rule of its own (several values at once, or advice on what to change), worded by the caller
     * as what must hold and what was given. The template is a {@link String#format} pattern
     * ({@code %s} placeholders, root locale), formatted only on failure. (Guava's
     * {@code Preconditions} would do the same, but core does not otherwise depend on Guava.) Its
     * varargs box their arguments on every call: keep it off per-character paths.
     *
     * @throws IllegalArgumentException with the formatted message unless {@code condition}
     */
    public static void argument(boolean condition, String template, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }

    private static IllegalArgumentException fail(String name, String rule, Object given) {
        return new IllegalArgumentException(name + " must be " + rule + ", got " + given);
    }

    /** A bound as the rule states it: {@code 1}, not {@code 1.0}. */
    private static String bound(double b) {
        return b == Math.rint(b) && Math.abs(b) < 1e15 ? Long.toString((long) b) : Double.toString(b);
    }
}
