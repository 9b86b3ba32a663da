#!/usr/bin/env bash
# Per-run wall time of every case on every default target: runs the suite
# N times (default 5) at -j 1 and prints the median, min and max seconds per
# case and target, from each run's result.json. Not a test: numbers only.
#   bench/run-times.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
make -s all images >&2
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
for i in $(seq "$n"); do
	build/oomtest run --results "$out/r$i" cases > /dev/null 2>&1 || echo "run $i: not every case ok" >&2
done
printf '%-24s %-8s %8s %8s %8s %8s\n' case target median min max boot
for rj in "$out"/r1/latest/*/*/result.json; do
	rel=${rj#"$out"/r1/latest/}
	c=${rel%%/*}; t=${rel#*/}; t=${t%%/*}
	secs=() boots=()
	for i in $(seq "$n"); do
		f="$out/r$i/latest/$c/$t"
		secs+=("$(sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$f/result.json")")
		boots+=("$(sed -n 's/.*"boot.seconds": "\([0-9.]*\)".*/\1/p' "$f/facts.json")")
	done
	sorted=($(printf '%s\n' "${secs[@]}" | sort -n))
	bsorted=($(printf '%s\n' "${boots[@]}" | sort -n))
	printf '%-24s %-8s %8s %8s %8s %8s\n' "$c" "$t" "${sorted[$((n / 2))]}" "${sorted[0]}" "${sorted[$((n - 1))]}" "${bsorted[$((n / 2))]}"
done
