#!/usr/bin/env python3
"""The PyTorch side of issue 21's learning-quality runs: the same model, data order, split,
optimizer, clipping, dropout and learning-rate schedule as `charrnn train`, for a budget of steps
or seconds, with validation every N steps and at each epoch end.

    /usr/bin/python3 tools/quality/torch_quality.py --data ../shared/data/tinyshakespeare.txt \
        --cell lstm --hidden 512 --layers 2 --steps 1945 --lr 2e-3 --out run.json

Matches charrnn: B contiguous streams of the training split (the first 90 %), T-character windows,
hidden state carried and reset at each epoch; validation is the mean cross-entropy (nats/char)
over the last 10 % cut into B streams, state carried (charrnn's Kernels.sumLoss); dropout on each
layer's output (between layers and before the decoder); clipping of the global L2 norm; weights
uniform in +-1/sqrt(H) (PyTorch's default, also charrnn's), the LSTM forget-gate bias optionally
set (charrnn's --forget-bias; PyTorch has two bias vectors, b_ih and b_hh: b_ih's forget part is
set to the value and b_hh's to 0). The schedule is charrnn's --schedule (constant, cosine[:W[:F]],
linear[:W[:F]]) on the fraction of the budget used before each step.

Prints progress to stderr and writes one JSON object (the curve, the final and best validation,
samples) to --out and stdout.

With --checkpoint FILE the run saves everything it needs to go on (weights, optimizer state, the
carried hidden state, the position in the data, the dropout RNG, the curve and the training time
so far) to FILE every --checkpoint-every steps, replacing it atomically, and a rerun of the same
command resumes from it: the result equals an uninterrupted run's (one thread, deterministic CPU
kernels). A checkpoint written with other options is refused.
"""
import argparse
import json
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class CharModel(nn.Module):
    def __init__(self, vocab, hidden, layers, cell, embed, dropout):
        super().__init__()
        self.vocab = vocab
        self.embed = nn.Embedding(vocab, embed) if embed > 0 else None
        size = embed if embed > 0 else vocab
        kind = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if kind is None:
            self.rnn = nn.RNN(size, hidden, num_layers=layers, nonlinearity="tanh", dropout=dropout)
        else:
            self.rnn = kind(size, hidden, num_layers=layers, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, idx, state):
        x = self.embed(idx) if self.embed is not None else F.one_hot(idx, self.vocab).float()
        out, state = self.rnn(x, state)
        return self.decoder(self.drop(out)), state


def detach(state):
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return None if state is None else state.detach()


def streams(ids, batch):
    length = (ids.numel() - 1) // batch
    return ids[: batch * length].view(batch, length), ids[1: batch * length + 1].view(batch, length)


def evaluate(model, ids, batch, seq):
    model.eval()
    x, y = streams(ids, batch)
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for i in range(0, x.size(1), seq):
            xi, yi = x[:, i:i + seq].t().contiguous(), y[:, i:i + seq].t().contiguous()
            logits, state = model(xi, state)
            total += F.cross_entropy(logits.reshape(-1, logits.size(-1)), yi.reshape(-1), reduction="sum").item()
            count += yi.numel()
    model.train()
    return total / count


def schedule_factor(spec, p):
    """charrnn's --schedule on the budget fraction p in [0, 1]: the multiplier of the base rate."""
    parts = spec.split(":")
    if parts[0] == "constant":
        return 1.0
    w = float(parts[1]) if len(parts) > 1 else 0.02
    floor = float(parts[2]) if len(parts) > 2 else 0.0
    if p < w:
        return 0.1 + 0.9 * p / w
    q = min(1.0, (p - w) / (1 - w)) if w < 1 else 1.0
    shape = 0.5 * (1 + math.cos(math.pi * q)) if parts[0] == "cosine" else 1 - q
    return floor + (1 - floor) * shape


