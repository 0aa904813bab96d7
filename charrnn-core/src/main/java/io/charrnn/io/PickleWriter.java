package io.charrnn.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the pickle of a float32 state dict as {@code torch.save} does (protocol 2): an {@code
 * OrderedDict} whose values are {@code torch._utils._rebuild_tensor_v2(storage, 0, size, stride,
 * False, OrderedDict())}, each storage a persistent id {@code ('storage', torch.FloatStorage, key,
 * 'cpu', numel)} with keys {@code "0"}, {@code "1"}, ... in order. Only what PyTorch's {@code
 * weights_only=True} loader accepts.
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PickleWriter() {
    }

    /** @return the pickle of {@code tensors} (contiguous float32), storages keyed by position */
    static byte[] stateDict(Map<String, TorchTensor> tensors) {
        PickleWriter w = new PickleWriter();
        w.op(0x80).op(2); // PROTO 2
        w.global("collections", "OrderedDict").op(')').op('R');
        w.op('(');
        int key = 0;
        for (Map.Entry<String, TorchTensor> e : tensors.entrySet()) {
            TorchTensor t = e.getValue();
            w.string(e.getKey());
            w.global("torch._utils", "_rebuild_tensor_v2");
            w.op('(');
            w.op('(').string("storage").global("torch", "FloatStorage").string(Integer.toString(key++))
                    .string("cpu").integer(t.values().length).op('t').op('Q'); // BINPERSID
            w.integer(0); // storage offset
            long[] shape = t.shape();
            long[] stride = new long[shape.length];
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                stride[d] = s;
                s *= shape[d];
            }
            w.op('(');
            for (long d : shape) {
                w.integer(d);
            }
            w.op('t').op('(');
            for (long d : stride) {
                w.integer(d);
            }
            w.op('t');
            w.op(0x89); // requires_grad False
            w.global("collections", "OrderedDict").op(')').op('R'); // backward hooks
            w.op('t').op('R');
        }
        w.op('u').op('.'); // SETITEMS, STOP
        return w.out.toByteArray();
    }

    private PickleWriter op(int code) {
        out.write(code);
        return this;
    }

    private PickleWriter global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    private PickleWriter string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X').int32(b.length);
        out.writeBytes(b);
        return this;
    }

    /** BININT: a signed 32-bit integer; every size, stride and count of a charrnn model fits. */
    private PickleWriter integer(long v) {
        if (v != (int) v) {
            throw new IllegalStateException("internal error: " + v + " does not fit a pickle BININT");
        }
        return op('J').int32((int) v);
    }

    private PickleWriter int32(int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
        return this;
    }
}
