package io.charrnn.io;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The values {@link PickleReader} builds from a state dict's pickle: Python {@code None} is
 * {@link #NONE}, booleans {@code Boolean}, integers {@code Long} (or {@code BigInteger} past 64
 * bits), floats {@code Double}, strings {@code String}, bytes {@code byte[]}, tuples {@link PyTuple},
 * lists {@code List}, dicts (and OrderedDicts) {@code LinkedHashMap}; the allowed globals are
 * {@link PyGlobal}s, and the torch calls give {@link StorageRef}s and {@link TensorRef}s.
 */
final class PickleValues {
    private PickleValues() {
    }

    /** Python's None. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    /** A tuple: immutable, compared by value, so it can be a dict key. */
    record PyTuple(List<Object> items) {
    }

    /** An allowed global, as pushed by {@code GLOBAL}. */
    record PyGlobal(String module, String name) {
        @Override
        public String toString() {
            return module + "." + name;
        }
    }

    /** A tensor storage named by a persistent id: the entry {@code data/<key>} of the archive. */
    record StorageRef(TorchDtype dtype, String key, long elements) {
    }

    /** A tensor: a strided view of a storage, as {@code _rebuild_tensor_v2} describes it. */
    record TensorRef(StorageRef storage, long offset, long[] size, long[] stride) {
    }

    /** Keys must hash without recursion: plain values and shallow tuples of them (a list may contain itself). */
    static boolean hashable(Object k, int depth) {
        if (k instanceof PyTuple t) {
            return depth < 8 && t.items().stream().allMatch(x -> hashable(x, depth + 1));
        }
        return k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double
                || k instanceof Boolean || k == NONE;
    }

    /** @return a short description of a value for messages */
    static String describe(Object o) {
        if (o instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        if (o instanceof PyTuple t) {
            return "a tuple of " + t.items().size();
        }
        if (o instanceof List<?> l) {
            return "a list of " + l.size();
        }
        if (o instanceof Map<?, ?> m) {
            return "a dict of " + m.size();
        }
        if (o instanceof TensorRef) {
            return "a tensor";
        }
        if (o instanceof StorageRef) {
            return "a storage";
        }
        if (o instanceof PyGlobal g) {
            return g.toString();
        }
        if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        }
        return String.valueOf(o);
    }
}