def sample(model, chars, start, n, temperature, gen):
    model.eval()
    out, state = [], None
    idx = torch.tensor([[start]], dtype=torch.long)
    with torch.no_grad():
        for _ in range(n):
            logits, state = model(idx, state)
            nxt = torch.multinomial(torch.softmax(logits[0, 0] / temperature, dim=-1), 1, generator=gen)
            out.append(chars[int(nxt)])
            idx = nxt.view(1, 1)
    model.train()
    return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--cell", choices=["rnn", "lstm", "gru"], default="lstm")
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--seq", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--embed", type=int, default=0, help="embedding size; 0 = one-hot input")
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--forget-bias", type=float, default=None, help="LSTM: set b_ih's forget part, b_hh's to 0")
    ap.add_argument("--opt", choices=["adam", "rmsprop"], default="adam")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip-norm", type=float, default=5.0)
    ap.add_argument("--schedule", default="constant")
    ap.add_argument("--steps", type=int, default=0, help="budget in optimizer steps")
    ap.add_argument("--seconds", type=float, default=0.0, help="budget in training seconds (validation excluded)")
    ap.add_argument("--val-every", type=int, default=0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--sample-chars", type=int, default=400)
    ap.add_argument("--out")
    ap.add_argument("--checkpoint", help="file to save the run's state to, and to resume from if it exists")
    ap.add_argument("--checkpoint-every", type=int, default=50, help="steps between checkpoints")
    a = ap.parse_args()
    if a.checkpoint_every < 1:
        sys.exit(f"--checkpoint-every must be >= 1, got {a.checkpoint_every}")
    # the options that decide the result: a checkpoint must have been written with the same ones
    run_args = {k: v for k, v in vars(a).items() if k not in ("out", "checkpoint", "checkpoint_every", "sample_chars")}
    if (a.steps > 0) == (a.seconds > 0):
        sys.exit("give exactly one budget: --steps N or --seconds S")
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)

    text = open(a.data, encoding="utf-8").read()  # text mode: CRLF and CR read as LF, as charrnn's default --newlines lf
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    n_val = int(round(len(ids) * 0.1))
    train_ids, val_ids = ids[: len(ids) - n_val], ids[len(ids) - n_val:]
    V, B, T = len(chars), a.batch, a.seq

    model = CharModel(V, a.hidden, a.layers, a.cell, a.embed, a.dropout)
    if a.cell == "lstm" and a.forget_bias is not None:
        with torch.no_grad():
            for name, p in model.rnn.named_parameters():
                if name.startswith("bias_ih"):
                    p[a.hidden:2 * a.hidden] = a.forget_bias  # PyTorch's gate order: i, f, g, o
                elif name.startswith("bias_hh"):
                    p[a.hidden:2 * a.hidden] = 0.0
    opt = (torch.optim.Adam if a.opt == "adam" else torch.optim.RMSprop)(model.parameters(), lr=a.lr)

    xs, ys = streams(train_ids, B)
    windows = xs.size(1) // T
    state, pos, epoch, step, trained = None, 0, 0, 0, 0.0
    curve, best = [], (math.inf, 0)

    if a.checkpoint and os.path.exists(a.checkpoint):
        ck = torch.load(a.checkpoint)
        if ck["args"] != run_args:
            sys.exit(f"{a.checkpoint} was written by a run with other options: {ck['args']}, not {run_args}")
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        torch.set_rng_state(ck["rng"])
        state, pos, epoch, step, trained = ck["state"], ck["pos"], ck["epoch"], ck["step"], ck["trained"]
        curve, best = ck["curve"], tuple(ck["best"])
        print(f"resumed from {a.checkpoint} at step {step}", file=sys.stderr, flush=True)

    def save():
        tmp = a.checkpoint + ".tmp"
        torch.save(dict(args=run_args, model=model.state_dict(), opt=opt.state_dict(), rng=torch.get_rng_state(),
                        state=state, pos=pos, epoch=epoch, step=step, trained=trained, curve=curve, best=list(best)),
                   tmp)
        os.replace(tmp, a.checkpoint)

    def validate():
        nonlocal best
        v = evaluate(model, val_ids, B, T)
        curve.append(dict(step=step, epoch=round(step / windows, 3), train_s=round(trained, 1), val=round(v, 4)))
        best = min(best, (v, step))
        print(f"step {step} epoch {step / windows:.2f} trained {trained:.0f}s val {v:.4f}", file=sys.stderr, flush=True)

    while True:
        p = step / a.steps if a.steps > 0 else trained / a.seconds
        if p >= 1:
            break
        t0 = time.perf_counter()
        for g in opt.param_groups:
            g["lr"] = a.lr * schedule_factor(a.schedule, p)
        xi = xs[:, pos * T:(pos + 1) * T].t().contiguous()
        yi = ys[:, pos * T:(pos + 1) * T].t().contiguous()
        logits, new_state = model(xi, state)
        loss = F.cross_entropy(logits.reshape(-1, V), yi.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip_norm)
        opt.step()
        state = detach(new_state)
        step += 1
        pos += 1
        trained += time.perf_counter() - t0
        if pos == windows:
            pos, state, epoch = 0, None, epoch + 1
            validate()
        elif a.val_every > 0 and step % a.val_every == 0:
            validate()
        if a.checkpoint and step % a.checkpoint_every == 0:
            save()
    if not curve or curve[-1]["step"] != step:
        validate()

    gen = torch.Generator().manual_seed(a.seed)
    samples = {str(t): sample(model, chars, stoi["\n"] if "\n" in stoi else 0, a.sample_chars, t, gen)
               for t in (0.5, 0.8, 1.0)}
    result = dict(peer="pytorch", torch=torch.__version__, threads=torch.get_num_threads(), args=vars(a), vocab=V,
                  steps=step, epochs=round(step / windows, 3), train_s=round(trained, 1),
                  train_cps=round(step * B * T / trained, 1), last_val=curve[-1]["val"], best_val=round(best[0], 4),
                  best_step=best[1], curve=curve, samples=samples)
    line = json.dumps(result)
    if a.out:
        with open(a.out, "w") as f:
            f.write(line + "\n")
    print(line)


if __name__ == "__main__":
    main()
