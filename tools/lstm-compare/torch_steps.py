#!/usr/bin/env python3
"""Per-step training trace of PyTorch's C3-style LSTM, for comparison with charrnn (issue 6).

Builds the model of /work/shared/bench/torch_charrnn.py (one-hot input, nn.LSTM, nn.Linear decoder),
optionally exports its initial weights in charrnn's layout (ParameterLayout: layer<l>.wx [in, 4H],
layer<l>.wh [H, 4H], layer<l>.b [4H] = b_ih + b_hh, output.w [H, V], output.b [V]; gates i, f, g, o
in both) or loads such weights (b_ih = b, b_hh = 0), then trains N steps on make_streams windows
with carried state, Adam and clip_grad_norm_, printing "step loss grad_norm" per step.

  /usr/bin/python3 tools/lstm-compare/torch_steps.py --data ../shared/data/tinyshakespeare.txt \
      --hidden 128 --steps 50 --export /tmp/w          # PyTorch init, exported for charrnn
  /usr/bin/python3 tools/lstm-compare/torch_steps.py ... --load /tmp/w    # start from given weights
"""
import argparse
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--seq", type=int, default=100)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--clip", type=float, default=5.0)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--export", help="write the initial weights in charrnn's layout to this directory")
    ap.add_argument("--load", help="start from charrnn-layout weights in this directory")
    ap.add_argument("--single-bias", action="store_true",
                    help="train one bias per gate (b_hh frozen at 0) like charrnn")
    ap.add_argument("--forget-bias", type=float, default=None,
                    help="set the summed forget-gate bias to this value (b_ih = value, b_hh = 0)")
    ap.add_argument("--zero-bias", action="store_true",
                    help="charrnn's bias init on PyTorch's weights: every bias 0 (then --forget-bias, if given)")
    ap.add_argument("--zero-bias-of", choices=["gates", "output"],
                    help="zero only the LSTM's biases (forget gate included) or only the decoder's")
    ap.add_argument("--double", action="store_true", help="float64")
    ap.add_argument("--every", type=int, default=1, help="print every n-th step")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    if args.double:
        torch.set_default_dtype(torch.float64)

    text = open(args.data, encoding="utf-8").read()
    chars = sorted(set(text))
    stoi = {c: i for i, c in enumerate(chars)}
    ids = torch.tensor([stoi[c] for c in text], dtype=torch.long)
    train_ids = ids[: int(len(ids) * 0.9)]
    V, H, L, T, B = len(chars), args.hidden, args.layers, args.seq, args.batch

    rnn = nn.LSTM(V, H, num_layers=L)
    dec = nn.Linear(H, V)
    with torch.no_grad():
        if args.load:
            def get(name):
                return torch.from_numpy(np.load(os.path.join(args.load, name + ".npy")).astype(np.float64
                                        if args.double else np.float32))
            for l in range(L):
                getattr(rnn, f"weight_ih_l{l}").copy_(get(f"layer{l}.wx").t())
                getattr(rnn, f"weight_hh_l{l}").copy_(get(f"layer{l}.wh").t())
                getattr(rnn, f"bias_ih_l{l}").copy_(get(f"layer{l}.b"))
                getattr(rnn, f"bias_hh_l{l}").zero_()
            dec.weight.copy_(get("output.w").t())
            dec.bias.copy_(get("output.b"))
        if args.zero_bias:
            for name, p in list(rnn.named_parameters()) + list(dec.named_parameters()):
                if "bias" in name:
                    p.zero_()
        if args.zero_bias_of:
            for name, p in (rnn if args.zero_bias_of == "gates" else dec).named_parameters():
                if "bias" in name:
                    p.zero_()
        if args.forget_bias is not None:
            for l in range(L):
                getattr(rnn, f"bias_ih_l{l}")[H:2 * H] = args.forget_bias
                getattr(rnn, f"bias_hh_l{l}")[H:2 * H] = 0
        if args.export:
            os.makedirs(args.export, exist_ok=True)

            def put(name, t):
                np.save(os.path.join(args.export, name + ".npy"), t.detach().numpy().astype(np.float32))
            for l in range(L):
                put(f"layer{l}.wx", getattr(rnn, f"weight_ih_l{l}").t().contiguous())
                put(f"layer{l}.wh", getattr(rnn, f"weight_hh_l{l}").t().contiguous())
                put(f"layer{l}.b", getattr(rnn, f"bias_ih_l{l}") + getattr(rnn, f"bias_hh_l{l}"))
            put("output.w", dec.weight.t().contiguous())
            put("output.b", dec.bias)

    params = list(rnn.parameters()) + list(dec.parameters())
    if args.single_bias:
        for l in range(L):
            getattr(rnn, f"bias_hh_l{l}").requires_grad_(False)
        params = [p for p in params if p.requires_grad]
    opt = torch.optim.Adam(params, lr=args.lr)

    length = (train_ids.numel() - 1) // B
    xs = train_ids[: B * length].view(B, length)
    ys = train_ids[1: B * length + 1].view(B, length)
    n_windows = length // T
    state = None
    for step in range(1, args.steps + 1):
        pos = (step - 1) % n_windows
        if pos == 0:
            state = None
        x = F.one_hot(xs[:, pos * T:(pos + 1) * T].t(), V).to(torch.get_default_dtype())
        y = ys[:, pos * T:(pos + 1) * T].t().reshape(-1)
        out, new_state = rnn(x, state)
        loss = F.cross_entropy(dec(out).reshape(-1, V), y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(params, args.clip)
        opt.step()
        state = tuple(s.detach() for s in new_state)
        if step % args.every == 0 or step == 1:
            print(f"{step} {loss.item():.6f} {norm.item():.6f}", flush=True)


if __name__ == "__main__":
    main()
