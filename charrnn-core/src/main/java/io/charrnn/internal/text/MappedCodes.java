package io.charrnn.internal.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.Checksum;

/**
 * Codes kept in a temporary file of 1, 2 or 4 bytes per code (by vocabulary size), mapped into
 * memory in slices of at most 1 GiB, so the heap holds none of them and a corpus may exceed 2 GB.
 *
 * <p>The file is opened with {@link StandardOpenOption#DELETE_ON_CLOSE}: on Linux and macOS it is
 * unlinked at once and its space returns when the mapping is released, even if the process is
 * killed; elsewhere it is also marked {@link java.io.File#deleteOnExit()}.
 */
public final class MappedCodes implements Codes {
    private static final int SHIFT = 30;
    private static final long MASK = (1L << SHIFT) - 1;

    private final Storage storage;
    private final int start;
    private final int length;

    private record Storage(FileChannel channel, MappedByteBuffer[] slices, int width) {
    }

    private MappedCodes(Storage storage, int start, int length) {
        this.storage = storage;
        this.start = start;
        this.length = length;
    }

    /** @return bytes per code for a vocabulary of {@code size} characters: 1, 2 or 4 */
    public static int width(int size) {
        return size <= 1 << 8 ? 1 : size <= 1 << 16 ? 2 : 4;
    }

    /** @return bytes per code in the file */
    public int width() {
        return storage.width;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public void copy(int from, int[] destination, int offset, int n) {
        Objects.checkFromIndexSize(from, n, length);
        Objects.checkFromIndexSize(offset, n, destination.length);
        int w = storage.width;
        for (int i = 0; i < n; i++) {
            long p = (long) (start + from + i) * w;
            MappedByteBuffer b = storage.slices[(int) (p >>> SHIFT)];
            int at = (int) (p & MASK);
            destination[offset + i] = w == 1 ? b.get(at) & 0xFF : w == 2 ? b.getShort(at) & 0xFFFF : b.getInt(at);
        }
    }

    @Override
    public Codes slice(int from, int n) {
        Objects.checkFromIndexSize(from, n, length);
        return new MappedCodes(storage, start + from, n);
    }

    /** Reads through the file, not the mapping, so the pages do not stay in this process's memory. */
    @Override
    public void checksum(Checksum checksum) {
        int w = storage.width;
        ByteBuffer in = ByteBuffer.allocate(w << 16);
        byte[] out = new byte[4 << 16];
        long pos = (long) start * w;
        long end = (long) (start + length) * w;
        try {
            while (pos < end) {
                in.clear().limit((int) Math.min(in.capacity(), end - pos));
                while (in.hasRemaining()) {
                    if (storage.channel.read(in, pos + in.position()) < 0) {
                        throw new IOException("the corpus file ended early");
                    }
                }
                in.flip();
                int n = in.remaining() / w;
                for (int i = 0; i < n; i++) {
                    int c = w == 1 ? in.get() & 0xFF : w == 2 ? in.getShort() & 0xFFFF : in.getInt();
                    out[4 * i] = (byte) (c >>> 24);
                    out[4 * i + 1] = (byte) (c >>> 16);
                    out[4 * i + 2] = (byte) (c >>> 8);
                    out[4 * i + 3] = (byte) c;
                }
                checksum.update(out, 0, 4 * n);
                pos += (long) n * w;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the corpus file: " + e.getMessage(), e);
        }
    }

    /** Appends codes to a new temporary file; {@link #finish} maps it. Single-threaded. */
    public static final class Writer implements AutoCloseable {
        private final FileChannel channel;
        private final int width;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long count;
        private boolean finished;

        /**
         * @param width bytes per code, 1, 2 or 4
         * @param directory where the temporary file goes, or null for {@code java.io.tmpdir}
         */
        public Writer(int width, Path directory) throws IOException {
            if (width != 1 && width != 2 && width != 4) {
                throw new IllegalArgumentException("width must be 1, 2 or 4 bytes, got " + width);
            }
            this.width = width;
            Path file = directory == null ? Files.createTempFile("charrnn-corpus-", ".ids")
                    : Files.createTempFile(directory, "charrnn-corpus-", ".ids");
            file.toFile().deleteOnExit();
            try {
                this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                        StandardOpenOption.DELETE_ON_CLOSE);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }

        /** Appends one code, which must fit the width. */
        public void add(int code) throws IOException {
            if (buffer.remaining() < width) {
                drain();
            }
            switch (width) {
                case 1 -> buffer.put((byte) code);
                case 2 -> buffer.putShort((short) code);
                default -> buffer.putInt(code);
            }
            count++;
        }

        /** @return codes written so far */
        public long count() {
            return count;
        }

        private void drain() throws IOException {
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            buffer.clear();
        }

        /**
         * @return the codes written, mapped read-only
         * @throws IOException if the file cannot be written or mapped, or holds more than
         *     {@code Integer.MAX_VALUE} codes
         */
        public MappedCodes finish() throws IOException {
            if (count > Integer.MAX_VALUE) {
                throw new IOException("a corpus holds at most " + Integer.MAX_VALUE + " characters, got " + count);
            }
            drain();
            long bytes = count * width;
            MappedByteBuffer[] slices = new MappedByteBuffer[(int) ((bytes + MASK) >>> SHIFT)];
            for (int i = 0; i < slices.length; i++) {
                long from = (long) i << SHIFT;
                slices[i] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(1L << SHIFT, bytes - from));
            }
            finished = true;
            return new MappedCodes(new Storage(channel, slices, width), 0, (int) count);
        }

        /** Closes (and so deletes) the file unless {@link #finish} handed it over. */
        @Override
        public void close() throws IOException {
            if (!finished) {
                channel.close();
            }
        }
    }
}
