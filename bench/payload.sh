#!/usr/bin/env bash
# What a payload costs a restored run: for payloads of 1 MiB and 20 MiB (a
# [files] entry of random bytes) on each arch, runs the case N times
# (default 5) from a saved guest and prints the medians of: the restore
# (boot.seconds), the unpack in the guest (payload.unpack_ms: the wait for
# the disk, reading it and writing the files), their sum, and the whole
# run (run.seconds), beside the same case with no payload. Not a test.
#   bench/payload.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
make -s all images >&2
work=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

fact() { sed -n "s/.*\"$2\": \"\\([0-9.]*\\)\".*/\\1/p" "$1/facts.json"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

for size in 0 1 20; do
	c=$work/payload-${size}m.case
	{
		echo "[case]"
		echo "description = a payload of ${size} MiB"
		echo "memory = 128M"
		if [ "$size" -gt 0 ]; then
			head -c $((size << 20)) /dev/urandom > "$work/data-${size}m.bin"
			echo "[files]"
			echo "/data.bin = data-${size}m.bin"
		fi
		echo "[step look]"
		echo "collect = meminfo"
		echo "[expect]"
		echo "agent.done == 1"
	} > "$c"
done

printf '%-8s %-8s %10s %10s %10s %10s\n' arch payload restore_s unpack_s sum_s run_s
for arch in x86_64 i386; do
	for size in 0 1 20; do
		boots=() unpacks=() sums=() runs=()
		for i in $(seq "$n"); do
			r=$work/r-$arch-$size-$i
			build/oomtest run -t "$arch" --results "$r" "$work/payload-${size}m.case" > /dev/null
			d=$(ls -d "$r"/latest/*/"$arch")
			grep -q '"boot.path": "restore"' "$d/facts.json" || echo "$arch ${size}M run $i was not restored" >&2
			b=$(fact "$d" boot.seconds)
			u=$(fact "$d" payload.unpack_ms); u=${u:-0}
			boots+=("$b")
			unpacks+=("$(awk -v u="$u" 'BEGIN { printf "%.3f", u / 1000 }')")
			sums+=("$(awk -v b="$b" -v u="$u" 'BEGIN { printf "%.3f", b + u / 1000 }')")
			runs+=("$(fact "$d" run.seconds)")
		done
		printf '%-8s %-8s %10s %10s %10s %10s\n' "$arch" "${size}M" \
			"$(printf '%s\n' "${boots[@]}" | median)" "$(printf '%s\n' "${unpacks[@]}" | median)" \
			"$(printf '%s\n' "${sums[@]}" | median)" "$(printf '%s\n' "${runs[@]}" | median)"
	done
done
