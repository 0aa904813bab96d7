package io.charrnn.model;

/** The non-linearity of a vanilla RNN cell; the LSTM and GRU cells ignore it. */
public enum Activation {
    /** Hyperbolic tangent, as in min-char-rnn and PyTorch's {@code nn.RNN} default. */
    TANH,
    /** Rectified linear unit, {@code max(0, x)}. */
    RELU
}
