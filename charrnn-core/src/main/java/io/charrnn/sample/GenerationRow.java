package io.charrnn.sample;

import io.charrnn.text.Vocabulary;
import java.util.List;
import java.util.function.Predicate;

/**
 * The state of one text being generated: its context, its characters, what the sink has seen, and
 * whether a stop condition ended it. Single-threaded; one per row and call.
 */
final class GenerationRow {
    private final Vocabulary vocabulary;
    private final int length;
    private final List<String> stops;
    private final Predicate<CharSequence> stopWhen;
    private final CharacterSink sink;
    private final boolean keepText;
    private final int keep; // chars of delivered text kept when the text is not kept whole
    final SamplingContext context;
    private final StringBuilder text;
    private int generated;
    private int delivered; // chars of text handed to the sink
    private Sample.Ending ending;

    /**
     * @param keepText whether {@link #result()} returns the whole text; else only the delivered
     *     text's last {@link SamplingContext#MAX_HISTORY} characters (or the longest stop string's
     *     length, if more) are kept, for the stop conditions, and memory does not grow with the length
     */
    GenerationRow(Vocabulary vocabulary, GenerationOptions options, int[] prime, CharacterSink sink,
                  boolean keepText) {
        this.vocabulary = vocabulary;
        this.length = options.length();
        this.stops = options.stops();
        this.stopWhen = options.stopWhen().orElse(null);
        this.sink = sink;
        this.keepText = keepText;
        this.keep = Math.max(SamplingContext.MAX_HISTORY, stops.stream().mapToInt(String::length).max().orElse(0));
        this.context = SamplingContext.growable((long) prime.length + length);
        for (int code : prime) {
            context.append(code);
        }
        this.text = new StringBuilder(Math.min(length, 1 << 16));
        if (length == 0) {
            ending = Sample.Ending.LENGTH;
        }
    }

    /** @return whether adding a character may run the caller's code (a sink, a stop predicate) */
    boolean callsUserCode() {
        return sink != null || stopWhen != null;
    }

    boolean done() {
        return ending != null;
    }

    /** Ends the row as cancelled (its thread was interrupted, or its batcher closed). */
    void cancel() {
        if (ending == null) {
            ending = Sample.Ending.CANCELLED;
        }
    }

    /** Adds the character at vocabulary index {@code index}; returns whether the row goes on. */
    boolean add(int index) {
        context.append(index);
        text.appendCodePoint(vocabulary.codePointAt(index));
        generated++;
        for (String stop : stops) {
            if (endsWith(text, stop, stop.length())) {
                text.setLength(text.length() - stop.length());
                return end(Sample.Ending.STOP_STRING, text.length());
            }
        }
        if (stopWhen != null && stopWhen.test(text)) {
            return end(Sample.Ending.STOP_PREDICATE, text.length());
        }
        if (generated == length) {
            return end(Sample.Ending.LENGTH, text.length());
        }
        if (!deliver(text.length() - heldBack())) {
            ending = Sample.Ending.CANCELLED;
            return false;
        }
        if (!keepText && delivered >= 2 * keep) {
            int drop = delivered - keep;
            if (Character.isLowSurrogate(text.charAt(drop))) {
                drop--; // never split a pair
            }
            text.delete(0, drop);
            delivered -= drop;
        }
        return true;
    }

    private boolean end(Sample.Ending why, int upTo) {
        ending = deliver(upTo) ? why : Sample.Ending.CANCELLED;
        return false;
    }

    /** Hands {@code text[delivered, end)} to the sink; false if the sink cancelled. */
    private boolean deliver(int end) {
        if (sink == null) {
            delivered = end;
            return true;
        }
        while (delivered < end) {
            int cp = text.codePointAt(delivered);
            delivered += Character.charCount(cp);
            if (!sink.accept(cp)) {
                return false;
            }
        }
        return true;
    }

    /** The longest end of the text that is a proper beginning of some stop string. */
    private int heldBack() {
        int held = 0;
        for (String stop : stops) {
            for (int h = Math.min(stop.length() - 1, text.length() - delivered); h > held; h--) {
                if (endsWith(text, stop, h)) {
                    held = h;
                    break;
                }
            }
        }
        return held;
    }

    /** Whether {@code text} ends with the first {@code n} chars of {@code s}. */
    private static boolean endsWith(StringBuilder text, String s, int n) {
        int offset = text.length() - n;
        if (offset < 0) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (text.charAt(offset + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    Sample result() {
        return new Sample(text.toString(), ending == null ? Sample.Ending.LENGTH : ending);
    }
}
