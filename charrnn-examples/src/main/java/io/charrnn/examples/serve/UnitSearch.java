package io.charrnn.examples.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * "Find units": ranks the units of a state by how well their activation separates the characters
 * inside a pattern's matches from the others, by the point-biserial correlation (Pearson's r
 * between the activation and a 0/1 "inside" label), with the means inside and outside. The
 * pattern is a user's regular expression, so it runs under a deadline and a recursion guard.
 */
final class UnitSearch {
    private UnitSearch() {
    }

    /** @throws IllegalArgumentException if the pattern is too long or not a regular expression */
    static Pattern compile(String pattern) {
        Playground.check("pattern", pattern.length(), 1, Playground.MAX_PATTERN);
        try {
            return Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern is not a valid regular expression: "
                    + e.getDescription() + " near index " + e.getIndex());
        }
    }

    /**
     * @param states {@code [T][H]}, one row per code point of {@code text}
     * @param n how many units to list, {@code <= H}
     * @throws IllegalArgumentException if the pattern matches nothing or everything, or runs away
     */
    static JsonObject rank(float[][] states, String text, Pattern regex, int n) {
        int hidden = states[0].length;
        boolean[] inside = new boolean[states.length];
        int insideCount = 0;
        // offsets are in UTF-16 units; states are per code point
        int[] cpIndex = new int[text.length() + 1];
        for (int i = 0, cp = 0; i < text.length(); i++) {
            cpIndex[i] = cp;
            if (!Character.isHighSurrogate(text.charAt(i))) {
                cp++;
            }
        }
        Matcher m = regex.matcher(new Deadline(text, System.nanoTime() + 1_000_000_000L));
        try {
            while (m.find()) {
                for (int i = m.start(); i < m.end(); i++) {
                    if (!inside[cpIndex[i]]) {
                        inside[cpIndex[i]] = true;
                        insideCount++;
                    }
                }
            }
        } catch (StackOverflowError e) {
            // java.util.regex recurses per repetition: a runaway pattern ends here, not in the server
            throw new IllegalArgumentException("pattern recursed too deeply on this text; simplify it");
        }
        if (insideCount == 0 || insideCount == states.length) {
            throw new IllegalArgumentException("pattern must match some characters of the text but not all, matched "
                    + insideCount + " of " + states.length);
        }
        double[] score = new double[hidden];
        double[] meanIn = new double[hidden];
        double[] meanOut = new double[hidden];
        double p = insideCount / (double) states.length;
        for (int u = 0; u < hidden; u++) {
            double sum = 0;
            double sumSq = 0;
            double sumIn = 0;
            for (int t = 0; t < states.length; t++) {
                double v = states[t][u];
                sum += v;
                sumSq += v * v;
                if (inside[t]) {
                    sumIn += v;
                }
            }
            double mean = sum / states.length;
            double sd = Math.sqrt(Math.max(0, sumSq / states.length - mean * mean));
            meanIn[u] = sumIn / insideCount;
            meanOut[u] = (sum - sumIn) / (states.length - insideCount);
            score[u] = sd == 0 ? 0 : (meanIn[u] - meanOut[u]) / sd * Math.sqrt(p * (1 - p));
        }
        Integer[] order = new Integer[hidden];
        for (int i = 0; i < hidden; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(score[b]), Math.abs(score[a])));
        JsonArray ranked = new JsonArray();
        for (int i = 0; i < n; i++) {
            int u = order[i];
            JsonObject r = new JsonObject();
            r.addProperty("unit", u);
            r.addProperty("score", Playground.round(score[u]));
            r.addProperty("meanInside", Playground.round(meanIn[u]));
            r.addProperty("meanOutside", Playground.round(meanOut[u]));
            ranked.add(r);
        }
        JsonObject o = new JsonObject();
        o.add("units", ranked);
        o.addProperty("inside", insideCount);
        o.addProperty("characters", states.length);
        return o;
    }

    /** A text that a regular expression may read only until a deadline: no pattern runs away. */
    private record Deadline(String text, long deadlineNanos) implements CharSequence {
        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadlineNanos) {
                throw new IllegalArgumentException("pattern took longer than 1 s to match; simplify it");
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Deadline(text.substring(start, end), deadlineNanos);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
