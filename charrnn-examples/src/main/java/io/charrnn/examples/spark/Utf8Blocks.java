package io.charrnn.examples.spark;

import java.io.IOException;
import java.io.Serializable;
import org.apache.hadoop.fs.FSDataInputStream;

/**
 * Reads code points of a UTF-8 file from a byte position, strictly (as {@code Corpus.open}): what
 * an executor does with its block or its streams' windows. A byte-order mark at the file's start is
 * skipped, as {@code Corpus.open} skips it. Every character is kept, CR included (as
 * {@code Newlines.KEEP}): for a text with CR this is not {@code Corpus.open}'s default, which reads
 * CRLF as LF; for a text without CR the two read the same.
 */
final class Utf8Blocks {
    private Utf8Blocks() {
    }

    /** A decoded run: code points and the byte offset just after each. */
    record Decoded(int[] codePoints, long[] ends, int count) implements Serializable {
    }

    /** @return whether {@code b} continues a multi-byte sequence */
    static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * Decodes up to {@code max} code points whose first byte lies in {@code [from, until)}.
     *
     * @param in the file
     * @param fileLength its length in bytes
     * @param from where to start; continuation bytes at it belong to the code point before and are skipped
     * @param until no code point starting at or after this is decoded
     * @param max at most this many
     * @param path the file's name, for errors
     * @throws IOException naming the byte offset if the text is not valid UTF-8
     */
    static Decoded decode(FSDataInputStream in, long fileLength, long from, long until, int max, String path)
            throws IOException {
        long end = Math.min(fileLength, until + 3);
        int length = (int) Math.min(end - from, Integer.MAX_VALUE - 8);
        byte[] bytes = new byte[length];
        in.readFully(from, bytes, 0, length);
        int i = 0;
        if (from == 0 && length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            i = 3;
        }
        while (i < length && continuation(bytes[i])) {
            i++;
        }
        int cap = (int) Math.min(max, Math.max(0, until - from));
        int[] cps = new int[Math.max(cap, 0)];
        long[] ends = new long[cps.length];
        int n = 0;
        while (n < cap && i < length && from + i < until) {
            int b0 = bytes[i] & 0xFF;
            int need = b0 < 0x80 ? 0 : b0 >= 0xC2 && b0 <= 0xDF ? 1 : b0 >= 0xE0 && b0 <= 0xEF ? 2
                    : b0 >= 0xF0 && b0 <= 0xF4 ? 3 : -1;
            if (need < 0 || i + need >= length) {
                throw invalid(path, from + i);
            }
            int cp = need == 0 ? b0 : b0 & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                byte b = bytes[i + k];
                if (!continuation(b)) {
                    throw invalid(path, from + i);
                }
                cp = cp << 6 | (b & 0x3F);
            }
            boolean overlong = need == 2 && cp < 0x800 || need == 3 && cp < 0x10000;
            if (overlong || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                throw invalid(path, from + i);
            }
            i += need + 1;
            cps[n] = cp;
            ends[n] = from + i;
            n++;
        }
        return new Decoded(cps, ends, n);
    }

    private static IOException invalid(String path, long offset) {
        return new IOException(path + " is not valid UTF-8 at byte " + offset);
    }
}
