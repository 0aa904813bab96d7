#!/usr/bin/env bash
# The PyTorch reference for the same budget, resumable like train-steps.sh:
#
#   tools/quality/torch-steps.sh NAME TEXT [torch_quality.py options, e.g. --steps 1940 --cell lstm ...]
#
# Writes runs/NAME.json (curve, final and best validation, samples) and runs/NAME.err under $RUNS,
# and checkpoints every 50 steps to runs/NAME.pt: run the same command again after an interruption
# and it goes on from there, to the result an uninterrupted run gives.
set -u
name=$1 text=$2; shift 2
runs=${RUNS:-runs}; mkdir -p "$runs"
here=$(cd "$(dirname "$0")" && pwd)
grep -q avx512f /proc/cpuinfo 2>/dev/null && export OPENBLAS_CORETYPE=SkylakeX
start=$(date +%s)
/usr/bin/python3 "$here/torch_quality.py" --data "$text" --out "$runs/$name.json" \
  --checkpoint "$runs/$name.pt" "$@" > /dev/null 2>> "$runs/$name.err"
echo "rc=$? wall=$(( $(date +%s) - start ))s" >> "$runs/$name.out"
