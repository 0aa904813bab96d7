#!/usr/bin/env python3
"""Makes the PyTorch interop fixtures of charrnn-core's tests (issue 20), and checks exports.

  /usr/bin/python3 tools/pytorch/make_fixtures.py make
      writes charrnn-core/src/test/resources/io/charrnn/io/pytorch/: small models (vanilla tanh and
      ReLU, LSTM, GRU; one-hot and embedding; 1 and 2 layers; float32, float16 and bfloat16; a
      training checkpoint dict; a model trained on an unsorted character order) saved with
      torch.save(state_dict) as .pt and as .safetensors, and expected.json with PyTorch's
      log-probabilities of every character after every prefix of a fixed text. Each .pt is also
      loaded back with torch.load(weights_only=True), so the fixtures are files PyTorch itself reads.
  /usr/bin/python3 tools/pytorch/make_fixtures.py check-export DIR
      loads every DIR/<case>.pt and DIR/<case>.safetensors (written by `charrnn export` from the
      imported fixtures; see docs/pytorch.md) strictly into tools/pytorch/charrnn_module.py's CharRNN
      and compares its log-probabilities with expected.json.

Deterministic: fixed seeds; run again, the files come out the same.
"""
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import safetensors_io  # noqa: E402
from charrnn_module import CharRNN  # noqa: E402

OUT = os.path.join(HERE, "..", "..", "charrnn-core", "src", "test", "resources", "io", "charrnn", "io", "pytorch")
TEXT = "the cat \u00e9 sat \U0001F600 on the mat\nthe end"
CHARS = sorted(set(TEXT))


class OtherNames(nn.Module):
    """The other usual names: encoder / lstm|gru / fc."""

    def __init__(self, vocab, hidden, layers, cell, embedding):
        super().__init__()
        self.vocab = vocab
        self.encoder = nn.Embedding(vocab, embedding) if embedding else None
        in_size = embedding if embedding else vocab
        rnn = nn.LSTM(in_size, hidden, num_layers=layers) if cell == "lstm" else nn.GRU(in_size, hidden, num_layers=layers)
        setattr(self, cell, rnn)
        self.cell = cell
        self.fc = nn.Linear(hidden, vocab)

    def forward(self, idx, state=None):
        x = self.encoder(idx) if self.encoder is not None else F.one_hot(idx, self.vocab).float()
        out, state = getattr(self, self.cell)(x, state)
        return self.fc(out), state


# name: (module kind, cell, hidden, layers, embedding, nonlinearity, dtype, seed)
CASES = {
    "rnn_tanh_onehot_l1": ("charrnn", "rnn", 8, 1, 0, "tanh", "float32", 1),
    "rnn_relu_onehot_l2": ("charrnn", "rnn", 6, 2, 0, "relu", "float32", 2),
    "rnn_tanh_embed_l2": ("charrnn", "rnn", 5, 2, 4, "tanh", "float32", 3),
    "lstm_onehot_l1": ("charrnn", "lstm", 6, 1, 0, "tanh", "float32", 4),
    "lstm_embed_l2": ("other", "lstm", 5, 2, 3, "tanh", "float32", 5),
    "gru_onehot_l2": ("other", "gru", 5, 2, 0, "tanh", "float32", 6),
    "gru_embed_l1": ("charrnn", "gru", 7, 1, 4, "tanh", "float32", 7),
    "lstm_onehot_l1_float16": ("charrnn", "lstm", 6, 1, 0, "tanh", "float16", 4),
    "gru_embed_l1_bfloat16": ("charrnn", "gru", 7, 1, 4, "tanh", "bfloat16", 7),
}


def build(kind, cell, hidden, layers, embedding, nonlinearity, seed, vocab):
    torch.manual_seed(seed)
    if kind == "other":
        m = OtherNames(vocab, hidden, layers, cell, embedding)
    else:
        m = CharRNN(vocab, hidden, layers, cell, embedding, nonlinearity)
    with torch.no_grad():  # larger weights than the default init, so the distributions are not flat
        for p in m.parameters():
            p.mul_(2.0)
    return m.eval()


def log_probs(model, text, chars):
    """[len(text) - 1][V]: log p(. | text[:i+1]) in the model's index order, from a zero state."""
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text[:-1]], dtype=torch.long).view(-1, 1)
    with torch.no_grad():
        logits, _ = model(ids)
    return F.log_softmax(logits[:, 0, :].double(), dim=-1).tolist()


