#!/usr/bin/env bash
# The Spark figures of docs/spark.md: for C2 and C3 (as 'charrnn bench' defines them), training
# chars/s of the single-machine Trainer, of Spark local[1] and of local[2] (alternating, ROUNDS
# rounds of STEPS timed steps after 2 warm-up steps each), and the exchange alone (broadcast of the
# weights + treeAggregate of one gradient per partition) in ms and as a fraction of a Spark step.
# Build first (mvn -B -DskipTests package). Usage:
#   tools/spark/measure.sh [TEXT] [ROUNDS] [STEPS] [CONFIGS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
text=${1:-/work/shared/data/tinyshakespeare.txt}
rounds=${2:-2}
steps=${3:-6}
configs=${4:-C2,C3}
opens=$(sed -n 's:.*<spark.jvmOptions>\(.*\)</spark.jvmOptions>.*:\1:p' "$root/charrnn-examples/pom.xml")
# shellcheck disable=SC2086
java $opens -cp "$root/charrnn-examples/target/charrnn.jar:$(cat "$root/charrnn-examples/target/spark-classpath.txt")" \
    io.charrnn.examples.spark.SparkMeasure "$text" "$rounds" "$steps" "$configs" 2>/dev/null | grep '^RESULT'
