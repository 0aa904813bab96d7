package io.charrnn.io;

import static io.charrnn.io.PickleValues.describe;

import io.charrnn.io.PickleValues.PyGlobal;
import io.charrnn.io.PickleValues.PyTuple;
import io.charrnn.io.PickleValues.StorageRef;
import io.charrnn.io.PickleValues.TensorRef;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The globals a state dict's pickle may use, and what calling them builds: {@code
 * collections.OrderedDict()} an empty dict, {@code torch._utils._rebuild_tensor_v2} and {@code
 * _rebuild_parameter} a {@link TensorRef}, and a {@code torch.*Storage} type only inside a persistent
 * storage id, which gives a {@link StorageRef}. Everything else is refused, before anything is
 * created, with an error from {@link PickleReader} (which names the byte it is at).
 */
final class TorchGlobals {
    private static final Set<String> CALLABLE = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter");

    private final Function<String, ModelFormatException> error;

    /** @param error makes the reader's error for a message */
    TorchGlobals(Function<String, ModelFormatException> error) {
        this.error = error;
    }

    private ModelFormatException error(String message) {
        return error.apply(message);
    }

    PyGlobal global(String module, String name) throws ModelFormatException {
        PyGlobal g = new PyGlobal(module, name);
        if (CALLABLE.contains(g.toString()) || module.equals("torch") && TorchDtype.ofStorage(name) != null) {
            return g;
        }
        String hint = module.equals("__main__") || !module.startsWith("torch") && !module.equals("collections")
                ? "; is this a whole pickled model? Save model.state_dict() instead" : "";
        throw error("refused the global " + g + ": a state dict may only use collections.OrderedDict, "
                + "torch._utils._rebuild_tensor_v2, torch._utils._rebuild_parameter and the torch.*Storage types"
                + hint);
    }

    StorageRef persistent(Object pid) throws ModelFormatException {
        if (pid instanceof PyTuple t && t.items().size() == 5 && "storage".equals(t.items().get(0))
                && t.items().get(1) instanceof PyGlobal type && TorchDtype.ofStorage(type.name()) != null
                && type.module().equals("torch") && t.items().get(2) instanceof String key
                && t.items().get(3) instanceof String && t.items().get(4) instanceof Long elements) {
            if (elements < 0 || !key.matches("[A-Za-z0-9_]{1,64}")) {
                throw error("expected a storage key of letters and digits and a count >= 0, found '"
                        + key + "' and " + elements);
            }
            return new StorageRef(TorchDtype.ofStorage(type.name()), key, elements);
        }
        throw error("expected a persistent id ('storage', torch.<Type>Storage, key, location, size), found "
                + describe(pid));
    }

    Object call(Object callable, Object args) throws ModelFormatException {
        if (!(callable instanceof PyGlobal g) || !CALLABLE.contains(g.toString())) {
            throw error("refused to call " + describe(callable) + ": only collections.OrderedDict and "
                    + "torch._utils._rebuild_tensor_v2 / _rebuild_parameter are called");
        }
        if (!(args instanceof PyTuple t)) {
            throw error("expected a tuple of arguments for " + g + ", found " + describe(args));
        }
        List<Object> a = t.items();
        switch (g.name()) {
            case "OrderedDict" -> {
                if (!a.isEmpty()) {
                    throw error("expected collections.OrderedDict() without arguments, found " + a.size());
                }
                return new LinkedHashMap<>();
            }
            case "_rebuild_parameter" -> {
                if (a.size() != 3 || !(a.get(0) instanceof TensorRef data)) {
                    throw error("expected _rebuild_parameter(tensor, requires_grad, hooks), found " + describe(args));
                }
                return data;
            }
            default -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef storage) || !(a.get(1) instanceof Long offset)) {
                    throw error("expected _rebuild_tensor_v2(storage, offset, size, stride, ...), found "
                            + describe(args));
                }
                return new TensorRef(storage, offset, longs(a.get(2), "size"), longs(a.get(3), "stride"));
            }
        }
    }

    long[] longs(Object o, String what) throws ModelFormatException {
        if (o instanceof PyTuple t && t.items().size() <= 32) {
            long[] out = new long[t.items().size()];
            for (int i = 0; i < out.length; i++) {
                if (!(t.items().get(i) instanceof Long v)) {
                    throw error("expected the tensor's " + what + " to be a tuple of 64-bit integers, found "
                            + describe(o));
                }
                out[i] = v;
            }
            return out;
        }
        throw error("expected the tensor's " + what + " to be a tuple of at most 32 integers, found " + describe(o));
    }
}
