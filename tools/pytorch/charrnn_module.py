"""The PyTorch module that `charrnn export` files load into (also in docs/pytorch.md).

Module and tensor names are those of the reference model (../shared/bench/torch_charrnn.py's
CharModel): `embed` (only with an embedding), `rnn`, `decoder`. With embedding == hidden and a tanh
cell it is CharModel itself.
"""
import torch.nn as nn
import torch.nn.functional as F


class CharRNN(nn.Module):
    def __init__(self, vocab, hidden, layers=1, cell="rnn", embedding=0, nonlinearity="tanh"):
        super().__init__()
        self.vocab = vocab
        self.embed = nn.Embedding(vocab, embedding) if embedding > 0 else None
        in_size = embedding if embedding > 0 else vocab
        if cell == "lstm":
            self.rnn = nn.LSTM(in_size, hidden, num_layers=layers)
        elif cell == "gru":
            self.rnn = nn.GRU(in_size, hidden, num_layers=layers)
        else:
            self.rnn = nn.RNN(in_size, hidden, num_layers=layers, nonlinearity=nonlinearity)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        # idx: [T, B] int64 -> logits [T, B, V], new state
        x = self.embed(idx) if self.embed is not None else F.one_hot(idx, self.vocab).float()
        out, state = self.rnn(x, state)
        return self.decoder(out), state
