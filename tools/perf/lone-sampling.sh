#!/usr/bin/env bash
# Batch-1 sampling rate of one client (2,000-character generations, temperature 0.8, C2 and C3
# sizes with random weights) with two charrnn-core builds, alternately in fresh JVMs: whether the
# sampler's lone path got slower. Build each core jar with
#   mvn -B -q -o -pl charrnn-core -DskipTests package
# in a checkout of each commit and pass the jars. Usage:
#   tools/perf/lone-sampling.sh OLD-core.jar NEW-core.jar [ROUNDS] [SECONDS]
set -euo pipefail
old=${1:?usage: lone-sampling.sh OLD-core.jar NEW-core.jar [ROUNDS] [SECONDS]}
new=${2:?usage: lone-sampling.sh OLD-core.jar NEW-core.jar [ROUNDS] [SECONDS]}
rounds=${3:-5}
seconds=${4:-3}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
deps="$dir/cp.txt"
timeout 300 mvn -B -q -o -pl charrnn-core dependency:build-classpath -Dmdep.outputFile="$deps" >/dev/null
cat > "$dir/Lone.java" <<'JAVA'
import io.charrnn.model.*; import io.charrnn.text.*; import io.charrnn.sample.*; import java.util.*;
public class Lone {
    public static void main(String[] a) {
        StringBuilder sb = new StringBuilder("\n");
        for (char c = ' '; sb.length() < 65; c++) sb.append(c);
        Vocabulary v = Vocabulary.fromText(sb.toString());
        RnnModel m = a[0].equals("C3")
                ? RnnModel.builder().cell(CellType.LSTM).hidden(512).layers(2).seed(1).vocabulary(v).build()
                : RnnModel.builder().cell(CellType.RNN).hidden(512).seed(1).vocabulary(v).build();
        Sampler s = Sampler.builder(m).strategy(SamplingStrategy.temperature(0.8)).build();
        for (int i = 0; i < 3; i++) s.generate("", 2000, new SplittableRandom(i));
        double secs = Double.parseDouble(a[1]);
        long chars = 0, t0 = System.nanoTime();
        for (int seed = 0; System.nanoTime() - t0 < secs * 1e9; seed++)
            chars += s.generate("", 2000, new SplittableRandom(seed)).length();
        System.out.printf("%.0f%n", chars / ((System.nanoTime() - t0) / 1e9));
    }
}
JAVA
javac -cp "$new:$(cat "$deps")" -d "$dir" "$dir/Lone.java"
for cfg in C2 C3; do
  o=(); n=()
  for r in $(seq "$rounds"); do
    o+=("$(timeout 120 java -cp "$dir:$old:$(cat "$deps")" Lone "$cfg" "$seconds" 2>/dev/null)")
    n+=("$(timeout 120 java -cp "$dir:$new:$(cat "$deps")" Lone "$cfg" "$seconds" 2>/dev/null)")
  done
  python3 -c 'import statistics,sys; c=sys.argv[1]; o=[float(x) for x in sys.argv[2].split()]; n=[float(x) for x in sys.argv[3].split()]; print(f"{c} lone sampling chars/s: old {statistics.median(o):,.0f} new {statistics.median(n):,.0f} ratio {statistics.median(n)/statistics.median(o):.3f} (old {[round(x) for x in o]}, new {[round(x) for x in n]})")' "$cfg" "${o[*]}" "${n[*]}"
done
