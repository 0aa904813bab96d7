package io.charrnn.internal.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Writes and reads float32 arrays in NumPy's {@code .npy} format, without ND4J.
 *
 * <p>The writer produces format version 1.0: the magic {@code \x93NUMPY}, the bytes {@code 1 0},
 * the header length as a little-endian {@code uint16}, then the header, an ASCII Python dict
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }} padded with spaces and
 * ended by {@code '\n'} so that magic, version, length and header together fill a multiple of 64
 * bytes; then the values as little-endian IEEE float32 in C (row-major) order. A vector has the
 * shape {@code (n,)}.
 *
 * <p>The reader accepts versions 1.0 and 2.0 (2.0 has a {@code uint32} header length), any key
 * order, either quote style and optional trailing commas in the header, and nothing else: the
 * dtype must be {@code '<f4'}, {@code fortran_order} must be {@code False}, and the shape must be
 * the one the caller expects. It allocates nothing larger than the expected shape, reads header
 * bytes only up to a fixed cap, and insists that the data ends exactly where the shape says.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    /** Real headers are under 128 bytes; anything near this cap is forged. */
    private static final int MAX_HEADER_LENGTH = 1 << 16;
    private static final int CHUNK_FLOATS = 1 << 12;

    private Npy() {
    }

    /**
     * @param shape {@code [n]} for a vector, {@code [rows, cols]} for a matrix
     * @return the preamble and padded header that {@link #write} puts before the data
     */
    public static byte[] header(int[] shape) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeLiteral(shape) + ", }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        byte[] out = new byte[total];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        out[6] = 1;
        out[7] = 0;
        int headerLength = total - 10;
        out[8] = (byte) headerLength;
        out[9] = (byte) (headerLength >>> 8);
        byte[] text = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, out, 10, text.length);
        Arrays.fill(out, 10 + text.length, total - 1, (byte) ' ');
        out[total - 1] = '\n';
        return out;
    }

    /**
     * @param shape the shape
     * @return the shape as NumPy prints it: {@code (n,)} or {@code (r, c)}
     */
    public static String shapeLiteral(int[] shape) {
        return longShapeLiteral(toLongs(shape));
    }

    /**
     * @param shape the shape
     * @return the number of bytes {@link #write} produces for it
     */
    public static long byteLength(int[] shape) {
        return header(shape).length + 4L * elementCount(shape);
    }

    /**
     * @param shape the shape
     * @param data holds the values
     * @param offset where in {@code data} they start
     * @return the CRC-32 of what {@link #write(OutputStream, int[], float[], int)} produces (a zip entry stored
     *     uncompressed needs it up front)
     */
    public static long crc32(int[] shape, float[] data, int offset) {
        CRC32 crc = new CRC32();
        try {
            write(new OutputStream() {
                @Override
                public void write(int b) {
                    crc.update(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    crc.update(b, off, len);
                }
            }, shape, data, offset);
        } catch (IOException e) {
            throw new IllegalStateException("internal error: a CRC sink threw " + e, e);
        }
        return crc.getValue();
    }

    /**
     * Writes one array.
     *
     * @param out where to write; not closed
     * @param shape {@code [n]} or {@code [rows, cols]}
     * @param data the values in C order, exactly as many as the shape holds
     * @throws IOException if {@code out} throws
     */
    public static void write(OutputStream out, int[] shape, float[] data) throws IOException {
        if (elementCount(shape) != data.length) {
            throw new IllegalStateException("internal error: shape " + Arrays.toString(shape) + " holds "
                    + elementCount(shape) + " values, got " + data.length);
        }
        write(out, shape, data, 0);
    }

    /**
     * Writes one array held in part of a larger one (a model's tensors in its flat weights), without copying it.
     *
     * @param out where to write; not closed
     * @param shape {@code [n]} or {@code [rows, cols]}
     * @param data holds the values in C order
     * @param offset where in {@code data} they start; the shape's element count must fit after it
     * @throws IOException if {@code out} throws
     */
    public static void write(OutputStream out, int[] shape, float[] data, int offset) throws IOException {
        long count = elementCount(shape);
        if (offset < 0 || offset + count > data.length) {
            throw new IllegalStateException("internal error: shape " + Arrays.toString(shape) + " holds " + count
                    + " values, from offset " + offset + " of " + data.length);
        }
        out.write(header(shape));
        ByteBuffer buffer = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i += CHUNK_FLOATS) {
            int n = (int) Math.min(CHUNK_FLOATS, count - i);
            buffer.clear();
            buffer.asFloatBuffer().put(data, offset + i, n);
            out.write(buffer.array(), 0, 4 * n);
        }
    }

    /**
     * Reads one array whose shape the caller knows in advance.
     *
     * @param in the npy bytes; read to its end, not closed
     * @param expectedShape the shape the array must have
     * @return the values in C order
     * @throws FormatViolation if the bytes are not an npy array of {@code '<f4'} in C order of the
     *     expected shape, or the data is shorter or longer than the shape says
     * @throws IOException if {@code in} throws
     */
    public static float[] read(InputStream in, int[] expectedShape) throws IOException, FormatViolation {
        byte[] preamble = in.readNBytes(8);
        if (preamble.length < 8) {
            throw new FormatViolation("expected the 8-byte npy preamble (\\x93NUMPY and a version), found "
                    + preamble.length + " bytes");
        }
        if (!Arrays.equals(Arrays.copyOf(preamble, 6), MAGIC)) {
            throw new FormatViolation("expected the npy magic \\x93NUMPY, found " + hex(preamble, 6));
        }
        int major = preamble[6] & 0xff;
        int minor = preamble[7] & 0xff;
        if ((major != 1 && major != 2) || minor != 0) {
            throw new FormatViolation("expected npy format version 1.0 or 2.0, found " + major + "." + minor);
        }
        byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
        if (lengthBytes.length < (major == 1 ? 2 : 4)) {
            throw new FormatViolation("expected the npy header length, found the end of the data");
        }
        long headerLength = 0;
        for (int i = lengthBytes.length - 1; i >= 0; i--) {
            headerLength = headerLength << 8 | (lengthBytes[i] & 0xff);
        }
        if (headerLength > MAX_HEADER_LENGTH) {
            throw new FormatViolation("expected an npy header of at most " + MAX_HEADER_LENGTH + " bytes, found a length of "
                    + headerLength);
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw new FormatViolation("expected an npy header of " + headerLength + " bytes, found only "
                    + headerBytes.length + " (truncated)");
        }
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        NpyHeader parsed = NpyHeader.parse(header);
        if (!"<f4".equals(parsed.descr())) {
            throw new FormatViolation("expected dtype '<f4' (little-endian float32), found '" + parsed.descr() + "'");
        }
        if (parsed.fortranOrder()) {
            throw new FormatViolation("expected fortran_order False (C order), found True");
        }
        if (!Arrays.equals(parsed.shape(), toLongs(expectedShape))) {
            throw new FormatViolation("expected shape " + shapeLiteral(expectedShape) + " (from the config and "
                    + "charrnn.json), found " + longShapeLiteral(parsed.shape()));
        }
        int count = (int) elementCount(expectedShape);
        float[] values = new float[count];
        byte[] chunk = new byte[4 * Math.min(CHUNK_FLOATS, Math.max(count, 1))];
        ByteBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i += CHUNK_FLOATS) {
            int n = Math.min(CHUNK_FLOATS, count - i);
            int got = in.readNBytes(chunk, 0, 4 * n);
            if (got < 4 * n) {
                throw new FormatViolation("expected " + 4L * count + " bytes of float32 data for shape "
                        + shapeLiteral(expectedShape) + ", found only " + (4L * i + got) + " (truncated)");
            }
            view.clear();
            view.asFloatBuffer().get(values, i, n);
        }
        if (in.read() != -1) {
            throw new FormatViolation("expected the data to end after " + 4L * count + " bytes for shape "
                    + shapeLiteral(expectedShape) + ", found more");
        }
        return values;
    }

    private static long elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static long[] toLongs(int[] shape) {
        return Arrays.stream(shape).asLongStream().toArray();
    }

    private static String longShapeLiteral(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(')').toString();
    }

    private static String hex(byte[] bytes, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(String.format("\\x%02x", bytes[i] & 0xff));
        }
        return sb.toString();
    }
}
