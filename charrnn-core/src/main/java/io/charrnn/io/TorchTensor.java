package io.charrnn.io;

import java.util.Arrays;

/**
 * One tensor of a PyTorch state dict, as read from a file: its name, the dtype it was stored in,
 * its shape and its values converted to float32, row-major.
 */
record TorchTensor(String name, String dtype, long[] shape, float[] values) {
    /** @return the shape as PyTorch prints it, e.g. {@code [512, 65]} */
    String shapeText() {
        return Arrays.toString(shape);
    }

    /** @return whether the shape is exactly {@code dims} */
    boolean hasShape(long... dims) {
        return Arrays.equals(shape, dims);
    }

    /**
     * The number of elements of a shape, checked.
     *
     * @param what names the tensor (and the file) in the message
     * @throws ModelFormatException if a dimension is negative or the product reaches 2^31
     */
    static int elementCount(long[] shape, String what) throws ModelFormatException {
        for (long d : shape) {
            if (d < 0) {
                throw new ModelFormatException(what + ": expected dimensions >= 0, found the shape "
                        + Arrays.toString(shape));
            }
        }
        if (Arrays.stream(shape).anyMatch(d -> d == 0)) {
            return 0;
        }
        long n = 1;
        for (long d : shape) {
            if (n > (Integer.MAX_VALUE - 8) / d) {
                throw new ModelFormatException(what + ": expected fewer than 2^31 elements, found the shape "
                        + Arrays.toString(shape));
            }
            n *= d;
        }
        return (int) n;
    }
}
