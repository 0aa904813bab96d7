package io.charrnn.io;

import static io.charrnn.io.PickleValues.NONE;
import static io.charrnn.io.PickleValues.describe;
import static io.charrnn.io.PickleValues.hashable;

import io.charrnn.io.PickleValues.PyTuple;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A restricted unpickler for the {@code data.pkl} of a {@code torch.save}d state dict: PyTorch's
 * {@code weights_only=True} stance in Java. It interprets the pickle opcodes that build plain values
 * (None, booleans, integers, floats, strings, bytes), tuples, lists and dicts, and calls exactly
 * the globals {@link TorchGlobals} allows: {@code collections.OrderedDict} (with no arguments),
 * {@code torch._utils._rebuild_tensor_v2} and {@code torch._utils._rebuild_parameter} (which give a
 * tensor), and the {@code torch.*Storage} classes only as the type in a persistent storage id. Any
 * other global, and any opcode that would create or call anything else ({@code INST}, {@code OBJ},
 * {@code NEWOBJ}, extension codes, text-mode persistent ids), is refused with a {@link
 * ModelFormatException} before anything is created: loading a file never runs code.
 *
 * <p>The values it builds are described in {@link PickleValues}.
 */

final class PickleReader {
    private static final Object MARK = new Object();
    private static final int MAX_DEPTH = 1 << 20;

    private final String source;
    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final Deque<Integer> marks = new ArrayDeque<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final TorchGlobals torch = new TorchGlobals(this::error);

