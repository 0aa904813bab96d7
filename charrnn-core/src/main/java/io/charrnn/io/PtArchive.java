package io.charrnn.io;

import io.charrnn.io.PickleValues.StorageRef;
import io.charrnn.io.PickleValues.TensorRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * PyTorch's {@code torch.save} zip format (PyTorch 1.6 and later), for state dicts: a zip archive
 * whose entries share one top-level folder ({@code archive/} or the file's stem) and hold {@code
 * data.pkl} (the pickled state dict, tensors as persistent references to storages), {@code
 * data/<key>} (each storage's raw little-endian bytes), {@code version} and, since PyTorch 2.1,
 * {@code byteorder}. Reading goes through {@link PickleReader}, so it never runs code.
 */
final class PtArchive {
    /** Pickles of state dicts are about 200 bytes per tensor; this bounds a forged one. */
    private static final int MAX_PICKLE_BYTES = 64 << 20;

    private PtArchive() {
    }

    /**
     * Reads the state dict of a {@code .pt} file.
     *
     * @return the tensors in the file's order; non-floating-point tensors have {@code values == null}
     * @throws ModelFormatException if the file is not a {@code torch.save}d state dict or is damaged
     */
    static Map<String, TorchTensor> read(Path file) throws IOException {
        checkMagic(file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = prefix(file, zip);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String o = new String(readEntry(file, zip, order, 16), StandardCharsets.US_ASCII).strip();
                if (!o.equals("little")) {
                    throw new ModelFormatException(file + ": expected little-endian storages (byteorder \"little\"), "
                            + "found \"" + o + "\"");
                }
            }
            String pklName = prefix + "data.pkl";
            Object root = PickleReader.read(file + ": " + pklName,
                    readEntry(file, zip, zip.getEntry(pklName), MAX_PICKLE_BYTES));
            Map<String, TensorRef> refs = stateDict(file, root);
            Map<String, ByteBuffer> storages = new HashMap<>();
            Map<String, TorchTensor> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorRef> e : refs.entrySet()) {
                TensorRef t = e.getValue();
                StorageRef s = t.storage();
                ByteBuffer data = storages.get(s.key());
                if (data == null) {
                    data = storage(file, zip, prefix, s);
                    storages.put(s.key(), data);
                }
                out.put(e.getKey(), tensor(file + ": tensor '" + e.getKey() + "'", e.getKey(), t, data));
            }
            return out;
        } catch (ZipException e) {
            throw new ModelFormatException(file + ": expected a zip archive written by torch.save, found a damaged "
                    + "one ("
                    + e.getMessage() + ")", e);
        }
    }

    private static void checkMagic(Path file) throws IOException {
        byte[] head = new byte[4];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, 4);
        }
        if (n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return;
        }
        if (n >= 1 && (head[0] & 0xff) == 0x80) {
            throw new ModelFormatException(file + ": this is PyTorch's legacy (before 1.6) torch.save format, which "
                    + "is not read; load and save it again with a current PyTorch, or save it as .safetensors");
        }
        throw new ModelFormatException(file + ": expected a zip archive written by torch.save (starting \"PK\"), "
                + "found other bytes");
    }

    /** Checks every entry name and returns the one top-level folder holding {@code data.pkl}, with its slash. */
    private static String prefix(Path file, ZipFile zip) throws ModelFormatException {
        List<String> pickles = new ArrayList<>();
        for (ZipEntry e : zip.stream().toList()) {
            String name = e.getName();
            if (name.startsWith("/") || name.contains("\\") || name.contains(":")
                    || ("/" + name + "/").contains("/../") || ("/" + name + "/").contains("/./")) {
                throw new ModelFormatException(file + ": refused the zip entry \"" + name
                        + "\": entry names must be relative paths inside the archive");
            }
            if (name.endsWith("/data.pkl") && name.indexOf('/') == name.length() - "/data.pkl".length()) {
                pickles.add(name);
            }
        }
        if (pickles.size() != 1) {
            throw new ModelFormatException(file + ": expected one <folder>/data.pkl entry (a torch.save archive), "
                    + "found "
                    + (pickles.isEmpty() ? "none" : pickles));
        }
        return pickles.get(0).substring(0, pickles.get(0).length() - "data.pkl".length());
    }

    private static byte[] readEntry(Path file, ZipFile zip, ZipEntry entry, int max) throws IOException {
        if (entry.getSize() > max) {
            throw new ModelFormatException(file + ": expected the entry " + entry.getName() + " to hold at most "
                    + max + " bytes, found " + entry.getSize());
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] b = in.readNBytes(max);
            if (in.read() >= 0) {
                throw new ModelFormatException(file + ": expected the entry " + entry.getName() + " to hold at most "
                        + max + " bytes, found more");
            }
            return b;
        }
    }

    /** The state dict in an unpickled object: a dict of tensors, or one inside a training checkpoint's dict. */
    private static Map<String, TensorRef> stateDict(Path file, Object root) throws ModelFormatException {
        if (!(root instanceof Map<?, ?> top)) {
            throw new ModelFormatException(file + ": expected a pickled dict of tensors (a state dict), found "
                    + PickleValues.describe(root));
        }
        if (!top.isEmpty() && top.values().stream().allMatch(v -> v instanceof TensorRef)) {
            return tensors(file, top);
        }
        for (String key : List.of("state_dict", "model_state_dict", "model")) {
            if (top.get(key) instanceof Map<?, ?> inner && !inner.isEmpty()
                    && inner.values().stream().allMatch(v -> v instanceof TensorRef)) {
                return tensors(file, inner);
            }
        }
        List<String> notTensors = top.entrySet().stream().filter(e -> !(e.getValue() instanceof TensorRef))
                .map(e -> PickleValues.describe(e.getKey()) + ": " + PickleValues.describe(e.getValue()))
                .limit(5).toList();
        throw new ModelFormatException(file + ": expected a dict of tensors (a state dict), or one under "
                + "\"state_dict\", \"model_state_dict\" or \"model\"; found " + (top.isEmpty() ? "an empty dict"
                : "entries that are not tensors: " + notTensors));
    }

    private static Map<String, TensorRef> tensors(Path file, Map<?, ?> dict) throws ModelFormatException {
        Map<String, TensorRef> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new ModelFormatException(file + ": expected the state dict's keys to be strings, found "
                        + PickleValues.describe(e.getKey()));
            }
            out.put(name, (TensorRef) e.getValue());
        }
        return out;
    }

    private static ByteBuffer storage(Path file, ZipFile zip, String prefix, StorageRef s) throws IOException {
        String name = prefix + "data/" + s.key();
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new ModelFormatException(file + ": expected the storage entry " + name + ", found none");
        }
        if (s.elements() > (Integer.MAX_VALUE - 8) / s.dtype().bytes) {
            throw new ModelFormatException(file + ": storage " + s.key() + " claims " + s.elements() + " "
                    + s.dtype().pythonName() + " values, more than 2^31 bytes");
        }
        long need = s.elements() * s.dtype().bytes;
        try (InputStream in = zip.getInputStream(entry)) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream((int) Math.min(need, 1 << 20));
            byte[] chunk = new byte[1 << 16];
            long left = need;
            int n;
            while (left > 0 && (n = in.read(chunk, 0, (int) Math.min(chunk.length, left))) > 0) {
                buf.write(chunk, 0, n);
                left -= n;
            }
            if (left > 0) {
                throw new ModelFormatException(file + ": storage " + name + " holds " + (need - left)
                        + " bytes, but its "
                        + s.elements() + " " + s.dtype().pythonName() + " values need " + need);
            }
            return ByteBuffer.wrap(buf.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    /** Gathers a strided view of a storage into a row-major float32 tensor, every index checked. */
    private static TorchTensor tensor(String what, String name, TensorRef t, ByteBuffer data)
            throws ModelFormatException {
        long[] size = t.size();
        long[] stride = t.stride();
        int count = TorchTensor.elementCount(size, what);
        if (stride.length != size.length) {
            throw new ModelFormatException(what + ": expected a stride per dimension of "
                    + java.util.Arrays.toString(size)
                    + ", found " + java.util.Arrays.toString(stride));
        }
        long elements = t.storage().elements();
        if (count > 0) {
            long last = t.offset();
            boolean ok = last >= 0 && last < elements;
            for (int d = 0; d < size.length && ok; d++) {
                ok = stride[d] >= 0 && stride[d] <= elements;
                last += (size[d] - 1) * stride[d]; // each < 2^31 · 2^31 and last < 2^31 before: no overflow
                ok &= last < elements;
            }
            if (!ok) {
                throw new ModelFormatException(what + ": the view (offset " + t.offset() + ", shape "
                        + java.util.Arrays.toString(size) + ", stride " + java.util.Arrays.toString(stride)
                        + ") reaches past its storage of " + elements + " values");
            }
        }
        TorchDtype dtype = t.storage().dtype();
        if (!dtype.floating) {
            return new TorchTensor(name, dtype.pythonName(), size, null);
        }
        float[] values = new float[count];
        int[] index = new int[size.length];
        long at = t.offset();
        for (int i = 0; i < count; i++) {
            values[i] = dtype.read(data, (int) at);
            for (int d = size.length - 1; d >= 0; d--) { // odometer over the row-major index
                at += stride[d];
                if (++index[d] < size[d]) {
                    break;
                }
                at -= stride[d] * size[d];
                index[d] = 0;
            }
        }
        return new TorchTensor(name, dtype.pythonName(), size, values);
    }

    /**
     * Writes float32 tensors as {@code torch.save(state_dict)} does: one storage per tensor, entries
     * stored uncompressed under {@code archive/}, so that {@code torch.load(f, weights_only=True)}
     * gives an {@code OrderedDict} of tensors.
     */
    static void write(OutputStream out, Map<String, TorchTensor> tensors) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        put(zip, "archive/data.pkl", PickleWriter.stateDict(tensors));
        put(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        int key = 0;
        for (TorchTensor t : tensors.values()) {
            ByteBuffer b = ByteBuffer.allocate(t.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(t.values());
            put(zip, "archive/data/" + key++, b.array());
        }
        put(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        e.setCrc(crc.getValue());
        e.setTime(315532800000L + 86_400_000L); // fixed (1980-01-02): the same model gives the same bytes
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
