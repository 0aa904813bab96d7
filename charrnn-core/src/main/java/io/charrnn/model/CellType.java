package io.charrnn.model;

/** The recurrent cell of every layer. LSTM and GRU arrive in a later release. */
public enum CellType {
    /** Elman's vanilla cell: {@code h_t = f(x_t·Wx + h_{t-1}·Wh + b)} with f = tanh or ReLU. */
    RNN
}
