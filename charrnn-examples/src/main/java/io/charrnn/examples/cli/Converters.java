package io.charrnn.examples.cli;

import picocli.CommandLine;

/** Option value converters. */
final class Converters {
    private Converters() {
    }

    /** A positive number, or {@code none}/{@code inf} for no limit (clipping thresholds). */
    static final class Threshold implements CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.equals("none") || v.equals("inf") || v.equals("infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("must be a number > 0 or 'none', got '" + value + "'");
            }
            if (!(d > 0)) {
                throw new CommandLine.TypeConversionException("must be > 0 or 'none', got " + value);
            }
            return d;
        }
    }

    /**
     * A learning-rate schedule: {@code constant}, {@code step:FACTOR:EVERY} (×FACTOR every EVERY
     * epochs), {@code exp:FACTOR:START} (×FACTOR per epoch from epoch START on), or a decay over the
     * training budget, {@code cosine[:WARMUP[:FLOOR]]} or {@code linear[:WARMUP[:FLOOR]]} (defaults
     * {@link #WARMUP} and {@link #FLOOR}).
     */
    static final class Schedule implements CommandLine.ITypeConverter<io.charrnn.train.LearningRateSchedule> {
        /** The budget schedules' warm-up fraction when none is given. */
        static final double WARMUP = 0.02;
        /** The budget schedules' floor fraction when none is given. */
        static final double FLOOR = 0;

        @Override
        public io.charrnn.train.LearningRateSchedule convert(String value) {
            String[] parts = value.trim().toLowerCase(java.util.Locale.ROOT).split(":", -1);
            try {
                if (parts.length == 1 && parts[0].equals("constant")) {
                    return io.charrnn.train.LearningRateSchedule.constant();
                }
                if (parts.length == 3 && parts[0].equals("step")) {
                    return io.charrnn.train.LearningRateSchedule.stepDecay(Double.parseDouble(parts[1]),
                            Integer.parseInt(parts[2]));
                }
                if (parts.length == 3 && parts[0].equals("exp")) {
                    return io.charrnn.train.LearningRateSchedule.exponentialDecay(Double.parseDouble(parts[1]),
                            Integer.parseInt(parts[2]));
                }
                if (parts.length <= 3 && (parts[0].equals("cosine") || parts[0].equals("linear"))) {
                    double warmup = parts.length > 1 ? Double.parseDouble(parts[1]) : WARMUP;
                    double floor = parts.length > 2 ? Double.parseDouble(parts[2]) : FLOOR;
                    return parts[0].equals("cosine") ? io.charrnn.train.LearningRateSchedule.cosine(warmup, floor)
                            : io.charrnn.train.LearningRateSchedule.linear(warmup, floor);
                }
            } catch (NumberFormatException e) {
                // falls through to the usage message
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
            throw new CommandLine.TypeConversionException("must be constant, step:FACTOR:EVERY, exp:FACTOR:START, "
                    + "cosine[:WARMUP[:FLOOR]] or linear[:WARMUP[:FLOOR]] (e.g. step:0.5:5, exp:0.97:10, cosine, "
                    + "linear:0.05:0.1), got '" + value + "'");
        }
    }

    /** One character: itself, an escape ({@code \\n}, {@code \\t}, {@code \\r}) or {@code U+XXXX}. */
    static final class CodePoint implements CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            switch (value) {
                case "\\n":
                    return (int) '\n';
                case "\\t":
                    return (int) '\t';
                case "\\r":
                    return (int) '\r';
                default:
                    break;
            }
            if (value.matches("(?i)U\\+[0-9A-F]{1,6}")) {
                int cp = Integer.parseInt(value.substring(2), 16);
                if (Character.isValidCodePoint(cp)) {
                    return cp;
                }
            }
            if (value.codePointCount(0, value.length()) == 1) {
                return value.codePointAt(0);
            }
            throw new CommandLine.TypeConversionException("must be one character, \\n, \\t, \\r or U+XXXX, got '"
                    + value + "'");
        }
    }
}
