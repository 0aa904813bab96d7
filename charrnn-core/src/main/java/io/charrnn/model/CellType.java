package io.charrnn.model;

/**
 * The recurrent cell of every layer. Equations use row vectors, {@code σ} the logistic sigmoid and
 * {@code ⊙} the element-wise product; {@link Activation} applies to the vanilla cell only (the
 * gated cells use σ for gates and tanh for candidates, as published).
 */
public enum CellType {
    /** Elman's vanilla cell (Elman 1990): {@code h_t = f(x_t·Wx + h_{t-1}·Wh + b)} with f = tanh or ReLU. */
    RNN,
    /**
     * Long short-term memory (Hochreiter &amp; Schmidhuber 1997, with the forget gate of Gers et al.
     * 2000): {@code [i f g o] = x_t·Wx + h_{t-1}·Wh + b}; {@code i, f, o} through σ, {@code g}
     * through tanh; {@code c_t = f⊙c_{t-1} + i⊙g}, {@code h_t = o⊙tanh(c_t)}. Gate order i, f, g, o
     * (as libnd4j's {@code lstmLayer}); the forget-gate bias starts at {@link ModelConfig#forgetBias()}
     * (1 unless set), the other gate biases at small random values like PyTorch's (sum of two
     * uniform draws in ±initScale).
     */
    LSTM,
    /**
     * Gated recurrent unit (Cho et al. 2014) in PyTorch's formulation ({@code nn.GRU}):
     * {@code r = σ(x·Wxr + bxr + h·Whr + bhr)}, {@code z = σ(x·Wxz + bxz + h·Whz + bhz)},
     * {@code n = tanh(x·Wxn + bxn + r⊙(h·Whn + bhn))}, {@code h' = (1−z)⊙n + z⊙h}. Gate order r, z, n,
     * with separate input-side ({@code bx}) and recurrent-side ({@code bh}) biases.
     */
    GRU
}