def save_both(sd, base, metadata=None):
    torch.save(sd, base + ".pt")
    back = torch.load(base + ".pt", weights_only=True)  # PyTorch's own restricted loader accepts it
    assert list(back.keys()) == list(sd.keys())
    safetensors_io.save_file(sd, base + ".safetensors", metadata)


def make():
    os.makedirs(OUT, exist_ok=True)
    expected = {"text": TEXT, "cases": {}}
    for name, (kind, cell, hidden, layers, embedding, nl, dtype, seed) in CASES.items():
        model = build(kind, cell, hidden, layers, embedding, nl, seed, len(CHARS))
        if dtype != "float32":
            model = model.to(getattr(torch, dtype))
            sd = model.state_dict()
            model = model.float()  # the expected values use the rounded weights, computed in float32
        else:
            sd = model.state_dict()
        save_both(sd, os.path.join(OUT, name))
        expected["cases"][name] = dict(chars=CHARS, activation=nl, logprobs=log_probs(model, TEXT, CHARS),
                                       config=dict(cell=cell, hidden=hidden, layers=layers, embedding=embedding))

    # a training checkpoint: the state dict inside a dict with an optimizer's state and plain values
    model = build("charrnn", "lstm", 6, 1, 0, "tanh", 4, len(CHARS))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits, _ = model(torch.tensor([[1], [2]]))
    logits.sum().backward()
    opt.step()
    model.eval()
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "loss": 1.25, "note": "checkpoint", "flags": [True, False, None], "betas": (0.9, 0.999)},
               os.path.join(OUT, "checkpoint_lstm.pt"))
    # (PyTorch 1.13's own weights_only loader refuses this file: it lacks the BINFLOAT opcode of 1.25)
    expected["cases"]["checkpoint_lstm"] = dict(chars=CHARS, activation="tanh", logprobs=log_probs(model, TEXT, CHARS),
                                                config=dict(cell="lstm", hidden=6, layers=1, embedding=0))

    # a model over the characters in another order than sorted (an itos from elsewhere)
    order = list(reversed(CHARS))
    model = build("charrnn", "rnn", 8, 1, 0, "tanh", 9, len(order))
    save_both(model.state_dict(), os.path.join(OUT, "rnn_unsorted"))
    with open(os.path.join(OUT, "rnn_unsorted.vocabulary.json"), "w", encoding="utf-8") as f:
        json.dump(order, f)
    expected["cases"]["rnn_unsorted"] = dict(chars=order, activation="tanh", logprobs=log_probs(model, TEXT, order),
                                             config=dict(cell="rnn", hidden=8, layers=1, embedding=0))
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, separators=(",", ":"))
    print("wrote", len(expected["cases"]), "cases to", os.path.normpath(OUT))


def check_export(directory):
    expected = json.load(open(os.path.join(OUT, "expected.json"), encoding="utf-8"))
    worst, checked = 0.0, 0
    for name, case in expected["cases"].items():
        c = case["config"]
        chars = sorted(case["chars"])  # charrnn exports in its sorted vocabulary order
        for ext in ("pt", "safetensors"):
            path = os.path.join(directory, name + "." + ext)
            if not os.path.exists(path):
                continue
            if ext == "pt":
                sd = torch.load(path, weights_only=True)
            else:
                sd, meta = safetensors_io.load_file(path)
                assert json.loads(meta["charrnn.vocabulary"]) == chars, name
            model = CharRNN(len(chars), c["hidden"], c["layers"], c["cell"], c["embedding"], case["activation"])
            model.load_state_dict(sd)  # strict: every name and shape must match
            got = log_probs(model.eval(), expected["text"], chars)
            perm = [case["chars"].index(ch) for ch in chars]
            for row_got, row_exp in zip(got, case["logprobs"]):
                for j, p in enumerate(perm):
                    worst = max(worst, abs(row_got[j] - row_exp[p]))
            checked += 1
            print(f"{name}.{ext}: loaded with load_state_dict(strict=True), max |log p diff| so far {worst:.3g}")
    print(f"checked {checked} exported files, max |log-probability difference| {worst:.3g}")
    if checked == 0 or worst > 1e-5:
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "make":
        make()
    elif len(sys.argv) == 3 and sys.argv[1] == "check-export":
        check_export(sys.argv[2])
    else:
        sys.exit(__doc__)
