#!/usr/bin/env python3
"""The scaling model of docs/spark.md, calibrated on tools/spark/measure.sh's RESULT lines.

Usage: tools/spark/measure.sh > figures.txt; tools/spark/scaling.py figures.txt

Inputs, from the measurement (local mode, one machine):
  r      single-machine training speed of C3 (chars/s), the per-machine compute rate
  a, b   the exchange's fixed cost (ms) and cost per parameter byte (ms/byte): a straight line
         through the C2 and C3 exchange times of local[1] (one broadcast and one gradient:
         serialisation and scheduling, no network), the slope kept >= 0
Assumptions, stated in docs/spark.md:
  - compute per character is proportional to the parameter count (6 flops per parameter and
    character), at the same BLAS efficiency on every machine, so the 4-layer LSTM 1024 runs at
    r * P_C3 / P_big chars/s; a shard of B/N streams runs at that rate (optimistic for small shards)
  - the network: W = 10 Gb/s per machine; a synchronous step broadcasts the weights (torrent:
    about one copy over the driver's link) and treeAggregates the gradients (depth 2: the driver
    and each of sqrt(N) aggregators receive sqrt(N) gradients): S/W * (1 + 2 sqrt(N)), plus the
    serialisation a + b*S on each side
  - periodic averaging exchanges weights and Adam's two moments (3 S) once per K local steps, each
    machine with its own batch of B streams
"""
import math
import re
import sys

W = 10e9 / 8  # bytes per second
T, B = 100, 64


def params_lstm(h, layers, v=65):
    p = 0
    inp = v
    for _ in range(layers):
        p += 4 * h * (inp + h) + 8 * h
        inp = h
    return p + v * h + v


def main():
    rows = {}
    for line in open(sys.argv[1]):
        m = re.match(r"RESULT (\S+) params=(\d+) single=(\S+) local1=(\S+) local2=(\S+) chars/s; "
                     r"exchange local1=(\S+) ms .*local2=(\S+) ms", line)
        if m:
            rows[m.group(1)] = dict(params=int(m.group(2)), single=float(m.group(3)), local1=float(m.group(4)),
                                    local2=float(m.group(5)), x1=float(m.group(6)), x2=float(m.group(7)))
    c2, c3 = rows["C2"], rows["C3"]
    s2, s3 = 4 * c2["params"], 4 * c3["params"]
    b = max(0.0, (c3["x1"] - c2["x1"]) / (s3 - s2))  # ms per byte
    a = max(0.0, c2["x1"] - b * s2)  # ms
    r3 = c3["single"]
    print(f"calibration: exchange = {a:.1f} ms + {b * 1e6:.2f} ms/MB (local[1], C2 and C3); "
          f"C3 compute rate r = {r3:,.0f} chars/s; network W = 10 Gb/s")
    models = {"C3 (2x LSTM 512, %.1f M params)" % (c3["params"] / 1e6): c3["params"],
              "4-layer LSTM 1024 (%.1f M params)" % (params_lstm(1024, 4) / 1e6): params_lstm(1024, 4)}
    for name, p in models.items():
        s = 4 * p
        r = r3 * c3["params"] / p
        print(f"\n{name}: one machine {r:,.0f} chars/s, step of T*B = {T * B} chars {T * B / r * 1e3:,.0f} ms")
        print(" N | sync chars/s  speed-up  exchange/step | averaging K=1  K=8  K=32 (chars/s) | K for 90 %")
        best = (0, 0)
        for n in (1, 2, 4, 8, 16, 32, 64):
            compute = T * B / (n * r)
            exchange = 0.0 if n == 1 else (2 * (a + b * s) / 1e3 + s / W * (1 + 2 * math.sqrt(n)))
            sync = T * B / (compute + exchange)
            best = max(best, (sync, n))
            # averaging: each machine B streams per local step, exchange of 3 S once per K steps
            local = T * B / r
            xa = 0.0 if n == 1 else (2 * (a + b * 3 * s) / 1e3 + 3 * s / W * (1 + 2 * math.sqrt(n)))
            avg = {k: n * k * T * B / (k * local + xa) for k in (1, 8, 32)}
            k90 = 1 if xa == 0 else math.ceil(9 * xa / local)
            print(f"{n:2d} | {sync:12,.0f}  {sync / r:8.2f}  {exchange * 1e3:9,.0f} ms | "
                  f"{avg[1]:12,.0f} {avg[8]:10,.0f} {avg[32]:10,.0f} | {k90}")
        print(f"sync peaks at N = {best[1]} ({best[0]:,.0f} chars/s)")


if __name__ == "__main__":
    main()
