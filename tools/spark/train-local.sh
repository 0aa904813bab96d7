#!/usr/bin/env bash
# Trains on Spark in local mode without a Spark installation: the 'provided' Spark jars come from
# the local Maven repository (the build lists them in charrnn-examples/target/spark-classpath.txt;
# charrnn.jar brings its own libraries from lib/), the JVM gets the options Spark needs on
# Java 17 (the spark.jvmOptions of charrnn-examples/pom.xml), and the arguments go to
# io.charrnn.examples.spark.SparkTrain (--help lists them). Build first: mvn -B -DskipTests package
#   tools/spark/train-local.sh --master='local[2]' --text=data.txt --out=model.charrnn --steps=200
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=$root/charrnn-examples/target/charrnn.jar
cp_file=$root/charrnn-examples/target/spark-classpath.txt
[ -f "$jar" ] || { echo "train-local.sh: $jar is missing; build with: mvn -B -DskipTests package" >&2; exit 1; }
[ -s "$cp_file" ] || { echo "train-local.sh: $cp_file is missing; build with: mvn -B -DskipTests package" >&2; exit 1; }
opens=$(sed -n 's:.*<spark.jvmOptions>\(.*\)</spark.jvmOptions>.*:\1:p' "$root/charrnn-examples/pom.xml")
# shellcheck disable=SC2086
exec java $opens ${JAVA_OPTS:-} -cp "$jar:$(cat "$cp_file")" io.charrnn.examples.spark.SparkTrain "$@"
