#!/usr/bin/env bash
# Checks of the project's own scripts, no guest needed: the test scripts
# are free of pipelines that fail by luck, and a fuzz corpus input that
# crashes fails `make fuzz-corpus`. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d "${TMPDIR:-/tmp}/oomtest-scripts.XXXXXX")
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

check() { # name, then a command that must succeed
	local name=$1; shift
	if "$@" > "$work/last.out" 2>&1; then
		echo "ok - $name"; passed=$((passed + 1))
	else
		echo "not ok - $name"; failed=$((failed + 1))
		sed 's/^/    /' "$work/last.out"
	fi
}

check "test scripts pipe nothing into grep -q, grep -m or head" harness/tests/lint-tests.sh

# a stand-in for a libFuzzer binary: fails like ASan does on one input
fake_fuzzer() { # NAME EXIT-STATUS
	printf '#!/bin/sh\necho "INFO: Running with entropic power schedule"\n%s\nexit %s\n' \
		"$( [ "$2" -eq 0 ] && echo 'echo "Done 3 runs in 0 second(s)"' || echo 'echo "==1==ERROR: AddressSanitizer: heap-buffer-overflow"')" \
		"$2" > "$work/$1"
	chmod +x "$work/$1"
}
replay_fails_on_crash() {
	mkdir -p "$work/corpus" && echo x > "$work/corpus/input"
	fake_fuzzer crasher 1 && fake_fuzzer clean 0
	harness/fuzz/replay.sh "$work/clean" "$work/corpus" > "$work/clean.out" || return 1
	grep -q '^Done 3 runs' "$work/clean.out" || return 1
	harness/fuzz/replay.sh "$work/crasher" "$work/corpus" > "$work/crash.out" 2>&1
	[ $? -eq 1 ] && grep -q 'AddressSanitizer' "$work/crash.out"
}
check "replaying a fuzz corpus fails when an input crashes, passes when none does" replay_fails_on_crash

# Each kernel feature a case relies on is declared in its needs, so that a
# kernel without it skips the case with the reason instead of failing it:
# WORD-IN-CASE-TEXT  NEED
case_needs_table='memory.pressure kconfig:CONFIG_PSI
HighMem kconfig:CONFIG_HIGHMEM
memory.swap kconfig:CONFIG_SWAP
SwapTotal kconfig:CONFIG_SWAP
AnonHugePages kconfig:CONFIG_TRANSPARENT_HUGEPAGE
zram kconfig:CONFIG_ZRAM'
cases_declare_needs() { # CASE-FILE...
	local f word need bad=0
	for f in "$@"; do
		while read -r word need; do
			grep -q -F -- "$word" "$f" || continue
			grep -q -E "^needs[[:space:]]*=.*(^|[[:space:]=])$need([[:space:]]|\$)" "$f" ||
				{ echo "$f: uses $word but does not say needs = $need"; bad=1; }
		done <<<"$case_needs_table"
	done
	return $bad
}
check "every case declares the kernel options it relies on (PSI, HIGHMEM, SWAP, THP)" cases_declare_needs cases/*.case

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
