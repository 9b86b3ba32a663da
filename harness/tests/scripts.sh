#!/usr/bin/env bash
# Checks of the project's own scripts, no guest needed: the test scripts
# are free of pipelines that fail by luck, a fuzz corpus input that
# crashes fails `make fuzz-corpus`, and a target's module follows its
# kernel. Ends with "N passed, N failed".
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

# build-initramfs.sh against a stand-in kernel tree whose `make modules`
# writes a "module" holding its Module.symvers: a kernel rebuilt with the
# same release (new Module.symvers, new image) gets a new module and
# initramfs; an unchanged one is not rebuilt; no Module.symvers is an error.
fake_kernel_tree() { # ROOT KDIR
	mkdir -p "$1/images" "$1/kmod" "$1/build/guest/x86_64" "$2" &&
	cp images/build-initramfs.sh "$1/images/" && cp kmod/oom_trigger.c kmod/oomtest_console.c kmod/Kbuild "$1/kmod/" &&
	printf '#!/bin/sh\n' > "$1/build/guest/x86_64/oomtest-init" && cp "$1/build/guest/x86_64/oomtest-init" "$1/build/guest/x86_64/hog" &&
	chmod +x "$1/build/guest/x86_64/oomtest-init" "$1/build/guest/x86_64/hog" &&
	printf 'modules:\n\techo built >> builds\n\tcat Module.symvers > $(M)/oom_trigger.ko\n\techo console > $(M)/oomtest_console.ko\n' > "$2/Makefile" &&
	echo '0x1	printk	vmlinux	EXPORT_SYMBOL' > "$2/Module.symvers" && echo bzImage > "$2/bzImage"
}
module_follows_kernel() {
	local r=$work/fake k=$work/fake-kdir st=$work/fake-state
	local img=$st/targets/t/initramfs.cpio ko=$st/targets/t/oom_trigger.ko
	build() { OOMTEST_STATE=$st "$r/images/build-initramfs.sh" t x86_64 "$k" "$k/bzImage"; }
	in_image() { (cd "$work" && cpio -i --quiet --to-stdout lib/modules/oom_trigger.ko < "$img" > "$work/ko.in-image"); }
	fake_kernel_tree "$r" "$k" || return 1
	build > /dev/null && [ "$(wc -l < "$k/builds")" -eq 1 ] && [ -f "$st/targets/t/oom_trigger.kernel" ] || return 1
	build > /dev/null && [ "$(wc -l < "$k/builds")" -eq 1 ] || { echo "an unchanged kernel rebuilt the module"; return 1; }
	echo '0x2	printk	vmlinux	EXPORT_SYMBOL' > "$k/Module.symvers"
	build > /dev/null && [ "$(wc -l < "$k/builds")" -eq 2 ] || { echo "a new Module.symvers kept the module"; return 1; }
	grep -q 0x2 "$ko" && in_image && grep -q 0x2 "$work/ko.in-image" || { echo "the initramfs kept the old module"; return 1; }
	touch -d '2001-01-01' "$k/bzImage"
	build > /dev/null && [ "$(wc -l < "$k/builds")" -eq 3 ] || { echo "a new kernel image kept the module"; return 1; }
	rm "$k/Module.symvers"
	build 2> "$work/nosymvers.err"
	[ $? -eq 1 ] && grep -q "Module.symvers missing: build the kernel's modules first" "$work/nosymvers.err"
}
check "build-initramfs.sh rebuilds the module for a rebuilt kernel of the same release, and only then" module_follows_kernel

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
