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
}
