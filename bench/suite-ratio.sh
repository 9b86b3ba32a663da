#!/usr/bin/env bash
# Suite wall time against the CPU time its guests need: runs every case of
# DIR (default cases/) on every default target at -j N (default: the number
# of CPUs), restored from saved guests (one untimed run first makes them),
# R times (default 3), and prints per repetition the wall seconds, the sum
# of the runs' QEMU CPU seconds (fact qemu.cpu_seconds) and the ratio
#   wall / (QEMU CPU / N)
# which is 1.0 when the N CPUs are busy with guests all the time; time a
# guest spends waiting on a clock (a fixed sleep) raises it. Not a test:
# numbers only. An old suite can be measured the same way:
#   mkdir old && git archive COMMIT cases | tar -x -C old --strip-components=1 &&
#   bench/suite-ratio.sh -j 2 old      (one level below the tree: cases reach ../build)
#   bench/suite-ratio.sh [-j N] [DIR] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
if [ "${1:-}" = -j ]; then jobs=$2; shift 2; fi
dir=${1:-cases} reps=${2:-3}
make -s all images >&2
out=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
build/oomtest run -j "$jobs" --results "$out/warm" "$dir" > /dev/null 2>&1 || true
printf '%-4s %6s %8s %10s %7s %6s\n' rep runs wall_s qemu_cpu_s ratio notok
ratios=()
for i in $(seq "$reps"); do
	t0=$(date +%s.%N)
	build/oomtest run -j "$jobs" --results "$out/r$i" "$dir" > "$out/r$i.tap" 2>/dev/null || true
	t1=$(date +%s.%N)
	cpu=$(cat "$out/r$i"/latest/*/*/facts.json | sed -n 's/.*"qemu.cpu_seconds": "\([0-9.]*\)".*/\1/p' |
	      awk '{ s += $1 } END { printf "%.2f", s }')
	runs=$(grep -c '^ok\|^not ok' "$out/r$i.tap" || true)
	notok=$(grep -c '^not ok' "$out/r$i.tap" || true)
	ratio=$(awk -v w="$t0" -v e="$t1" -v c="$cpu" -v j="$jobs" 'BEGIN { printf "%.2f", (e - w) / (c / j) }')
	ratios+=("$ratio")
	printf '%-4s %6s %8.2f %10s %7s %6s\n' "$i" "$runs" "$(awk -v w="$t0" -v e="$t1" 'BEGIN { print e - w }')" \
		"$cpu" "$ratio" "$notok"
done
sorted=($(printf '%s\n' "${ratios[@]}" | sort -n))
echo "median ratio at -j $jobs: ${sorted[$((reps / 2))]} (goal: at most 1.15)"
