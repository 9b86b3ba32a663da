#!/usr/bin/env bash
# replay.sh FUZZER CORPUS-DIR: runs a fuzz target once over every input of
# its committed corpus (ASan+UBSan). Prints the fuzzer's last line when all
# inputs pass; otherwise its output's end, and exits 1.
set -u
[ $# -eq 2 ] && [ -d "$2" ] || { echo "usage: replay.sh FUZZER CORPUS-DIR" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-replay.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
out=$tmp/output
# the failing input is the corpus file itself: no crash-* copy in the tree
"$1" -runs=0 -max_len=65536 -artifact_prefix="$tmp/" "$2" > "$out" 2>&1
rc=$?
if [ $rc -ne 0 ]; then
	tail -n 60 "$out"
	echo "$(basename "$1"): an input of $2 fails (exit $rc)" >&2
	exit 1
fi
tail -n 1 "$out"
