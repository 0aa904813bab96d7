#!/usr/bin/env python3
"""Summarise the runs of train-steps.sh and torch-steps.sh under $RUNS (default ./runs): per run the
steps, the best and last validation (nats/char, and bits/char for the best) and, with -v, the curve."""
import glob, json, os, re, sys
RUNS = os.environ.get("RUNS", "runs")
rows = []
for out in sorted(glob.glob(os.path.join(RUNS, "*.out"))):
    name = os.path.basename(out)[:-4]
    tail = open(out).read()
    js = os.path.join(RUNS, name + ".json")
    if os.path.exists(js):
        d = json.loads(open(js).read())
        curve = [(c["step"], c["val"]) for c in d["curve"]]
        rows.append((name, d["steps"], d["best_val"], d["last_val"], curve, tail.strip()))
        continue
    err = open(os.path.join(RUNS, name + ".err")).read() if os.path.exists(os.path.join(RUNS, name + ".err")) else ""
    curve = [(int(m.group(1)), float(m.group(2))) for m in
             re.finditer(r"validation at step (\d+) \(epoch [^)]*\): ([0-9.]+) nats", err)]
    done = re.findall(r"step ([0-9]+)/[0-9]+ ", err)  # the progress lines; a resumed run's too
    if not curve:
        rows.append((name, None, None, None, [], tail.strip().splitlines()[-1] if tail.strip() else "running"))
        continue
    best = min(v for _, v in curve)
    rows.append((name, int(done[-1]) if done else None, best, curve[-1][1], curve, (tail.strip().splitlines() or ["running"])[-1]))
for name, steps, best, last, curve, note in rows:
    if best is None:
        print(f"{name:28s} {note}")
        continue
    print(f"{name:28s} steps {steps}  best {best:.4f} ({best/0.693147:.3f} b)  last {last:.4f}  [{note}]")
    if "-v" in sys.argv:
        print("   ", " ".join(f"{s}:{v:.3f}" for s, v in curve))
