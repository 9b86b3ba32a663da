#!/bin/sh
# fill-tmpfs.sh [SIZE_MB [CHUNK_MB [DIR]]]: eats memory with shell tools
# only (busybox sh and dd). It writes zeros into files under DIR (default
# /tmp/fill-tmpfs: the guest's root is a tmpfs, whose pages are memory,
# charged to the writer's memory cgroup) CHUNK_MB MiB at a time (default
# 1), one file per chunk, until SIZE_MB MiB are written (default 0: until
# the kernel stops it), printing a progress line per chunk. The files are
# left in place: the memory stays taken after the script ends.
# Exits 0 once SIZE_MB MiB are written; 3 when a write fails (dd's message
# says why: no space left, or dd was killed); 2 on a bad argument.
set -u

usage() {
	echo "usage: fill-tmpfs.sh [SIZE_MB [CHUNK_MB [DIR]]]" >&2
	exit 2
}

size=${1:-0}
chunk=${2:-1}
dir=${3:-/tmp/fill-tmpfs}
case $size in '' | *[!0-9]*) usage ;; esac
case $chunk in '' | *[!0-9]*) usage ;; esac
[ "$chunk" -gt 0 ] || usage

mkdir -p "$dir" || exit 3
echo "fill-tmpfs: pid $$ size ${size}M chunk ${chunk}M into $dir"
n=0
total=0
while [ "$size" -eq 0 ] || [ "$total" -lt "$size" ]; do
	n=$((n + 1))
	count=$chunk
	if [ "$size" -gt 0 ] && [ $((size - total)) -lt "$count" ]; then
		count=$((size - total))
	fi
	# dd reports its counts on stderr even when all went well: kept for a failure
	out=$(dd if=/dev/zero of="$dir/chunk.$n" bs=1048576 count="$count" 2>&1)
	status=$?
	if [ "$status" -ne 0 ]; then
		how="dd exit $status"
		[ "$status" -gt 128 ] && how="dd killed by signal $((status - 128))"
		echo "fill-tmpfs: chunk $n failed after ${total}M ($how): $out"
		exit 3
	fi
	total=$((total + count))
	echo "fill-tmpfs: chunk $n total ${total}M"
done
echo "fill-tmpfs: reached ${total}M"
