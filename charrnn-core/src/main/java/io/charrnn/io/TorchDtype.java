package io.charrnn.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types a state dict's tensors may come in, with their names in PyTorch's storages
 * ({@code torch.FloatStorage}) and in safetensors headers ({@code "F32"}). Only the floating-point
 * ones convert to charrnn's float32: float32 as it is, float16 and bfloat16 exactly, float64
 * rounded to nearest.
 */
enum TorchDtype {
    FLOAT32("FloatStorage", "F32", 4, true),
    FLOAT64("DoubleStorage", "F64", 8, true),
    FLOAT16("HalfStorage", "F16", 2, true),
    BFLOAT16("BFloat16Storage", "BF16", 2, true),
    INT64("LongStorage", "I64", 8, false),
    INT32("IntStorage", "I32", 4, false),
    INT16("ShortStorage", "I16", 2, false),
    INT8("CharStorage", "I8", 1, false),
    UINT8("ByteStorage", "U8", 1, false),
    BOOL("BoolStorage", "BOOL", 1, false);

    final String storage;
    final String safetensors;
    final int bytes;
    final boolean floating;

    TorchDtype(String storage, String safetensors, int bytes, boolean floating) {
        this.storage = storage;
        this.safetensors = safetensors;
        this.bytes = bytes;
        this.floating = floating;
    }

    /** @return the dtype of a {@code torch.<name>} storage class, or null if there is none */
    static TorchDtype ofStorage(String name) {
        for (TorchDtype d : values()) {
            if (d.storage.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** @return the dtype of a safetensors dtype name, or null if there is none (or none we know) */
    static TorchDtype ofSafetensors(String name) {
        for (TorchDtype d : values()) {
            if (d.safetensors.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** @return the dtype as PyTorch names it: {@code float32}, {@code bfloat16}, ... */
    String pythonName() {
        return this == BOOL ? "bool" : name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Reads element {@code index} of little-endian data as a float32.
     *
     * @throws IllegalStateException if the dtype is not floating-point (callers check first)
     */
    float read(ByteBuffer data, int index) {
        ByteBuffer b = data.order() == ByteOrder.LITTLE_ENDIAN ? data : data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return switch (this) {
            case FLOAT32 -> b.getFloat(index * 4);
            case FLOAT64 -> (float) b.getDouble(index * 8);
            case FLOAT16 -> halfToFloat(b.getShort(index * 2));
            case BFLOAT16 -> Float.intBitsToFloat((b.getShort(index * 2) & 0xffff) << 16);
            default -> throw new IllegalStateException("internal error: " + this + " is not floating-point");
        };
    }

    /** IEEE 754 binary16 to binary32, exactly (subnormals, infinities and NaN included). */
    static float halfToFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f; // subnormal (or zero): mant · 2^-24, exact in float
            return sign == 0 ? v : -v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
