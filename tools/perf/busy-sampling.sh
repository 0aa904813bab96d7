#!/usr/bin/env bash
# Batch-1 sampling while another process keeps one core busy: charrnn's one-thread rate
# (-Dcharrnn.sample.threads=1) against its default (the step split with a helper thread), alternately
# in one JVM, for C2- and C3-sized models (random weights). Run from the repository root after
# 'mvn -B -q -DskipTests package'. Usage:
#   tools/perf/busy-sampling.sh [ROUNDS] [SECONDS_PER_RUN] [JAR]
# BUSY=0 leaves the machine alone (the quiet comparison).
set -euo pipefail
rounds=${1:-5}
seconds=${2:-2}
jar=${3:-charrnn-examples/target/charrnn.jar}
busy=${BUSY:-1}
pid=
if [ "$busy" = 1 ]; then
  # the loop ends by itself even if this script is killed
  timeout 600 sh -c 'while :; do :; done' &
  pid=$!
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  echo "a busy loop (pid $pid) keeps one core busy"
fi
timeout 900 java -cp "$jar" io.charrnn.examples.load.BusySampling "$rounds" "$seconds" 2>/dev/null
