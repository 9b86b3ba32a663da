#!/usr/bin/env bash
# Flakiness: runs every case on every default target N times (default 20)
# and prints, per case and target, how many runs were ok, skipped and not
# ok, with the messages of the ones that were not. Not a test.
#   bench/repeat.sh [N] [-j J]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
j=${3:-2}
make -s all images >&2
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-repeat.XXXXXX")
start=$(date +%s)
for i in $(seq "$n"); do
	build/oomtest run -j "$j" --results "$out/results" cases > "$out/run$i.tap" 2>/dev/null || true
	echo "run $i/$n: $(grep -c '^ok' "$out/run$i.tap") ok, $(grep -c '^not ok' "$out/run$i.tap") not ok" >&2
done
echo "$n runs of the suite in $(( $(date +%s) - start )) s (-j $j); TAP files in $out"
printf '%-44s %-12s %4s %5s %7s\n' case target ok skip "not ok"
cat "$out"/run*.tap | sed -n 's/^\(not ok\|ok\) [0-9]* - \([^ ]*\) \[\([^]]*\)\]\( # SKIP.*\)\?$/\1|\2|\3|\4/p' |
	awk -F'|' '{ k=$2" "$3; if ($1=="not ok") bad[k]++; else if ($4!="") skip[k]++; else ok[k]++; keys[k]=1 }
		END { for (k in keys) { split(k, a, " "); printf "%-44s %-12s %4d %5d %7d\n", a[1], a[2], ok[k], skip[k], bad[k] } }' | sort
grep -h -A3 '^not ok' "$out"/run*.tap | grep -E '^not ok|message|expectation|seen' | sort | uniq -c | sort -rn | head -40 || true
