#!/usr/bin/env bash
# What the reports cost: runs the whole suite N times (default 3) and prints,
# per run, the wall time, the time from the last TAP line to oomtest's exit
# (the reports being written: index.html, report.json, JUnit, JSON), and
# the size of each report. Not a test.
#   bench/report-cost.sh [N] [-j J]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-3}
j=${3:-2}
[[ $n =~ ^[0-9]+$ && $j =~ ^[0-9]+$ ]] || { echo "usage: $0 [N] [-j J]" >&2; exit 2; }
make -s all images >&2
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-report-cost.XXXXXX")
printf '%-4s %9s %14s %11s %11s %11s\n' run "wall s" "reports s" "index.html" "report.json" "junit.xml"
for i in $(seq "$n"); do
	start=$(date +%s.%N)
	last=$start
	while IFS= read -r line; do
		case $line in ok\ *|not\ ok\ *) last=$(date +%s.%N) ;; esac
	done < <(build/oomtest run -j "$j" --results "$out/results" --junit "$out/junit.xml" \
		--json "$out/report.json" cases 2>/dev/null || true)
	end=$(date +%s.%N)
	d=$out/results/latest
	printf '%-4s %9.2f %14.2f %11s %11s %11s\n' "$i" "$(awk "BEGIN { print $end - $start }")" "$(awk "BEGIN { print $end - $last }")" \
		"$(stat -c %s "$d/index.html")" "$(stat -c %s "$d/report.json")" "$(stat -c %s "$out/junit.xml")"
done
echo "results in $out"
