#!/usr/bin/env python3
# Usage: python3 tools/perf/sweep_estimate.py SECONDS REPEATS   (docs/performance.md, "The sweep")
# Rough run time of the full grid (--seconds S --repeats R --sample-chars 2000) on a quiet machine:
# per program and point: start-up, warm-up steps, S of training (+ the step closing the last window),
# sampling (charrnn: <= 5 s warm-up, 3 runs and 4 runs of products alone; PyTorch: 100 + 3 runs).
import sys
S, R, N = float(sys.argv[1]), int(sys.argv[2]), 2000
def flops(cell, h, layers, v, e=0):
    g = {'rnn': 1, 'lstm': 4, 'gru': 3}[cell]
    f = 2.0 * h * v
    for l in range(layers):
        f += 2.0 * g * h * ((e if l == 0 else h) + h)
    return f
def wbytes(cell, h, layers, v):
    g = {'rnn': 1, 'lstm': 4, 'gru': 3}[cell]
    return 4.0 * (sum(g * h * (h + (h if l else 0)) for l in range(layers)) + h * v)
grid = []
for cell in ('rnn', 'lstm', 'gru'):
    for layers in (1, 2):
        for h in (32, 64, 128, 256, 512, 1024, 2048):
            grid.append((cell, h, layers, 64, 100, 65, 0))
grid += [('lstm', 512, 1, b, 100, 65, 0) for b in (1, 4, 16, 64, 256)]
grid += [('lstm', 512, 1, 64, t, 65, 0) for t in (10, 25, 100, 400)]
grid += [('lstm', 256, 1, 64, 100, v, e) for e in (0, 256) for v in (65, 1000, 10000)]
total = 0; big = 0
for cell, h, layers, b, t, v, e in grid:
    fl = 3 * flops(cell, h, layers, v, e) * b * t
    if e == 0 and v > 65:
        fl += 3 * 2.0 * 4 * h * v * b * t  # PyTorch's one-hot input is a product
    step_c, step_t = fl / 150e9 + 0.002, fl / 100e9 + 0.003
    wb = wbytes(cell, h, layers, v)
    sc = wb / (50e9 if wb < 30e6 else 15e9) + 3e-6
    st = 8e-5 + wb / 11e9
    c = 3 + 1 + 6 * step_c + S + 2 * step_c + min(5, 20000 * sc) + 3 * N * sc + 4 * N * sc
    p = 2 + 3 * step_t + S + 2 * step_t + (100 + 3 * N) * st
    total += R * (c + p)
    big += R * (c + p) if h >= 1024 else 0
print(f"{len(grid)} points: about {total / 3600:.1f} h, H>=1024: {big/total:.0%}")
