#!/usr/bin/env bash
# Trains small fixed-seed runs of the benchmark configurations (C1, C2, C3, plus a GRU with an
# embedding and dropout, and a resumed run) with the given CLI jar and prints one sha256 per
# entry of the saved model zip (weights, loss history, charrnn.json) and of the sampled text.
# Run it with the old and the new jar and diff the outputs (hashes-before.txt: before issue 15):
#   tools/arch/weights-hash.sh OLD/charrnn.jar > old.txt
#   tools/arch/weights-hash.sh charrnn-examples/target/charrnn.jar > new.txt
#   diff old.txt new.txt
set -euo pipefail
jar=${1:?usage: weights-hash.sh CHARRNN_JAR [TEXT]}
text=${2:-/work/shared/data/tinyshakespeare.txt}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

train() { # name, options...
  local name=$1; shift
  java -jar "$jar" train --text="$text" --out="$work/$name.charrnn" --no-samples --seed=7 \
      --checkpoint-dir="$work/ckpt-$name" "$@" >"$work/$name.out" 2>"$work/$name.err" \
      || { cat "$work/$name.err" >&2; exit 1; }
  hashes "$name"
}
hashes() {
  local name=$1 entry
  for entry in $(unzip -Z1 "$work/$name.charrnn" | sort); do
    case $entry in
      *.npy|*.json) echo "$name $entry $(unzip -p "$work/$name.charrnn" "$entry" | sha256sum | cut -c1-16)";;
    esac
  done
  echo "$name sample $(java -jar "$jar" sample --model="$work/$name.charrnn" --length=300 --seed=3 \
      --temperature=0.8 2>/dev/null | sha256sum | cut -c1-16)"
}

train c1 --cell=rnn --hidden=100 --seq=25 --batch=1 --optimizer=adagrad --lr=0.1 \
    --clip-value=5 --clip-norm=none --steps=300
train c2 --cell=rnn --hidden=512 --seq=100 --batch=64 --optimizer=adam --lr=1e-3 \
    --clip-norm=5 --steps=12
train c3 --cell=lstm --forget-bias=1 --hidden=512 --layers=2 --seq=100 --batch=64 --optimizer=adam --lr=2e-3 \
    --clip-norm=5 --steps=8
train gru --cell=gru --hidden=64 --layers=2 --embedding=16 --dropout=0.2 --seq=32 --batch=8 \
    --optimizer=rmsprop --lr=2e-3 --schedule=step:0.5:20 --steps=60
# a run that checkpoints at step 30, then the same run resumed from it to step 60
train lstm --cell=lstm --forget-bias=1 --hidden=48 --seq=20 --batch=4 --optimizer=sgd --lr=0.1 --momentum=0.9 \
    --batching=chunks --steps=60 --checkpoint-every=30 --keep-checkpoints=5
ckpt=$(ls "$work"/ckpt-lstm/* | sort | head -1)
train lstm-resumed --cell=lstm --forget-bias=1 --hidden=48 --seq=20 --batch=4 --optimizer=sgd --lr=0.1 \
    --momentum=0.9 --batching=chunks --steps=60 --resume="$ckpt"
