#!/usr/bin/env python3
"""Tables of `charrnn bench --sweep` CSVs: charrnn against PyTorch at every point, and the cliffs.

    tools/perf/sweep_table.py SWEEP.csv [SWEEP.csv ...]

For each series (the points that differ only in the swept size) it prints a Markdown table of
training and batch-1 sampling chars/s of both programs with their ratios and both peak RSS
(medians over repeats), then the medians of the ratios over all points and the points that miss
a target of issue 22: charrnn below PyTorch, or more than 20 % below its own trend. The trend at
an inner point of a series is the straight line in log(size)-log(chars/s) between its two
neighbours; the end points of a series have no trend.
"""
import csv
import math
import statistics
import sys

KEYS = ("group", "cell", "layers", "hidden", "batch", "seq", "vocab", "input")


def main(paths):
    runs = {}
    for path in paths:
        with open(path, newline="") as f:
            for r in csv.DictReader(f):
                if r["status"] != "ok":
                    continue
                key = tuple(r[k] for k in KEYS)
                runs.setdefault(key, {}).setdefault(r["program"], []).append(r)
    series = {}
    for key, progs in runs.items():
        if "charrnn" not in progs or "pytorch" not in progs:
            continue
        fields = dict(zip(KEYS, key))
        size = fields["group"]  # a sweep's group names the column it varies
        skey = tuple((k, v) for k, v in fields.items() if k != size)
        series.setdefault(skey, []).append((int(fields[size]), progs))
    train_ratios, sample_ratios, misses = [], [], []
    for skey, points in sorted(series.items()):
        points.sort()
        fields = dict(skey)
        size = fields["group"]
        print(f"\n{fields['group']}: {fields['layers']}-layer {fields['cell']}, "
              + ", ".join(f"{k} {v}" for k, v in skey if k not in ("group", "cell", "layers")))
        print(f"\n| {size} | training charrnn / PyTorch | ratio | sampling charrnn / PyTorch | ratio "
              "| peak RSS MB charrnn / PyTorch |")
        print("|---:|---|---:|---|---:|---|")
        med = [{m: {p: statistics.median(float(r[m]) for r in progs[p]) for p in progs}
                for m in ("train_cps", "sample_cps", "peak_rss_mb")} for _, progs in points]
        for i, (x, _) in enumerate(points):
            t, s, m = med[i]["train_cps"], med[i]["sample_cps"], med[i]["peak_rss_mb"]
            tr, sr = t["charrnn"] / t["pytorch"], s["charrnn"] / s["pytorch"]
            train_ratios.append(tr)
            sample_ratios.append(sr)
            rss = f"{m['charrnn']:,.0f} / {m['pytorch']:,.0f}"
            if m["charrnn"] > m["pytorch"]:
                rss = f"**{rss}**"
                misses.append(f"{size} {x} ({fields['cell']} x{fields['layers']}): peak RSS {rss}")
            print(f"| {x:,} | {t['charrnn']:,.0f} / {t['pytorch']:,.0f} | {tr:.2f} "
                  f"| {s['charrnn']:,.0f} / {s['pytorch']:,.0f} | {sr:.2f} | {rss} |")
            for what, r in (("training", tr), ("sampling", sr)):
                if r < 1:
                    misses.append(f"{size} {x} ({fields['cell']} x{fields['layers']}): {what} {r:.2f}x PyTorch")
            if 0 < i < len(points) - 1:
                for metric in ("train_cps", "sample_cps"):
                    x0, x1 = points[i - 1][0], points[i + 1][0]
                    y0, y1 = med[i - 1][metric]["charrnn"], med[i + 1][metric]["charrnn"]
                    f = (math.log(x) - math.log(x0)) / (math.log(x1) - math.log(x0))
                    trend = math.exp(math.log(y0) + f * (math.log(y1) - math.log(y0)))
                    got = med[i][metric]["charrnn"]
                    if got < 0.8 * trend:
                        misses.append(f"{size} {x} ({fields['cell']} x{fields['layers']}): {metric} "
                                      f"{got:,.0f} is {got / trend:.2f}x its trend {trend:,.0f}")
    if train_ratios:
        print(f"\n{len(train_ratios)} points; median ratio training {statistics.median(train_ratios):.2f}, "
              f"sampling {statistics.median(sample_ratios):.2f}; lowest {min(train_ratios):.2f} and "
              f"{min(sample_ratios):.2f}")
    print("misses:" if misses else "misses: none")
    for m in misses:
        print("  " + m)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
