#!/usr/bin/env bash
# One learning-quality run of charrnn for a budget of steps, single-threaded, resumable:
#
#   tools/quality/train-steps.sh NAME JAR TEXT [charrnn train options, e.g. --steps 2793 --cell lstm ...]
#
# Writes runs/NAME.out (the summary), runs/NAME.err (progress and every validation) and
# runs/NAME.charrnn under $RUNS (default ./runs). It checkpoints every 50 steps into
# runs/NAME.ckpt; run the same command again after an interruption (Ctrl-C, a reboot) and it
# resumes from the newest checkpoint, which gives the same weights as an uninterrupted run.
#
# Why steps and one thread: a budget of steps gives the same result however loaded the machine is,
# so several runs can share the machine (one per core) and be compared at "equal wall-clock" by
# converting a quiet machine's measured chars/s into steps (see docs/quality.md).
set -u
name=$1 jar=$2 text=$3; shift 3
runs=${RUNS:-runs}; mkdir -p "$runs/$name.ckpt"
export OMP_NUM_THREADS=1
grep -q avx512f /proc/cpuinfo 2>/dev/null && export OPENBLAS_CORETYPE=SkylakeX
last=$(ls "$runs/$name.ckpt"/checkpoint-*.charrnn 2>/dev/null | sort | tail -1)
resume=(); [[ -n $last ]] && resume=(--resume "$last")
start=$(date +%s)
java -Dcharrnn.sample.threads=1 -jar "$jar" train --text "$text" --out "$runs/$name.charrnn" --seed 42 \
  --checkpoint-dir "$runs/$name.ckpt" --checkpoint-every 50 --keep-checkpoints 2 "${resume[@]}" "$@" \
  >> "$runs/$name.out" 2>> "$runs/$name.err"
echo "rc=$? wall=$(( $(date +%s) - start ))s" >> "$runs/$name.out"