    private PickleReader(String source, byte[] pickle) {
        this.source = source;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Unpickles a state dict's pickle.
     *
     * @param source names the file and entry in messages, e.g. {@code model.pt: archive/data.pkl}
     * @param pickle the pickle's bytes
     * @return the object it builds
     * @throws ModelFormatException if the pickle is malformed, truncated, or uses a global or opcode
     *     outside the allowed set
     */
    static Object read(String source, byte[] pickle) throws ModelFormatException {
        try {
            return new PickleReader(source, pickle).run();
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new ModelFormatException(source + ": the pickle ends early (truncated or corrupt)", e);
        }
    }

    private ModelFormatException error(String message) {
        return new ModelFormatException(source + ": " + message + " (at byte " + Math.max(0, in.position() - 1) + ")");
    }

    private Object run() throws ModelFormatException {
        while (true) {
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> { // PROTO
                    int version = in.get() & 0xff;
                    if (version > 5) {
                        throw error("pickle protocol " + version + " is newer than this reader knows (2-5)");
                    }
                }
                case 0x95 -> in.getLong(); // FRAME: a length hint, the data follows inline
                case '.' -> { // STOP
                    if (stack.size() != 1 || !marks.isEmpty()) {
                        throw error("expected one object at the end of the pickle, found " + stack.size());
                    }
                    return stack.get(0);
                }
                case '(' -> {
                    marks.push(stack.size());
                    push(MARK);
                }
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> push(peek()); // DUP
                case 'N' -> push(NONE);
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'J' -> push((long) in.getInt()); // BININT
                case 'K' -> push((long) (in.get() & 0xff)); // BININT1
                case 'M' -> push((long) (in.getShort() & 0xffff)); // BININT2
                case 0x8a -> push(longValue(in.get() & 0xff)); // LONG1
                case 0x8b -> push(longValue(length(in.getInt()))); // LONG4
                case 'G' -> push(in.duplicate().order(ByteOrder.BIG_ENDIAN).getDouble(advance(8))); // BINFLOAT
                case 'X' -> push(utf8(length(in.getInt()))); // BINUNICODE
                case 0x8c -> push(utf8(in.get() & 0xff)); // SHORT_BINUNICODE
                case 0x8d -> push(utf8(length(in.getLong()))); // BINUNICODE8
                case 'T' -> push(latin1(length(in.getInt()))); // BINSTRING (Python 2 str)
                case 'U' -> push(latin1(in.get() & 0xff)); // SHORT_BINSTRING
                case 'B' -> push(bytes(length(in.getInt()))); // BINBYTES
                case 'C' -> push(bytes(in.get() & 0xff)); // SHORT_BINBYTES
                case 0x8e -> push(bytes(length(in.getLong()))); // BINBYTES8
                case ')' -> push(new PyTuple(List.of()));
                case 0x85 -> push(tuple(pop()));
                case 0x86 -> {
                    Object b = pop();
                    push(tuple(pop(), b));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    push(tuple(pop(), b, c));
                }
                case 't' -> push(new PyTuple(Collections.unmodifiableList(new ArrayList<>(popMark()))));
                case ']' -> push(new ArrayList<>());
                case 'l' -> push(new ArrayList<>(popMark()));
                case '}' -> push(new LinkedHashMap<>());
                case 'd' -> {
                    Map<Object, Object> dict = new LinkedHashMap<>();
                    putAll(dict, popMark());
                    push(dict);
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    list(peek(), "APPEND").add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    list(peek(), "APPENDS").addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    putAll(dict(peek(), "SETITEM"), List.of(k, v));
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    putAll(dict(peek(), "SETITEMS"), items);
                }
                case 'q' -> memo.put((long) (in.get() & 0xff), peek()); // BINPUT
                case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek()); // LONG_BINPUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> push(memo(in.get() & 0xff)); // BINGET
                case 'j' -> push(memo(in.getInt() & 0xffffffffL)); // LONG_BINGET
                case 'c' -> push(torch.global(line(), line())); // GLOBAL
                case 0x93 -> { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error("expected STACK_GLOBAL's module and name to be strings");
                    }
                    push(torch.global(m, n));
                }
                case 'Q' -> push(torch.persistent(pop())); // BINPERSID
                case 'R' -> { // REDUCE
                    Object args = pop();
                    push(torch.call(pop(), args));
                }
                case 'b' -> { // BUILD: OrderedDict's state (its _metadata), which a state dict needs not
                    Object state = pop();
                    if (!(peek() instanceof Map) || !(state instanceof Map || state instanceof PyTuple)) {
                        throw error("BUILD is allowed only to set a dict's attributes, found it on "
                                + describe(peek()));
                    }
                }
                default -> throw error(opcodeMessage(op));
            }
        }
    }

    private static String opcodeMessage(int op) {
        String what = switch (op) {
            case 'i', 'o', 0x81, 0x92 -> "creates an object of a class";
            case 0x82, 0x83, 0x84 -> "loads a global through the copyreg extension registry";
            case 'P' -> "is a text-mode persistent id";
            case 0x97, 0x98 -> "refers to an out-of-band buffer";
            default -> "is not one a state dict's pickle uses";
        };
        return String.format("refused pickle opcode 0x%02x ('%s'), which %s; a state dict holds only tensors, "
                + "containers and plain values", op, op >= 0x20 && op < 0x7f ? String.valueOf((char) op) : "?", what);
    }

    private void push(Object o) throws ModelFormatException {
        if (stack.size() >= MAX_DEPTH) {
            throw error("the pickle stack grows past " + MAX_DEPTH + " entries");
        }
        stack.add(o);
    }

    private Object pop() throws ModelFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error("the pickle pops from an empty stack");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() throws ModelFormatException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error("the pickle reads from an empty stack");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws ModelFormatException {
        if (marks.isEmpty()) {
            throw error("the pickle has no MARK to pop to");
        }
        int at = marks.pop();
        List<Object> items = new ArrayList<>(stack.subList(at + 1, stack.size()));
        stack.subList(at, stack.size()).clear();
        return items;
    }

    private Object memo(long index) throws ModelFormatException {
        Object o = memo.get(index);
        if (o == null) {
            throw error("the pickle refers to memo entry " + index + ", which it never stored");
        }
        return o;
    }

    private int advance(int n) {
        if (in.remaining() < n) {
            throw new java.nio.BufferUnderflowException();
        }
        int at = in.position();
        in.position(at + n);
        return at;
    }

    private int length(long n) throws ModelFormatException {
        if (n < 0 || n > in.remaining()) {
            throw error("expected a length within the " + in.remaining() + " bytes left, found " + n);
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws ModelFormatException {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private String utf8(int n) throws ModelFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes(n))).toString();
        } catch (CharacterCodingException e) {
            throw error("expected a UTF-8 string, found malformed bytes");
        }
    }

    private String latin1(int n) throws ModelFormatException {
        return new String(bytes(n), StandardCharsets.ISO_8859_1);
    }

    private String line() throws ModelFormatException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte b = in.get();
            if (b == '\n') {
                return sb.toString();
            }
            if (sb.length() > 256 || b < 0x20 || b > 0x7e) {
                throw error("expected a module or class name, found other bytes");
            }
            sb.append((char) b);
        }
    }

    private Object longValue(int n) throws ModelFormatException {
        byte[] le = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static PyTuple tuple(Object... items) {
        return new PyTuple(List.of(items));
    }

    private List<Object> list(Object o, String op) throws ModelFormatException {
        if (o instanceof List<?>) {
            @SuppressWarnings("unchecked")
            List<Object> l = (List<Object>) o;
            return l;
        }
        throw error("expected " + op + " on a list, found " + describe(o));
    }

    private Map<Object, Object> dict(Object o, String op) throws ModelFormatException {
        if (o instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) o;
            return m;
        }
        throw error("expected " + op + " on a dict, found " + describe(o));
    }

    private void putAll(Map<Object, Object> dict, List<Object> items) throws ModelFormatException {
        if (items.size() % 2 != 0) {
            throw error("expected key-value pairs, found an odd number of items (" + items.size() + ")");
        }
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (!hashable(k, 0)) {
                throw error("expected a dict key of strings, numbers or tuples of them, found " + describe(k));
            }
            dict.put(k, items.get(i + 1));
        }
    }
}
