package io.charrnn.internal.text;

import java.util.Objects;
import java.util.zip.Checksum;

/**
 * A read-only sequence of vocabulary indices: the storage behind a corpus, either an {@code int[]}
 * on the heap ({@link #of(int[])}) or a memory-mapped file ({@link MappedCodes}). The trainer's
 * batch source, validation and evaluation read ids only through this interface.
 *
 * <p>Implementations are immutable and safe to read from several threads.
 */
public interface Codes {
    /** @return how many codes */
    int length();

    /**
     * Copies {@code length} codes from position {@code from}.
     *
     * @throws IndexOutOfBoundsException if a range lies outside this sequence or the destination
     */
    void copy(int from, int[] destination, int offset, int length);

    /** @return the codes {@code [from, from + length)} as a sequence sharing this storage */
    Codes slice(int from, int length);

    /**
     * Feeds every code, as four big-endian bytes, to a checksum (the corpus fingerprint of
     * checkpoints). The default reads through {@link #copy} in blocks.
     */
    default void checksum(Checksum checksum) {
        int[] block = new int[1 << 14];
        byte[] bytes = new byte[4 * block.length];
        for (int pos = 0; pos < length(); pos += block.length) {
            int n = Math.min(block.length, length() - pos);
            copy(pos, block, 0, n);
            for (int i = 0; i < n; i++) {
                int c = block[i];
                bytes[4 * i] = (byte) (c >>> 24);
                bytes[4 * i + 1] = (byte) (c >>> 16);
                bytes[4 * i + 2] = (byte) (c >>> 8);
                bytes[4 * i + 3] = (byte) c;
            }
            checksum.update(bytes, 0, 4 * n);
        }
    }

    /** @return a fresh array of all codes */
    default int[] toArray() {
        int[] out = new int[length()];
        copy(0, out, 0, out.length);
        return out;
    }

    /** @return the codes of an array, which the caller must not change afterwards */
    static Codes of(int[] codes) {
        return new ArrayCodes(Objects.requireNonNull(codes, "codes"), 0, codes.length);
    }

    /** A range of an {@code int[]}. */
    final class ArrayCodes implements Codes {
        private final int[] codes;
        private final int start;
        private final int length;

        ArrayCodes(int[] codes, int start, int length) {
            this.codes = codes;
            this.start = start;
            this.length = length;
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public void copy(int from, int[] destination, int offset, int n) {
            Objects.checkFromIndexSize(from, n, length);
            System.arraycopy(codes, start + from, destination, offset, n);
        }

        @Override
        public Codes slice(int from, int n) {
            Objects.checkFromIndexSize(from, n, length);
            return new ArrayCodes(codes, start + from, n);
        }
    }
}
