package io.charrnn.internal.format;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed dict of an npy header: a tiny parser for the subset of Python literals that NumPy
 * writes there (strings, {@code True}/{@code False}, tuples of non-negative integers).
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");
    private static final int MAX_DIMENSIONS = 32;
    private static final int MAX_DIGITS = 18;

    static NpyHeader parse(String text) throws FormatViolation {
        return new Parser(text).header();
    }

    private static final class Parser {
        private final String text;
        private int pos;

        Parser(String text) {
            this.text = text;
        }

        NpyHeader header() throws FormatViolation {
            if (text.isEmpty() || text.charAt(text.length() - 1) != '\n') {
                throw new FormatViolation("expected the npy header to end with a newline, found "
                        + quote(text.substring(Math.max(0, text.length() - 20))));
            }
            Map<String, Object> dict = new HashMap<>();
            skipSpace();
            expect('{');
            skipSpace();
            while (peek() != '}') {
                String key = string();
                if (!KEYS.contains(key)) {
                    throw new FormatViolation("expected only the npy header keys " + KEYS + ", found '" + key + "'");
                }
                if (dict.containsKey(key)) {
                    throw new FormatViolation("expected each npy header key once, found '" + key + "' twice");
                }
                skipSpace();
                expect(':');
                skipSpace();
                dict.put(key, value());
                skipSpace();
                if (peek() == ',') {
                    pos++;
                    skipSpace();
                } else if (peek() != '}') {
                    throw unexpected("',' or '}'");
                }
            }
            pos++;
            skipSpace();
            if (pos != text.length()) {
                throw unexpected("only spaces after the npy header dict");
            }
            if (!dict.keySet().equals(KEYS)) {
                throw new FormatViolation("expected the npy header keys " + KEYS + ", found " + dict.keySet());
            }
            if (!(dict.get("descr") instanceof String descr)) {
                throw new FormatViolation("expected 'descr' to be a string, found " + dict.get("descr"));
            }
            if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
                throw new FormatViolation("expected 'fortran_order' to be True or False, found " + dict.get("fortran_order"));
            }
            if (!(dict.get("shape") instanceof long[] shape)) {
                throw new FormatViolation("expected 'shape' to be a tuple of integers, found " + dict.get("shape"));
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private Object value() throws FormatViolation {
            char c = peek();
            if (c == '\'' || c == '"') {
                return string();
            }
            if (c == '(') {
                return tuple();
            }
            if (text.startsWith("True", pos)) {
                pos += 4;
                return Boolean.TRUE;
            }
            if (text.startsWith("False", pos)) {
                pos += 5;
                return Boolean.FALSE;
            }
            throw unexpected("a string, True, False or a tuple");
        }

        private long[] tuple() throws FormatViolation {
            expect('(');
            skipSpace();
            List<Long> dims = new ArrayList<>();
            boolean trailingComma = false;
            while (peek() != ')') {
                if (dims.size() == MAX_DIMENSIONS) {
                    throw new FormatViolation("expected at most " + MAX_DIMENSIONS + " dimensions in the npy shape, found more");
                }
                dims.add(integer());
                skipSpace();
                trailingComma = false;
                if (peek() == ',') {
                    pos++;
                    trailingComma = true;
                    skipSpace();
                } else if (peek() != ')') {
                    throw unexpected("',' or ')' in the shape");
                }
            }
            pos++;
            if (dims.size() == 1 && !trailingComma) {
                throw new FormatViolation("expected a one-element shape to be written (n,), found (" + dims.get(0) + ")");
            }
            return dims.stream().mapToLong(Long::longValue).toArray();
        }

        private long integer() throws FormatViolation {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos)) && text.charAt(pos) < 128) {
                pos++;
            }
            if (pos == start) {
                throw unexpected("a non-negative integer");
            }
            if (pos - start > MAX_DIGITS) {
                throw new FormatViolation("expected a dimension below 10^" + MAX_DIGITS + ", found "
                        + text.substring(start, Math.min(pos, start + 40)) + (pos - start > 40 ? "…" : ""));
            }
            return Long.parseLong(text.substring(start, pos));
        }

        private String string() throws FormatViolation {
            char quote = peek();
            if (quote != '\'' && quote != '"') {
                throw unexpected("a quoted string");
            }
            int end = text.indexOf(quote, pos + 1);
            if (end < 0) {
                throw new FormatViolation("expected a closing " + quote + " in the npy header, found none");
            }
            String s = text.substring(pos + 1, end);
            if (s.indexOf('\\') >= 0 || s.indexOf('\n') >= 0) {
                throw new FormatViolation("expected a plain string in the npy header, found " + quote(s));
            }
            pos = end + 1;
            return s;
        }

        private void expect(char c) throws FormatViolation {
            if (peek() != c) {
                throw unexpected("'" + c + "'");
            }
            pos++;
        }

        private char peek() throws FormatViolation {
            if (pos >= text.length()) {
                throw new FormatViolation("expected more npy header, found its end");
            }
            return text.charAt(pos);
        }

        private void skipSpace() {
            while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\n')) {
                pos++;
            }
        }

        private FormatViolation unexpected(String expected) {
            String found = pos >= text.length() ? "the end" : quote(text.substring(pos, Math.min(text.length(), pos + 20)));
            return new FormatViolation("expected " + expected + " at offset " + pos + " of the npy header, found " + found);
        }

        private static String quote(String s) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
            }
            return sb.append('"').toString();
        }
    }
}
