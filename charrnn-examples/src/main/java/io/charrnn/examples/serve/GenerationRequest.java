package io.charrnn.examples.serve;

import io.charrnn.sample.GenerationOptions;
import io.charrnn.sample.LogitTransform;
import io.charrnn.sample.SamplingStrategy;
import io.charrnn.text.Vocabulary;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of one generation, read from a query string and checked: prime, length, seed,
 * stop strings and the decoding strategy (temperature, top-k, top-p, min-p, repetition penalty,
 * greedy, or beam search).
 *
 * @param options prime, length and stop strings
 * @param strategy how each character is drawn (unused for a beam search)
 * @param seed the random seed, or {@code null} for a fresh one
 * @param beam beams kept by a beam search, or 0 to sample with {@code strategy}
 */
record GenerationRequest(GenerationOptions options, SamplingStrategy strategy, Long seed, int beam) {
    /** The largest {@code length} a request may ask for. */
    static final int MAX_LENGTH = 10_000;
    /** The largest prime, in characters. */
    static final int MAX_PRIME = 10_000;
    /** The largest beam width; a beam search costs {@code beam × length} steps and answers at the end. */
    static final int MAX_BEAM = 16;
    /** The largest {@code length} of a beam search. */
    static final int MAX_BEAM_LENGTH = 2_000;
    private static final List<String> PARAMETERS = List.of("prime", "length", "seed", "stop", "temperature", "topK",
            "topP", "minP", "penalty", "window", "greedy", "beam");

    /**
     * @param rawQuery the URL's query, still percent-encoded; {@code null} for none
     * @param vocabulary the model's characters, which the prime must use
     * @return the request
     * @throws IllegalArgumentException with a one-line reason for the client
     */
    static GenerationRequest parse(String rawQuery, Vocabulary vocabulary) {
        Map<String, List<String>> params = params(rawQuery, PARAMETERS);
        String prime = single(params, "prime", "");
        if (prime.length() > MAX_PRIME) {
            throw new IllegalArgumentException("prime must be at most " + MAX_PRIME + " characters, got "
                    + prime.length());
        }
        vocabulary.encode(prime); // a character outside the vocabulary: IllegalArgumentException naming it
        int beam = integer(params, "beam", 0, 0, MAX_BEAM);
        int maxLength = beam > 0 ? MAX_BEAM_LENGTH : MAX_LENGTH;
        int length = integer(params, "length", 200, 0, maxLength);
        String s = single(params, "seed", null);
        Long seed;
        try {
            seed = s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("seed must be an integer (a Java long), got '" + s + "'");
        }
        GenerationOptions.Builder options = GenerationOptions.builder().prime(prime).length(length);
        List<String> stops = params.getOrDefault("stop", List.of());
        if (stops.size() > 8) {
            throw new IllegalArgumentException("stop may be given at most 8 times, got " + stops.size());
        }
        for (String stop : stops) {
            options.stop(stop); // an empty stop string: IllegalArgumentException
        }
        return new GenerationRequest(options.build(), strategy(params), seed, beam);
    }

    private static SamplingStrategy strategy(Map<String, List<String>> params) {
        boolean greedy = switch (single(params, "greedy", "false")) {
            case "true", "1", "on" -> true;
            case "false", "0", "off" -> false;
            default -> throw new IllegalArgumentException("greedy must be true or false, got '"
                    + single(params, "greedy", "") + "'");
        };
        double temperature = number(params, "temperature", 1.0);
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got '"
                    + single(params, "temperature", "") + "'");
        }
        int topK = integer(params, "topK", 0, 0, Integer.MAX_VALUE);
        double topP = fraction(params, "topP");
        double minP = fraction(params, "minP");
        double penalty = number(params, "penalty", 1.0);
        if (!(penalty >= 1 && penalty <= 100)) {
            throw new IllegalArgumentException("penalty must be a number from 1 to 100, got '"
                    + single(params, "penalty", "") + "'");
        }
        int window = integer(params, "window", 32, 1, MAX_LENGTH);
        List<LogitTransform> transforms = new ArrayList<>();
        if (penalty > 1) {
            transforms.add(LogitTransform.repetitionPenalty(penalty, window));
        }
        if (!greedy) {
            transforms.add(LogitTransform.temperature(temperature));
        }
        if (topK > 0) {
            transforms.add(LogitTransform.topK(topK));
        }
        if (topP < 1) {
            transforms.add(LogitTransform.topP(topP));
        }
        if (minP > 0) {
            transforms.add(LogitTransform.minP(minP));
        }
        if (!greedy && transforms.size() == 1) {
            return SamplingStrategy.temperature(temperature); // the plain sampler of /generate
        }
        LogitTransform[] array = transforms.toArray(LogitTransform[]::new);
        return greedy ? SamplingStrategy.greedy(array) : SamplingStrategy.chain(array);
    }

    /** A probability threshold: 1 (top-p) or 0 (min-p) when absent, which both mean "off". */
    private static double fraction(Map<String, List<String>> params, String name) {
        double fallback = name.equals("topP") ? 1 : 0;
        double p = number(params, name, fallback);
        if (!(p >= 0 && p <= 1) || (p == 0 && name.equals("topP"))) {
            throw new IllegalArgumentException(name + " must be a number in "
                    + (name.equals("topP") ? "(0, 1]" : "[0, 1]")
                    + ", got '" + single(params, name, "") + "'");
        }
        return p;
    }

    private static double number(Map<String, List<String>> params, String name, double fallback) {
        String v = single(params, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN; // reported by the caller's range check, with the text given
        }
    }

    static int integer(Map<String, List<String>> params, String name, int fallback, int min, int max) {
        String v = single(params, name, null);
        if (v == null) {
            return fallback;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer from " + min + " to " + max + ", got '" + v
                    + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    /**
     * @param rawQuery a percent-encoded query, or {@code null}
     * @param known the parameter names allowed
     * @return each parameter's values, in order
     * @throws IllegalArgumentException for an unknown name or a malformed escape
     */
    static Map<String, List<String>> params(String rawQuery, List<String> known) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!known.contains(name)) {
                    throw new IllegalArgumentException("unknown parameter '" + name + "'; known: "
                            + String.join(", ", known));
                }
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return params;
    }

    static String single(Map<String, List<String>> params, String name, String fallback) {
        List<String> values = params.get(name);
        if (values == null) {
            return fallback;
        }
        if (values.size() > 1) {
            throw new IllegalArgumentException(name + " must be given once, got it " + values.size() + " times");
        }
        return values.get(0);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed query: " + e.getMessage());
        }
    }
}
