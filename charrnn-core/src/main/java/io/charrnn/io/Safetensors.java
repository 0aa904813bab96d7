package io.charrnn.io;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code .safetensors} format: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, ...}}, with an
 * optional {@code "__metadata__"} object of strings), then the tensors' raw little-endian bytes,
 * offsets counted from the end of the header. Nothing in it is code.
 */
final class Safetensors {
    /** The limit the safetensors library itself puts on a header. */
    private static final long MAX_HEADER = 100L << 20;
    private static final int MAX_NESTING = 64;

    private Safetensors() {
    }

    /** A file's tensors and its {@code __metadata__} strings. */
    record Contents(Map<String, TorchTensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Reads every tensor of a file, checking the header against the file before allocating any data.
     *
     * @return the tensors in header order; non-floating-point tensors have {@code values == null}
     * @throws ModelFormatException if the file is not a valid safetensors file
     */
    static Contents read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file + ": expected a safetensors file (an 8-byte header length, "
                        + "a JSON header, data), found only " + size + " bytes");
            }
            long n = readFully(ch, 0, 8).getLong();
            if (n < 2 || n > size - 8 || n > MAX_HEADER) {
                throw new ModelFormatException(file + ": expected a header length in [2, "
                        + Math.min(size - 8, MAX_HEADER) + "] (the file has " + size + " bytes), found "
                        + Long.toUnsignedString(n));
            }
            JsonObject header = parse(file, readFully(ch, 8, (int) n));
            long dataStart = 8 + n;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TorchTensor> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                String name = e.getKey();
                if (name.equals("__metadata__")) {
                    metadata(file, e.getValue(), metadata);
                    continue;
                }
                String what = file + ": tensor '" + name + "'";
                if (!e.getValue().isJsonObject()) {
                    throw new ModelFormatException(what + ": expected an object {dtype, shape, data_offsets}, found "
                            + e.getValue());
                }
                JsonObject o = e.getValue().getAsJsonObject();
                String dtypeName = o.get("dtype") instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
                if (dtypeName == null) {
                    throw new ModelFormatException(what + ": expected a string \"dtype\", found " + o.get("dtype"));
                }
                long[] shape = longs(what, o.get("shape"), "shape", 32);
                long[] offsets = longs(what, o.get("data_offsets"), "data_offsets", 2);
                if (offsets.length != 2 || offsets[0] > offsets[1] || offsets[1] > dataLength) {
                    throw new ModelFormatException(what + ": expected \"data_offsets\" [begin, end] with "
                            + "begin <= end <= "
                            + dataLength + " (the data's length), found " + o.get("data_offsets"));
                }
                int count = TorchTensor.elementCount(shape, what);
                TorchDtype dtype = TorchDtype.ofSafetensors(dtypeName);
                if (dtype == null || !dtype.floating) {
                    String shown = dtype == null ? dtypeName : dtype.pythonName();
                    tensors.put(name, new TorchTensor(name, shown, shape, null));
                    continue;
                }
                long bytes = (long) count * dtype.bytes;
                if (offsets[1] - offsets[0] != bytes) {
                    throw new ModelFormatException(what + ": data_offsets " + o.get("data_offsets") + " hold "
                            + (offsets[1] - offsets[0]) + " bytes, but its shape " + java.util.Arrays.toString(shape)
                            + " of " + dtypeName + " needs " + bytes);
                }
                ByteBuffer data = readFully(ch, dataStart + offsets[0], (int) bytes);
                float[] values = new float[count];
                for (int i = 0; i < count; i++) {
                    values[i] = dtype.read(data, i);
                }
                tensors.put(name, new TorchTensor(name, dtype.pythonName(), shape, values));
            }
            return new Contents(tensors, metadata);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new java.io.EOFException("the file ended at byte " + (at + b.position()));
            }
        }
        return b.flip();
    }

    private static JsonObject parse(Path file, ByteBuffer bytes) throws ModelFormatException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file + ": expected a UTF-8 JSON header, found malformed bytes", e);
        }
        if (nesting(text) > MAX_NESTING) {
            throw new ModelFormatException(file + ": expected a valid JSON header, found arrays or objects nested "
                    + "deeper than " + MAX_NESTING);
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement root = new Gson().getAdapter(JsonElement.class).read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new ModelFormatException(file + ": expected one JSON object in the header, found more after it");
            }
            if (root == null || !root.isJsonObject()) {
                throw new ModelFormatException(file + ": expected a JSON object as the header, found " + root);
            }
            return root.getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            if (e instanceof ModelFormatException m) {
                throw m;
            }
            String msg = String.valueOf(e.getMessage());
            int see = msg.indexOf("\nSee ");
            throw new ModelFormatException(file + ": expected a valid JSON header, found "
                    + e.getClass().getSimpleName()
                    + ": " + (see > 0 ? msg.substring(0, see) : msg), e);
        }
    }

    /** The deepest nesting of brackets outside strings: a header is 3 deep, and Gson recurses per level. */
    private static int nesting(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                max = Math.max(max, ++depth);
            } else if (c == ']' || c == '}') {
                depth--;
            }
        }
        return max;
    }

    private static void metadata(Path file, JsonElement m, Map<String, String> out) throws ModelFormatException {
        if (!m.isJsonObject()) {
            throw new ModelFormatException(file + ": expected \"__metadata__\" to be an object of strings, found " + m);
        }
        for (Map.Entry<String, JsonElement> e : m.getAsJsonObject().entrySet()) {
            if (!(e.getValue() instanceof JsonPrimitive p) || !p.isString()) {
                throw new ModelFormatException(file + ": expected \"__metadata__\" values to be strings, found "
                        + e.getKey() + ": " + e.getValue());
            }
            out.put(e.getKey(), p.getAsString());
        }
    }

    private static long[] longs(String what, JsonElement e, String field, int maxLength) throws ModelFormatException {
        if (e == null || !e.isJsonArray() || e.getAsJsonArray().size() > maxLength) {
            throw new ModelFormatException(what + ": expected \"" + field + "\" to be an array of at most " + maxLength
                    + " integers, found " + e);
        }
        JsonArray a = e.getAsJsonArray();
        long[] out = new long[a.size()];
        for (int i = 0; i < out.length; i++) {
            JsonElement x = a.get(i);
            try {
                if (!(x instanceof JsonPrimitive p) || !p.isNumber()) {
                    throw new NumberFormatException();
                }
                out[i] = p.getAsBigDecimal().longValueExact();
            } catch (NumberFormatException | ArithmeticException ex) {
                throw new ModelFormatException(what + ": expected \"" + field + "\" to hold integers in the range of a "
                        + "64-bit integer, found " + x);
            }
            if (out[i] < 0) {
                throw new ModelFormatException(what + ": expected \"" + field + "\" to hold integers >= 0, found " + x);
            }
        }
        return out;
    }

    /**
     * Writes float32 tensors, in order, with a header padded by spaces to a multiple of 8 bytes as the
     * safetensors library writes it.
     */
    static void write(OutputStream out, Map<String, TorchTensor> tensors, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject m = new JsonObject();
            metadata.forEach(m::addProperty);
            header.add("__metadata__", m);
        }
        long offset = 0;
        for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) {
            TorchTensor t = e.getValue();
            JsonObject o = new JsonObject();
            o.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            for (long d : t.shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += 4L * t.values().length;
            offsets.add(offset);
            o.add("data_offsets", offsets);
            header.add(e.getKey(), o);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (TorchTensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.values());
            out.write(b.array());
        }
    }
}
