#!/usr/bin/env bash
# Runs 'charrnn bench' with two CLI jars alternately (old, new, old, new, ...) and prints, per
# configuration, the median over the rounds of each jar's training and sampling characters per
# second and the ratio new/old. Usage:
#   tools/arch/bench-alternate.sh OLD.jar NEW.jar [ROUNDS] [SECONDS] [CONFIGS] [TEXT]
set -euo pipefail
old=${1:?usage: bench-alternate.sh OLD.jar NEW.jar [ROUNDS] [SECONDS] [CONFIGS] [TEXT]}
new=${2:?usage: bench-alternate.sh OLD.jar NEW.jar [ROUNDS] [SECONDS] [CONFIGS] [TEXT]}
rounds=${3:-3}
seconds=${4:-5}
configs=${5:-C1,C2,C3}
text=${6:-/work/shared/data/tinyshakespeare.txt}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for r in $(seq "$rounds"); do
  for which in old new; do
    jar=$old; [ "$which" = new ] && jar=$new
    java -jar "$jar" bench --config="$configs" --seconds="$seconds" --text="$text" 2>/dev/null \
      | sed -n "s/^RESULT /$which /p" >> "$out"
  done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    which, payload = line.split(' ', 1)
    j = json.loads(payload)
    rows.setdefault((j['config'], which), []).append(j)
for config in sorted({c for c, _ in rows}):
    o, n = rows.get((config, 'old'), []), rows.get((config, 'new'), [])
    for key in ('train_cps_median', 'sample_cps_median'):
        mo = statistics.median(r[key] for r in o)
        mn = statistics.median(r[key] for r in n)
        print(f"{config} {key}: old {mo:,.0f} new {mn:,.0f} ratio {mn / mo:.3f} "
              f"(old runs {[round(r[key]) for r in o]}, new runs {[round(r[key]) for r in n]})")
PY
