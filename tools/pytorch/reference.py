#!/usr/bin/env python3
"""The PyTorch side of the interop checks (issue 20); run with Debian's /usr/bin/python3.

  train   trains ../shared/bench/torch_charrnn.py's CharModel with that script's setup (make_streams
          batches, carried state, Adam, clip_grad_norm_ 5, mean loss) for --seconds, then writes
          OUT/model.pt (torch.save(state_dict)), OUT/model.safetensors, OUT/vocabulary.json (the chars
          list), OUT/validation.txt (the last 10 %) and prints the validation score as `charrnn eval`
          defines it (one stream from a zero state, every character after the first predicted).
  eval    loads a state dict (.pt or .safetensors, e.g. from `charrnn export`) strictly into
          tools/pytorch/charrnn_module.py's CharRNN and prints the same score of a text.

  /usr/bin/python3 tools/pytorch/reference.py train --data ../shared/data/tinyshakespeare.txt \
      --config C2 --seconds 180 --out /tmp/c2
  /usr/bin/python3 tools/pytorch/reference.py eval --from /tmp/x.safetensors --text /tmp/c2/validation.txt \
      --vocabulary /tmp/c2/vocabulary.json --cell rnn --hidden 512
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "shared", "bench"))  # /work/shared/bench
sys.path.insert(0, "/work/shared/bench")
import safetensors_io  # noqa: E402
from charrnn_module import CharRNN  # noqa: E402


def score(model, ids):
    """Mean nats/char of predicting ids[1:] from ids[:-1], one stream from a zero state."""
    model.eval()
    total, state = 0.0, None
    with torch.no_grad():
        for i in range(0, len(ids) - 1, 4096):
            x = ids[i:min(i + 4096, len(ids) - 1)].view(-1, 1)
            y = ids[i + 1:i + 1 + x.size(0)]
            logits, state = model(x, state)
            total += F.cross_entropy(logits.reshape(-1, logits.size(-1)).double(), y, reduction="sum").item()
    return total / (len(ids) - 1)


def train(args):
    from torch_charrnn import CONFIGS, CharModel, make_streams, evaluate  # the reference, read-only
    cfg = dict(CONFIGS[args.config])
    for k in ("cell", "hidden", "layers"):
        if getattr(args, k) is not None:
            cfg[k] = getattr(args, k)
    torch.manual_seed(args.seed)
    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    split = int(len(ids) * 0.9)
    train_ids, val_ids = ids[:split], ids[split:]
    V, T, B = len(chars), cfg["seq"], cfg["batch"]
    model = CharModel(V, cfg["hidden"], cfg["layers"], cfg["cell"], args.embed)
    opt = torch.optim.Adam(model.parameters(), lr=cfg["lr"])
    xs, ys = make_streams(train_ids, B)
    n = xs.size(1) // T
    state, pos, steps, t0 = None, 0, 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds:
        if pos >= n:
            pos, state = 0, None
        x = xs[:, pos * T:(pos + 1) * T].t().contiguous()
        y = ys[:, pos * T:(pos + 1) * T].t().contiguous()
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        state = tuple(s.detach() for s in state) if isinstance(state, tuple) else state.detach()
        pos, steps = pos + 1, steps + 1
    os.makedirs(args.out, exist_ok=True)
    sd = model.state_dict()
    torch.save(sd, os.path.join(args.out, "model.pt"))
    safetensors_io.save_file(sd, os.path.join(args.out, "model.safetensors"))
    with open(os.path.join(args.out, "vocabulary.json"), "w", encoding="utf-8") as f:
        json.dump(chars, f)
    with open(os.path.join(args.out, "validation.txt"), "w", encoding="utf-8", newline="") as f:
        f.write(text[split:])
    nats = score(model, val_ids)
    print(json.dumps(dict(config=args.config, cell=cfg["cell"], hidden=cfg["hidden"], layers=cfg["layers"],
                          embed=args.embed, steps=steps, train_seconds=round(time.perf_counter() - t0, 1),
                          last_loss=round(loss.item(), 4), val_chars=len(val_ids),
                          val_nats=round(nats, 6), val_bits=round(nats / math.log(2), 6),
                          reference_evaluate_B64=round(evaluate(model, val_ids, B, T), 6))))


def load_state(path):
    if path.endswith(".safetensors"):
        return safetensors_io.load_file(path)[0]
    return torch.load(path, weights_only=True)


def evaluate_file(args):
    chars = json.load(open(args.vocabulary, encoding="utf-8"))
    stoi = {c: i for i, c in enumerate(chars)}
    text = open(args.text, encoding="utf-8").read()
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    model = CharRNN(len(chars), args.hidden, args.layers, args.cell, args.embedding, args.nonlinearity)
    model.load_state_dict(load_state(getattr(args, "from")))  # strict: every name and shape must match
    nats = score(model, ids)
    print(json.dumps(dict(predicted=len(ids) - 1, nats=round(nats, 6), bits=round(nats / math.log(2), 6))))


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train")
    t.add_argument("--data", required=True)
    t.add_argument("--config", default="C2", choices=["C1", "C2", "C3"])
    t.add_argument("--cell", choices=["rnn", "lstm", "gru"])
    t.add_argument("--hidden", type=int)
    t.add_argument("--layers", type=int)
    t.add_argument("--embed", action="store_true")
    t.add_argument("--seconds", type=float, default=180)
    t.add_argument("--seed", type=int, default=1234)
    t.add_argument("--out", required=True)
    e = sub.add_parser("eval")
    e.add_argument("--from", required=True)
    e.add_argument("--text", required=True)
    e.add_argument("--vocabulary", required=True, help="JSON list of the characters")
    e.add_argument("--cell", default="rnn")
    e.add_argument("--hidden", type=int, required=True)
    e.add_argument("--layers", type=int, default=1)
    e.add_argument("--embedding", type=int, default=0)
    e.add_argument("--nonlinearity", default="tanh")
    args = ap.parse_args()
    train(args) if args.cmd == "train" else evaluate_file(args)


if __name__ == "__main__":
    main()
